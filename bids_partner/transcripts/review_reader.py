"""Reads exported transcripts (export.py's JSON lines) for the review page,
checking each file against the format: a malformed file is left out whole
and named, never shown in part."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from bids_partner.contract import KINDS, MOVES

ID_PATTERN = re.compile(r"p_[0-9a-f]{1,64}")

# --- The export format -----------------------------------------------------------


class MalformedExport(ValueError):
    """An export that cannot be shown. Messages name lines and fields, never text."""


@dataclass(frozen=True)
class Rehearsal:
    scenario: str
    ended: str
    replies: int
    kinds: Dict[str, int]
    toward_share: float | None
    resolved: bool


@dataclass(frozen=True)
class Session:
    number: int
    date: str
    turns: int
    moves: Dict[str, int]
    moves_total: int
    turned_toward_share: float | None
    rehearsals: Tuple[Rehearsal, ...]


@dataclass(frozen=True)
class Turn:
    session: int
    index: int
    speaker: str
    text: str
    intent: str | None
    move: str | None
    confidence: float | None
    actor: str | None
    rehearsal: str | None
    partner_line: bool


@dataclass(frozen=True)
class Conversation:
    id: str
    exported_on: str
    consent_since: str
    sessions: Tuple[Session, ...]
    turns: Tuple[Turn, ...]
    skipped_events: int


@dataclass(frozen=True)
class Listing:
    conversations: List[Conversation]
    problems: List[Tuple[str, str]]  # (file name, what is wrong with it)


NUMBER = (int, float)


def _get(record: Dict[str, Any], key: str, kinds: tuple, where: str) -> Any:
    """`record[key]` if it has one of `kinds` (None allowed when NoneType is one)."""
    value = record.get(key)
    # bool is an int in Python, but a true/false is not a count.
    if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
        return value
    raise MalformedExport(f"{where}: '{key}' is missing or of the wrong type")


def _counts(
    record: Dict[str, Any], key: str, names: Sequence[str], where: str
) -> Dict[str, int]:
    raw = _get(record, key, (dict,), where)
    return {
        name: _get(raw, name, (int,), f"{where}, {key}") if name in raw else 0
        for name in names
    }


def _rehearsal(record: Any, where: str) -> Rehearsal:
    if not isinstance(record, dict):
        raise MalformedExport(f"{where}: a rehearsal is not an object")
    return Rehearsal(
        scenario=_get(record, "scenario", (str,), where),
        ended=_get(record, "ended", (str,), where),
        replies=_get(record, "replies", (int,), where),
        kinds=_counts(record, "kinds", KINDS, where),
        toward_share=_get(record, "toward_share", (*NUMBER, type(None)), where),
        resolved=_get(record, "resolved", (bool,), where),
    )


def _session(record: Any, position: int) -> Session:
    where = f"line 1, session #{position}"
    if not isinstance(record, dict):
        raise MalformedExport(f"{where} is not an object")
    return Session(
        number=_get(record, "session", (int,), where),
        date=_get(record, "date", (str,), where),
        turns=_get(record, "turns", (int,), where),
        moves=_counts(record, "moves", MOVES, where),
        moves_total=_get(record, "moves_total", (int,), where),
        turned_toward_share=_get(
            record, "turned_toward_share", (*NUMBER, type(None)), where
        ),
        rehearsals=tuple(
            _rehearsal(item, where)
            for item in _get(record, "rehearsals", (list,), where)
        ),
    )


def _turn(record: Dict[str, Any], where: str) -> Turn:
    optional_text = (str, type(None))
    turn = Turn(
        session=_get(record, "session", (int,), where),
        index=_get(record, "index", (int,), where),
        speaker=_get(record, "speaker", (str,), where),
        text=_get(record, "text", (str,), where),
        intent=_get(record, "intent", optional_text, where),
        move=_get(record, "move", optional_text, where),
        confidence=_get(record, "confidence", (*NUMBER, type(None)), where),
        actor=_get(record, "actor", optional_text, where),
        rehearsal=_get(record, "rehearsal", optional_text, where),
        partner_line=_get(record, "partner_line", (bool,), where),
    )
    if turn.speaker not in ("user", "bot"):
        raise MalformedExport(f"{where}: 'speaker' is neither user nor bot")
    return turn


def _reject_constant(name: str) -> None:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _records(path: Path) -> List[Tuple[int, Dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MalformedExport("the file is not UTF-8 text") from None
    except OSError:
        raise MalformedExport("the file could not be read") from None
    records = []
    # Split on newlines only: JSON strings may hold a raw U+2028, which splitlines
    # would break apart.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_reject_constant)
        except ValueError:
            raise MalformedExport(f"line {number} is not valid JSON") from None
        if not isinstance(record, dict):
            raise MalformedExport(f"line {number} is not a JSON object")
        records.append((number, record))
    return records


def read_conversation(path: Path) -> Conversation:
    """The conversation in one export file; MalformedExport if any of it is bad."""
    records = _records(path)
    if not records or records[0][1].get("record") != "conversation":
        raise MalformedExport("the first line is not a conversation header")
    header = records[0][1]
    if header.get("conversation") != path.stem:
        raise MalformedExport("the header names a different conversation")
    listed = _get(header, "sessions", (list,), "line 1")
    sessions = tuple(_session(s, i) for i, s in enumerate(listed, start=1))
    numbers = {session.number for session in sessions}
    turns = []
    for number, record in records[1:]:
        where = f"line {number}"
        if record.get("record") != "turn":
            raise MalformedExport(f"{where} is not a turn")
        turn = _turn(record, where)
        if turn.session not in numbers:
            raise MalformedExport(f"{where}: the turn's session is not in the header")
        turns.append(turn)
    return Conversation(
        id=path.stem,
        exported_on=_get(header, "exported_on", (str,), "line 1"),
        consent_since=_get(header, "consent_since", (str,), "line 1"),
        sessions=sessions,
        turns=tuple(turns),
        skipped_events=_get(header, "skipped_events", (int,), "line 1"),
    )


def read_exports(export_dir: Path) -> Listing:
    """Every readable conversation in `export_dir`, and what is wrong with the rest."""
    conversations: List[Conversation] = []
    problems: List[Tuple[str, str]] = []
    if not export_dir.is_dir():
        return Listing(conversations, problems)
    for path in sorted(export_dir.glob("*.jsonl")):
        if not path.is_file():
            continue
        if not ID_PATTERN.fullmatch(path.stem):
            problems.append((path.name, "the file name is not a conversation id"))
            continue
        try:
            conversations.append(read_conversation(path))
        except MalformedExport as error:
            problems.append((path.name, str(error)))
    return Listing(conversations, problems)
