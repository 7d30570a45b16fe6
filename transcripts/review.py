"""The review page: therapists read exported, anonymized transcripts in a browser.

Standard library only. Every request re-reads the export folder (exports may be
added while it runs), needs the review token (a bearer header, or a cookie set from
a one-time `?token=` link) and is answered under a strict Content-Security-Policy:
no scripts, nothing loaded from elsewhere. Every piece of text from an export is
escaped: it is what people typed.
"""

from __future__ import annotations

import hmac
import html
import http.server
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple
from urllib.parse import parse_qs, quote, unquote, urlsplit

MOVES = (
    "bid",
    "reassurance_request",
    "withdrawal",
    "criticism",
    "contempt",
    "defensiveness",
    "turning_toward",
)
KINDS = ("toward", "away", "against")
ID_PATTERN = re.compile(r"p_[0-9a-f]{1,64}")
COOKIE = "review_token"
ASSETS = Path(__file__).resolve().parent / "review_assets"
STATIC = {"/review.css": ("review.css", "text/css; charset=utf-8")}
HTML_TYPE = "text/html; charset=utf-8"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# Redirect targets stay on this site: no "//host" or "/\host" tricks.
SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)?")
# Anonymizer placeholders such as [PERSON_1], shown apart from what people typed.
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")


def move_label(move: str) -> str:
    return move.replace("_", " ").capitalize()


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


# --- Rendering: small helpers ----------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _move_class(move: str) -> str:
    """A CSS class from the fixed list only: export text never reaches markup."""
    return f"move-{move.replace('_', '-')}" if move in MOVES else "move-other"


def _percent(share: float | None) -> str:
    if share is None:
        return '<span class="none">—<span class="visually-hidden">none</span></span>'
    return f"{share * 100:.0f}%"


def _count(value: int) -> str:
    return f'<span class="zero">{value}</span>' if value == 0 else str(value)


def _date(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return _e(value)
    return f'<time datetime="{day.isoformat()}">{day.day} {day:%b %Y}</time>'


def _user_text(text: str) -> str:
    return PLACEHOLDER.sub(
        lambda m: f'<span class="placeholder">{m.group()}</span>', _e(text)
    )


def _move_heading(move: str) -> str:
    """A column header: the move's colour dot (a glyph, so it stays with the first
    word) and its name, with soft hyphens so narrow columns can break long words."""
    label = move_label(move).replace("Reassurance", "Reassur&shy;ance")
    label = label.replace("Defensiveness", "Defensive&shy;ness")
    dot = f'<span class="swatch {_move_class(move)}" aria-hidden="true">●</span>'
    return f'<th scope="col" class="num">{dot}{label}</th>'


CHROME = """<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<p class="brand"><a href="/">Transcript review</a></p>
<p class="tagline">Anonymized practice conversations, shared with consent</p>
</header>
"""


def _page(title: str, body: str, *, bare: bool = False) -> bytes:
    """A whole page. `bare`: no stylesheet and no site header, for visitors without
    the token (the stylesheet needs it too)."""
    link = "" if bare else '<link rel="stylesheet" href="/review.css">\n'
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_e(title)} · Transcript review</title>
<link rel="icon" href="data:,">
{link}</head>
<body>
{"" if bare else CHROME}<main id="main" tabindex="-1">
{body}
</main>
</body>
</html>
""".encode()


def message_page(title: str, text: str, *, bare: bool = False) -> bytes:
    """A short page; `text` is HTML, so callers escape what goes into it."""
    body = f"<h1>{_e(title)}</h1>\n<p>{text}</p>"
    return _page(title, body, bare=bare)


# --- Rendering: the list of conversations ----------------------------------------


def _problems(problems: List[Tuple[str, str]]) -> str:
    if not problems:
        return ""
    items = "".join(
        f"<li><code>{_e(name)}</code>: {_e(what)}</li>" for name, what in problems
    )
    return (
        '<section class="notice" aria-labelledby="problems">\n'
        '<h2 id="problems">Some exports could not be read</h2>\n'
        "<p>These files are not shown. Export them again, or ask whoever "
        f"exported them.</p>\n<ul>{items}</ul>\n</section>"
    )


def _rehearsal_summary(rehearsal: Rehearsal) -> str:
    return (
        f"{_e(rehearsal.scenario)}: {_e(rehearsal.ended)}, "
        f"{rehearsal.kinds['toward']}/{rehearsal.replies} toward"
    )


def _session_row(conversation: Conversation, session: Session) -> str:
    link = f'<a href="/conversation/{_e(conversation.id)}#session-{session.number}">'
    rehearsals = "".join(
        f"<li>{_rehearsal_summary(r)}</li>" for r in session.rehearsals
    )
    cells = [
        f'<th scope="row">{link}<code>{_e(conversation.id)}</code></a></th>',
        f'<td class="num">{session.number}</td>',
        f"<td>{_date(session.date)}</td>",
        f'<td class="num">{session.turns}</td>',
        *(f'<td class="num">{_count(session.moves[m])}</td>' for m in MOVES),
        f'<td class="num">{session.moves_total}</td>',
        f'<td class="num">{_percent(session.turned_toward_share)}</td>',
        f'<td><ul class="plain">{rehearsals}</ul></td>' if rehearsals else "<td></td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def _empty_row(conversation: Conversation) -> str:
    return (
        f'<tr><th scope="row"><a href="/conversation/{_e(conversation.id)}">'
        f"<code>{_e(conversation.id)}</code></a></th>"
        f'<td colspan="{len(MOVES) + 6}">No sessions</td></tr>'
    )


def _sessions_table(conversations: List[Conversation]) -> str:
    rows = [(c, s) for c in conversations for s in c.sessions]
    rows.sort(key=lambda row: (row[0].id, row[1].number))
    rows.sort(key=lambda row: row[1].date, reverse=True)  # stable: newest first
    body = [_session_row(c, s) for c, s in rows]
    body += [_empty_row(c) for c in conversations if not c.sessions]
    move_headers = "".join(_move_heading(m) for m in MOVES)
    return f"""<div class="table-wrap" role="region" aria-labelledby="sessions-caption"
 tabindex="0">
