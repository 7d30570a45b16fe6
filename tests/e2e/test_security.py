"""The security review's findings (issue 18), reproduced on the running stack:
who can reach a conversation, payloads that carried words past the anonymizer,
malformed socket.io frames, and message text in the logs."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, List

import pytest
import requests

from bids_partner.transcripts.export import pseudonym
from tests.e2e.test_transcripts import SECRET, export, records
from tests.helpers.web_chat import WebChat

pytestmark = pytest.mark.stack

CANT_READ = "Sorry, I can't read that"


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(scenario())


def web_chat(assistant) -> WebChat:
    return WebChat(assistant.url, assistant.stack.config.web_origins[0])


def stored_senders(assistant) -> List[str]:
    import sqlalchemy as sa

    with assistant.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))
        return [row[0] for row in rows]


def all_logs(assistant) -> List[Path]:
    stack = assistant.stack
    return [stack.rasa.log_path, stack.actions.log_path, stack.web.log_path]


def log_lines_with(marker: str, paths: List[Path]) -> List[str]:
    return [
        f"{path.name}: {line.replace(marker, '<marker>')[:200]}"
        for path in paths
        for line in path.read_text(errors="replace").splitlines()
        if marker in line
    ]


def test_a_web_client_cannot_choose_or_enter_a_conversation(assistant) -> None:
    async def scenario() -> None:
        owner, intruder = web_chat(assistant), web_chat(assistant)
        try:
            owner_id = await owner.open()
            assert owner_id.startswith("web-")
            assert await owner.say("hi")
            stored_before = len(assistant.stored_events(owner_id))

            # A client-chosen id is replaced by one the server issues.
            chosen = f"alice-{uuid.uuid4().hex[:6]}"
            intruder_id = await intruder.open(chosen)
            assert intruder_id not in (chosen, owner_id)
            # A message claiming the owner's conversation is refused, and the
            # owner hears nothing of it.
            said = await intruder.send(
                {"message": "stop sharing", "session_id": owner_id}
            )
            assert said and said[0].startswith(CANT_READ), said
            assert await owner.replies(first_within=3) == []
            assert len(assistant.stored_events(owner_id)) == stored_before
            assert chosen not in stored_senders(assistant)
            # Its own conversation works, under the issued id.
            assert await intruder.say("hello")
            assert assistant.stored_events(intruder_id)
        finally:
            await owner.close()
            await intruder.close()

        # The REST channel cannot write into a web conversation either.
        for sender in (owner_id, "web-anything"):
            refused = assistant.post({"sender": sender, "message": "stop sharing"})
            assert refused.status_code == 403, refused.text
        assert len(assistant.stored_events(owner_id)) == stored_before

    run(scenario)


def test_a_reload_returns_to_the_issued_conversation(assistant) -> None:
    async def scenario() -> None:
        first, again = web_chat(assistant), web_chat(assistant)
        try:
            issued = await first.open()
            await first.say("my wife rolls her eyes at me when i talk")
            await first.close()
            assert await again.open(issued) == issued
            assert await again.say("yes")
        finally:
            await again.close()

    run(scenario)


MALFORMED_FRAMES = {
    "not_an_object": "notadict",
    "null": None,
    "message_not_text": {"message": 123},
    "metadata_not_json": {"message": "hi", "metadata": "{not json"},
    "session_id_object": {"message": "hi", "session_id": {"a": 1}},
}


@pytest.mark.parametrize("frame", MALFORMED_FRAMES.values(), ids=MALFORMED_FRAMES)
def test_a_malformed_frame_gets_the_cant_read_reply(assistant, frame: Any) -> None:
    rasa_log = assistant.stack.rasa.log_path
    log_before = rasa_log.read_text(errors="replace")

    async def scenario() -> List[str]:
        chat = web_chat(assistant)
        try:
            await chat.open()
            return await chat.send(frame)
        finally:
            await chat.close()

    said = run(scenario)
    assert said and said[0].startswith(CANT_READ), said
    added = rasa_log.read_text(errors="replace")[len(log_before) :]
    assert "Traceback" not in added
    assert not [s for s in stored_senders(assistant) if s.startswith("{")]


def test_payload_syntax_carries_no_words_past_the_anonymizer(
    assistant, tmp_path: Path
) -> None:
    sender = f"payload-{uuid.uuid4().hex[:8]}"
    assistant.texts(sender, "I want to share this conversation with my therapist")
    smuggled = [
        '/bid{"actor":"Sarah Connor sarah.connor@example.com 555-867-5309"}',
        "/JohnSmithPhone5558675309",
    ]
    for text in smuggled:
        assert assistant.texts(sender, text)
    stored = [
        json.loads(e["data"])
        for e in assistant.stored_events(sender)
        if e["type_name"] == "user"
    ]
    actors = [
        entity.get("value")
        for data in stored
        for entity in data["parse_data"].get("entities", [])
        if entity.get("entity") == "actor"
    ]
    assert set(actors) <= {"self", "partner"}
    assert not [d["text"] for d in stored if d["text"].startswith("/")]

    done = export(assistant, tmp_path)
    assert done.returncode == 0, done.stderr
    exported = (tmp_path / f"{pseudonym(sender, SECRET)}.jsonl").read_text()
    for identifier in ("sarah.connor", "555-867-5309", "5558675309", "JohnSmith"):
        assert identifier not in exported
    turns = [r for r in records(tmp_path / f"{pseudonym(sender, SECRET)}.jsonl")]
    assert all(t.get("actor") in (None, "self", "partner") for t in turns)


def test_no_message_text_in_any_log_whatever_the_input(assistant) -> None:
    marker = f"logmarker{uuid.uuid4().hex}"
    sender = f"logs-{uuid.uuid4().hex[:8]}"
    url = f"{assistant.url}/webhooks/rest/webhook"
    rest_inputs = [
        f'/note{{"text":"my husband hit me, call me on 555 867 5309 {marker}"}}',
        f'/bid{{"actor":"{marker}"}}',
        f"/greet@{marker}",
        f"/{{ {marker}",
        f"/no_such_intent {marker}",
        f'/choose_scenario{{"scenario":"{marker}"}}',
        marker + " " + "x" * 5000,
    ]
    for text in rest_inputs:
        response = assistant.post({"sender": sender, "message": text})
        assert response.status_code in (200, 413), response.text
    bodies = [
        (f'{{"sender": "{sender}", "message": "{marker}"', "application/json"),
        (json.dumps({"sender": sender, "message": marker}), "text/plain"),
        (json.dumps({"sender": sender, "message": [marker]}), "application/json"),
        (
            json.dumps({"sender": sender, "message": "hi", "metadata": marker}),
            "application/json",
        ),
    ]
    for body, kind in bodies:
        response = requests.post(
            url, data=body, headers={"Content-Type": kind}, timeout=60
        )
        assert 400 <= response.status_code < 500

    async def socket_frames() -> None:
        chat = web_chat(assistant)
        try:
            await chat.open()
            for frame in (
                marker,
                {"message": f'/note{{"text":"{marker}"}}'},
                {"message": "hi", "metadata": "{" + marker},
                {"message": f"/greet@{marker}", "session_id": "web-" + marker},
            ):
                await chat.send(frame)
        finally:
            await chat.close()

    run(socket_frames)
    leaks = log_lines_with(marker, all_logs(assistant))
    assert not leaks, "\n".join(leaks)
