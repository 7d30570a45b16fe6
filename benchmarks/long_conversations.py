"""A turn's cost as a conversation grows: ours, ours with Rasa as shipped, and the
stock `rasa init` bot, in one run.

    .venv/bin/python -m benchmarks.long_conversations [--per-length 25]

Method:
- The bots are the ones benchmarks/compare_reference.py builds and starts (its
  functions, not copies): ours as `make run` starts it (scratch SQLite store,
  HTTP API on a token), ours with RASA_PATCHES=off, and the stock bot with its
  one custom action (in-memory store). All three run at once on free ports, so
  that each length is measured for every bot within the same minute or so; only
  one request is in flight at any time.
- Realistic stored events, quickly: each bot first plays one template
  conversation of real REST turns (benchmarks/conversation_script.py: for ours a
  cycle of reflections, two rehearsals played to their summaries, a question
  about an idea, therapist consent; for the stock bot moodbot's intents) until it
  holds more than the longest length. For each length L (10, 100, 500, 1,000,
  2,000 stored events) and each of `--per-length` new conversations, the
  template's events up to the first turn boundary at or after L with no form
  active are appended
  through Rasa's tracker API (`POST /conversations/<id>/tracker/events`),
  restamped to follow the session start Rasa gives a new conversation (its SQL
  store reads a session by timestamp): the bot's own events, as if the
  conversation had been played (bar `"confidence": null` in entities,
  which the API's schema refuses and Rasa reads as absent).
- Then one untimed turn (as in a live conversation, whose previous turn has
  just been stored) and two timed REST turns per conversation, answered by each
  bot's custom action (`action_reflect_move`, `action_hello_world`): 50 timed
  turns per length and bot by default. p50/p95 per length, and the ratio to the
  bot's own figure at 10 events.
- The action server's part: for ours at each length, the same custom action
  called directly on the action server with the conversation's tracker as the
  patched Rasa sends it (every event of the conversation, the earlier ones
  slimmed), and the payload's size.
Results: results/long-conversations/long_conversations.{csv,json,png}. Rasa's
debug output (message texts) is never turned on. A shared 2-core machine makes
single figures noisy: read the ratios, measured in the same run.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import csv
import json
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List

import requests

from benchmarks import compare_reference as cr
from benchmarks.conversation_script import OUR_SCRIPT, REFERENCE_SCRIPT
from bids_partner.settings import ROOT

LENGTHS = (10, 100, 500, 1000, 2000)
RESULTS = ROOT / "results" / "long-conversations"
TIMEOUT_S = 120
BOT_NAMES = ("ours", "ours-plain", "reference")


def stop_on_signals() -> None:
    """SIGTERM/SIGHUP end the run like Ctrl-C, so every server is stopped."""

    def stop(signum: int, _: Any) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


# --------------------------------------------------------------------- talking


def say(bot: cr.Bot, sender: str, text: str) -> tuple[float, bool]:
    """One REST turn: seconds, and whether it got HTTP 200 and a bot message."""
    started = time.perf_counter()
    response = requests.post(
        f"{bot.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=TIMEOUT_S,
    )
    elapsed = time.perf_counter() - started
    ok = response.status_code == 200 and bool(response.json())
    return elapsed, ok


def tracker(bot: cr.Bot, sender: str) -> Dict[str, Any]:
    response = requests.get(
        bot.api(f"/conversations/{sender}/tracker"), timeout=TIMEOUT_S
    )
    response.raise_for_status()
    return response.json()


def record_template(bot: cr.Bot, script: List[str], events: int) -> List[Dict]:
    """A conversation played with real turns until it holds `events` events."""
    sender = f"template-{bot.name}-{uuid.uuid4().hex[:8]}"
    n = 0
    while True:
        for _ in range(20):
            _, ok = say(bot, sender, script[n % len(script)])
            if not ok:
                raise RuntimeError(f"{bot.name}: a template turn got no reply")
            n += 1
        stored = tracker(bot, sender)["events"]
        print(f"[{bot.name}] template: {n} turns, {len(stored)} events", flush=True)
        if len(stored) >= events:
            return stored


def cut_at(template: List[Dict], length: int) -> List[Dict]:
    """The template up to the first turn boundary (an action_listen) at or after
    `length` events where no form is active: the timed message then starts the
    same kind of turn at every length (inside a rehearsal it would answer the
    form, a costlier turn whatever the length)."""
    active = [None] * (len(template) + 1)
    for index, event in enumerate(template):
        active[index + 1] = (
            event.get("name") if event.get("event") == "active_loop" else active[index]
        )
    for end in range(length, len(template) + 1):
        last = template[end - 1]
        listens = last.get("event") == "action" and last.get("name") == "action_listen"
        if listens and active[end] is None:
            return template[:end]
    raise ValueError(f"the template has no turn boundary after {length} events")


def without_null_confidences(event: Dict) -> Dict:
    """Rasa's tracker API refuses the entities our extractors store with
    `"confidence": null` (its event schema wants a number): the key is left out,
    which Rasa reads the same way."""
    parse_data = event.get("parse_data")
    if event.get("event") != "user" or not parse_data:
        return event
    entities = [
        {k: v for k, v in entity.items() if not (k == "confidence" and v is None)}
        for entity in parse_data.get("entities") or []
    ]
    return {**event, "parse_data": {**parse_data, "entities": entities}}


def restamped(events: List[Dict]) -> List[Dict]:
    """The events with increasing timestamps from now on. Not earlier: the SQL
    store reads a session's events by timestamp from its SessionStarted, which
    Rasa stamped when the conversation was created."""
    now = time.time()
    return [
        {**without_null_confidences(event), "timestamp": now + i * 1e-5}
        for i, event in enumerate(events)
    ]


def grow(bot: cr.Bot, sender: str, events: List[Dict]) -> int:
    """Appends the events after the session start, which Rasa adds by itself to
    a new conversation; the number of events the conversation holds."""
    url = (
        bot.api(f"/conversations/{sender}/tracker/events")
        + ("&" if bot.token else "?")
        + "include_events=NONE"
    )
    # The first append creates the conversation and its session start; its one
    # event sets an unfeaturized slot to its initial value, at time 0: outside
    # the session for the SQL store, a no-op for the in-memory one.
    opener = {"event": "slot", "name": "session_started_metadata", "value": None}
    response = requests.post(url, json=[{**opener, "timestamp": 0}], timeout=TIMEOUT_S)
    response.raise_for_status()
    first_listen = next(
        i for i, e in enumerate(events) if e.get("name") == "action_listen"
    )
    response = requests.post(
        url, json=restamped(events[first_listen + 1 :]), timeout=TIMEOUT_S
    )
    response.raise_for_status()
    return len(tracker(bot, sender)["events"])


def action_call_seconds(bot: cr.Bot, sender: str, domain: Dict) -> tuple[float, int]:
    """The custom action called directly with the conversation's tracker, as Rasa
    calls it (patched: earlier events slimmed, bids_partner/patches/action_payload):
    seconds, and the request's size in bytes."""
    state = tracker(bot, sender)
    if bot.name == "ours":
        from bids_partner.patches.action_payload import slim_events

        state["events"] = slim_events(state["events"])
    body = json.dumps(
        {
            "next_action": bot.custom_action,
            "sender_id": sender,
            "tracker": state,
            "domain": domain,
            "version": "3.6.21",
        }
    ).encode()
    action_url = bot.actions.ready_url.rsplit("/", 1)[0] + "/webhook"
    started = time.perf_counter()
    response = requests.post(
        action_url,
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT_S,
    )
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, len(body)