<table class="sessions">
<caption id="sessions-caption">Sessions, newest first</caption>
<colgroup span="4"></colgroup><colgroup span="{len(MOVES)}" class="moves"></colgroup>
<colgroup span="3"></colgroup>
<thead>
<tr><th scope="col" rowspan="2">Conversation</th>
<th scope="col" rowspan="2" class="num">Session</th>
<th scope="col" rowspan="2">Date</th>
<th scope="col" rowspan="2" class="num">Turns</th>
<th scope="colgroup" colspan="{len(MOVES)}">Moves by type</th>
<th scope="col" rowspan="2" class="num">Moves</th>
<th scope="col" rowspan="2" class="num">Turned toward</th>
<th scope="col" rowspan="2">Rehearsals</th></tr>
<tr>{move_headers}</tr>
</thead>
<tbody>
{"".join(body)}
</tbody>
</table>
</div>"""


def index_page(listing: Listing) -> bytes:
    parts = ["<h1>Practice conversations</h1>", _problems(listing.problems)]
    if listing.conversations:
        parts.append(
            '<p class="lede">Each row is one session. <em>Turned toward</em> is the '
            "share of the client's moves that turned toward the partner. Names and "
            'places appear as placeholders such as <span class="placeholder">'
            "[PERSON_1]</span>.</p>"
        )
        parts.append(_sessions_table(listing.conversations))
    elif not listing.problems:
        parts.append(
            '<p class="empty">No exported transcripts yet. Conversations appear '
            "here once they are exported with the client's consent.</p>"
        )
    return _page("Conversations", "\n".join(p for p in parts if p))


# --- Rendering: one conversation -------------------------------------------------


def _counts_table(session: Session) -> str:
    headers = "".join(_move_heading(m) for m in MOVES)
    cells = "".join(f'<td class="num">{_count(session.moves[m])}</td>' for m in MOVES)
    # Scrollable on narrow screens, so it is a labelled region the keyboard reaches.
    return f"""<div class="table-wrap" role="region" tabindex="0"
 aria-label="Moves in session {session.number}">
