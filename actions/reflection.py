"""Reflects the relational move the NLU recognised, the way an EFT therapist would,
and follows the user's "yes" or "no" to a reflection (data/rules/
reflection_followup.yml).

What was said before is read from the tracker's events, not kept in slots: each
reflection the bot said is recognised by the template it was filled from, so
within a conversation no template comes back before the others for its move have
been said, and no check-in is asked twice in a row."""

from __future__ import annotations

import hashlib
import random
import re
from collections import OrderedDict
from functools import cache
from typing import Any, Dict, Iterable, List, NamedTuple, Sequence, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.surgeon import already_told, shows_surgeon_pattern, tell_surgeon_story
from actions.tracker_reading import latest_entity
from bids_partner.coaching import load_reflections
from bids_partner.coaching.schema import (
    FEELING_SLOTS,
    ReflectionContent,
    template_fields,
)
from bids_partner.coaching.wording import (
    partner_phrase,
    quoted_phrase,
    relationship_of,
)
from bids_partner.contract import ACTORS, MOVES, ROMANTIC
from bids_partner.language.feeling_reading import users_own
from bids_partner.language.spacy_pipeline import Feeling, load_feelings


class Reflection(NamedTuple):
    template: str
    text: str
    # How many of the feelings the user named it puts back to them.
    echoes: int


def actor_of(actor: str | None) -> str:
    """Whose move it is: the partner's only if the NLU said so."""
    return "partner" if actor == "partner" else "self"


def named_feelings(words: Iterable[object] | str | None) -> Dict[str, Feeling]:
    """The first feeling of each kind among the words the user typed; words
    outside the lexicon are left out."""
    if words is None or isinstance(words, str):
        words = [words]
    lexicon = load_feelings()
    named: Dict[str, Feeling] = {}
    for word in words:
        feeling = lexicon.find(word)
        if feeling is not None:
            named.setdefault(feeling.kind, feeling)
    return named


def users_feelings(tracker: Tracker, said: str) -> List[str]:
    """The feeling words the NLU found in the latest message that are the
    user's own: not someone else's ("he's furious"), not denied ("I'm not
    angry"), and meant as feelings ("home alone" is not)."""
    return users_own(tracker.get_latest_entity_values("emotion"), said)


def slot_values(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    message_text: str = "",
) -> Dict[str, str]:
    """What each placeholder of a reflection is filled with. A feeling slot takes
    the user's own word of its kind, else the move's tentative guess; the partner's
    feeling is always a guess, and a reactive feeling is never guessed."""
    named = named_feelings(feelings)
    guesses = content.moves[move].guesses.get(actor_of(actor), {})
    values = {
        "partner": partner_phrase(partner_word, content.default_partner),
        "phrase": quoted_phrase(message_text) if message_text else "that",
    }
    for slot, kind in FEELING_SLOTS.items():
        if kind in named and slot != "partner_feeling":
            values[slot] = named[kind].feel
        elif slot in guesses:
            first, second = guesses[slot]
            values[slot] = content.guess_wording.format(first=first, second=second)
    return values


def reflection_options(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    message_text: str = "",
) -> List[Reflection]:
    """Every reflection that can be offered for `move`: each text that reads
    right about the user's relationship and whose slots can all be filled, with
    how many of the user's own feeling words it puts back."""
    actor = actor_of(actor)
    relationship = relationship_of(partner_word)
    values = slot_values(content, move, actor, partner_word, feelings, message_text)
    named_kinds = set(named_feelings(feelings))
    echoed = {
        slot
        for slot, kind in FEELING_SLOTS.items()
        if kind in named_kinds and slot != "partner_feeling"
    }
    options = []
    for template in content.fitting(getattr(content.moves[move], actor), relationship):
        fields = template_fields(template)
        if fields <= values.keys():
            text = template.format(**values)
            options.append(Reflection(template, text, len(fields & echoed)))
    return options


