"""Anonymized transcripts of the conversations whose users consented, one file
each: JSON lines (what the review page reads), Markdown or HTML."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List

from bids_partner.payloads import payload_vocabulary
from bids_partner.private_files import private_write_bytes
from bids_partner.transcripts.conversation import Conversation, Session, Turn
from bids_partner.transcripts.patterns import LABELS, placeholder_kinds

if TYPE_CHECKING:  # the anonymizer loads spaCy and Presidio: only when needed
    from bids_partner.transcripts.anonymizer import Anonymizer

FORMATS = ("jsonl", "md", "html")
MIN_SECRET_CHARS = 16


class ExportError(Exception):
    """Nothing could be exported; the message says why."""


def pseudonym(sender_id: str, secret: str) -> str:
    """A stable id that does not reveal the conversation's: a keyed hash."""
    digest = hmac.new(secret.encode(), sender_id.encode(), hashlib.sha256).hexdigest()
    return f"p_{digest[:16]}"


def check_secret(secret: str | None) -> str:
    if not secret or len(secret) < MIN_SECRET_CHARS:
        raise ExportError(
            "Set TRANSCRIPTS_SECRET to a secret of at least "
            f"{MIN_SECRET_CHARS} characters: it keys the pseudonymous ids, so keep "
            "it the same across exports and never share it."
        )
    return secret


def _within(turn_date: str, since: date | None, until: date | None) -> bool:
    value = date.fromisoformat(turn_date)
    return (since is None or value >= since) and (until is None or value <= until)


def anonymized(
    conversation: Conversation,
    anonymizer: Anonymizer,
    since: date | None = None,
    until: date | None = None,
) -> List[Session]:
    """The conversation's sessions within the dates, every text anonymized with
    one set of placeholders for the whole transcript."""
    from bids_partner.transcripts.anonymizer import Placeholders

    placeholders = Placeholders()
    sessions: List[Session] = []
    # The name model tags a transcript's messages in one batch.
    anonymizer.prefetch(
        turn.text
        for session in conversation.sessions
        for turn in session.turns
        if _within(turn.date, since, until)
    )
    for session in conversation.sessions:
        turns = [t for t in session.turns if _within(t.date, since, until)]
        if not turns:
            continue
        kept = Session(session.number, turns[0].date, rehearsals=session.rehearsals)
        for turn in turns:
            payload = payload_vocabulary().read(turn.text)
            text = (
                f"[button: {payload.intent}]"
                if payload and turn.speaker == "user"
                else anonymizer.anonymize(turn.text, placeholders)
            )
            kept.turns.append(Turn(**{**asdict(turn), "text": text}))
        sessions.append(kept)
    return sessions


# The residual-risk line: what the anonymizer masked, so a reader knows what
# kind of detail was there (and what to look out for that it may have missed).
MASKED_WORDS = {
    "person": ("name", "names"),
    "place": ("place", "places"),
    "org": ("organisation", "organisations"),
    "address": ("address", "addresses"),
    "date": ("date", "dates"),
    "phone": ("phone number", "phone numbers"),
    "email": ("e-mail address", "e-mail addresses"),
    "url": ("link", "links"),
    "handle": ("handle", "handles"),
    "id": ("ID number", "ID numbers"),
}


def masked(sessions: List[Session]) -> Dict[str, int]:
    """How many spans were masked, per kind: the placeholders in the turns."""
    counts = Counter(
        kind
        for session in sessions
        for turn in session.turns
        for kind in placeholder_kinds(turn.text)
    )
    return {kind: counts[kind] for kind in LABELS if counts[kind]}


def masked_line(counts: Dict[str, int]) -> str:
    """ "Masked: 3 names, 1 phone number." """
    parts = [
        f"{n} {MASKED_WORDS[kind][0 if n == 1 else 1]}"
        for kind, n in counts.items()
        if kind in MASKED_WORDS
    ]
    return f"Masked: {', '.join(parts) or 'nothing'}."


def header(
    conversation_id: str, conversation: Conversation, sessions: List[Session]
) -> Dict[str, Any]:
    return {
        "record": "conversation",
        "conversation": conversation_id,
        "exported_on": date.today().isoformat(),
        "consent_since": conversation.consent_since,
        "sessions": [session.summary() for session in sessions],
        "skipped_events": len(conversation.skipped),
        "masked": masked(sessions),
    }


