"""How a rehearsal unfolds: a reply's move and kind, the partner's next line, the end.

Pure functions over a scenario and the turns so far, so the dialogue code only
reads the tracker and says what these return.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from bids_partner.coaching.rehearsal.cues import best_line_index, find_cues
from bids_partner.coaching.scenario_schema import DEFAULT_AIM, HELD_UP_KINDS, Scenario
from bids_partner.contract import (
    MOVE_KIND,
    MOVES,
    PARTNER_MARK,
    REPLY_JUDGEMENT_KEY,
)

# Answering the partner's line, a plain "yes" accepts their bid and a plain "no"
# declines it.
ANSWER_MOVE = {"affirm": "turning_toward", "deny": "withdrawal"}
# A rehearsal reply is almost always a move, so below the fallback threshold the
# best-ranked move still counts if the classifier gives it at least this much.
MIN_MOVE_CONFIDENCE = 0.2
# Best first: what the summary quotes back.
KIND_RANK = {"toward": 3, "reach": 2, "away": 1, "against": 0}
# Below this the reply judge is not sure enough: the coach asks instead of scoring.
MIN_KIND_CONFIDENCE = 0.4
# The move recorded with a judged kind when the moves classifier named none of it.
KIND_MOVE = {
    "toward": "turning_toward",
    "away": "withdrawal",
    "against": "criticism",
    "reach": "bid",
}


@dataclass(frozen=True)
class Turn:
    move: str
    kind: str
    confidence: float
    # Points at the user's message in the tracker; the slot keeps no message text.
    message_id: str | None = None
    # What the reply contained (cues) and which of the kind's partner lines
    # answered it.
    cues: Tuple[str, ...] = ()
    line: int | None = None
    # Turned toward, then asked for the user's own need too.
    also_reached: bool = False

    def as_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["cues"] = list(self.cues)
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Turn:
        line = data.get("line")
        return cls(
            move=data["move"],
            kind=data["kind"],
            confidence=float(data.get("confidence", 0.0)),
            message_id=data.get("message_id"),
            cues=tuple(str(c) for c in data.get("cues") or ()),
            line=line if isinstance(line, int) else None,
            also_reached=bool(data.get("also_reached", False)),
        )


@dataclass(frozen=True)
class Reading:
    """What the coach makes of a reply: a turn to score, or a reason not to."""

    status: str  # "turn", "too_short", "two_ways" or "unclear"
    turn: Turn | None = None
    # The part of the reply that did the turning, quoted in the feedback.
    quote: str | None = None


def read_turns(value: Any) -> List[Turn]:
    """The turns stored in the `rehearsal_turns` slot (None or a list of dicts)."""
    if not isinstance(value, list):
        return []
    return [Turn.from_dict(item) for item in value if isinstance(item, dict)]


def read_move(parse_data: Dict[str, Any]) -> tuple[str, float] | None:
    """The move a reply makes and the classifier's confidence, or None when the
    reply is not an answer to the partner at all."""
    intent = parse_data.get("intent") or {}
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    if name in MOVES:
        return name, confidence
    if name in ANSWER_MOVE:
        return ANSWER_MOVE[name], confidence
    if name == "nlu_fallback":
        ranked = [
            (entry.get("name"), float(entry.get("confidence") or 0.0))
            for entry in parse_data.get("intent_ranking") or []
            if entry.get("name") in MOVES
        ]
        if ranked:
            move, score = max(ranked, key=lambda pair: pair[1])
            if score >= MIN_MOVE_CONFIDENCE:
                return move, score
    return None


def make_turn(parse_data: Dict[str, Any]) -> Turn | None:
    """The turn from the moves classifier alone (no reply judgement available)."""
    read = read_move(parse_data)
    if read is None:
        return None
    move, confidence = read
    return Turn(
        move, MOVE_KIND[move], round(confidence, 3), parse_data.get("message_id")
    )


def move_for_kind(parse_data: Dict[str, Any], kind: str) -> str:
    """The move recorded with a judged kind: the classifier's best-ranked move of
    that kind, else the kind's plain move."""
    ranking = parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
    for entry in ranking:
        name = entry.get("name")
        if name in MOVE_KIND and MOVE_KIND[name] == kind:
            return name
    return KIND_MOVE[kind]


