"""This assistant side by side with a stock `rasa init` bot, measured in one run.

    .venv/bin/python -m benchmarks.compare_reference

For each bot, on this machine and in the same run:
- a full `rasa train --force` (wall time);
- start-up: from launching the action server and the Rasa server together until
  the action server's /health answers, the Rasa server's `/` answers and a first
  `POST /model/parse` succeeds (polled every 0.1 s);
- resident memory (VmRSS of the process and its descendants) of each server after
  warm-up, i.e. after the latency runs below;
- NLU latency: 200 sequential `POST /model/parse` over the same five texts;
- full-turn latency: 200 sequential REST turns (10 conversations of 20 turns) with
  a message that each bot answers with a custom action, so that every turn goes
  NLU -> policies -> action server -> tracker store -> reply;
- the same turns with ours and the reference up at once, their conversations
  alternated (400 turns per bot, after a warm-up conversation each): the p95
  target is judged on these, because both bots then meet the same load, and a
  ratio of two runs minutes apart on a shared machine moved by more than the
  change it measured (0.48-0.64x over five runs). `--turns-only` measures only
  these;
- throughput: Locust (benchmarks/locustfile.py, RestConversation, run headless
  by benchmarks/locust_runner.py) with 1, 8 and 32 simulated users for
  LOAD_SECONDS (default 30) each, every user in conversations of 20 sequential
  turns under its own sender id, no think time; a turn counts when it gets HTTP
  200 and a bot message. Turns/s and p95 per level; Locust's CSV files are in
  the log folder below. `make bench-load` runs only this part, plus the chat
  page's socket.io flow for ours.

The reference is `rasa init --no-prompt` (moodbot) in a temporary folder, with the
fewest changes that give it a custom action, so that a turn costs the same kind of
work in both bots:
- actions/actions.py: the `action_hello_world` template that rasa init ships
  commented out, uncommented (it utters "Hello World!");
- domain.yml: `actions: [action_hello_world]` appended;
- data/rules.yml: a rule "say hello": intent greet -> action_hello_world;
- data/stories.yml: its three `utter_greet` steps (after greet) become
  `action_hello_world`, because RulePolicy refuses to train on a rule that
  contradicts a story;
- endpoints.yml: an `action_endpoint` for the action server started here.
Everything else is stock: config.yml (Rasa's default pipeline and policies: DIET,
ResponseSelector; Memoization, Rule, UnexpecTED, TED), credentials.yml, the
in-memory tracker store. It is retrained once after the change, and that training
is the reference's timed figure.

Ours runs as `make run` does (bids_partner.stack.Stack, without the web page) with a
scratch SQLite tracker store and the HTTP API enabled by RASA_API_TOKEN; its
plug-ins apply our Rasa patches (bids_partner.patches).
For the before/after of those patches, two more stacks are measured the same way:
ours with RASA_PATCHES=off, and the reference started with the patches
(`python -m bids_partner.patches run ...`).
The targets compare ours as shipped with the stock reference. The stacks run one
after the other, except for the alternated turns. Logs are in
.stack/logs/compare-reference/. A shared 2-core machine makes the figures noisy:
compare ratios, and rerun before trusting one.
"""

from __future__ import annotations

import os

# Before the imports below: spaCy's thinc loads TensorFlow, which logs at import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List

import aiohttp
import requests

from benchmarks.locust_runner import LoadResult, run_locust
from benchmarks.process_memory import rss_mib
from bids_partner.settings import LOG_DIR, QUIET_ENV, ROOT, VENV_BIN
from bids_partner.stack.processes import ManagedProcess, StartupError, free_port, tail
from bids_partner.stack.stack import Stack, scratch_config

RASA = str(VENV_BIN / "rasa")
# Rasa's CLI with our patches, for the stock bot (which loads none of our plug-ins).
PATCHED_RASA = [str(VENV_BIN / "python"), "-m", "bids_partner.patches"]
LOGS = LOG_DIR / "compare-reference"
API_TOKEN = "bench"
HOST = "127.0.0.1"  # loopback only