class PastReflection(NamedTuple):
    """A reflection the bot said, as read back from its text."""

    move: str
    actor: str
    template: str
    # The check-in or safety_check it ended with, as written in the content; ""
    # when the ending is none of them.
    ending: str


T = TypeVar("T")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def filled_pattern(template: str) -> re.Pattern[str]:
    """Matches the start of a text filled from `template`, whatever filled it."""
    parts = PLACEHOLDER.split(template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts)),
        re.DOTALL,
    )


def endings(
    content: ReflectionContent, move: str, actor: str, relationship: str | None = None
) -> List[str]:
    """What a reflection ends with: the move's safety_check for a partner's move
    that has one, else a check-in; all of them, or those that read right about
    `relationship`."""
    safety = content.moves[move].safety_check
    texts = list(safety) if safety and actor == "partner" else list(content.check_ins)
    return texts if relationship is None else content.fitting(texts, relationship)


class _Templates(NamedTuple):
    content: ReflectionContent
    pattern: re.Pattern[str]
    # (move, actor, template) of each alternative, by its group's name.
    sources: Dict[str, tuple[str, str, str]]
    # What each bot message read as, by a digest of its text: every turn reads
    # the conversation's earlier messages again (about 50 us each with the
    # pattern), and a digest keeps no words a user may have asked to forget.
    read: OrderedDict[bytes, PastReflection | None]


# Bot messages remembered as read (about 100 bytes each).
READ_CACHE_SIZE = 50_000
_UNREAD = object()


_templates: _Templates | None = None


def reflection_templates(content: ReflectionContent) -> List[tuple[str, str, str]]:
    """(move, actor, template) of every reflection template, in content order."""
    return [
        (move, actor, template)
        for move, reflections in content.moves.items()
        for actor in ACTORS
        for template in getattr(reflections, actor)
    ]


def every_template(content: ReflectionContent) -> _Templates:
    """All of `content`'s templates as one pattern, tried in the order of the
    moves, actors and templates: a long conversation's bot messages are each read
    by one regular expression instead of a Python loop over every template."""
    global _templates
    if _templates is None or _templates.content is not content:
        sources = {
            f"t{index}": source
            for index, source in enumerate(reflection_templates(content))
        }
        pattern = re.compile(
            "|".join(
                f"(?P<{name}>{filled_pattern(template).pattern})"
                for name, (_, _, template) in sources.items()
            ),
            re.DOTALL,
        )
        _templates = _Templates(content, pattern, sources, OrderedDict())
    return _templates


def read_reflection(content: ReflectionContent, text: str) -> PastReflection | None:
    """The move, actor, template and ending `text` was composed from, if any."""
    templates = every_template(content)
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    known = templates.read.get(key, _UNREAD)
    if known is not _UNREAD:
        templates.read.move_to_end(key)
        return known  # type: ignore[return-value]
    reflection = _read(templates, text)
    templates.read[key] = reflection
    if len(templates.read) > READ_CACHE_SIZE:
        templates.read.popitem(last=False)
    return reflection


def _read(templates: _Templates, text: str) -> PastReflection | None:
    content = templates.content
    match = templates.pattern.match(text)
    if match is None or match.lastgroup is None:
        return None
    move, actor, template = templates.sources[match.lastgroup]
    rest = text[match.end() :].strip()
    ending = next(
        (e for e in endings(content, move, actor) if filled_pattern(e).fullmatch(rest)),
        "",
    )
    return PastReflection(move, actor, template, ending)


def bot_texts(events: Iterable[Dict[str, Any]]) -> List[str]:
    return [e["text"] for e in events if e.get("event") == "bot" and e.get("text")]


def past_reflections(
    content: ReflectionContent, events: Iterable[Dict[str, Any]]
) -> List[PastReflection]:
    """The reflections said in this conversation, oldest first."""
    read = (read_reflection(content, text) for text in bot_texts(events))
    return [reflection for reflection in read if reflection is not None]


