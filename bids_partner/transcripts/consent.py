"""Which stored events were said while the user's consent to share was in force.

The `therapist_consent` slot records each choice ("share this with my therapist",
"stop sharing"). The bot promises (domain.yml, utter_consent_*): "share" shares
this conversation from its start; what is said after a "stop sharing" and before
the next "share" is never shared, not even after that "share". So an event is
shared unless it came in such a gap. The state follows Rasa's own slot, which
also changes without a choice: "/restart" resets it, a new session sets the last
session's slots again (carry-over) or resets them, and "/back" takes back the
message that set it; a take-back may turn sharing off, never on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, List, Sequence, Tuple

from bids_partner.coaching.wording import quoted_phrase
from bids_partner.contract import CONSENT_SLOT
from bids_partner.transcripts.store import EventRow

# What replaces the user's withheld words where the bot repeats them.
NOT_SHARED = "[not shared]"
# Shorter withheld messages ("ok", "no") are not searched for in the bot's words.
MIN_QUOTED_CHARS = 3


class State(Enum):
    """Valued by how much is shared: a take-back may only lower it."""

    WITHDRAWN = 0
    UNASKED = 1  # no choice yet: shared once the user says "share"
    GIVEN = 2


class Label(Enum):
    SHARED = "shared"
    WITHHELD = "withheld"
    # A slot set again at a session's start: a copy of earlier events.
    REPLAYED = "replayed"


@dataclass
class Consent:
    state: State = State.UNASKED
    # When the consent in force was given (a timestamp).
    since: float | None = None
    # When sharing last stopped, while it stays stopped (set by read_consent: a
    # reset or take-back has no timestamp of its own, the row that caused it has).
    withdrawn_at: float | None = None
    # The state before each user message, for "/back".
    before_messages: List[State] = field(default_factory=list)
    carrying_over: bool = False
    carried: Any = None

    @property
    def in_force(self) -> bool:
        return self.state is not State.WITHDRAWN

    @property
    def given(self) -> bool:
        return self.state is State.GIVEN

    def choose(self, value: Any, timestamp: float) -> None:
        if value is True:
            if self.state is not State.GIVEN:
                self.since = timestamp
            self.state = State.GIVEN
        else:
            self.state, self.since = State.WITHDRAWN, None

    def reset(self) -> None:
        """The slot back at its initial false without a choice: sharing stops if
        it was ever chosen, and "before any choice" does not come back."""
        if self.state is not State.UNASKED:
            self.state, self.since = State.WITHDRAWN, None

    def restart(self) -> None:
        """Rasa's "/restart": no message before it can be taken back either."""
        self.before_messages.clear()
        self.reset()

    def user_message(self) -> None:
        self.before_messages.append(self.state)

    def take_back(self) -> None:
        """A user message reverted ("/back"): its choice is undone only if that
        shares less (a reverted "stop sharing" keeps sharing stopped)."""
        if self.before_messages:
            earlier = self.before_messages.pop()
            if earlier.value < self.state.value:
                self.state, self.since = earlier, None

    def start_session(self) -> None:
        self.before_messages.clear()  # Rasa's "/back" stops at a session's start
        self.carrying_over, self.carried = True, None

    def end_carry_over(self) -> None:
        """A session whose start did not set the slot to true again has it reset
        (a carried true keeps the state: it may be a "/back" kept off)."""
        self.carrying_over = False
        if self.carried is not True:
            self.reset()


def _slot_name(row: EventRow) -> str | None:
    return row.data.get("name") if row.data is not None else None


def _read(consent: Consent, row: EventRow) -> Label:
    """Updates the consent with one row; the row's label (a user message's is
    decided after the slots its message set)."""
    kind = row.type_name
    if consent.carrying_over and kind != "slot":
        consent.end_carry_over()
    if kind == "slot" and consent.carrying_over:
        if _slot_name(row) == CONSENT_SLOT:
            consent.carried = row.data.get("value") if row.data else None
        return Label.REPLAYED
    if kind == "slot" and row.data is None:
        # Unreadable: it may have been a "stop sharing".
        consent.choose(False, row.timestamp)
    elif kind == "slot" and _slot_name(row) == CONSENT_SLOT:
        consent.choose(row.data.get("value") if row.data else None, row.timestamp)
    elif kind == "session_started":
        consent.start_session()
    elif kind == "restart":
        consent.restart()
    elif kind == "reset_slots":
        consent.reset()
    elif kind == "rewind":
        consent.take_back()
    elif kind == "user":
        consent.user_message()
    return _label(consent)


def _label(consent: Consent) -> Label:
    return Label.SHARED if consent.in_force else Label.WITHHELD


def read_consent(rows: Sequence[EventRow]) -> Tuple[List[Label], Consent]:
    """Each row's label, in order, and the consent after the last row. A user
    message counts under the choice it made itself: "stop sharing, and ..." is
    not shared, "share this again: ..." is."""
    consent = Consent()
    labels: List[Label] = []
    message: int | None = None  # the user message whose slots are being set
    for row in rows:
        if message is not None and row.type_name != "slot":
            labels[message], message = _label(consent), None
        was_in_force = consent.in_force
        labels.append(_read(consent, row))
        _note_withdrawal(consent, was_in_force, row.timestamp)
        if row.type_name == "user":
            message = len(labels) - 1
    if message is not None:
        labels[message] = _label(consent)
    if consent.carrying_over:
        was_in_force = consent.in_force
        consent.end_carry_over()
        _note_withdrawal(consent, was_in_force, rows[-1].timestamp)
    return labels, consent


def _note_withdrawal(consent: Consent, was_in_force: bool, timestamp: float) -> None:
    if consent.in_force:
        consent.withdrawn_at = None
    elif was_in_force:
        consent.withdrawn_at = timestamp


def _searchable(withheld: Sequence[str]) -> List[str]:
    words = (message.strip() for message in withheld)
    return [w for w in words if len(w) >= MIN_QUOTED_CHARS and not w.startswith("/")]


def quotes_withheld(text: str, withheld: Sequence[str]) -> bool:
    """The bot quoted a withheld message as it quotes a reply (its first words,
    in quotes): that message is about the reply (a rehearsal's note on it, "your
    strongest reply"), so it is withheld with it."""
    return any(quoted_phrase(words) in text for words in _searchable(withheld))


def scrub(text: str, withheld: Sequence[str]) -> str:
    """The bot's words with withheld messages it repeats (an exercise's answers
    in its summary) replaced."""
    for words in _searchable(withheld):
        text = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", NOT_SHARED, text)
    return text