# The same texts are parsed by both bots: NLU cost depends on the text.
PARSE_TEXTS = [
    "hello",
    "you never listen to me",
    "I feel sad today",
    "are you a bot?",
    "goodbye",
]
PARSE_COUNT = 200
LATENCY_CONVERSATIONS, TURNS_PER_CONVERSATION = 10, 20  # 200 turns
ALTERNATED_CONVERSATIONS = 20  # 400 turns per bot, both bots up at once
ALTERNATION_PAUSE_S = 1.0  # before each conversation: the other bot's threads settle
CONCURRENCY_LEVELS = (1, 8, 32)
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))  # per level and bot
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)
TRAIN_TIMEOUT_S = 1800.0
STARTUP_TIMEOUT_S = 600.0

# The reference's custom action: rasa init's commented template, uncommented.
HELLO_WORLD_ACTION = """\
from typing import Any, Text, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionHelloWorld(Action):

    def name(self) -> Text:
        return "action_hello_world"

    def run(self, dispatcher: CollectingDispatcher,
            tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:

        dispatcher.utter_message(text="Hello World!")

        return []
"""
HELLO_RULE = """
- rule: say hello
  steps:
  - intent: greet
  - action: action_hello_world
"""


# ---------------------------------------------------------------- subprocesses


def subprocess_env(extra: Dict[str, str] | None = None) -> Dict[str, str]:
    return {**os.environ, **QUIET_ENV, **(extra or {})}


def run_timed(name: str, command: List[str], cwd: Path, env: Dict[str, str]) -> float:
    """Runs a command to completion, logging to LOGS/<name>.log; wall seconds."""
    log_path = LOGS / f"{name}.log"
    started = time.perf_counter()
    with log_path.open("wb") as log:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=TRAIN_TIMEOUT_S,
        )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(
            f"{name} failed (exit {result.returncode}):\n{tail(log_path)}"
        )
    return elapsed


# --------------------------------------------------------------- reference bot


def create_reference(folder: Path, env: Dict[str, str]) -> float:
    """`rasa init` (scaffold + stock training); its wall seconds."""
    folder.mkdir(parents=True)  # --no-prompt insists that the folder exists
    command = [RASA, "init", "--no-prompt", "--init-dir", str(folder)]
    return run_timed("reference-init", command, folder, env)


def add_custom_action(folder: Path) -> None:
    """The changes listed in the module docstring, as small text edits."""
    (folder / "actions" / "actions.py").write_text(HELLO_WORLD_ACTION)
    with (folder / "domain.yml").open("a") as domain:
        domain.write("\nactions:\n  - action_hello_world\n")
    with (folder / "data" / "rules.yml").open("a") as rules:
        rules.write(HELLO_RULE)
    stories = folder / "data" / "stories.yml"
    stories.write_text(
        stories.read_text().replace("action: utter_greet", "action: action_hello_world")
    )


ENDPOINT_MARK = "\n# benchmark: the action server started here\n"


def point_endpoints_at(folder: Path, action_port: int) -> None:
    """Rasa init's endpoints.yml plus this run's action server (replacing any)."""
    path = folder / "endpoints.yml"
    stock = path.read_text().split(ENDPOINT_MARK)[0]
    path.write_text(
        f"{stock}{ENDPOINT_MARK}action_endpoint:\n"
        f'  url: "http://{HOST}:{action_port}/webhook"\n'
    )


# ------------------------------------------------------------ bots under test

BOTS = ("ours", "reference", "ours-plain", "reference-patched")


@dataclass
class Bot:
    name: str
    actions: ManagedProcess
    rasa: ManagedProcess
    rasa_url: str
    token: str | None
    turn_message: str  # answered by a custom action
    custom_action: str
    web: ManagedProcess | None = None  # the chat page's server (ours only)

    def api(self, path: str) -> str:
        query = f"?token={self.token}" if self.token else ""
        return f"{self.rasa_url}{path}{query}"

    def stop(self) -> None:
        if self.web is not None:
            self.web.stop()
        self.rasa.stop()
        self.actions.stop()