def least_recent(options: Sequence[T], used: Sequence[T], rng: Any) -> T:
    """One of `options` not used yet, at random; when all were, the one used
    longest ago."""
    last = {option: index for index, option in enumerate(used)}
    fresh = [option for option in options if option not in last]
    if fresh:
        return rng.choice(fresh)
    return min(options, key=lambda option: last[option])


def compose_reflection(
    content: ReflectionContent,
    move: str,
    actor: str | None,
    partner_word: str | None,
    feelings: Iterable[object] | str | None,
    avoid: str | None = None,
    rng: random.Random | None = None,
    message_text: str = "",
    history: Sequence[PastReflection] = (),
) -> str:
    """A reflection for `move`, filled with the user's words, then a check-in.
    `feelings` are the feeling words the user typed: a text that puts back the
    most of them is chosen (their own words first), the rest are guessed.
    `history` (and `avoid`, a text said before) are the reflections said so far:
    a text not said yet is chosen, else the one said longest ago, and a check-in
    not asked yet, else the one asked longest ago."""
    rng = rng or random  # type: ignore[assignment]
    actor = actor_of(actor)
    said = list(history)
    if avoid and (read := read_reflection(content, avoid)) is not None:
        said.append(read)
    options = reflection_options(
        content, move, actor, partner_word, feelings, message_text
    )
    used = [r.template for r in said if (r.move, r.actor) == (move, actor)]
    last = {template: index for index, template in enumerate(used)}
    fresh = [option for option in options if option.template not in last]
    if fresh:
        most = max(option.echoes for option in fresh)
        body = rng.choice([o for o in fresh if o.echoes == most]).text
    else:
        body = min(options, key=lambda option: last[option.template]).text
    ending = least_recent(
        endings(content, move, actor, relationship_of(partner_word)),
        [r.ending for r in said if r.ending],
        rng,
    )
    partner = partner_phrase(partner_word, content.default_partner)
    return f"{body} {ending.format(partner=partner)}"


# What the user's answer to a followup may lead to.
FOLLOWUP_ACTION = "action_reflection_followup"
# The exercise a "yes" offers: the intent its button sends, and its form.
EXERCISE_INTENTS = {
    "reaching_out": "practice_reaching_out",
    "showing_up": "practice_showing_up",
}
EXERCISE_FORMS = {
    "practice_reaching_out": "reaching_out_form",
    "practice_showing_up": "showing_up_form",
}
NOT_NOW_PAYLOAD = "/deny"
# An answer that is not reflected gets what data/rules/conversation.yml gives it.
USUAL_RESPONSES = {
    "affirm": "utter_acknowledge",
    "deny": "utter_no_problem",
    "nlu_fallback": "utter_default",
    "out_of_scope": "utter_out_of_scope",
    "not_what_i_meant": "utter_rephrase",
}
# After "what would fit better?", an answer this short that names no feeling
# ("no", "not really", "idk") has nothing to reflect.
BARE_ANSWER_WORDS = 3


class Turn(NamedTuple):
    """A user message and what the bot did after it."""

    intent: str | None
    actions: List[str]
    bots: List[Dict[str, Any]]


def turns(events: Iterable[Dict[str, Any]]) -> List[Turn]:
    """The conversation as turns, oldest first; the last is the latest message."""
    found = [Turn(None, [], [])]
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            found.append(Turn(intent.get("name"), [], []))
        elif kind == "action" and event.get("name") != "action_listen":
            found[-1].actions.append(event.get("name"))
        elif kind == "bot":
            found[-1].bots.append(event)
    return found


def reflection_in(content: ReflectionContent, turn: Turn) -> PastReflection | None:
    """The last reflection the bot said in `turn`."""
    read = [read_reflection(content, text) for text in bot_texts(turn.bots)]
    return next((r for r in reversed(read) if r is not None), None)


def asked_about_safety(content: ReflectionContent, reflection: PastReflection) -> bool:
    return reflection.ending in content.moves[reflection.move].safety_check


