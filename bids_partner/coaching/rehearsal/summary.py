"""What the coach says about a rehearsal: feedback on a reply, the closing summary."""

from __future__ import annotations

from typing import Dict, List, Sequence

from bids_partner.coaching.rehearsal.play import (
    KIND_MOVE,
    Turn,
    aimed_count,
    aimed_kind,
    answered_as,
    best_turn,
    focus_kind,
    move_counts,
)
from bids_partner.coaching.scenario_schema import RehearsalTexts, Scenario
from bids_partner.coaching.wording import quoted_phrase


def _quote(texts: RehearsalTexts, text: str | None) -> str:
    """The user's words quoted back, or the content's stand-in when the message
    is not in the conversation any more."""
    return quoted_phrase(text) if text else texts.unquoted_reply


def aims_at_reach(scenario: Scenario) -> bool:
    """The scene practises first the user's own need said softly: the texts of
    content/rehearsal.yml's reach_aim are said instead of the usual ones."""
    return scenario.aim[0] == "reach"


def aims_at_toward_and_reach(scenario: Scenario) -> bool:
    """The scene practises turning toward first, and a reply that says the user's
    own need meets it too: the counts of toward_and_reach_aim are said."""
    return scenario.aim[0] == "toward" and "reach" in scenario.aim


def feedback_text(
    texts: RehearsalTexts,
    scenario: Scenario,
    turn: Turn,
    reply: str | None,
    earlier: Sequence[Turn] = (),
) -> str:
    """The scenario's note on this kind of reply; a shorter one when the same
    kind came earlier in the scene, so the note does not repeat word for word."""
    # A toward reply that also said the need a scene practises gets that need's
    # note (play.answered_as), named as the move of reaching.
    branch = answered_as(turn, scenario.aim)
    move = turn.move if branch == turn.kind else KIND_MOVE[branch]
    fill = {
        "partner": scenario.partner.name,
        "reply": _quote(texts, reply),
        "move": texts.move_labels[move],
    }
    if any(answered_as(t, scenario.aim) == branch for t in earlier):
        again = (
            texts.reach_aim.feedback_again
            if aims_at_reach(scenario)
            else texts.feedback_again
        )
        note = again[branch].format(**fill)
    else:
        note = scenario.replies[branch].feedback.format(**fill)
    if reply and fill["reply"] not in note:
        note = f"{texts.turning_quote[turn.kind].format(**fill)} {note}"
    if turn.also_reached and branch == turn.kind:
        note = f"{note} {texts.also_reached.format(partner=fill['partner'])}"
    return note


def counts_text(texts: RehearsalTexts, turns: Sequence[Turn]) -> str:
    """'turning toward 2, criticism 1', in the order of the NLU contract."""
    return ", ".join(
        f"{texts.move_labels[move]} {count}"
        for move, count in move_counts(turns).items()
    )


def toward_count(turns: Sequence[Turn]) -> int:
    return sum(1 for turn in turns if turn.kind == "toward")


def how_many(
    texts: RehearsalTexts, scenario: Scenario, turns: Sequence[Turn]
) -> Dict[str, object]:
    """Who was answered and how often, as the counts and the stop texts say it."""
    return {
        "partner": scenario.partner.name,
        "replies": len(turns),
        "times": texts.times.say(len(turns)),
    }


def summary_messages(
    texts: RehearsalTexts,
    scenario: Scenario,
    turns: Sequence[Turn],
    replies: Dict[str, str],
    feedback_at_end: bool,
) -> List[str]:
    """The end-of-scene summary: counts per move, the best reply quoted back (only
    one that met the scene's aim, else one that turned toward or reached for the
    user's own need, never one that turned away or against), what to try when no
    reply met the aim, the notes held back if the user chose them at the end, and
    one suggestion. `replies` maps a turn's message id to the user's words."""
    summary = texts.summary
    partner = scenario.partner.name
    aim = scenario.aim
    fill = {**how_many(texts, scenario, turns), "counts": counts_text(texts, turns)}
    messages = [summary.heading]
    if aims_at_reach(scenario):
        counts = texts.reach_aim.counts.format(**fill, reached=aimed_count(turns, aim))
        no_aim = texts.reach_aim.no_reach
    elif aims_at_toward_and_reach(scenario):
        counts = texts.toward_and_reach_aim.counts.format(
            **fill, met=aimed_count(turns, aim)
        )
        no_aim = summary.no_toward
    else:
        counts = summary.counts.format(**fill, toward=toward_count(turns))
        no_aim = summary.no_toward
    messages.append(counts)
    best = best_turn(turns, aim)
    met = aimed_kind(best, aim) if best is not None else None
    if best is not None:
        held_up = summary.best[met] if met else summary.closest[best.kind]
        messages.append(
            held_up.format(
                partner=partner, reply=_quote(texts, replies.get(best.message_id or ""))
            )
        )
    if met is None:
        messages.append(no_aim.format(partner=partner))
    if feedback_at_end:
        messages.extend(
            summary.per_reply.format(
                number=number,
                reply=_quote(texts, replies.get(turn.message_id or "")),
                feedback=feedback_text(
                    texts,
                    scenario,
                    turn,
                    replies.get(turn.message_id or ""),
                    turns[: number - 1],
                ),
            )
            for number, turn in enumerate(turns, start=1)
        )
    suggestion = scenario.replies[focus_kind(turns, aim)].suggestion.format(
        partner=partner
    )
    messages.append(summary.suggestion.format(suggestion=suggestion))
    return messages


def stopped_text(
    texts: RehearsalTexts, scenario: Scenario | None, turns: Sequence[Turn]
) -> str:
    if scenario is None or not turns:
        return texts.stopped
    fill = how_many(texts, scenario, turns)
    if aims_at_reach(scenario):
        return texts.reach_aim.stopped_with_replies.format(
            **fill, reached=aimed_count(turns, scenario.aim)
        )
    if aims_at_toward_and_reach(scenario):
        return texts.toward_and_reach_aim.stopped_with_replies.format(
            **fill, met=aimed_count(turns, scenario.aim)
        )
    return texts.stopped_with_replies.format(**fill, toward=toward_count(turns))