def reference_bot(folder: Path, model: Path, patched: bool = False) -> Bot:
    """The stock bot; `patched` runs its Rasa server with our patches."""
    name = "reference-patched" if patched else "reference"
    action_port, rasa_port = free_port(), free_port()
    point_endpoints_at(folder, action_port)
    # The folder goes first on the path: our editable install also has `actions`.
    env = {**QUIET_ENV, "PYTHONPATH": str(folder)}
    actions = ManagedProcess(
        name="reference action server",
        command=[RASA, "run", "actions", "--actions", "actions"]
        + ["--port", str(action_port)],
        ready_url=f"http://{HOST}:{action_port}/health",
        log_path=LOGS / f"{name}-actions.log",
        env=env,
        cwd=folder,
    )
    rasa = ManagedProcess(
        name=f"{name} Rasa server",
        command=(PATCHED_RASA if patched else [RASA])
        + ["run", "--enable-api", "--model", str(model)]
        + ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
        + ["--interface", HOST, "--port", str(rasa_port)],
        ready_url=f"http://{HOST}:{rasa_port}/",
        log_path=LOGS / f"{name}-rasa.log",
        env=env,
        cwd=folder,
    )
    return Bot(
        name=name,
        actions=actions,
        rasa=rasa,
        rasa_url=f"http://{HOST}:{rasa_port}",
        token=None,
        turn_message="hello",
        custom_action="action_hello_world",
    )


def our_bot(
    tmp: Path, patched: bool = True, model: Path | None = None, name: str = ""
) -> Bot:
    """Ours as `make run` starts it; without `patched`, with Rasa as shipped;
    with `model`, that trained model instead of the newest."""
    name = name or ("ours" if patched else "ours-plain")
    config = scratch_config(
        LOGS / name,
        {
            "TRACKER_STORE_URL": f"sqlite:///{tmp}/{name}.db",
            "RASA_API_TOKEN": API_TOKEN,
            **({} if patched else {"RASA_PATCHES": "off"}),
        },
    )
    if model is not None:
        config = replace(config, model=model)
    stack = Stack(config)
    return Bot(
        name=name,
        actions=stack.actions,
        rasa=stack.rasa,
        rasa_url=config.rasa_url,
        token=API_TOKEN,
        turn_message="you never listen to me",
        custom_action="action_reflect_move",
        web=stack.web,
    )


# ------------------------------------------------------------------ start-up


def answers(url: str, payload: dict | None = None) -> bool:
    try:
        if payload is None:
            return requests.get(url, timeout=1).status_code < 500
        return requests.post(url, json=payload, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def start_and_time(bot: Bot) -> Dict[str, float]:
    """Launches both servers at once; seconds until each check first passes."""
    checks: Dict[str, Callable[[], bool]] = {
        "actions": lambda: answers(bot.actions.ready_url),
        "rasa": lambda: answers(bot.rasa.ready_url),
        "parse": lambda: answers(bot.api("/model/parse"), {"text": "hello"}),
    }
    started = time.perf_counter()
    bot.actions.start()
    bot.rasa.start()
    ready: Dict[str, float] = {}
    while len(ready) < len(checks):
        for process in (bot.actions, bot.rasa):
            if not process.running:
                raise StartupError(
                    f"{process.name} exited during start-up:\n{tail(process.log_path)}"
                )
        if time.perf_counter() - started > STARTUP_TIMEOUT_S:
            raise StartupError(f"{bot.name} not ready after {STARTUP_TIMEOUT_S} s")
        for name, check in checks.items():
            if name not in ready and check():
                ready[name] = time.perf_counter() - started
        time.sleep(0.1)
    ready["stack"] = max(ready.values())
    return ready


# ------------------------------------------------------------------- memory


# ------------------------------------------------------------------- traffic


async def parse_latencies(bot: Bot) -> List[float]:
    latencies = []
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for i in range(PARSE_COUNT):
            text = PARSE_TEXTS[i % len(PARSE_TEXTS)]
            started = time.perf_counter()
            async with session.post(bot.api("/model/parse"), json={"text": text}) as r:
                r.raise_for_status()
                await r.json()
            latencies.append(time.perf_counter() - started)
    return latencies


async def send_turn(session: aiohttp.ClientSession, bot: Bot, sender: str) -> bool:
    """One REST turn; True if it got HTTP 200 and at least one bot message."""
    try:
        async with session.post(
            f"{bot.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": bot.turn_message},
        ) as response:
            return response.status == 200 and bool(await response.json())
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return False


def new_sender(bot: Bot, label: str) -> str:
    return f"bench-{bot.name}-{label}-{uuid.uuid4().hex[:8]}"


