"""The review page's HTML: the list of sessions, one transcript with its moves
marked and a chart per session. Every piece of text from an export is escaped: it
is what people typed."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import List, Tuple

from bids_partner.contract import KINDS, MOVES
from bids_partner.transcripts.review_reader import (
    Conversation,
    Listing,
    Rehearsal,
    Session,
    Turn,
)

# Anonymizer placeholders such as [PERSON_1], shown apart from what people typed.
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")


def move_label(move: str) -> str:
    return move.replace("_", " ").capitalize()


# --- Rendering: small helpers ----------------------------------------------------


def esc(value: object) -> str:
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
        return esc(value)
    return f'<time datetime="{day.isoformat()}">{day.day} {day:%b %Y}</time>'


def _user_text(text: str) -> str:
    return PLACEHOLDER.sub(
        lambda m: f'<span class="placeholder">{m.group()}</span>', esc(text)
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
<title>{esc(title)} · Transcript review</title>
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
    body = f"<h1>{esc(title)}</h1>\n<p>{text}</p>"
    return _page(title, body, bare=bare)


# --- Rendering: the list of conversations ----------------------------------------


def _problems(problems: List[Tuple[str, str]]) -> str:
    if not problems:
        return ""
    items = "".join(
        f"<li><code>{esc(name)}</code>: {esc(what)}</li>" for name, what in problems
    )
    return (
        '<section class="notice" aria-labelledby="problems">\n'
        '<h2 id="problems">Some exports could not be read</h2>\n'
        "<p>These files are not shown. Export them again, or ask whoever "
        f"exported them.</p>\n<ul>{items}</ul>\n</section>"
    )


def _rehearsal_summary(rehearsal: Rehearsal) -> str:
    return (
        f"{esc(rehearsal.scenario)}: {esc(rehearsal.ended)}, "
        f"{rehearsal.kinds['toward']}/{rehearsal.replies} toward"
    )


def _session_row(conversation: Conversation, session: Session) -> str:
    link = f'<a href="/conversation/{esc(conversation.id)}#session-{session.number}">'
    rehearsals = "".join(
        f"<li>{_rehearsal_summary(r)}</li>" for r in session.rehearsals
    )
    cells = [
        f'<th scope="row">{link}<code>{esc(conversation.id)}</code></a></th>',
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
        f'<tr><th scope="row"><a href="/conversation/{esc(conversation.id)}">'
        f"<code>{esc(conversation.id)}</code></a></th>"
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
            f"<li><strong>{esc(r.scenario)}</strong>: {esc(r.ended)} · "
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
    return esc(f"Move {order} (turn {turn.index}): " + ", ".join(details))


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
 aria-label="{esc(_chart_summary(session, moved))}" viewBox="0 0 {width} {height}"
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
        details.append(f"actor: {esc(turn.actor)}")
    meta = f' <span class="turn-meta">{" · ".join(details)}</span>' if details else ""
    return f' <span class="badge {css}">{esc(label)}</span>{meta}'


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
                items.append(f'<li class="scene">End of rehearsal: {esc(scene)}</li>')
            if turn.rehearsal is not None:
                items.append(f'<li class="scene">Rehearsal: {esc(turn.rehearsal)}</li>')
            scene = turn.rehearsal
        items.append(_turn_item(turn))
    if scene is not None:
        items.append(f'<li class="scene">End of rehearsal: {esc(scene)}</li>')
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
<h1>Conversation <code>{esc(conversation.id)}</code></h1>
<dl class="facts">
<div><dt>Exported</dt><dd>{_date(conversation.exported_on)}</dd></div>
<div><dt>Consent since</dt><dd>{_date(conversation.consent_since)}</dd></div>
<div><dt>Sessions</dt><dd>{len(conversation.sessions)}</dd></div>{skipped}
</dl>
{sessions or '<p class="empty">This conversation has no sessions.</p>'}"""
    return _page(f"Conversation {conversation.id}", body)