# ------------------------------------------------------------------- measuring


@dataclass
class Length:
    target: int
    stored: List[int] = field(default_factory=list)
    seconds: List[float] = field(default_factory=list)
    errors: int = 0
    action_seconds: List[float] = field(default_factory=list)
    payload_bytes: List[int] = field(default_factory=list)


def percentile_ms(values: List[float], q: int) -> float:
    return cr.percentile_ms(values, q)


def measure_length(
    bot: cr.Bot,
    template: List[Dict],
    figures: Length,
    conversations: int,
    domain: Dict | None,
) -> None:
    events = cut_at(template, figures.target)
    for _ in range(conversations):
        sender = f"long-{bot.name}-{figures.target}-{uuid.uuid4().hex[:8]}"
        figures.stored.append(grow(bot, sender, events))
        say(bot, sender, bot.turn_message)  # the turn before, untimed
        for _ in range(2):
            seconds, ok = say(bot, sender, bot.turn_message)
            if ok:
                figures.seconds.append(seconds)
            else:
                figures.errors += 1
        if domain is not None:
            seconds, size = action_call_seconds(bot, sender, domain)
            figures.action_seconds.append(seconds)
            figures.payload_bytes.append(size)


def reference_model(tmp: Path, keep: Path | None) -> Path:
    """The stock bot's model; with `keep`, built once there and reused."""
    folder = (keep or tmp) / "reference"
    model = folder / "models" / "reference.tar.gz"
    if keep is not None and model.exists():
        return model
    if folder.exists():
        shutil.rmtree(folder)
    env = cr.subprocess_env({"RASA_CACHE_DIRECTORY": str(tmp / "rasa-cache")})
    return cr.build_reference(folder, env)[0]


def stock_bot(tmp: Path, keep: Path | None) -> cr.Bot:
    model = reference_model(tmp, keep)
    return cr.reference_bot(model.parents[1], model)


def start(bot: cr.Bot) -> None:
    print(f"[{bot.name}] starting", flush=True)
    cr.start_and_time(bot)


# ---------------------------------------------------------------------- output


def rows(figures: Dict[str, Dict[int, Length]]) -> List[Dict[str, Any]]:
    out = []
    for name, lengths in figures.items():
        base = lengths[LENGTHS[0]]
        base_p50, base_p95 = (percentile_ms(base.seconds, q) for q in (50, 95))
        for target, f in lengths.items():
            p50, p95 = percentile_ms(f.seconds, 50), percentile_ms(f.seconds, 95)
            out.append(
                {
                    "bot": name,
                    "events": target,
                    "stored_events_median": statistics.median(f.stored),
                    "turns": len(f.seconds),
                    "errors": f.errors,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "p50_ratio": round(p50 / base_p50, 2),
                    "p95_ratio": round(p95 / base_p95, 2),
                    "action_call_p50_ms": round(percentile_ms(f.action_seconds, 50), 1)
                    if f.action_seconds
                    else None,
                    "payload_kib": round(statistics.median(f.payload_bytes) / 1024)
                    if f.payload_bytes
                    else None,
                }
            )
    return out