@dataclass
class TurnLatencies:
    seconds: List[float] = field(default_factory=list)
    errors: int = 0
    last_sender: str = ""


async def timed_conversation(
    session: aiohttp.ClientSession, bot: Bot, label: str, result: TurnLatencies
) -> None:
    """One conversation of TURNS_PER_CONVERSATION turns under a new sender, each
    turn's seconds (or its failure) added to `result`."""
    result.last_sender = new_sender(bot, label)
    for _ in range(TURNS_PER_CONVERSATION):
        started = time.perf_counter()
        if await send_turn(session, bot, result.last_sender):
            result.seconds.append(time.perf_counter() - started)
        else:
            result.errors += 1


async def turn_latencies(bot: Bot) -> TurnLatencies:
    result = TurnLatencies()
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for _ in range(LATENCY_CONVERSATIONS):
            await timed_conversation(session, bot, "latency", result)
    return result


async def alternated_turns(bots: List[Bot], conversations: int) -> List[TurnLatencies]:
    """Turn latencies of bots that are all up at once, a whole conversation to
    each in turn (who goes first alternates too), so that every bot meets the same
    load on a shared machine: a ratio of two runs minutes apart moves by more than
    the difference it measures. Not turn by turn: a bot's idle math threads spin
    for a while after a turn, and the other bot's next turn would pay for it
    (both bots measured about 2x slower). One warm-up conversation per bot first."""
    results = [TurnLatencies() for _ in bots]
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for conversation in range(conversations + 1):
            shift = conversation % len(bots)
            for i in [*range(shift, len(bots)), *range(shift)]:
                await asyncio.sleep(ALTERNATION_PAUSE_S)
                # The first conversation of each bot warms it up, not kept.
                result = results[i] if conversation else TurnLatencies()
                await timed_conversation(session, bots[i], "alternated", result)
    return results


def measure_alternated(bots: List[Bot], ours: Figures, ref: Figures) -> None:
    """Starts both bots, one after the other, then alternates their conversations;
    always stops them. `bots` is ours then the reference."""
    try:
        for bot in bots:
            print(f"[{bot.name}] starting for the alternated turns", flush=True)
            start_and_time(bot)
        print(f"[alternated] {ALTERNATED_CONVERSATIONS} conversations each", flush=True)
        mine, theirs = asyncio.run(alternated_turns(bots, ALTERNATED_CONVERSATIONS))
        ours.alternated, ref.alternated = mine, theirs
    finally:
        for bot in bots:
            bot.stop()


def throughput(bot: Bot, users: int) -> LoadResult:
    """Locust's REST conversations at one level: turns/s, failures, p95."""
    return run_locust(
        bot.rasa_url,
        users,
        LOAD_SECONDS,
        "RestConversation",
        LOGS / "locust",
        bot.name,
        {
            "BENCH_TURN_MESSAGE": bot.turn_message,
            "BENCH_TURNS": str(TURNS_PER_CONVERSATION),
        },
    )


def custom_action_runs(bot: Bot, sender: str) -> int:
    """How often the custom action ran in one conversation (a sanity check)."""
    response = requests.get(bot.api(f"/conversations/{sender}/tracker"), timeout=30)
    response.raise_for_status()
    return sum(
        1
        for event in response.json()["events"]
        if event.get("event") == "action" and event.get("name") == bot.custom_action
    )


# ----------------------------------------------------------------- measuring


@dataclass
class Figures:
    train_s: float = 0.0
    startup_s: Dict[str, float] = field(default_factory=dict)
    rasa_rss: float = 0.0
    actions_rss: float = 0.0
    parse_s: List[float] = field(default_factory=list)
    turns: TurnLatencies = field(default_factory=TurnLatencies)
    alternated: TurnLatencies = field(default_factory=TurnLatencies)
    custom_runs: int = 0
    custom_action: str = ""
    throughput: Dict[int, LoadResult] = field(default_factory=dict)