<table class="counts">
<caption class="visually-hidden">Moves in session {session.number}</caption>
<thead><tr><th scope="col">Turns</th>{headers}<th scope="col">Moves</th>
<th scope="col">Turned toward</th></tr></thead>
<tbody><tr><td class="num">{session.turns}</td>{cells}
<td class="num">{session.moves_total}</td>
<td class="num">{_percent(session.turned_toward_share)}</td></tr></tbody>
</table>
</div>"""


def _rehearsals(session: Session) -> str:
    if not session.rehearsals:
        return '<p class="muted">No rehearsals in this session.</p>'
    items = []
    for r in session.rehearsals:
        kinds = ", ".join(f"{r.kinds[k]} {k}" for k in KINDS)
        share = (
            "" if r.toward_share is None else f" ({_percent(r.toward_share)} toward)"
        )
        resolved = "resolved" if r.resolved else "not resolved"
        items.append(
            f"<li><strong>{_e(r.scenario)}</strong>: {_e(r.ended)} · "
            f"{r.replies} replies · {kinds}{share} · {resolved}</li>"
        )
    return f'<ul class="rehearsals">{"".join(items)}</ul>'


def _chart_summary(session: Session, moved: List[Turn]) -> str:
    tally = ", ".join(
        f"{n} {move_label(m).lower()}"
        for m in MOVES
        if (n := sum(t.move == m for t in moved))
    )
    first, last = move_label(moved[0].move or ""), move_label(moved[-1].move or "")
    return (
        f"Moves over time in session {session.number}: {len(moved)} client turns "
        f"with a move ({tally}). First {first.lower()}, last {last.lower()}."
    )


def _dot_title(order: int, turn: Turn) -> str:
    details = [move_label(turn.move or "")]
    if turn.confidence is not None:
        details.append(f"confidence {turn.confidence * 100:.0f}%")
    if turn.actor:
        details.append(f"actor: {turn.actor}")
    return _e(f"Move {order} (turn {turn.index}): " + ", ".join(details))


def _chart(session: Session, turns: List[Turn]) -> str:
    """Server-side SVG: x is the order of the client's move turns, y the move."""
    moved = [t for t in turns if t.speaker == "user" and t.move in MOVES]
    if not moved:
        return '<p class="muted">No client turns with a move in this session.</p>'
    left, top, row, step, right, bottom = 168, 10, 30, 34, 16, 48
    # At least 240px of plot, so a short session still has room for its axis title.
    width = left + max(step * len(moved), 240) + right
    height = top + row * len(MOVES) + bottom

    def y(move: str) -> int:
        return top + row * MOVES.index(move) + row // 2

    def x(order: int) -> int:
        return left + step * (order - 1) + step // 2

    parts = []
    for move in MOVES:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(move)}" '
            f'y2="{y(move)}"/><text class="label" x="{left - 12}" y="{y(move)}" '
            f'text-anchor="end" dominant-baseline="middle">{move_label(move)}</text>'
        )
    every = 1 if len(moved) <= 30 else 5
    baseline = top + row * len(MOVES)
    for order in range(1, len(moved) + 1):
        if order == 1 or order % every == 0:
            parts.append(
                f'<text class="tick" x="{x(order)}" y="{baseline + 14}" '
                f'text-anchor="middle">{order}</text>'
            )
    parts.append(
        f'<text class="axis" x="{left + (width - left - right) // 2}" '
        f'y="{height - 8}" text-anchor="middle">Client moves, in order</text>'
    )
    points = " ".join(f"{x(i)},{y(t.move or '')}" for i, t in enumerate(moved, 1))
    parts.append(f'<polyline class="trail" points="{points}"/>')
    for order, turn in enumerate(moved, start=1):
        parts.append(
            f'<circle class="dot {_move_class(turn.move or "")}" cx="{x(order)}" '
            f'cy="{y(turn.move or "")}" r="7"><title>{_dot_title(order, turn)}'
            "</title></circle>"
        )
    return f"""<figure class="chart">
<div class="chart-scroll" role="region" tabindex="0"
 aria-label="Chart of session {session.number}">
<svg xmlns="http://www.w3.org/2000/svg" role="img"
 aria-label="{_e(_chart_summary(session, moved))}" viewBox="0 0 {width} {height}"
 width="{width}" height="{height}">
{"".join(parts)}
</svg>
</div>
<figcaption>Each dot is one of the client's turns, left to right in the order they
were said, on the row of the move it made. Hover a dot for details; every turn is
also listed below.</figcaption>
</figure>"""


