# The README documents each target in one line. `make run` and `make test` are the
# two commands a new machine needs.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Rasa runs through `assistant rasa ...`: the quiet environment (no telemetry, less
# TensorFlow noise) has one home, bids_partner/settings.py.

.DEFAULT_GOAL := help

help: ## list the targets (this one is the default)
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z0-9-]+):.*## /\1\t/' | \
		awk -F'\t' '{ printf "  make %-20s %s\n", $$1, $$2 }'

.PHONY: help install web browser services spacy train run test test-unit test-e2e test-stories validate lint lock clean bench-nlu bench-moves bench-replies bench-replies-showing-up bench-replies-unseen-scene bench-reply-doubt bench-also-needs bench-forget bench-concepts bench-concepts-cv bench-anonymizer bench-anonymizer-cv bench-name-probe-cv bench-safety bench-safety-stack bench-startup bench-reference bench-encoder bench-turn-ab load-tools bench-profile bench-long bench-load bench-scale

install: $(STAMP) ## create .venv/ with Python 3.10 and the pinned dependencies

$(STAMP): requirements.txt requirements-nodeps.txt constraints.txt pyproject.toml scripts/find-python310
	@python=$$(scripts/find-python310) || exit 1; \
	if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
		rm -rf $(VENV) && "$$python" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip==24.0
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The chat widget from npm, exactly as web/package-lock.json pins it.
web: web/node_modules/.package-lock.json ## install the chat widget with npm ci into web/node_modules/

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Debian's chromium for the browser tests (Playwright cannot download one here).
browser: ## install Debian's chromium for the browser tests if missing (apt, as root)
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's PostgreSQL and Redis for the scale-out and fault tests (apt, as root);
# the tests run their own throwaway servers on free ports.
services: ## install Debian's postgresql and redis-server for the tests if missing (apt, as root)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		! command -v redis-server >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql and redis-server for the tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq postgresql redis-server; fi

spacy: install ## build the spaCy pipeline, train the anonymizer's name model and name probe (synthetic sentences and data/anonymizer/; ~5 min, one core) into build/spacy/
	$(BIN)/python -m bids_partner.language.spacy_pipeline
	OMP_NUM_THREADS=1 $(BIN)/python -m bids_partner.transcripts.name_model
	OMP_NUM_THREADS=1 $(BIN)/python -m bids_partner.transcripts.name_probe

train: install ## train a model unless one for the current data exists in models/
	$(BIN)/assistant train

run: install web ## install, train if needed, start the action server, Rasa and the web page
	$(BIN)/assistant run

validate: install ## rasa data validate --fail-on-warnings
	$(BIN)/assistant rasa data validate --fail-on-warnings

lint: install ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: validate lint spacy train web browser services ## validate, lint, train once if needed, run every test (CI runs this)
	$(BIN)/pytest -p no:cacheprovider
	$(MAKE) --no-print-directory test-stories

test-unit: spacy ## tests that need no running stack, browser or database server
	$(BIN)/pytest -p no:cacheprovider -m "not stack and not browser and not services"

test-e2e: spacy train web browser services ## tests through the running stack, the browser and PostgreSQL/Redis
	$(BIN)/pytest -p no:cacheprovider -m "stack or browser or services"

test-stories: train ## rasa test core on tests/test_stories.yml
	$(BIN)/assistant rasa test core --model $$($(BIN)/assistant model-path) \
		--stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories

lock: install ## refresh constraints.txt from the installed environment
	$(BIN)/pip freeze --exclude-editable > constraints.txt

