"""Consent in the chat, then `transcripts export` on the running stack's tracker
store: only consented conversations leave it, anonymized and annotated."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests

from bids_partner.contract import PARTNER_MARK
from bids_partner.settings import VENV_BIN
from bids_partner.transcripts.export import pseudonym
from bids_partner.transcripts.review import make_server

pytestmark = pytest.mark.stack

SECRET = "e2e-secret-for-pseudonyms-0123"


def export(
    assistant, out: Path, env: Dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(VENV_BIN / "transcripts"),
            "export",
            "--out",
            str(out),
            "--db",
            f"sqlite:///{assistant.db_path}",
        ],
        env={**os.environ, "TRANSCRIPTS_SECRET": SECRET, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def records(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


REVIEW_TOKEN = "e2e-review-token-0123456789abcdefghijklmnop"  # >= 32 characters


def review_page_shows(export_dir: Path, conversation_id: str) -> None:
    """The review page reads the real export: the transcript and its moves."""
    server = make_server(export_dir, REVIEW_TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        auth = {"Authorization": f"Bearer {REVIEW_TOKEN}"}
        assert requests.get(f"{url}/", timeout=10).status_code == 401
        listing = requests.get(f"{url}/", headers=auth, timeout=10).text
        assert conversation_id in listing
        page = requests.get(
            f"{url}/conversation/{conversation_id}", headers=auth, timeout=10
        ).text
        assert "[PERSON_1]" in page and "Contempt" in page and "<svg" in page
        assert "Daniel" not in page
    finally:
        server.shutdown()
        server.server_close()


def test_consent_export_and_withdrawal(assistant, tmp_path: Path) -> None:
    sharing = f"share-{uuid.uuid4().hex[:8]}"
    private = f"private-{uuid.uuid4().hex[:8]}"
    assistant.texts(private, "my wife Sarah never listens to me")
    assistant.texts(sharing, "my husband Daniel rolls his eyes at me")
    reply = assistant.texts(
        sharing, "I want to share this conversation with my therapist"
    )
    assert "shared with your therapist" in reply
    assistant.texts(sharing, '/choose_scenario{"scenario":"sunset"}')
    assistant.texts(sharing, "/affirm")
    assistant.texts(sharing, "That sounds really hard, I'm here with you")
    assistant.texts(sharing, "of course, come here, I'm right here with you")

    result = export(assistant, tmp_path / "first")
    assert result.returncode == 0, result.stderr
    files = {p.name for p in (tmp_path / "first").iterdir()}
    mine = f"{pseudonym(sharing, SECRET)}.jsonl"
    assert mine in files  # other tests' conversations never consented
    assert f"{pseudonym(private, SECRET)}.jsonl" not in files
    text = (tmp_path / "first" / mine).read_text()
    assert "Daniel" not in text and sharing not in text
    head, *turns = records(tmp_path / "first" / mine)
    first = turns[0]
    assert first["text"] == "my husband [PERSON_1] rolls his eyes at me"
    assert first["move"] == "contempt" and first["actor"] == "partner"
    [session] = head["sessions"]
    assert session["rehearsals"][0]["scenario"] == "sunset"
    assert session["rehearsals"][0]["ended"] == "completed"
    assert session["moves"]["turning_toward"] == 2
    review_page_shows(tmp_path / "first", pseudonym(sharing, SECRET))

    reply = assistant.texts(sharing, "stop sharing this with my therapist")
    assert "will not be shared" in reply
    result = export(assistant, tmp_path / "second")
    names = (
        {p.name for p in (tmp_path / "second").iterdir()}
        if (tmp_path / "second").exists()
        else set()
    )
    assert mine not in names


def test_a_name_only_context_gives_away_is_masked_in_the_export(
    assistant, tmp_path: Path
) -> None:
    """The name probe in the real export: "hazel" is a word and a name, and no
    rule has a cue for it here; only the sentence says it is a person."""
    who = f"probe-{uuid.uuid4().hex[:8]}"
    assistant.texts(who, "I want to share this conversation with my therapist")
    assistant.texts(who, "honestly hazel never even replies to my texts anymore")
    mine = f"{pseudonym(who, SECRET)}.jsonl"

    def said(out: Path) -> List[str]:
        return [
            r["text"] for r in records(out / mine)[1:] if r.get("speaker") == "user"
        ]

    result = export(assistant, tmp_path / "with")
    assert result.returncode == 0, result.stderr
    assert "honestly [PERSON_1] never even replies to my texts anymore" in said(
        tmp_path / "with"
    )
    # The same export without the probe lets it through: the probe masked it.
    result = export(assistant, tmp_path / "without", {"ANONYMIZER_PROBE": "0"})
    assert result.returncode == 0, result.stderr
    assert "honestly hazel never even replies to my texts anymore" in said(
        tmp_path / "without"
    )


def test_consent_in_the_middle_of_a_scene(assistant) -> None:
    who = f"scene-{uuid.uuid4().hex[:8]}"
    assistant.texts(who, '/choose_scenario{"scenario":"sunset"}')
    opening = assistant.texts(who, "/affirm")
    reply = assistant.texts(who, "I want to share this conversation with my therapist")
    # Confirmed, and the scene goes on: the partner says their line again.
    assert "shared with your therapist" in reply and reply.endswith(opening)
    consent = [
        e for e in assistant.stored_events(who) if '"therapist_consent"' in e["data"]
    ]
    assert consent and '"value": true' in consent[-1]["data"]
    assert PARTNER_MARK in assistant.texts(
        who, "That sounds really hard, I'm here with you"
    )


def test_a_scene_ended_by_a_crisis_is_exported_once(assistant, tmp_path: Path) -> None:
    who = f"crisis-scene-{uuid.uuid4().hex[:8]}"
    assistant.texts(who, "I want to share this conversation with my therapist")
    assistant.texts(who, '/choose_scenario{"scenario":"sunset"}')
    assistant.texts(who, "/affirm")
    assistant.texts(who, "That sounds really hard, I'm here with you")
    assert "988" in assistant.texts(who, "I want to kill myself")
    assistant.texts(who, "yes, I'm safe")
    # The next scene must not record the first again as "interrupted".
    assistant.texts(who, '/choose_scenario{"scenario":"surgeon"}')
    assistant.texts(who, "/affirm")
    assistant.texts(who, "stop")

    result = export(assistant, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    head, *_ = records(tmp_path / "out" / f"{pseudonym(who, SECRET)}.jsonl")
    rehearsals = [r for s in head["sessions"] for r in s["rehearsals"]]
    assert [(r["scenario"], r["ended"]) for r in rehearsals] == [
        ("sunset", "crisis"),
        ("surgeon", "stopped"),
    ]
    assert rehearsals[0]["replies"] == 1


def test_what_was_said_while_sharing_was_stopped_is_never_exported(
    assistant, tmp_path: Path
) -> None:
    who = f"stop-share-{uuid.uuid4().hex[:8]}"
    # Plain words, unique in this conversation: the anonymizer would replace a
    # random token (as an ID number or a name) and hide a leak.
    marker = "purple giraffe umbrella"
    before = "my partner sighed when I asked about the weekend"
    after = "I hugged him when he came home"
    share = "I want to share this conversation with my therapist"
    assert "shared with your therapist" in assistant.texts(who, share)
    assistant.texts(who, before)
    stopped = assistant.texts(who, "stop sharing this with my therapist")
    assert "will not be shared" in stopped
    assistant.texts(who, f"he forgot my birthday again, {marker}")
    assert "never shared" in assistant.texts(who, share)
    assistant.texts(who, after)

    result = export(assistant, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "out" / f"{pseudonym(who, SECRET)}.jsonl"
    assert marker not in path.read_text()
    _, *turns = records(path)
    said = [t["text"] for t in turns if t["speaker"] == "user"]
    assert said == [share, before, share, after]
