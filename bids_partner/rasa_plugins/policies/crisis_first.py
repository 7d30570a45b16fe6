"""A crisis message is answered before anything else, even inside a form.

Rasa's RulePolicy runs an active form before any rule, and a form calls its
validation action on the action server before it can reject the message; with
the action server down, a crisis in the middle of an exercise or a rehearsal
would get no reply at all. This policy outranks RulePolicy for exactly the
crisis intent and predicts only Rasa's own actions and domain responses:
deactivate the form, give the safety message, listen.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class CrisisFirstPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            POLICY_PRIORITY: DEFAULT_PRIORITY,
            "crisis_intent": "crisis",
            "response": "utter_crisis",
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
        action = next_safety_action(
            tracker.latest_message.intent.get("name")
            if tracker.latest_message
            else None,
            tracker.latest_action_name,
            tracker.active_loop_name,
            self.config["crisis_intent"],
            self.config["response"],
        )
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # RulePolicy marks its "continue the active form" prediction as a no-user
        # prediction, and those overrule every other kind; ours must be one too,
        # and then wins the tie on priority.
        return self._prediction(probabilities, is_no_user_prediction=True)