def _badge(turn: Turn) -> str:
    if turn.move:
        label, css = move_label(turn.move), _move_class(turn.move)
    elif turn.intent == "crisis":
        label, css = "Crisis", "badge-crisis"
    elif turn.intent:
        label, css = turn.intent.replace("_", " "), "badge-intent"
    else:
        return ""
    details = []
    if turn.confidence is not None:
        details.append(f"confidence {turn.confidence * 100:.0f}%")
    if turn.actor:
        details.append(f"actor: {_e(turn.actor)}")
    meta = f' <span class="turn-meta">{" · ".join(details)}</span>' if details else ""
    return f' <span class="badge {css}">{_e(label)}</span>{meta}'


def _turn_item(turn: Turn) -> str:
    if turn.speaker == "user":
        css, who = "turn-user", "Client"
    elif turn.partner_line:
        css, who = "turn-partner", "Partner"
    else:
        css, who = "turn-bot", "Assistant"
    badge = _badge(turn) if turn.speaker == "user" else ""
    played = (
        ' <span class="turn-meta">played by the assistant</span>'
        if turn.partner_line
        else ""
    )
    return (
        f'<li class="turn {css}"><p class="turn-head"><span class="speaker">{who}'
        f"</span>{badge}{played}</p>"
        f'<p class="turn-text">{_user_text(turn.text)}</p></li>'
    )


def _transcript(turns: List[Turn]) -> str:
    if not turns:
        return '<p class="muted">No turns were exported for this session.</p>'
    items, scene = [], None
    for turn in turns:
        # Mark where a rehearsal scene starts and ends, so partner lines read right.
        if turn.rehearsal != scene:
            if scene is not None:
                items.append(f'<li class="scene">End of rehearsal: {_e(scene)}</li>')
            if turn.rehearsal is not None:
                items.append(f'<li class="scene">Rehearsal: {_e(turn.rehearsal)}</li>')
            scene = turn.rehearsal
        items.append(_turn_item(turn))
    if scene is not None:
        items.append(f'<li class="scene">End of rehearsal: {_e(scene)}</li>')
    return f'<ol class="turns">{"".join(items)}</ol>'


def _session_section(session: Session, turns: List[Turn]) -> str:
    n = session.number
    return f"""<section class="session" aria-labelledby="session-{n}">
<h2 id="session-{n}">Session {n} <span class="when">{_date(session.date)}</span></h2>
{_counts_table(session)}
<h3>Rehearsals</h3>
{_rehearsals(session)}
<h3>Moves over time</h3>
{_chart(session, turns)}
<h3>Transcript</h3>
{_transcript(turns)}
</section>"""


def conversation_page(conversation: Conversation) -> bytes:
    skipped = ""
    if conversation.skipped_events:
        skipped = (
            f"<div><dt>Left out</dt><dd>{conversation.skipped_events} events the "
            "exporter could not read</dd></div>"
        )
    sessions = "\n".join(
        _session_section(s, [t for t in conversation.turns if t.session == s.number])
        for s in sorted(conversation.sessions, key=lambda s: s.number)
    )
    body = f"""<nav aria-label="Breadcrumb"><a href="/">All conversations</a></nav>
<h1>Conversation <code>{_e(conversation.id)}</code></h1>
<dl class="facts">
<div><dt>Exported</dt><dd>{_date(conversation.exported_on)}</dd></div>
<div><dt>Consent since</dt><dd>{_date(conversation.consent_since)}</dd></div>
<div><dt>Sessions</dt><dd>{len(conversation.sessions)}</dd></div>{skipped}
</dl>
{sessions or '<p class="empty">This conversation has no sessions.</p>'}"""
    return _page(f"Conversation {conversation.id}", body)


# --- HTTP ------------------------------------------------------------------------


