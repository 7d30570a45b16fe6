# The README documents each target in one line. `make run` and `make test` are the
# two commands a new machine needs.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore

.PHONY: install web browser services spacy train run test test-unit test-e2e test-stories validate lint lock clean bench-nlu bench-safety bench-safety-stack bench-startup bench-reference

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml scripts/find-python310
	@python=$$(scripts/find-python310) || exit 1; \
	if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
		rm -rf $(VENV) && "$$python" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip==24.0
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The chat widget from npm, exactly as web/package-lock.json pins it.
web: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Debian's chromium for the browser tests (Playwright cannot download one here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's PostgreSQL and Redis for the scale-out and fault tests (apt, as root);
# the tests run their own throwaway servers on free ports.
services:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		! command -v redis-server >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql and redis-server for the tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq postgresql redis-server; fi

spacy: install
	$(BIN)/python -m bids_partner.language.spacy_pipeline

train: install
	$(BIN)/assistant train

run: install web
	$(BIN)/assistant run

validate: install
	$(BIN)/rasa data validate --fail-on-warnings

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: validate lint train web browser services
	$(BIN)/pytest -p no:cacheprovider
	$(MAKE) --no-print-directory test-stories

test-unit: install
	$(BIN)/pytest -p no:cacheprovider -m "not stack and not browser and not services"

test-e2e: train web browser services
	$(BIN)/pytest -p no:cacheprovider -m "stack or browser or services"

test-stories: train
	$(BIN)/rasa test core --model $$($(BIN)/python -c 'from bids_partner.stack.model import model_path; print(model_path())') \
		--stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories

lock: install
	$(BIN)/pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf models/*.tar.gz results .stack build .rasa

bench-nlu: train
	$(BIN)/python -m benchmarks.nlu_compare

bench-safety: train
	$(BIN)/python -m benchmarks.safety_recall

bench-safety-stack: train
	$(BIN)/python -m benchmarks.safety_in_context

bench-startup: train
	$(BIN)/python -m benchmarks.stack_startup

bench-reference: train
	$(BIN)/python -m benchmarks.compare_reference
