"""A crisis message is answered before anything else, even inside a form.

Rasa's RulePolicy runs an active form before any rule, and a form calls its
validation action on the action server before it can reject the message; with
the action server down, a crisis in the middle of an exercise or a rehearsal
would get no reply at all. This policy outranks RulePolicy for exactly the
crisis intent and predicts only Rasa's own actions and domain responses:
deactivate the form, give the safety message, listen.

Where the safety layer is unsure (the entity `safety_tier` is "check"), the message
is the gentle question instead ("are you safe right now?"). A "yes" straight after
it resumes the practice that the question paused: the form is run again, and asks
for what it was asking before.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.contract import (
    CRISIS_RESPONSE,
    SAFE_TO_GO_ON_RESPONSE,
    SAFETY_QUESTION_RESPONSE,
    TIER_CHECK,
    safety_tier,
)

# RulePolicy's priority is 6: a tie in confidence goes to the higher priority.
DEFAULT_PRIORITY = 7


def next_safety_action(
    intent: str | None,
    latest_action: str | None,
    active_loop: str | None,
    crisis_intent: str,
    response: str,
) -> str | None:
    """What follows a crisis message, or None when this policy has no say."""
    if intent != crisis_intent:
        return None
    if latest_action == ACTION_LISTEN_NAME:
        return ACTION_DEACTIVATE_LOOP_NAME if active_loop else response
    if latest_action == ACTION_DEACTIVATE_LOOP_NAME:
        return response
    if latest_action == response:
        return ACTION_LISTEN_NAME
    return None


def paused_loop(events: Iterable[Event]) -> str | None:
    """The form that the last gentle question interrupted, if it did."""
    asked = deactivated = False
    for event in reversed(list(events)):
        if isinstance(event, SessionStarted):
            return None
        if not isinstance(event, (ActionExecuted, ActiveLoop)):
            continue
        if not asked:
            asked = getattr(event, "action_name", None) == SAFETY_QUESTION_RESPONSE
        elif not deactivated:
            if isinstance(event, ActionExecuted):
                if event.action_name == ACTION_DEACTIVATE_LOOP_NAME:
                    deactivated = True
                elif event.action_name != ACTION_LISTEN_NAME:
                    return None
        elif isinstance(event, ActiveLoop):
            return event.name
    return None


def safety_response(entities: Iterable[Dict[str, Any]]) -> str:
    if safety_tier(entities) == TIER_CHECK:
        return SAFETY_QUESTION_RESPONSE
    return CRISIS_RESPONSE


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class CrisisFirstPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            POLICY_PRIORITY: DEFAULT_PRIORITY,
            "crisis_intent": "crisis",
        }

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        # Nothing to learn; the resource only has to exist for loading.
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        latest = tracker.latest_message
        action = next_safety_action(
            latest.intent.get("name") if latest else None,
            tracker.latest_action_name,
            tracker.active_loop_name,
            self.config["crisis_intent"],
            safety_response(latest.entities if latest else []),
        )
        if action is None and tracker.latest_action_name == SAFE_TO_GO_ON_RESPONSE:
            action = paused_loop(tracker.events) or ACTION_LISTEN_NAME
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # RulePolicy marks its "continue the active form" prediction as a no-user
        # prediction, and those overrule every other kind; ours must be one too,
        # and then wins the tie on priority.
        return self._prediction(probabilities, is_no_user_prediction=True)