def said_not_safe(content: ReflectionContent, history: Sequence[Turn]) -> bool:
    """The user's latest answer to a safety_check was "no"."""
    answer = None
    for before, turn in zip(history, history[1:]):
        reflection = reflection_in(content, before)
        if (
            FOLLOWUP_ACTION in turn.actions
            and reflection is not None
            and asked_about_safety(content, reflection)
        ):
            answer = turn.intent
    return answer == "deny"


def offered_form(turn: Turn) -> str | None:
    """The exercise whose button the bot offered in `turn`, as its form."""
    for bot in turn.bots:
        for button in (bot.get("data") or {}).get("buttons") or []:
            form = EXERCISE_FORMS.get(str(button.get("payload", "")).lstrip("/"))
            if form:
                return form
    return None


def is_bare(text: str, feelings: Sequence[object]) -> bool:
    return len(text.split()) <= BARE_ANSWER_WORDS and not named_feelings(feelings)


def pick_text(options: Sequence[str], partner: str, said: Sequence[str]) -> str:
    """One of `options`, filled: one not said yet, else the one said longest ago."""
    filled = [option.format(partner=partner) for option in options]
    used = [text for bot in said for text in filled if text in bot]
    return least_recent(filled, used, random)


def usual_response(dispatcher: CollectingDispatcher, intent: str | None) -> None:
    response = USUAL_RESPONSES.get(intent or "", "utter_default")
    dispatcher.utter_message(response=response)


def kept_partner_word(tracker: Tracker, named: str | None) -> List[Dict[str, Any]]:
    """partner_role set to the word the reflection named, where the message named
    two people ("my mum says my boyfriend is lazy"): Rasa's slot mapping keeps the
    last word of a message, the reflection the first, and what follows the
    reflection (its follow-up, the exercises, the domain's responses) names the
    person it named."""
    slot = tracker.get_slot("partner_role")
    if named is None or not isinstance(slot, str):
        return []
    if slot.strip().lower() == named.strip().lower():
        return []
    return [SlotSet("partner_role", named)]


def reflect_what_fits(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    content: ReflectionContent,
    reflection: PastReflection,
    partner_word: str | None,
    history: Sequence[PastReflection],
) -> List[Dict[str, Any]]:
    """The user said what fits better than the last reflection: thanks, and it
    reflected for the same move, in a text not said yet."""
    said = tracker.latest_message.get("text") or ""
    partner = partner_phrase(partner_word, content.default_partner)
    thanks = pick_text(
        content.fitting(content.followup.thanks, relationship_of(partner_word)),
        partner,
        bot_texts(tracker.events),
    )
    text = compose_reflection(
        content,
        reflection.move,
        reflection.actor,
        partner_word,
        users_feelings(tracker, said),
        message_text=said,
        history=history,
    )
    dispatcher.utter_message(text=thanks)
    dispatcher.utter_message(text=text)
    return [SlotSet("actor", reflection.actor)]