def as_jsonl(head: Dict[str, Any], sessions: List[Session]) -> str:
    lines = [json.dumps(head, ensure_ascii=False)]
    for session in sessions:
        for turn in session.turns:
            lines.append(
                json.dumps({"record": "turn", **asdict(turn)}, ensure_ascii=False)
            )
    return "\n".join(lines) + "\n"


def _counts(summary: Dict[str, Any]) -> str:
    moves = ", ".join(
        f"{m.replace('_', ' ')} {n}" for m, n in summary["moves"].items() if n
    )
    share = summary["turned_toward_share"]
    toward = f"; turned toward: {share:.0%}" if share is not None else ""
    return f"{summary['turns']} turns; moves: {moves or 'none'}{toward}"


def _label(turn: Turn) -> str:
    if turn.speaker == "bot":
        return "partner (played by the assistant)" if turn.partner_line else "assistant"
    parts = [p for p in (turn.move or turn.intent, turn.actor) if p]
    confidence = f" {turn.confidence:.2f}" if turn.confidence is not None else ""
    return f"user [{' / '.join(parts)}{confidence}]" if parts else "user"


# A person's words are shown, not followed: raw HTML is escaped (a viewer that
# renders it would run a typed <script>), a link or image typed in a message is
# broken ("](" -> "]\("), and a line that would be a heading, quote, list or
# link definition is not.
_BLOCK_START = re.compile(r"^(\s*)([#>=+\[-])", re.MULTILINE)


def markdown_text(text: str) -> str:
    """A message as literal Markdown text inside a list item; the anonymizer's
    [PERSON_1] placeholders stay readable."""
    escaped = html.escape(text, quote=False).replace("](", "]\\(")
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped)
    return "  \n  ".join(escaped.splitlines())


def as_markdown(head: Dict[str, Any], sessions: List[Session]) -> str:
    lines = [f"# Transcript {head['conversation']}", ""]
    lines.append(
        f"Exported {head['exported_on']}; consent since {head['consent_since']}."
    )
    lines += ["", masked_line(head.get("masked", {}))]
    for session, summary in zip(sessions, head["sessions"]):
        lines += ["", f"## Session {session.number} ({session.date})", ""]
        lines.append(_counts(summary))
        for outcome in session.rehearsals:
            lines.append(
                f"- Rehearsal {outcome.get('scenario')}: {outcome.get('ended')}"
            )
        lines.append("")
        for turn in session.turns:
            lines.append(f"- **{_label(turn)}**: {markdown_text(turn.text)}")
    return "\n".join(lines) + "\n"


def as_html(head: Dict[str, Any], sessions: List[Session]) -> str:
    e = html.escape
    body = [f"<h1>Transcript {e(head['conversation'])}</h1>"]
    body.append(
        f"<p>Exported {e(head['exported_on'])}; consent since "
        f"{e(str(head['consent_since']))}.</p>"
    )
    body.append(f'<p class="masked">{e(masked_line(head.get("masked", {})))}</p>')
    for session, summary in zip(sessions, head["sessions"]):
        body.append(f"<h2>Session {session.number} ({e(session.date)})</h2>")
        body.append(f"<p>{e(_counts(summary))}</p>")
        body.append("<ol>")
        for turn in session.turns:
            body.append(
                f'<li class="{e(turn.speaker)}"><strong>{e(_label(turn))}</strong>: '
                f"{e(turn.text)}</li>"
            )
        body.append("</ol>")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Transcript {e(head['conversation'])}</title></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


WRITERS: Dict[str, Callable[[Dict[str, Any], List[Session]], str]] = {
    "jsonl": as_jsonl,
    "md": as_markdown,
    "html": as_html,
}


def write_transcript(
    out: Path,
    conversation_id: str,
    conversation: Conversation,
    sessions: List[Session],
    fmt: str,
) -> Path:
    head = header(conversation_id, conversation, sessions)
    path = out / f"{conversation_id}.{fmt}"
    tmp = path.with_suffix(path.suffix + ".tmp")
    private_write_bytes(tmp, WRITERS[fmt](head, sessions).encode("utf-8"))
    tmp.replace(path)  # a reader never sees half a file
    return path


def consented(conversations: Iterable[Conversation]) -> List[Conversation]:
    return [c for c in conversations if c.consent]