def confident_kind(parse_data: Dict[str, Any]) -> str | None:
    """The kind the reply judge gave the reply, if it judged it and was sure enough
    (a reply it could hear as toward or against is not)."""
    judgement = parse_data.get(REPLY_JUDGEMENT_KEY) or {}
    if judgement.get("two_ways"):
        return None
    kind = judgement.get("kind")
    if kind in KIND_MOVE and float(judgement.get("confidence") or 0.0) >= (
        MIN_KIND_CONFIDENCE
    ):
        return kind
    return None


def read_reply(
    parse_data: Dict[str, Any],
    scenario: Scenario,
    earlier: Sequence[Turn],
    cue_patterns: Dict[str, re.Pattern[str]],
) -> Reading:
    """Judges a reply to the partner from the NLU's reply judgement: too short to
    judge, not clear enough to score, or a turn with the partner line that
    answers it."""
    judgement = parse_data.get(REPLY_JUDGEMENT_KEY)
    if not isinstance(judgement, dict):
        turn = make_turn(parse_data)
        if turn is None:
            return Reading("unclear")
        return Reading("turn", with_line(turn, scenario, earlier, frozenset()), None)
    if judgement.get("too_short"):
        return Reading("too_short")
    if judgement.get("two_ways"):
        return Reading("two_ways")
    kind = confident_kind(parse_data)
    if kind is None:
        return Reading("unclear")
    cues = find_cues(cue_patterns, parse_data.get("text") or "")
    turn = Turn(
        move_for_kind(parse_data, kind),
        kind,
        round(float(judgement["confidence"]), 3),
        parse_data.get("message_id"),
        cues=tuple(sorted(cues)),
        also_reached=bool(judgement.get("also_reached")),
    )
    quote = judgement.get("quote")
    return Reading(
        "turn",
        with_line(turn, scenario, earlier, cues),
        quote if isinstance(quote, str) else None,
    )


def answered_as(turn: Turn, aim: Sequence[str] = DEFAULT_AIM) -> str:
    """The scene's branch that answers the turn (its partner lines and note): the
    turn's kind, or reach where a reply turned toward and also said the user's own
    need in a scene that practises saying it. There the need is what was
    practised: the partner answers it, and the note is not the one that says the
    need went unsaid."""
    if turn.kind not in aim and aimed_kind(turn, aim) == "reach":
        return "reach"
    return turn.kind


def with_line(
    turn: Turn, scenario: Scenario, earlier: Sequence[Turn], cues: frozenset
) -> Turn:
    """The turn with the partner line that answers it: what it said (its cues),
    not how many replies of its kind came before."""
    branch = answered_as(turn, scenario.aim)
    lines = scenario.replies[branch].partner
    used = [
        t.line
        for t in earlier
        if answered_as(t, scenario.aim) == branch and t.line is not None
    ]
    index = best_line_index([frozenset(x.responds_to) for x in lines], cues, used)
    return replace(turn, line=index)


def partner_says(scenario: Scenario, line: str) -> str:
    return f"{scenario.partner.name}{PARTNER_MARK}{line}"


def next_partner_line(scenario: Scenario, turns: Sequence[Turn]) -> str:
    """The opening line, or the line chosen for the latest reply."""
    if not turns:
        return scenario.opening
    last = turns[-1]
    lines = scenario.replies[answered_as(last, scenario.aim)].partner
    if last.line is None or not 0 <= last.line < len(lines):
        last = with_line(last, scenario, turns[:-1], frozenset(last.cues))
    return lines[last.line or 0].line


def aimed_kind(turn: Turn, aim: Sequence[str] = DEFAULT_AIM) -> str | None:
    """The kind of the scene's aim this reply met, or None: its own kind when that
    is an aim, else reach when it turned toward and then reached for the user's
    own need too ("thank you for asking. I'm still shaken") and reach is an aim."""
    if turn.kind in aim:
        return turn.kind
    if turn.also_reached and "reach" in aim:
        return "reach"
    return None