def _token_matches(candidate: str, token: str) -> bool:
    return hmac.compare_digest(candidate.encode(), token.encode())


class _ReviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Tuple[str, int], export_dir: Path, token: str) -> None:
        self.export_dir = export_dir
        self.token = token
        super().__init__(address, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _ReviewServer
    server_version = "transcript-review"
    sys_version = ""
    timeout = 30  # a stalled client does not hold a thread for ever

    def do_GET(self) -> None:
        self._respond()

    def do_HEAD(self) -> None:
        self._respond()

    def end_headers(self) -> None:
        # Here rather than per response, so http.server's own errors get them too.
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        # Query strings may carry the token: drop them, and the token wherever else.
        message = re.sub(r"\?[^\s\"']*", "", format % args)
        message = message.replace(self.server.token, "[token]")
        message = re.sub(r"[\x00-\x1f\x7f]", "?", message)
        sys.stderr.write(
            f"{self.address_string()} - - [{self.log_date_time_string()}] {message}\n"
        )

    def _respond(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True).get("token")
        if query is not None:
            if _token_matches(query[0], self.server.token):
                self._redirect_with_cookie(url.path)
            else:
                self._unauthorized()
            return
        if not self._authorized():
            self._unauthorized()
            return
        try:
            status, body, content_type = self._route(url.path)
        except Exception as error:  # a bug must not show text or a traceback
            self.log_message("internal error: %s", type(error).__name__)
            status, content_type = 500, HTML_TYPE
            body = message_page("Something went wrong", "The page could not be made.")
        self._send(status, body, content_type)

    def _authorized(self) -> bool:
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and _token_matches(
            value.strip(), self.server.token
        ):
            return True
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and _token_matches(unquote(value), self.server.token):
                return True
        return False

    def _route(self, path: str) -> Tuple[int, bytes, str]:
        if path == "/":
            return 200, index_page(read_exports(self.server.export_dir)), HTML_TYPE
        if path in STATIC:
            name, content_type = STATIC[path]
            return 200, (ASSETS / name).read_bytes(), content_type
        prefix = "/conversation/"
        if path.startswith(prefix):
            return self._conversation(path[len(prefix) :])
        return 404, _not_found(), HTML_TYPE

    def _conversation(self, conversation_id: str) -> Tuple[int, bytes, str]:
        # Only "p_<hex>" reaches the file system: no separators, no "..".
        if not ID_PATTERN.fullmatch(conversation_id):
            return 404, _not_found(), HTML_TYPE
        path = self.server.export_dir / f"{conversation_id}.jsonl"
        if not path.is_file():
            return 404, _not_found(), HTML_TYPE
        try:
            conversation = read_conversation(path)
        except MalformedExport as error:
            text = f"<code>{_e(path.name)}</code>: {_e(error)}."
            return 500, message_page("This export could not be read", text), HTML_TYPE
        return 200, conversation_page(conversation), HTML_TYPE

    def _redirect_with_cookie(self, path: str) -> None:
        self.send_response(303)
        self.send_header("Location", path if SAFE_PATH.fullmatch(path) else "/")
        self.send_header(
            "Set-Cookie",
            f"{COOKIE}={quote(self.server.token, safe='')}; HttpOnly; "
            "SameSite=Strict; Path=/",
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _unauthorized(self) -> None:
        body = message_page(
            "A token is needed",
            "This page shows private transcripts. Open the review link you were "
            "given (it ends in <code>?token=…</code>); if you just did, reload "
            "this page.",
            bare=True,
        )
        self._send(401, body, HTML_TYPE, [("WWW-Authenticate", "Bearer")])

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Sequence[Tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _not_found() -> bytes:
    return message_page(
        "Not found",
        'There is no such conversation. <a href="/">See all conversations</a>.',
    )


def make_server(
    export_dir: Path, token: str, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """A review server bound to host:port (0: any free port); not yet serving."""
    if not token or not token.strip():
        raise ValueError("the review page needs a non-empty token")
    return _ReviewServer((host, port), Path(export_dir), token)


def serve(export_dir: Path, token: str, host: str, port: int) -> None:
    """Serves the review page until Ctrl-C."""
    with make_server(export_dir, token, host, port) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
