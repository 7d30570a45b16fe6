"""Shared fixtures: a folder of exported transcripts in the export format, and the
review page serving a folder from a thread."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest

from bids_partner.contract import MOVES
from bids_partner.transcripts.review import make_server

KIND = {
    "withdrawal": "away",
    "criticism": "against",
    "contempt": "against",
    "defensiveness": "against",
    "turning_toward": "toward",
}
# A conversation with a rehearsal of the sunset scenario, and one without.
REHEARSED = "p_ab12cd34ef56ab78"
PLAIN = "p_0123456789abcdef"
SCRIPT_TEXT = "<script>alert('x')</script> he just walks out on [PERSON_1]"
TOKEN = "test-review-token-0123456789-abcdefghijklmnop"  # >= 32: the minimum


def user(
    text: str,
    intent: str,
    actor: str | None = "self",
    confidence: float = 0.91,
    rehearsal: str | None = None,
) -> Dict[str, Any]:
    move = intent if intent in MOVES else None
    return {
        "speaker": "user",
        "text": text,
        "intent": intent,
        "move": move,
        "confidence": confidence,
        "actor": actor if move else None,
        "rehearsal": rehearsal,
        "partner_line": False,
    }


def bot(text: str, rehearsal: str | None = None, partner: bool = False) -> Dict:
    return {
        "speaker": "bot",
        "text": text,
        "intent": None,
        "move": None,
        "confidence": None,
        "actor": None,
        "rehearsal": rehearsal,
        "partner_line": partner,
    }


def _counts(turns: List[Dict[str, Any]]) -> Dict[str, int]:
    return {m: sum(t["move"] == m for t in turns) for m in MOVES}


def _share(toward: int, total: int) -> float | None:
    return round(toward / total, 4) if total else None


def _rehearsal(scenario: str, turns: List[Dict[str, Any]]) -> Dict[str, Any]:
    replies = [t for t in turns if t["speaker"] == "user" and t["move"]]
    kinds = {"away": 0, "toward": 0, "against": 0}
    for turn in replies:
        if turn["move"] in KIND:
            kinds[KIND[turn["move"]]] += 1
    moves = {m: n for m, n in _counts(replies).items() if n}
    return {
        "scenario": scenario,
        "ended": "completed",
        "replies": len(replies),
        "moves": moves,
        "kinds": kinds,
        "toward_share": _share(kinds["toward"], len(replies)),
        "resolved": True,
    }


def session(number: int, day: str, turns: List[Dict[str, Any]]) -> Dict[str, Any]:
    """A session header whose counts are those of its turns."""
    counts = _counts(turns)
    total = sum(counts.values())
    scenarios = sorted({t["rehearsal"] for t in turns if t["rehearsal"]})
    return {
        "session": number,
        "date": day,
        "turns": len(turns),
        "moves": counts,
        "moves_total": total,
        "turned_toward_share": _share(counts["turning_toward"], total),
        "rehearsals": [
            _rehearsal(s, [t for t in turns if t["rehearsal"] == s]) for s in scenarios
        ],
    }


def write_export(
    folder: Path, conversation: str, exported_on: str, sessions: List[tuple]
) -> Path:
    """`sessions`: (number, date, turns) tuples; writes `<conversation>.jsonl`."""
    header = {
        "record": "conversation",
        "conversation": conversation,
        "exported_on": exported_on,
        "consent_since": "2026-11-01",
        "sessions": [session(n, day, turns) for n, day, turns in sessions],
        "skipped_events": 0,
    }
    lines = [header]
    for number, day, turns in sessions:
        for index, turn in enumerate(turns, start=1):
            lines.append(
                {"record": "turn", "session": number, "index": index, "date": day}
                | turn
            )
    path = folder / f"{conversation}.jsonl"
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


SUNSET = "sunset"
REHEARSED_TURNS = [
    user("hi", "greet", confidence=0.98),
    bot("Hi, I'm a practice partner."),
    user("you never listen to [PERSON_1]", "criticism"),
    bot("So when you reach for [PERSON_1], it feels like nobody is there?"),
    user(SCRIPT_TEXT, "withdrawal", actor="partner", confidence=0.84),
    bot("That sounds lonely."),
    user("can we practise?", "start_rehearsal"),
    bot("Come look at this sunset!", SUNSET, partner=True),
    user("not now, I'm busy", "withdrawal", rehearsal=SUNSET),
    bot("Oh. Okay.", SUNSET, partner=True),
    user("sorry, show me, it's beautiful", "turning_toward", rehearsal=SUNSET),
    bot("Look at the colours.", SUNSET, partner=True),
    user("you always do this", "criticism", rehearsal=SUNSET),
    bot("I just wanted to share it with you.", SUNSET, partner=True),
    user("I'm here, tell me about it", "turning_toward", rehearsal=SUNSET),
    bot("You turned toward your partner twice out of four replies."),
]
PLAIN_FIRST = [
    user("come look at this", "bid"),
    bot("That is a bid: a reach for connection."),
    user("do you still love me?", "reassurance_request", confidence=0.88),
    bot("You need to know you matter to them?"),
]
PLAIN_SECOND = [
    user("oh poor baby", "contempt", actor="partner"),
    bot("That stings."),
    user("it's not my fault", "defensiveness"),
    bot("It sounds like you felt blamed."),
    user("could I get a hug?", "bid"),
    bot("A soft bid."),
]


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    """Two exported conversations: REHEARSED (one session with a sunset rehearsal)
    and PLAIN (two sessions, the newer one the newest of all)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder, REHEARSED, "2026-11-25", [(1, "2026-11-24", REHEARSED_TURNS)])
    write_export(
        folder,
        PLAIN,
        "2026-11-27",
        [(1, "2026-11-20", PLAIN_FIRST), (2, "2026-11-26", PLAIN_SECOND)],
    )
    return folder


@dataclass(frozen=True)
class Exported:
    """What the tests need to know about the `export_dir` conversations."""

    rehearsed: str = REHEARSED
    plain: str = PLAIN
    script_text: str = SCRIPT_TEXT
    user_moves_in_rehearsed: int = 6


@pytest.fixture
def exported() -> Exported:
    return Exported()


@dataclass
class Review:
    url: str
    token: str
    folder: Path


@pytest.fixture
def start_review() -> Iterator[Callable[[Path], Review]]:
    """Starts the review page on a free port for a folder; stops it afterwards."""
    servers = []

    def start(folder: Path) -> Review:
        server = make_server(folder, TOKEN, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        return Review(f"http://{host}:{port}", TOKEN, folder)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def review(start_review: Callable[[Path], Review], export_dir: Path) -> Review:
    return start_review(export_dir)