def measure(bot: Bot, figures: Figures) -> None:
    """Starts the bot's servers, measures them and always stops them."""
    figures.custom_action = bot.custom_action
    try:
        print(
            f"[{bot.name}] starting the action server and the Rasa server", flush=True
        )
        figures.startup_s = start_and_time(bot)
        print(
            f"[{bot.name}] ready after {figures.startup_s['stack']:.1f} s", flush=True
        )
        figures.parse_s = asyncio.run(parse_latencies(bot))
        figures.turns = asyncio.run(turn_latencies(bot))
        figures.custom_runs = custom_action_runs(bot, figures.turns.last_sender)
        figures.rasa_rss = rss_mib(bot.rasa)
        figures.actions_rss = rss_mib(bot.actions)
        for level in CONCURRENCY_LEVELS:
            print(f"[{bot.name}] {level} concurrent conversations", flush=True)
            figures.throughput[level] = throughput(bot, level)
    finally:
        bot.stop()


# ------------------------------------------------------------------ report


def percentile_ms(values: List[float], q: int) -> float:
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


class Report:
    """Markdown tables `figure | ours | reference | ratio | target`; the targets
    met or not are collected on the way for a summary at the end."""

    def __init__(self) -> None:
        self.targets: List[tuple[str, str, bool]] = []

    def target(self, label: str, measured: str, met: bool) -> str:
        self.targets.append((label, measured, met))
        return f"{label}: {verdict(met)}"

    @staticmethod
    def table(title: str, rows: List[List[str]]) -> None:
        print(f"\n### {title}\n")
        print("| figure | ours | reference | ratio (ours/reference) | target |")
        print("|---|---|---|---|---|")
        for cells in rows:
            print("| " + " | ".join(cells) + " |")

    @staticmethod
    def row(
        name: str, ours: float, ref: float, unit: str, fmt: str, target: str = ""
    ) -> List[str]:
        suffix = f" {unit}" if unit else ""
        ratio = f"{ours / ref:.2f}x" if ref else "–"
        return [name, f"{ours:{fmt}}{suffix}", f"{ref:{fmt}}{suffix}", ratio, target]

    def summary(self) -> None:
        print("\n### Targets\n")
        print("| target | measured | |\n|---|---|---|")
        for label, measured, met in self.targets:
            print(f"| {label} | {measured} | {verdict(met)} |")


def training_table(out: Report, ours: Figures, ref: Figures, init_s: float) -> None:
    minutes = ours.train_s / 60
    target = out.target("full train < 5 min (ours)", f"{minutes:.1f} min", minutes < 5)
    out.table(
        "Training (wall time)",
        [
            out.row(
                "full `rasa train --force`",
                ours.train_s,
                ref.train_s,
                "s",
                ".0f",
                target,
            ),
            ["`rasa init` (scaffold + stock training)", "–", f"{init_s:.0f} s", "", ""],
        ],
    )


def startup_table(out: Report, ours: Figures, ref: Figures) -> None:
    labels = {
        "actions": "action server /health answers",
        "rasa": "Rasa server `/` answers",
        "parse": "first successful parse",
        "stack": "stack ready (all of the above)",
    }
    ratio = ours.startup_s["stack"] / ref.startup_s["stack"]
    target = out.target("start-up <= 0.5x", f"{ratio:.2f}x", ratio <= 0.5)
    out.table(
        "Start-up (both servers launched together, seconds from launch)",
        [
            out.row(
                label,
                ours.startup_s[key],
                ref.startup_s[key],
                "s",
                ".1f",
                target if key == "stack" else "",
            )
            for key, label in labels.items()
        ],
    )


def memory_table(out: Report, ours: Figures, ref: Figures) -> None:
    ours_total = ours.rasa_rss + ours.actions_rss
    ref_total = ref.rasa_rss + ref.actions_rss
    ratio = ours_total / ref_total
    target = out.target("memory (both servers) <= 0.8x", f"{ratio:.2f}x", ratio <= 0.8)
    out.table(
        "Resident memory after warm-up (VmRSS, process and children)",
        [
            out.row("Rasa server", ours.rasa_rss, ref.rasa_rss, "MiB", ".0f"),
            out.row("action server", ours.actions_rss, ref.actions_rss, "MiB", ".0f"),
            out.row("both servers", ours_total, ref_total, "MiB", ".0f", target),
        ],
    )


