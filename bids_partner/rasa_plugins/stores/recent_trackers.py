"""The trackers of recent conversations, kept between turns in one Rasa server.

Rasa rebuilds a conversation's tracker from every stored event of its session on
each turn: reading, decoding and replaying them was a fifth of a turn's time for a
20-turn conversation and grows with its length. A kept tracker is used again only
while the database still ends with the event it was saved with (another server
has added nothing) and it holds as many events as were stored (a turn that failed
half-way has not left unsaved events in it); anything else reads the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_SIZE = 256  # conversations; a few hundred kB each at most


@dataclass(frozen=True)
class _Kept:
    tracker: DialogueStateTracker
    last_event_id: int
    events: int
    # The database's count of the session's events was checked to be `events`
    # (after a save), not assumed from what reading it gave (after a retrieve).
    counted: bool = False


class RecentTrackers:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    def get(
        self, sender_id: str, last_event_id: int | None
    ) -> DialogueStateTracker | None:
        """The kept tracker if it is exactly what the database holds, else None."""
        kept = self._kept.get(sender_id)
        if kept is None:
            return None
        if (
            kept.last_event_id != last_event_id
            or len(kept.tracker.events) != kept.events
        ):
            del self._kept[sender_id]
            return None
        self._kept.move_to_end(sender_id)
        return kept.tracker

    def keep(
        self,
        tracker: DialogueStateTracker | None,
        last_event_id: int | None,
        counted: bool = False,
    ) -> None:
        """Remembers a tracker that matches the database up to `last_event_id`."""
        if tracker is None or last_event_id is None:
            return
        self._kept[tracker.sender_id] = _Kept(
            tracker, last_event_id, len(tracker.events), counted
        )
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def stored_events(self, tracker: DialogueStateTracker) -> tuple[int, int] | None:
        """(events stored, last event id) when `tracker` is the very object kept
        after its last save, whatever it has gained since; else None."""
        kept = self._kept.get(tracker.sender_id)
        if kept is None or kept.tracker is not tracker or not kept.counted:
            return None
        return kept.events, kept.last_event_id

    def forget(self, sender_id: str) -> None:
        self._kept.pop(sender_id, None)

    def clear(self) -> None:
        self._kept.clear()
