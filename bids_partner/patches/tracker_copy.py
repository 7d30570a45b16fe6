"""A tracker's copy made from its state instead of by replaying every event.

Rasa copies the conversation's tracker before every action it runs
(`MessageProcessor._run_action`, a form's activation), and
`DialogueStateTracker.copy` does it by replaying every event of the session into a
new tracker: at 2,000 stored events about 15 ms a copy, two or more a turn
(benchmarks/profile_turn.py). The state a replay ends in is what the tracker
holds now, so the copy takes it directly: the same event objects (a replay
shares them too), a copy of each slot, of the active loop and of the latest
action, and the rest as it is. As in Rasa's copy, the model and assistant ids
are not carried over. tests/patches/test_tracker_copy.py compares the result
with Rasa's copy on conversations with forms, undos, restarts and sessions.
"""

from __future__ import annotations

import copy
import dataclasses

from rasa.shared.core.trackers import DialogueStateTracker

ORIGINAL = DialogueStateTracker.copy


def state_copy(self: DialogueStateTracker) -> DialogueStateTracker:
    clone = self.init_copy()
    clone.events.extend(self.events)
    for name, slot in self.slots.items():
        clone.slots[name] = copy.copy(slot)
    clone._paused = self._paused
    clone.followup_action = self.followup_action
    clone.latest_action = dict(self.latest_action) if self.latest_action else {}
    clone.latest_message = self.latest_message
    clone.latest_bot_utterance = self.latest_bot_utterance
    clone.active_loop = (
        dataclasses.replace(self.active_loop) if self.active_loop else None
    )
    return clone


def apply() -> None:
    DialogueStateTracker.copy = state_copy
