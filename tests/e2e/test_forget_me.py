"""'Delete this conversation' through the running stack: asked in words,
confirmed with a button, deleted from the tracker store, gone from the export."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from bids_partner.transcripts.export import pseudonym
from tests.e2e.test_transcripts import SECRET, export

pytestmark = pytest.mark.stack

ASK = "Delete this whole conversation?"
DONE = "this conversation is deleted from the server"
KEPT = "nothing was deleted"


def test_a_confirmed_forget_deletes_the_conversation_and_nothing_else(
    assistant, tmp_path: Path
) -> None:
    who, bystander = f"forget-{uuid.uuid4().hex[:8]}", f"keep-{uuid.uuid4().hex[:8]}"
    assistant.texts(bystander, "my wife rolls her eyes at me when i talk")
    bystander_events = assistant.stored_events(bystander)
    assistant.texts(who, "I want to share this conversation with my therapist")
    assistant.texts(who, "my husband Daniel never listens to me")

    asked = assistant.say(who, "please delete this whole conversation")
    assert ASK in asked[0]["text"]
    assert [b["payload"] for b in asked[0]["buttons"]] == ["/affirm", "/deny"]
    done = assistant.say(who, "/affirm")
    assert DONE in done[0]["text"]
    # The page's widget hears that the conversation is gone.
    assert {"recipient_id": who, "custom": {"conversation_forgotten": True}} in done
    assert assistant.stored_events(who) == []
    assert assistant.stored_events(bystander) == bystander_events

    # Gone from the export, although it had been shared.
    exported = export(assistant, tmp_path)
    assert exported.returncode in (0, 1), exported.stderr
    assert not (tmp_path / f"{pseudonym(who, SECRET)}.jsonl").exists()

    # Writing again starts a new conversation, not shared.
    assert assistant.texts(who, "hi")
    stored = assistant.stored_events(who)
    assert stored and '"therapist_consent"' not in "".join(e["data"] for e in stored)
    assert "Daniel" not in "".join(e["data"] for e in stored)


def test_a_declined_forget_keeps_everything(assistant) -> None:
    who = f"forget-no-{uuid.uuid4().hex[:8]}"
    assistant.texts(who, "he walks out whenever we argue")
    assert ASK in assistant.texts(who, "can you erase everything i wrote here")
    before = len(assistant.stored_events(who))
    assert KEPT in assistant.texts(who, "/deny")
    assert len(assistant.stored_events(who)) > before


def test_forget_twice_and_for_a_new_conversation(assistant) -> None:
    who = f"forget-twice-{uuid.uuid4().hex[:8]}"
    for _ in range(2):
        assert ASK in assistant.texts(who, "delete this chat please")
        assert DONE in assistant.texts(who, "/affirm")
        assert assistant.stored_events(who) == []


def test_forget_in_the_middle_of_a_rehearsal(assistant) -> None:
    who = f"forget-scene-{uuid.uuid4().hex[:8]}"
    assistant.texts(who, '/choose_scenario{"scenario":"sunset"}')
    assert ASK in assistant.texts(who, "delete this conversation")
    assert DONE in assistant.texts(who, "yes")
    assert assistant.stored_events(who) == []
