"""A conversation's transcript from its stored events: sessions, turns with the
move each user turn made, rehearsal outcomes, consent, and per-session counts.
Only what was said while consent was in force is kept (transcripts/consent.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Collection, Dict, List, Sequence, Set

from bids_partner.coaching.rehearsal.play import Turn as Reply
from bids_partner.coaching.rehearsal.play import outcome, read_turns
from bids_partner.coaching.scenario_schema import DEFAULT_AIM
from bids_partner.contract import (
    CONSENT_INTENTS,
    MOVES,
    PARTNER_LINE_PATTERN,
    REHEARSAL_FEEDBACK_SLOT,
    REHEARSAL_FORM,
    REHEARSAL_OUTCOME_SLOT,
    REHEARSAL_TURNS_SLOT,
    SAFE_TO_GO_ON_RESPONSE,
    SCENARIO_SLOT,
)
from bids_partner.payloads import payload_vocabulary
from bids_partner.transcripts.consent import (
    Label,
    quotes_withheld,
    read_consent,
    scrub,
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


def _known(value: Any, allowed: Collection[str]) -> str | None:
    """A value that came from the user, exported only from its closed set: the
    export does not anonymize these fields (payloads stored before the channels
    checked them could hold any words)."""
    return value if isinstance(value, str) and value in allowed else None


def _entity(parse: Dict[str, Any], name: str) -> Any:
    for entity in parse.get("entities") or []:
        if entity.get("entity") == name:
            return entity.get("value")
    return None


def _user_turn(data: Dict[str, Any], base: Dict[str, Any]) -> Turn:
    parse = data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    vocabulary = payload_vocabulary()
    name = _known(intent.get("name"), vocabulary.intents)
    confidence = intent.get("confidence")
    return Turn(
        **base,
        speaker="user",
        text=data.get("text") or "",
        intent=name,
        move=name if name in MOVES else None,
        confidence=round(float(confidence), 3) if confidence is not None else None,
        actor=_known(_entity(parse, "actor"), vocabulary.entity_values["actor"]),
    )


def take_back_last_message(sessions: List[Session]) -> None:
    """Drops the last user turn of the latest session and what followed it."""
    if not sessions:
        return
    turns = sessions[-1].turns
    last_user = next(
        (n for n in range(len(turns) - 1, -1, -1) if turns[n].speaker == "user"),
        None,
    )
    if last_user is not None:
        del turns[last_user:]


def _without_ids(record: Dict[str, Any]) -> Dict[str, Any]:
    """A rehearsal outcome as exported: internal message ids stay in the store."""
    return {k: v for k, v in record.items() if not k.endswith("_id")}


@dataclass
class Withheld:
    """The user's messages said while sharing was stopped: left out, and out of
    everything derived from them."""

    # None stands for a message without an id: then no reply without one counts.
    message_ids: Set[str | None] = field(default_factory=set)
    texts: List[str] = field(default_factory=list)

    def add(self, data: Dict[str, Any]) -> None:
        self.message_ids.add(data.get("message_id"))
        intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
        # "stop sharing" is also the bot's own wording: not searched for in it.
        if intent not in CONSENT_INTENTS:
            self.texts.append(data.get("text") or "")


def shared_outcome(
    record: Dict[str, Any], replies: Sequence[Reply], withheld: Withheld
) -> Dict[str, Any] | None:
    """A scene's outcome counting only the replies said while sharing was on: as
    stored when that is all of them, recomputed when some were withheld, None
    when none were shared or the replies it counted cannot be told."""
    if not withheld.message_ids:
        return record
    if record.get("replies") != len(replies):
        return None
    kept = [reply for reply in replies if reply.message_id not in withheld.message_ids]
    if len(kept) == len(replies):
        return record
    if not kept:
        return None
    aim = record.get("aim")
    return outcome(
        str(record.get("scenario")),
        kept,
        str(record.get("ended")),
        record.get("feedback"),
        aim=tuple(aim) if isinstance(aim, list) and aim else DEFAULT_AIM,
    )


def build(sender_id: str, rows: List[EventRow]) -> Conversation:
    labels, consent = read_consent(rows)
    conversation = Conversation(
        sender_id,
        consent=consent.given,
        consent_since=day(consent.since) if consent.since is not None else None,
    )
    withheld = Withheld()
    loop: str | None = None
    # The scene in progress, as the rehearsal form stored it.
    scene: Dict[str, Any] = {}
    # Its replies as last stored: the form clears the slot before the outcome.
    replies: List[Any] = []
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

    for row, label in zip(rows, labels):
        if row.data is None:
            conversation.skipped.append(row)
            continue
        if label is Label.REPLAYED:
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
        elif kind == "rewind":
            # "/back": the user took their last message back; Rasa keeps it in
            # the store, the transcript does not (its replies go with it).
            take_back_last_message(conversation.sessions)
        elif kind == "active_loop":
            loop = data.get("name")
        elif kind == "slot":
            name, value = data.get("name"), data.get("value")
            if name in (SCENARIO_SLOT, REHEARSAL_TURNS_SLOT, REHEARSAL_FEEDBACK_SLOT):
                scene[name] = value
                if name == REHEARSAL_TURNS_SLOT and isinstance(value, list) and value:
                    replies = value
            elif name == REHEARSAL_OUTCOME_SLOT and isinstance(value, dict):
                settle_paused()
                record = (
                    shared_outcome(value, read_turns(replies), withheld)
                    if label is Label.SHARED
                    else None
                )
                replies = []
                if record is not None:
                    # Internal message ids stay in the store.
                    session(row.timestamp).rehearsals.append(_without_ids(record))
        elif kind in ("user", "bot") and label is Label.WITHHELD:
            if kind == "user":
                withheld.add(data)
        elif kind == "bot" and quotes_withheld(data.get("text") or "", withheld.texts):
            continue
        elif kind in ("user", "bot"):
            current = session(row.timestamp)
            base = {
                "session": current.number,
                "index": len(current.turns) + 1,
                "date": day(row.timestamp),
                "rehearsal": _known(
                    scene.get(SCENARIO_SLOT),
                    payload_vocabulary().entity_values["scenario"],
                )
                if loop == REHEARSAL_FORM
                else None,
            }
            if kind == "user":
                turn = _user_turn(data, base)
                if turn.intent == "crisis" and loop == REHEARSAL_FORM:
                    # Rules end the scene without the action server, so no outcome
                    # was stored: make the same record from the scene's turns.
                    turns = read_turns(scene.get(REHEARSAL_TURNS_SLOT))
                    ended = outcome(
                        str(scene.get(SCENARIO_SLOT)),
                        turns,
                        "crisis",
                        scene.get(REHEARSAL_FEEDBACK_SLOT),
                    )
                    settle_paused()
                    record = shared_outcome(ended, turns, withheld)
                    if record is not None:
                        paused.append((current, _without_ids(record)))
            else:
                text = data.get("text") or ""
                turn = Turn(
                    **base,
                    speaker="bot",
                    # The bot may repeat what the user said while sharing was
                    # stopped (an exercise's answers in its summary).
                    text=scrub(text, withheld.texts),
                    partner_line=bool(PARTNER_LINE.match(text)),
                )
            current.turns.append(turn)
    settle_paused()
    return conversation