def latency_tables(out: Report, ours: Figures, ref: Figures) -> None:
    if ours.parse_s:
        out.table(
            f"NLU parse latency ({PARSE_COUNT} sequential `POST /model/parse`)",
            [
                out.row(
                    f"p{q}",
                    percentile_ms(ours.parse_s, q),
                    percentile_ms(ref.parse_s, q),
                    "ms",
                    ".1f",
                )
                for q in (50, 95)
            ],
        )
    what = "sequential REST turns, each answered by a custom action"
    if ours.turns.seconds:
        runs = [
            f"{f.custom_runs}/{TURNS_PER_CONVERSATION} `{f.custom_action}`"
            for f in (ours, ref)
        ]
        out.table(
            f"Full turn latency, each bot alone, one after the other "
            f"({LATENCY_CONVERSATIONS} conversations x "
            f"{TURNS_PER_CONVERSATION} {what})",
            [
                *turn_rows(out, ours.turns, ref.turns),
                ["custom action runs, last conversation", *runs, "", ""],
            ],
        )
    p95 = [percentile_ms(f.alternated.seconds, 95) for f in (ours, ref)]
    ratio = p95[0] / p95[1]
    target = out.target(
        "full-turn p95 <= 0.5x (alternated)", f"{ratio:.2f}x", ratio <= 0.5
    )
    rows = turn_rows(out, ours.alternated, ref.alternated)
    rows[1][-1] = target
    rows += first_and_later_rows(out, ours.alternated, ref.alternated)
    out.table(
        f"Full turn latency, both bots up, conversations alternated "
        f"({ALTERNATED_CONVERSATIONS} conversations x {TURNS_PER_CONVERSATION} "
        f"{what}, per bot)",
        rows,
    )


def turn_rows(out: Report, ours: TurnLatencies, ref: TurnLatencies) -> List[List[str]]:
    return [
        *(
            out.row(
                f"p{q}",
                *(percentile_ms(t.seconds, q) for t in (ours, ref)),
                "ms",
                ".1f",
            )
            for q in (50, 95)
        ),
        out.row("failed turns", ours.errors, ref.errors, "", "d"),
    ]


def first_and_later_rows(
    out: Report, ours: TurnLatencies, ref: TurnLatencies
) -> List[List[str]]:
    """A conversation's first turn (its session starts, after the pause) apart
    from the later ones: one turn in TURNS_PER_CONVERSATION is a first, so the
    firsts alone decide a p95 when they are the slowest. Only without failed
    turns, which would shift the positions."""
    if ours.errors or ref.errors:
        return []

    def split(seconds: List[float]) -> tuple[List[float], List[float]]:
        first = seconds[::TURNS_PER_CONVERSATION]
        later = [s for i, s in enumerate(seconds) if i % TURNS_PER_CONVERSATION]
        return first, later

    (ours_first, ours_later), (ref_first, ref_later) = (
        split(t.seconds) for t in (ours, ref)
    )
    return [
        out.row(
            "first turns p50",
            percentile_ms(ours_first, 50),
            percentile_ms(ref_first, 50),
            "ms",
            ".1f",
        ),
        out.row(
            "later turns p95",
            percentile_ms(ours_later, 95),
            percentile_ms(ref_later, 95),
            "ms",
            ".1f",
        ),
    ]


def throughput_table(out: Report, ours: Figures, ref: Figures) -> None:
    rows = []
    for level in CONCURRENCY_LEVELS:
        mine, theirs = ours.throughput[level], ref.throughput[level]
        target = ""
        if level == 32:
            target = out.target(
                ">= 60 turns/s at 32 concurrent, no errors (ours)",
                f"{mine.turns_per_s:.1f} turns/s, {mine.failures} errors",
                mine.turns_per_s >= 60 and mine.failures == 0,
            )
        rows += [
            out.row(
                f"{level} users: turns/s",
                mine.turns_per_s,
                theirs.turns_per_s,
                "",
                ".1f",
                target,
            ),
            out.row(f"{level} users: p95", mine.p95_ms, theirs.p95_ms, "ms", ".0f"),
            out.row(f"{level} users: errors", mine.failures, theirs.failures, "", "d"),
        ]
    out.table(
        f"Throughput (Locust, {LOAD_SECONDS} s per level, conversations of "
        f"{TURNS_PER_CONVERSATION} sequential turns; a turn counts with HTTP 200 "
        "and a bot message)",
        rows,
    )


