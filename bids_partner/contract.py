"""The names the NLU, the dialogue, the actions, the export and the web page share:
the one home of the NLU contract (docs/DESIGN.md) and of the slots and forms more
than one module reads. tests/test_contract.py checks domain.yml against it."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

# The relational moves a user message enacts or reports.
MOVES = (
    "bid",
    "reassurance_request",
    "withdrawal",
    "criticism",
    "contempt",
    "defensiveness",
    "turning_toward",
)
# An intent block's `metadata: {intent_classifier_only: true}` in data/nlu: its
# examples teach the intent classifier alone, not the risk classifier's ordinary
# talk (risk_reader.nlu_examples) nor the name model's carrier sentences
# (transcripts/synthetic.nlu_messages). The told moments of data/nlu/moments/ carry
# it: as ordinary talk they cost risk told after a described moment (blind sb29,
# second reading: asked 91.3% -> 85.9%), and they would change the name model.
INTENT_CLASSIFIER_ONLY = "intent_classifier_only"


def intent_classifier_only(intent_metadata: Any) -> bool:
    """Whether an intent block's metadata keeps it to the intent classifier."""
    return isinstance(intent_metadata, Mapping) and (
        intent_metadata.get(INTENT_CLASSIFIER_ONLY) is True
    )


# Who makes the move: an entity beside the intent, not another intent.
ACTORS = ("self", "partner")
# Whom the user is close to: each word of the partner_role lexicon (bids_partner/
# language/lexicon/partner_roles.yml) belongs to one of these. The reflections
# use romantic framing ("as a couple") only for a romantic partner.
ROMANTIC = "romantic"
RELATIONSHIPS = (
    ROMANTIC,
    "parent",
    "child",
    "sibling",
    "grandparent",
    "relative",
    "friend",
    "housemate",
)
CRISIS_INTENT = "crisis"
CONVERSATION_INTENTS = (
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "help",
    "ask_concept",
    "start_rehearsal",
    "stop",
    "choose_scenario",
    "out_of_scope",
    "not_what_i_meant",
    "practice_reaching_out",
    "practice_showing_up",
    "share_with_therapist",
    "withdraw_sharing",
    "forget_me",
)
INTENTS = (*MOVES, *CONVERSATION_INTENTS, CRISIS_INTENT)
# The user's choices about sharing with a therapist (the therapist_consent slot).
CONSENT_INTENTS = ("share_with_therapist", "withdraw_sharing")
# "Delete this conversation": after the user confirms, the tracker store deletes
# the conversation when it stores the turn in which this response was given.
FORGOTTEN_RESPONSE = "utter_conversation_forgotten"

# What a reply does to the partner's bid (Gottman's three ways, plus reaching out
# oneself); the export and the rehearsal summary read these from the slot.
KINDS = ("toward", "away", "against", "reach")
MOVE_KIND = {
    "turning_toward": "toward",
    "withdrawal": "away",
    "criticism": "against",
    "contempt": "against",
    "defensiveness": "against",
    "bid": "reach",
    "reassurance_request": "reach",
}

# Where the NLU puts its judgement of a reply to the partner (rasa_plugins/nlu/
# reply_judge.py), read by the rehearsal and the showing-up exercise.
REPLY_JUDGEMENT_KEY = "reply_judgement"

# Where the NLU puts the concept a question about the coach's ideas asks about
# (rasa_plugins/nlu/concept_reader.py), read by action_explain_concept: `name`
# (a concept id of content/psychoeducation.yml), `confidence`, and `sure`, whether
# the confidence reached the component's threshold.
CONCEPT_KEY = "concept"

# Slots and forms read by more than one module.
SCENARIO_SLOT = "scenario"
REHEARSAL_TURNS_SLOT = "rehearsal_turns"
REHEARSAL_FEEDBACK_SLOT = "rehearsal_feedback"
REHEARSAL_REPLY_SLOT = "rehearsal_reply"
REHEARSAL_STATUS_SLOT = "rehearsal_status"
REHEARSAL_OUTCOME_SLOT = "rehearsal_outcome"
CONSENT_SLOT = "therapist_consent"
REHEARSAL_FORM = "rehearsal_form"
# The showing-up exercise: the partner's bid the user describes, then their reply.
SHOWING_UP_FORM = "showing_up_form"
SHOWING_UP_BID_SLOT = "su_bid"
SHOWING_UP_REPLY_SLOT = "su_reply"
FORMS = ("reaching_out_form", SHOWING_UP_FORM, REHEARSAL_FORM)

# The rehearsal's other person speaks as "Name (role-play): ...", so a reader (the
# export, the web page) can tell them from the coach. "role-play", not "partner":
# the other person may be a mum or a friend.
PARTNER_MARK = " (role-play): "
# The same as a regular expression that Python and JavaScript read alike; it also
# reads the "(partner)" mark of transcripts stored before 2026-12-03.
PARTNER_LINE_PATTERN = r"^[^\n:]{1,40} \((?:role-play|partner)\): "

# Safety (rasa_plugins/nlu/risk_reader.py, crisis.py; policies/crisis_first.py).
# Where the NLU puts the risk scores of a message and of the recent turns.
RISK_KEY = "risk"
# The entity that says how sure the safety layer is: the full crisis text, or the
# gentle question first ("are you safe right now?").
SAFETY_TIER_ENTITY = "safety_tier"
TIER_CRISIS = "crisis"
TIER_CHECK = "check"


def safety_tier(entities: Iterable[Mapping[str, Any]]) -> str | None:
    """The tier the NLU gave a message (TIER_CRISIS or TIER_CHECK), if any."""
    tiers = (e.get("value") for e in entities if e.get("entity") == SAFETY_TIER_ENTITY)
    return next((str(tier) for tier in tiers), None)


CRISIS_RESPONSE = "utter_crisis"
SAFETY_QUESTION_RESPONSE = "utter_safety_question"
SAFE_TO_GO_ON_RESPONSE = "utter_safe_to_go_on"
# Replies that answer a risk: the recent turns read together start after them.
SAFETY_RESPONSES = (
    CRISIS_RESPONSE,
    SAFETY_QUESTION_RESPONSE,
    "utter_safety_check_again",
    "utter_crisis_not_safe",
    "utter_crisis_misunderstood",
    "utter_glad_you_are_safe",
    SAFE_TO_GO_ON_RESPONSE,
)