clean: ## remove trained models, results and build output
	rm -rf models/*.tar.gz results .stack build .rasa

bench-nlu: train ## compare NLU pipelines (held-out + 5-fold CV) into results/nlu-bench/
	$(BIN)/python -m benchmarks.nlu_compare

bench-moves: train ## the moves and everyday intents as a user tells them: blind sets tests/blind/moves/ and the dev set tests/nlu/heldout.yml (right, fell back, read as)
	$(BIN)/python -m benchmarks.moves_blind --dev

bench-replies: install ## judging replies to the partner: candidates by cross-writer CV, then the blind sets, into results/replies-bench/ (ARGS="--only shipped": that one alone)
	$(BIN)/python -m benchmarks.reply_compare $(ARGS)

bench-replies-showing-up: install ## the reply judge on blind replies in the showing-up exercise (against a described moment), into results/replies-bench/showing_up.md (ARGS="--without w27 w28": beside the judge before them)
	$(BIN)/python -m benchmarks.reply_showing_up $(ARGS)

bench-replies-unseen-scene: install ## the reply judge on each scene trained without that scene's replies, on its blind replies, into results/replies-bench/unseen_scene.md (about 25 minutes)
	$(BIN)/python -m benchmarks.reply_unseen_scene $(ARGS)

bench-reply-doubt: install ## when the rehearsal asks instead of judging toward: the threshold on against by cross-writer CV, into results/replies-bench/doubt.md
	$(BIN)/python -m benchmarks.reply_doubt

bench-also-needs: install ## whether a toward reply also said the user's own need: the own-need reader against the clause rules, cross-writer and one scene left out (ARGS="--blind FILE": a blind set, once)
	$(BIN)/python -m benchmarks.reply_also_needs $(ARGS)

bench-forget: train ## "delete this conversation": recall and false alarms on the training and blind sets
	$(BIN)/python -m benchmarks.forget_me

bench-concepts: train ## questions about the coach's ideas: read as ask_concept, and reaching the concept asked about
	$(BIN)/python -m benchmarks.concepts

bench-concepts-cv: install ## questions about the coach's ideas: routing candidates and the threshold by cross-writer validation on data/concepts/ (no blind set)
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.concepts_cv

bench-anonymizer: install ## the anonymizer on the tuned and blind identifier sets: names removed, contacts/IDs surviving, words lost, speed
	$(BIN)/python -m benchmarks.anonymizer_blind

bench-anonymizer-cv: spacy ## the name model by leave-one-writer-out on data/anonymizer/ (trains a model per writer, one core; no blind set)
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.anonymizer_cv --sets

bench-name-probe-cv: spacy ## the anonymizer without and with the name probe, by leave-one-writer-out on data/anonymizer/ (no blind set; ~9 min)
	OMP_NUM_THREADS=1 $(BIN)/python -m benchmarks.name_probe_cv

bench-safety: train ## risk classifier by cross-writer validation, then recall and false alarms per layer and tier on every safety set
	$(BIN)/python -m benchmarks.safety_cv
	$(BIN)/python -m benchmarks.safety_recall

bench-safety-stack: train ## the safety sets through the running stack, in every context
	$(BIN)/python -m benchmarks.safety_in_context

bench-startup: train ## start-up time and memory of the action and Rasa servers
	$(BIN)/python -m benchmarks.stack_startup

bench-reference: train load-tools ## side by side with a stock rasa init bot: start-up, memory, latency, throughput (Locust)
	$(BIN)/python -m benchmarks.compare_reference $(ARGS)

bench-encoder: install ## the sentence encoder with one thread a run against two (the shipped default): a message, the recent turns, a turn, bulk
	$(BIN)/python -m benchmarks.encoder_threads $(ARGS)

bench-encoder-precision: install ## the sentence encoder in float32 against the shipped int8: how close the embeddings are, speed, load time
	$(BIN)/python -m benchmarks.encoder_precision $(ARGS)

bench-turn-ab: install ## full-turn latency of two trained models alternated in one run (ARGS="BEFORE.tar.gz AFTER.tar.gz")
	$(BIN)/python -m benchmarks.turn_ab $(ARGS)

# Locust and psutil for the load benchmarks, into .venv/ under Rasa's pins
# (`pip install --dry-run -c constraints.txt` showed no conflict).
LOAD_STAMP := $(VENV)/.load-tools-installed

load-tools: $(LOAD_STAMP) ## install Locust, psutil and matplotlib (requirements-load.txt) into .venv/

$(LOAD_STAMP): $(STAMP) requirements-load.txt
	$(BIN)/pip install --quiet -r requirements-load.txt -c constraints.txt
	touch $@

bench-profile: train ## cProfile of turns at 1,000 stored events: where a long conversation's time goes
	$(BIN)/python -m benchmarks.profile_turn

bench-long: train load-tools ## p50/p95 per turn at 10 to 2,000 stored events, ours and stock, into results/long-conversations/
	$(BIN)/python -m benchmarks.long_conversations

bench-load: train load-tools ## Locust: turns/s and p95 at 1, 8, 32 users, ours (REST, socket.io page) and stock (REST), into results/load/
	$(BIN)/python -m benchmarks.load

bench-scale: train load-tools services ## Locust: turns/s with 1 and 2 Rasa processes on PostgreSQL + Redis, CPU per process, into results/scale-out/
	$(BIN)/python -m benchmarks.scale_out
