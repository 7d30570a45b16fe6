"""A conversation's transcript from its stored events: sessions, turns with the
move each user turn made, rehearsal outcomes, consent, and per-session counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List

from bids_partner.coaching.rehearsal.play import outcome, read_turns
from bids_partner.contract import (
    CONSENT_SLOT,
    MOVES,
    PARTNER_LINE_PATTERN,
    REHEARSAL_FEEDBACK_SLOT,
    REHEARSAL_FORM,
    REHEARSAL_OUTCOME_SLOT,
    REHEARSAL_TURNS_SLOT,
    SAFE_TO_GO_ON_RESPONSE,
    SCENARIO_SLOT,
)
from bids_partner.transcripts.store import EventRow

PARTNER_LINE = re.compile(PARTNER_LINE_PATTERN)


def day(timestamp: float) -> str:
    """Timestamps are coarsened to the day (UTC) before anything leaves the store."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).date().isoformat()


@dataclass
class Turn:
    session: int
    index: int
    date: str
    speaker: str
    text: str
    intent: str | None = None
    move: str | None = None
    confidence: float | None = None
    actor: str | None = None
    rehearsal: str | None = None
    partner_line: bool = False


@dataclass
class Session:
    number: int
    date: str
    turns: List[Turn] = field(default_factory=list)
    rehearsals: List[Dict[str, Any]] = field(default_factory=list)

    def summary(self) -> Dict[str, Any]:
        moves = {move: 0 for move in MOVES}
        for turn in self.turns:
            if turn.move:
                moves[turn.move] += 1
        total = sum(moves.values())
        return {
            "session": self.number,
            "date": self.date,
            "turns": len(self.turns),
            "moves": moves,
            "moves_total": total,
            "turned_toward_share": round(moves["turning_toward"] / total, 3)
            if total
            else None,
            "rehearsals": self.rehearsals,
        }


@dataclass
class Conversation:
    sender_id: str
    sessions: List[Session] = field(default_factory=list)
    consent: bool = False
    consent_since: str | None = None
    skipped: List[EventRow] = field(default_factory=list)


def _entity(parse: Dict[str, Any], name: str) -> str | None:
    for entity in parse.get("entities") or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return None


def _user_turn(data: Dict[str, Any], base: Dict[str, Any]) -> Turn:
    parse = data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = intent.get("name")
    confidence = intent.get("confidence")
    return Turn(
        **base,
        speaker="user",
        text=data.get("text") or "",
        intent=name,
        move=name if name in MOVES else None,
        confidence=round(float(confidence), 3) if confidence is not None else None,
        actor=_entity(parse, "actor"),
    )


def _without_ids(record: Dict[str, Any]) -> Dict[str, Any]:
    """A rehearsal outcome as exported: internal message ids stay in the store."""
    return {k: v for k, v in record.items() if not k.endswith("_id")}


def build(sender_id: str, rows: List[EventRow]) -> Conversation:
    conversation = Conversation(sender_id)
    loop: str | None = None
    # The scene in progress, as the rehearsal form stored it.
    scene: Dict[str, Any] = {}
    # A scene left at a safety reply, with its session: it ended there unless the
    # user said they were safe and the scene went on (the gentle question's "yes").
    paused: List[tuple] = []

    def settle_paused() -> None:
        for session_of_scene, record in paused:
            session_of_scene.rehearsals.append(record)
        paused.clear()

    def session(timestamp: float) -> Session:
        if not conversation.sessions:
            conversation.sessions.append(Session(1, day(timestamp)))
        return conversation.sessions[-1]

    for row in rows:
        if row.data is None:
            conversation.skipped.append(row)
            continue
        data = row.data
        kind = row.type_name
        if kind == "action" and data.get("name") == SAFE_TO_GO_ON_RESPONSE:
            paused.clear()
        elif kind == "session_started":
            settle_paused()
            current = conversation.sessions[-1] if conversation.sessions else None
            if current is None or current.turns:
                number = len(conversation.sessions) + 1
                conversation.sessions.append(Session(number, day(row.timestamp)))
        elif kind == "active_loop":
            loop = data.get("name")
        elif kind == "slot":
            name, value = data.get("name"), data.get("value")
            if name == CONSENT_SLOT:
                conversation.consent = value is True
                if value is True and conversation.consent_since is None:
                    conversation.consent_since = day(row.timestamp)
                elif value is not True:
                    conversation.consent_since = None
            elif name in (SCENARIO_SLOT, REHEARSAL_TURNS_SLOT, REHEARSAL_FEEDBACK_SLOT):
                scene[name] = value
            elif name == REHEARSAL_OUTCOME_SLOT and isinstance(value, dict):
                settle_paused()
                # Internal message ids stay in the store.
                session(row.timestamp).rehearsals.append(_without_ids(value))
        elif kind in ("user", "bot"):
            current = session(row.timestamp)
            base = {
                "session": current.number,
                "index": len(current.turns) + 1,
                "date": day(row.timestamp),
                "rehearsal": scene.get(SCENARIO_SLOT)
                if loop == REHEARSAL_FORM
                else None,
            }
            if kind == "user":
                turn = _user_turn(data, base)
                if turn.intent == "crisis" and loop == REHEARSAL_FORM:
                    # Rules end the scene without the action server, so no outcome
                    # was stored: make the same record from the scene's turns.
                    ended = outcome(
                        str(scene.get(SCENARIO_SLOT)),
                        read_turns(scene.get(REHEARSAL_TURNS_SLOT)),
                        "crisis",
                        scene.get(REHEARSAL_FEEDBACK_SLOT),
                    )
                    settle_paused()
                    paused.append((current, _without_ids(ended)))
            else:
                text = data.get("text") or ""
                turn = Turn(
                    **base,
                    speaker="bot",
                    text=text,
                    partner_line=bool(PARTNER_LINE.match(text)),
                )
            current.turns.append(turn)
    settle_paused()
    return conversation