def judgement_meets_aim(
    judgement: Dict[str, Any], aim: Sequence[str] = DEFAULT_AIM
) -> bool:
    """Whether a reply the judge judged so counts toward the scene's aim, as the
    rehearsal counts it: judged with confidence (not asked about) and of an aimed
    kind, or toward with the user's own need said where reach is aimed at."""
    kind = confident_kind({REPLY_JUDGEMENT_KEY: judgement})
    if kind is None:
        return False
    also_reached = bool(judgement.get("also_reached"))
    turn = Turn("bid", kind, 1.0, None, also_reached=also_reached)
    return aimed_kind(turn, aim) is not None


def aimed_count(turns: Iterable[Turn], aim: Sequence[str] = DEFAULT_AIM) -> int:
    return sum(1 for turn in turns if aimed_kind(turn, aim))


def is_over(scenario: Scenario, turns: Sequence[Turn]) -> bool:
    """Enough replies met the scene's aim, or the replies ran out."""
    ending = scenario.ending
    return (
        aimed_count(turns, scenario.aim) >= ending.resolve_after
        or len(turns) >= ending.max_replies
    )


def landed(turns: Sequence[Turn], aim: Sequence[str] = DEFAULT_AIM) -> bool:
    """The last reply met the scene's aim (turned toward, unless the scene aims
    elsewhere): the partner settles."""
    return bool(turns) and aimed_kind(turns[-1], aim) is not None


def closing_line(scenario: Scenario, turns: Sequence[Turn]) -> str:
    if landed(turns, scenario.aim):
        return scenario.ending.resolved
    return scenario.ending.unresolved


def move_counts(turns: Iterable[Turn]) -> Dict[str, int]:
    """Replies per move, in the order of the NLU contract, moves made only."""
    counts = Counter(turn.move for turn in turns)
    return {move: counts[move] for move in MOVES if counts[move]}


def best_turn(turns: Sequence[Turn], aim: Sequence[str] = DEFAULT_AIM) -> Turn | None:
    """The reply to hold up: one that met the scene's aim, else one that turned
    toward the partner, else one that reached for the user's own need, the surer
    one on a tie; None when every reply turned away or against."""
    held_up = [turn for turn in turns if turn.kind in HELD_UP_KINDS]
    if not held_up:
        return None
    return max(
        held_up,
        key=lambda turn: (
            aimed_kind(turn, aim) is not None,
            KIND_RANK[turn.kind],
            turn.confidence,
        ),
    )


def focus_kind(turns: Sequence[Turn], aim: Sequence[str] = DEFAULT_AIM) -> str:
    """The kind the suggestion should address: the most common reply that missed
    the scene's aim (the more hurtful one on a tie), or the aim when all met it."""
    counts = Counter(turn.kind for turn in turns if aimed_kind(turn, aim) is None)
    if not counts:
        return aim[0]
    return max(counts, key=lambda kind: (counts[kind], -KIND_RANK[kind]))


def outcome(
    scenario_id: str,
    turns: Sequence[Turn],
    ended: str,
    feedback_mode: str | None,
    aim: Sequence[str] = DEFAULT_AIM,
) -> Dict[str, Any]:
    """What the conversation keeps of a rehearsal, for the therapist review. A
    scene that practises more than turning toward keeps its `aim` too, and is
    resolved when its last reply met that aim."""
    toward = sum(1 for turn in turns if turn.kind == "toward")
    best = best_turn(turns, aim)
    kept = {
        "scenario": scenario_id,
        "ended": ended,
        "feedback": feedback_mode,
        "replies": len(turns),
        "moves": move_counts(turns),
        "kinds": dict(Counter(turn.kind for turn in turns)),
        "toward_share": round(toward / len(turns), 3) if turns else 0.0,
        "best_message_id": best.message_id if best else None,
        "resolved": ended == "completed" and landed(turns, aim),
    }
    if tuple(aim) != DEFAULT_AIM:
        kept["aim"] = list(aim)
    return kept