def write(table: List[Dict[str, Any]], figures: Dict[str, Dict[int, Length]]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "long_conversations.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    raw = {
        name: {str(t): asdict(f) for t, f in lengths.items()}
        for name, lengths in figures.items()
    }
    (RESULTS / "long_conversations.json").write_text(
        json.dumps({"summary": table, "raw": raw}, indent=1)
    )
    plot(table)


def plot(table: List[Dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (absolute, ratio) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name in dict.fromkeys(row["bot"] for row in table):
        mine = [row for row in table if row["bot"] == name]
        x = [row["events"] for row in mine]
        for key, style in (("p50", "--"), ("p95", "-")):
            absolute.plot(
                x,
                [r[f"{key}_ms"] for r in mine],
                style,
                marker="o",
                label=f"{name} {key}",
            )
        ratio.plot(x, [r["p95_ratio"] for r in mine], marker="o", label=name)
    absolute.set(xscale="log", xlabel="stored events", ylabel="ms per turn")
    absolute.set_title("Turn latency")
    ratio.axhline(1.5, color="grey", linestyle=":", label="target 1.5x (ours)")
    ratio.set(xscale="log", xlabel="stored events", ylabel="p95 / p95 at 10 events")
    ratio.set_title("Growth against each bot's own 10-event p95")
    for axis in (absolute, ratio):
        axis.legend(fontsize=8)
        axis.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(RESULTS / "long_conversations.png", dpi=110)


def print_table(table: List[Dict[str, Any]]) -> None:
    print(
        "\n| bot | stored events | p50 ms | p95 ms | p50 / 10 ev | p95 / 10 ev |",
        end="",
    )
    print(" action call p50 ms | payload KiB | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in table:
        cells = [
            r["bot"],
            f"{r['events']} (~{r['stored_events_median']:.0f})",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['p50_ratio']:.2f}x",
            f"{r['p95_ratio']:.2f}x",
            "" if r["action_call_p50_ms"] is None else f"{r['action_call_p50_ms']:.1f}",
            "" if r["payload_kib"] is None else str(r["payload_kib"]),
            str(r["errors"]),
        ]
        print("| " + " | ".join(cells) + " |")


# ------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-length", type=int, default=25, help="conversations")
    parser.add_argument("--bots", default=",".join(BOT_NAMES))
    parser.add_argument(
        "--keep-reference",
        type=Path,
        help="build the stock bot and the template conversations here once and "
        "reuse them (default: a temp folder, every run anew)",
    )
    args = parser.parse_args()
    names = [n for n in args.bots.split(",") if n]
    stop_on_signals()
    cr.LOGS.mkdir(parents=True, exist_ok=True)
    figures: Dict[str, Dict[int, Length]] = {
        name: {t: Length(t) for t in LENGTHS} for name in names
    }
    with tempfile.TemporaryDirectory(prefix="long-conversations-") as name:
        tmp = Path(name)
        makers: Dict[str, Callable[[], cr.Bot]] = {
            "ours": lambda: cr.our_bot(tmp),
            "ours-plain": lambda: cr.our_bot(tmp, patched=False),
            "reference": lambda: stock_bot(tmp, args.keep_reference),
        }
        bots: Dict[str, cr.Bot] = {}
        try:
            for bot_name in names:
                bots[bot_name] = makers[bot_name]()
                start(bots[bot_name])
            templates: Dict[str, List[Dict]] = {}
            for n, b in bots.items():
                # Ours with Rasa as shipped is the same assistant: same events.
                if n == "ours-plain" and "ours" in templates:
                    templates[n] = templates["ours"]
                    continue
                kept = (
                    args.keep_reference / f"template-{n}.json"
                    if args.keep_reference
                    else None
                )
                if kept is not None and kept.exists():
                    templates[n] = json.loads(kept.read_text())
                    continue
                script = REFERENCE_SCRIPT if n == "reference" else OUR_SCRIPT
                templates[n] = record_template(b, script, LENGTHS[-1] + 100)
                if kept is not None:
                    kept.write_text(json.dumps(templates[n]))
            domains = {
                n: requests.get(
                    b.api("/domain"),
                    headers={"Accept": "application/json"},
                    timeout=30,
                ).json()
                if n == "ours"
                else None
                for n, b in bots.items()
            }
            for target in LENGTHS:
                for n, bot in bots.items():
                    print(f"[{n}] {target} events", flush=True)
                    measure_length(
                        bot,
                        templates[n],
                        figures[n][target],
                        args.per_length,
                        domains[n],
                    )
        finally:
            for bot in bots.values():
                bot.stop()
    table = rows(figures)
    write(table, figures)
    print_table(table)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every process started here has been stopped.")