def patches_table(figures: Dict[str, Figures]) -> None:
    """Each bot with Rasa as shipped and with our patches: the before and after."""
    print("\n### Before and after our Rasa patches (same run)\n")
    print("| figure | ours: RASA_PATCHES=off | ours: patched | ratio |", end="")
    print(" reference: stock | reference: patched | ratio |")
    print("|---|---|---|---|---|---|---|")
    pairs = [("ours-plain", "ours"), ("reference", "reference-patched")]
    rows = [
        ("full turn p50 (ms)", lambda f: percentile_ms(f.turns.seconds, 50)),
        ("full turn p95 (ms)", lambda f: percentile_ms(f.turns.seconds, 95)),
    ]
    rows += [
        (f"turns/s at {level}", lambda f, level=level: f.throughput[level].turns_per_s)
        for level in CONCURRENCY_LEVELS
    ]
    for label, value in rows:
        cells = [label]
        for before, after in pairs:
            b, a = value(figures[before]), value(figures[after])
            cells += [f"{b:.1f}", f"{a:.1f}", f"{a / b:.2f}x"]
        print("| " + " | ".join(cells) + " |")


# -------------------------------------------------------------------- main


def build_reference(folder: Path, env: Dict[str, str]) -> tuple[Path, float, float]:
    """`rasa init` in `folder`, the custom action added, retrained: the model, the
    seconds `rasa init` took and the seconds of the retraining."""
    print("[reference] rasa init (scaffold and stock training)", flush=True)
    init_s = create_reference(folder, env)
    add_custom_action(folder)
    print("[reference] rasa train --force (after adding the custom action)", flush=True)
    # Named, so that its server loads this model and not the one rasa init made.
    train_s = run_timed(
        "reference-train",
        [RASA, "train", "--force", "--fixed-model-name", "reference"],
        folder,
        env,
    )
    return folder / "models" / "reference.tar.gz", init_s, train_s


def train_both(tmp: Path, ours: Figures, ref: Figures) -> tuple[Path, float]:
    """Creates and retrains the reference, trains ours; the reference's model and
    the seconds `rasa init` took."""
    # A scratch training cache, so that our .rasa/cache is left as it was.
    env = subprocess_env({"RASA_CACHE_DIRECTORY": str(tmp / "rasa-cache")})
    model, init_s, ref.train_s = build_reference(tmp / "reference", env)
    print("[ours] rasa train --force", flush=True)
    ours.train_s = run_timed(
        "ours-train",
        [RASA, "train", "--force", "--out", str(tmp / "ours-models")],
        ROOT,
        env,
    )
    return model, init_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--turns-only",
        action="store_true",
        help="only the alternated full-turn latency, with our newest model "
        "(the reference is still built and trained)",
    )
    args = parser.parse_args()
    if LOGS.exists():
        shutil.rmtree(LOGS)
    LOGS.mkdir(parents=True)
    figures = {name: Figures() for name in BOTS}
    ours, ref = figures["ours"], figures["reference"]
    with tempfile.TemporaryDirectory(prefix="compare-reference-") as name:
        tmp = Path(name)
        first = our_bot(tmp)  # trains the stack's model first if it is missing
        folder = tmp / "reference"
        if args.turns_only:
            env = subprocess_env({"RASA_CACHE_DIRECTORY": str(tmp / "rasa-cache")})
            ref_model, _, _ = build_reference(folder, env)
        else:
            ref_model, init_s = train_both(tmp, ours, ref)
            # Each built just before it runs: a reference bot rewrites endpoints.yml.
            bots: List[Callable[[], Bot]] = [
                lambda: first,
                lambda: reference_bot(folder, ref_model),
                lambda: our_bot(tmp, patched=False),
                lambda: reference_bot(folder, ref_model, patched=True),
            ]
            for make_bot in bots:
                bot = make_bot()
                measure(bot, figures[bot.name])
        alternated = [our_bot(tmp, name="ours-alternated")]
        alternated.append(reference_bot(folder, ref_model))
        measure_alternated(alternated, ours, ref)
    out = Report()
    if not args.turns_only:
        training_table(out, ours, ref, init_s)
        startup_table(out, ours, ref)
        memory_table(out, ours, ref)
    latency_tables(out, ours, ref)
    if not args.turns_only:
        throughput_table(out, ours, ref)
        patches_table(figures)
    out.summary()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every process started here has been stopped.")