class ActionReflectMove(Action):
    """Answers a relational move with a reflection and records who made the move.
    Right after a followup it answers what the user said to it: what fits better
    is reflected again; a "yes" to an offered exercise starts it."""

    def name(self) -> str:
        return "action_reflect_move"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[Dict[str, Any]]:
        content = load_reflections()
        intent = tracker.get_intent_of_latest_message()
        said = tracker.latest_message.get("text") or ""
        feelings = users_feelings(tracker, said)
        named = latest_entity(tracker, "partner_role")
        partner_word = named or tracker.get_slot("partner_role")
        history = past_reflections(content, tracker.events)
        if intent not in MOVES:
            return self.answer_followup(
                dispatcher, tracker, content, history, partner_word
            )
        actor = latest_entity(tracker, "actor")
        actor = actor if actor in ACTORS else "self"
        text = compose_reflection(
            content,
            intent,
            actor,
            partner_word,
            feelings,
            message_text=said,
            history=history,
        )
        dispatcher.utter_message(text=text)
        # Once per conversation: a story retold stops being a story. It is a
        # couple's story: told only when the person is a partner.
        if (
            shows_surgeon_pattern(said)
            and not already_told(tracker)
            and relationship_of(partner_word) == ROMANTIC
        ):
            tell_surgeon_story(dispatcher)
        return [SlotSet("actor", actor), *kept_partner_word(tracker, named)]

    @staticmethod
    def answer_followup(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        content: ReflectionContent,
        history: Sequence[PastReflection],
        partner_word: str | None,
    ) -> List[Dict[str, Any]]:
        intent = tracker.get_intent_of_latest_message()
        conversation = turns(tracker.events)
        # The latest message, the followup before it, and the reflection before that.
        previous = conversation[-2] if len(conversation) > 2 else None
        if previous is None or previous.actions[-1:] != [FOLLOWUP_ACTION]:
            dispatcher.utter_message(response="utter_default")
            return []
        reflection = reflection_in(content, conversation[-3])
        said = tracker.latest_message.get("text") or ""
        feelings = users_feelings(tracker, said)
        asked_what_fits = (
            previous.intent == "deny"
            and reflection is not None
            and not asked_about_safety(content, reflection)
        )
        if asked_what_fits and reflection is not None and not is_bare(said, feelings):
            return reflect_what_fits(
                dispatcher, tracker, content, reflection, partner_word, history
            )
        form = offered_form(previous)
        if intent == "affirm" and form is not None:
            return [FollowupAction(form)]
        usual_response(dispatcher, intent)
        return []


class ActionReflectionFollowup(Action):
    """Follows a "yes" or a "no" to the reflection just said. A "no" asks what
    would fit better (the next message is reflected again by action_reflect_move);
    a "yes" names the need under it and offers the move's exercise, with its
    button. After a question about safety, a "yes" is met with relief first, and
    a "no" with care and where to find help, and no exercise toward the partner
    is offered from then on."""

    def name(self) -> str:
        return FOLLOWUP_ACTION

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[Dict[str, Any]]:
        content = load_reflections()
        intent = tracker.get_intent_of_latest_message()
        conversation = turns(tracker.events)
        reflection = (
            reflection_in(content, conversation[-2]) if len(conversation) > 1 else None
        )
        if reflection is None or intent not in ("affirm", "deny"):
            usual_response(dispatcher, intent)
            return []
        followup = content.followup
        partner_word = tracker.get_slot("partner_role")
        partner = partner_phrase(partner_word, content.default_partner)
        relationship = relationship_of(partner_word)
        said = bot_texts(tracker.events)

        def pick(options: List[str]) -> str:
            """One of `options` that reads right about the user's relationship."""
            return pick_text(content.fitting(options, relationship), partner, said)

        safety = asked_about_safety(content, reflection)
        if intent == "deny":
            answer = tracker.latest_message.get("text") or ""
            if not safety and not is_bare(answer, users_feelings(tracker, answer)):
                # "No, it's more that I'm scared": what fits is already said.
                return reflect_what_fits(
                    dispatcher,
                    tracker,
                    content,
                    reflection,
                    partner_word,
                    past_reflections(content, tracker.events),
                )
            options = (
                content.not_safe_for(relationship) if safety else followup.what_fits
            )
            dispatcher.utter_message(text=pick(options))
            return []
        move = content.moves[reflection.move]
        deeper = pick(getattr(move.deeper, reflection.actor))
        if safety:
            deeper = f"{pick(followup.safe)} {deeper}"
        dispatcher.utter_message(text=deeper)
        # The latest answer about safety counts: this "yes", else an earlier one.
        if safety or not said_not_safe(content, conversation):
            exercise = getattr(move.exercise, reflection.actor)
            offer = followup.exercises[exercise]
            payload = f"/{EXERCISE_INTENTS[exercise]}"
            dispatcher.utter_message(
                text=pick(offer.offers),
                buttons=[
                    {"title": offer.button, "payload": payload},
                    {"title": followup.not_now_button, "payload": NOT_NOW_PAYLOAD},
                ],
            )
        return []
