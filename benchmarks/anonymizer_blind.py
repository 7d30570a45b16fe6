"""How well the transcript anonymizer removes what identifies someone, and how
fast it is.

For each set of chat messages with planted identifiers (the YAML files in
tests/blind/anonymizer/, written without sight of the code, and
tests/transcripts/anonymizer_cases.yml, the set the rules were tuned on) it
prints: names, places and organisations removed (share, per kind), contacts and
ID numbers that survived (count and kinds), the other kinds (addresses, dates)
and the therapeutic words lost. A blind set's texts are never printed: only
counts and kinds. The tuned set's survivors are printed in full.

Then the anonymizer's load time, messages per second, and the seconds the real
`transcripts export` takes for 1,000 synthetic consented conversations of 20
turns each in a temporary SQLite tracker store (the bar: under a minute on the
project's 2-core machine).

    .venv/bin/python -m benchmarks.anonymizer_blind
    .venv/bin/python -m benchmarks.anonymizer_blind --tuned-only --set DEV.yml

`--tuned-only` skips the blind sets (while tuning, they must stay unseen);
`--set` adds a set whose texts are printed (a hand-written dev set); `--no-export`
skips the export timing.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bids_partner.settings import ROOT

BLIND_DIR = ROOT / "tests" / "blind" / "anonymizer"
TUNED = ROOT / "tests" / "transcripts" / "anonymizer_cases.yml"
TUNED_LABEL = "written with the rules (tuned)"
NAME_KINDS = ("person", "place", "org")
CONVERSATIONS = 1000
TURNS = 20  # per conversation, user and bot alternating
EXPORT_BAR_SECONDS = 60.0


@dataclass
class Result:
    messages: int = 0
    seconds: float = 0.0
    planted: Counter = field(default_factory=Counter)
    survived: Counter = field(default_factory=Counter)
    keep: int = 0
    lost_keep: int = 0
    # Survivors and lost words as text: printed for the tuned set only.
    leaks: List[str] = field(default_factory=list)
    lost: List[str] = field(default_factory=list)
    # What took each lost keep-word: the kind of the span masked over it, or
    # "a planted identifier inside" where the writer's keep-word holds one (it
    # cannot stay whole once the identifier goes).
    lost_by: Counter = field(default_factory=Counter)


def load_cases(path: Path) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def measure(anonymizer: Any, cases: List[Dict[str, Any]]) -> Result:
    from bids_partner.transcripts.anonymizer import Placeholders, survives

    result = Result()
    for case in cases:
        started = time.perf_counter()
        output = anonymizer.anonymize(case["text"], Placeholders())
        result.seconds += time.perf_counter() - started
        result.messages += 1
        for identifier in case.get("identifiers") or []:
            kind = identifier["kind"]
            result.planted[kind] += 1
            keep = case.get("keep") or ()
            if survives(identifier["text"], kind, output, case["text"], keep):
                result.survived[kind] += 1
                result.leaks.append(f"{kind}: {identifier['text']!r} in {output!r}")
        for word in case.get("keep") or []:
            result.keep += 1
            if word.lower() not in output.lower():
                result.lost_keep += 1
                result.lost.append(f"{word!r} in {output!r}")
                result.lost_by[_what_took(anonymizer, case, word)] += 1
    return result


def _what_took(anonymizer: Any, case: Dict[str, Any], word: str) -> str:
    """Why a keep-word was lost, as a kind (never its text)."""
    from bids_partner.transcripts.patterns import whole_word
    from bids_partner.transcripts.written import Case, labelled_spans

    text = case["text"]
    start = text.lower().find(word.lower())
    end = start + len(word)
    keep = Case(text, (), tuple(case.get("keep") or ()), "")
    for planted in case.get("identifiers") or []:
        # Inside the keep-word, and nowhere else: the writer meant the name to
        # stay in it ("tasha's mum"). Found elsewhere too, the one inside is the
        # ordinary word ("Will" and "Will this confuse them"), and its loss real.
        if whole_word(planted["text"]).search(word) and not labelled_spans(
            planted["text"], keep
        ):
            return "a planted identifier inside"
    kinds = sorted(
        {f.kind for f in anonymizer.findings(text) if f.start < end and start < f.end}
    )
    return "+".join(kinds) or "other"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "none planted"


def _add(total: Result, result: Result) -> None:
    """Counts of one set added to a total over sets (no texts)."""
    total.messages += result.messages
    total.seconds += result.seconds
    total.planted += result.planted
    total.survived += result.survived
    total.keep += result.keep
    total.lost_keep += result.lost_keep
    total.lost_by += result.lost_by


def report(label: str, result: Result, show_texts: bool) -> None:
    from bids_partner.transcripts.anonymizer import CONTACTS_AND_IDS

    planted, survived = result.planted, result.survived
    print(f"\n{label}: {result.messages} messages, {sum(planted.values())} identifiers")
    names = sum(planted[k] for k in NAME_KINDS)
    removed = names - sum(survived[k] for k in NAME_KINDS)
    per_kind = ", ".join(
        f"{k} {planted[k] - survived[k]}/{planted[k]}" for k in NAME_KINDS if planted[k]
    )
    print(f"  names and places removed: {_share(removed, names)} ({per_kind})")
    contacts = sum(planted[k] for k in CONTACTS_AND_IDS)
    leaked = {k: survived[k] for k in sorted(CONTACTS_AND_IDS) if survived[k]}
    kinds = ", ".join(f"{k} {n}" for k, n in leaked.items()) or "none"
    print(
        f"  contacts/IDs surviving: {sum(leaked.values())} of {contacts} "
        f"(kinds: {kinds})"
    )
    others = sorted(set(planted) - set(NAME_KINDS) - CONTACTS_AND_IDS)
    if others:
        line = ", ".join(f"{k} {planted[k] - survived[k]}/{planted[k]}" for k in others)
        print(f"  other kinds removed: {line}")
    print(f"  keep-words lost: {_share(result.lost_keep, result.keep)}")
    if result.lost_by:
        taken = ", ".join(f"{k} {n}" for k, n in result.lost_by.most_common())
        print(f"    taken by: {taken}")
    if show_texts:
        for leak in result.leaks:
            print(f"    survived {leak}")
        for lost in result.lost:
            print(f"    lost {lost}")


# Synthetic conversations for the export timing ---------------------------------

NAMES = [
    "Daniel", "sarah", "Priya", "Tomasz", "Aoife", "Kwame", "Mei", "Luca", "Fatima",
    "jordan", "Ingrid", "Mateo", "Yuki", "Olumide", "Chloe", "Rahul", "Siobhan",
    "Hannah", "Diego", "Anya", "Marcus", "Leila", "Bjorn", "Grace", "Tariq",
]  # fmt: skip
PLACES = ["Leeds", "Denver", "Galway", "Pune", "Lyon", "Austin", "Perth", "Krakow"]
FEELINGS = ["alone", "hurt", "furious", "anxious", "invisible", "relieved", "scared"]
PARTNERS = ["husband", "wife", "boyfriend", "girlfriend", "partner", "fiancé"]
USER_LINES = [
    "my {partner} {name} never listens when I talk about work",
    "{name} said I always overreact and I felt {feeling}",
    "we moved to {place} last year and I still feel {feeling}",
    "she texted {name} at 2am again, his number is {phone}",
    "I asked {name} for a hug and he just walked away",
    "my sister {name2} thinks I should leave but I love him",
    "can you email me at {email} so I can show my therapist",
    "{name} and I had a fight about money, I feel so {feeling}",
    "his boss at Brightline Logistics keeps him late every night",
    "I don't know, maybe I'm the problem",
    "we had a nice walk together yesterday and it felt good",
    "I turned toward him this time and said tell me more",
    "{name}'s mom called me selfish in front of everyone",
    "my card {card} got declined and {name} laughed at me",
]
BOT_LINES = [
    "So when {name} turns away, you feel {feeling}?",
    "That sounds really hard. What did you need in that moment?",
    "Thank you for telling me.",
    "It sounds like you wanted to be seen.",
    "Would you like to practise that conversation?",
    "What happened next?",
    "That was a bid for connection.",
    "You turned toward your partner there.",
]
MOVES = ["criticism", "withdrawal", "turning_toward", "bid", "contempt"]


def _fill(template: str, rng: random.Random) -> str:
    name = rng.choice(NAMES)
    return template.format(
        name=name,
        name2=rng.choice(NAMES),
        partner=rng.choice(PARTNERS),
        place=rng.choice(PLACES),
        feeling=rng.choice(FEELINGS),
        phone=f"07{rng.randrange(10**8, 10**9)}",
        email=f"{name.lower()}.{rng.randrange(10, 99)}@example.com",
        card=" ".join(str(rng.randrange(1000, 10000)) for _ in range(4)),
    )


def _events(rng: random.Random, start: float) -> List[Any]:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    def user(text: str, intent: str, ts: float) -> UserUttered:
        parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": []}
        return UserUttered(text, parse["intent"], [], parse_data=parse, timestamp=ts)

    ts = start
    events: List[Any] = [
        SessionStarted(timestamp=ts),
        ActionExecuted("action_listen", timestamp=ts),
        user("share this with my therapist", "share_with_therapist", ts),
        SlotSet("therapist_consent", True, timestamp=ts),
        BotUttered("Thank you: your therapist will see this.", timestamp=ts),
    ]
    for _ in range((TURNS - 2) // 2):
        ts += 30
        text = _fill(rng.choice(USER_LINES), rng)
        events.append(user(text, rng.choice(MOVES), ts))
        events.append(BotUttered(_fill(rng.choice(BOT_LINES), rng), timestamp=ts + 1))
    return events


def build_store(path: Path) -> None:
    """1,000 conversations, stored as Rasa's SQLTrackerStore stores them: the
    first through the store itself, the rest as the same rows in one go."""
    import asyncio
    import json

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
    rng = random.Random(17)
    first = DialogueStateTracker.from_events(
        "synthetic-0000", _events(rng, 1764000000.0), slots=domain.slots
    )
    asyncio.run(store.save(first))
    rows = []
    for number in range(1, CONVERSATIONS):
        for event in _events(rng, 1764000000.0 + number * 600):
            data = event.as_dict()
            rows.append(
                {
                    "sender_id": f"synthetic-{number:04d}",
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": (data.get("parse_data") or {})
                    .get("intent", {})
                    .get("name"),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
            )
    with store.engine.begin() as connection:
        connection.execute(SQLTrackerStore.SQLEvent.__table__.insert(), rows)


def time_export() -> float:
    """Seconds for `transcripts export` (the real command, JSON lines) of the 1,000
    conversations, the anonymizer already loaded."""
    from bids_partner.transcripts.cli import main as transcripts

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tracker.db"
        build_store(db)
        out = Path(folder) / "out"
        os.environ["TRANSCRIPTS_SECRET"] = "benchmark-secret-of-enough-length"
        started = time.perf_counter()
        with redirect_stderr(StringIO()):
            try:
                transcripts(["export", "--out", str(out), "--db", f"sqlite:///{db}"])
            except SystemExit as exit_info:
                if exit_info.code:
                    raise RuntimeError(f"export exited {exit_info.code}") from None
        seconds = time.perf_counter() - started
        written = len(list(out.iterdir()))
    if written != CONVERSATIONS:
        raise RuntimeError(f"exported {written} of {CONVERSATIONS} conversations")
    return seconds


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tuned-only",
        action="store_true",
        help="measure the tuned set (and --set) only, never a blind set",
    )
    parser.add_argument(
        "--set",
        type=Path,
        action="append",
        default=[],
        help="another set of cases to measure, texts printed (repeatable)",
    )
    parser.add_argument("--no-export", action="store_true", help="skip the export")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    started = time.perf_counter()
    from bids_partner.transcripts.anonymizer import Placeholders, default_anonymizer

    imported = time.perf_counter()
    anonymizer = default_anonymizer()
    loaded = time.perf_counter()
    print(
        f"anonymizer: imported in {imported - started:.1f} s, "
        f"loaded in {loaded - imported:.1f} s; names found by: "
        f"{anonymizer.name_finders} (ANONYMIZER_NAMES=union|rules|model)"
    )
    anonymizer.anonymize("warm up, Daniel", Placeholders())
    sets = {f"{TUNED_LABEL} ({TUNED.relative_to(ROOT)})": (TUNED, True)}
    for path in args.set:
        sets[f"{path.stem} ({path})"] = (path, True)
    blind = sorted(BLIND_DIR.glob("*.yml")) if BLIND_DIR.is_dir() else []
    if args.tuned_only:
        blind = []
        print("(blind sets skipped: --tuned-only)")
    elif not blind:
        print(f"(no blind sets in {BLIND_DIR.relative_to(ROOT)})")
    for path in blind:
        sets[f"blind {path.stem}"] = (path, False)
    messages, seconds = 0, 0.0
    blind_total, blind_sets = Result(), 0
    for label, (path, show_texts) in sets.items():
        try:
            result = measure(anonymizer, load_cases(path))
        except Exception as error:  # a YAML error would quote the blind text
            if show_texts:
                raise
            print(f"\n{label}: unreadable ({type(error).__name__})")
            continue
        report(label, result, show_texts)
        messages += result.messages
        seconds += result.seconds
        if label.startswith("blind "):
            blind_sets += 1
            _add(blind_total, result)
    if blind_sets > 1:
        report(f"all {blind_sets} blind sets", blind_total, False)
    print(f"\nspeed: {messages / seconds:.0f} messages/s ({messages} messages)")
    if args.no_export:
        return
    exported = time_export()
    verdict = "within" if exported < EXPORT_BAR_SECONDS else "OVER"
    print(
        f"export of {CONVERSATIONS} conversations x {TURNS} turns: {exported:.1f} s "
        f"({CONVERSATIONS * TURNS / exported:.0f} turns/s; {verdict} the "
        f"{EXPORT_BAR_SECONDS:.0f} s bar; {os.cpu_count()} cores)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
