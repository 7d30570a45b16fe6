"""Export from a real SQLite tracker store written by Rasa's SQLTrackerStore."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sqlite3
import stat
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bids_partner.coaching.rehearsal.play import outcome, read_turns
from bids_partner.settings import ROOT
from bids_partner.transcripts.cli import main
from bids_partner.transcripts.conversation import build
from bids_partner.transcripts.export import pseudonym
from bids_partner.transcripts.review_reader import read_conversation
from bids_partner.transcripts.store import connect, read_conversations

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
SECRET = "a-test-secret-of-enough-length"
DAY1 = 1764000000.0  # 2025-11-24 UTC
DAY2 = DAY1 + 86400


def user(
    text: str,
    intent: str,
    ts: float,
    actor: str | None = None,
    message_id: str | None = None,
) -> UserUttered:
    entities = [{"entity": "actor", "value": actor}] if actor else []
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.91},
        entities,
        parse_data={
            "intent": {"name": intent, "confidence": 0.91},
            "entities": entities,
        },
        timestamp=ts,
        message_id=message_id,
    )


def save(db: Path, sender: str, events: List[Any]) -> None:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))


def new_session(ts: float, *carried: SlotSet) -> List[Any]:
    """A session start as Rasa stores it: the slots set in the last session are
    set again (domain.yml carries them over)."""
    return [
        ActionExecuted("action_session_start", timestamp=ts),
        SessionStarted(timestamp=ts),
        *carried,
        ActionExecuted("action_listen", timestamp=ts),
    ]


def consenting(ts: float = DAY1) -> List[Any]:
    return [
        SessionStarted(timestamp=ts),
        ActionExecuted("action_listen", timestamp=ts),
        user("my husband Daniel never listens", "criticism", ts, "partner"),
        BotUttered("So when Daniel turns away, you feel alone?", timestamp=ts + 1),
        user("share this with my therapist", "share_with_therapist", ts + 2),
        SlotSet("therapist_consent", True, timestamp=ts + 2),
        BotUttered("Thank you.", timestamp=ts + 3),
        ActiveLoop("rehearsal_form", timestamp=ts + 4),
        SlotSet("scenario", "sunset", timestamp=ts + 4),
        BotUttered("Kai (partner): come look at this!", timestamp=ts + 5),
        user("I'm here, show me", "turning_toward", ts + 6),
        SlotSet(
            "rehearsal_outcome",
            {
                "scenario": "sunset",
                "ended": "completed",
                "replies": 1,
                "best_message_id": "4f1c0b",
            },
            timestamp=ts + 7,
        ),
        ActiveLoop(None, timestamp=ts + 7),
        *new_session(DAY2, SlotSet("therapist_consent", True, timestamp=DAY2)),
        user('/choose_scenario{"scenario":"sunset"}', "choose_scenario", DAY2 + 1),
        user("whatever", "withdrawal", DAY2 + 2, "self"),
    ]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.db"
    save(path, "alice-consents", consenting())
    save(
        path,
        "bob-never-asked",
        [user("my wife Sarah ignores me", "withdrawal", DAY1, "partner")],
    )
    save(
        path,
        "carol-withdrew",
        [
            *consenting(),
            user("stop sharing", "withdraw_sharing", DAY2 + 5),
            SlotSet("therapist_consent", False, timestamp=DAY2 + 5),
        ],
    )
    return path


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("TRANSCRIPTS_SECRET", SECRET)
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return exit_info.value.code, capsys.readouterr().err


def records(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_only_consent_in_force_is_exported(db, tmp_path, monkeypatch, capsys) -> None:
    out = tmp_path / "out"
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}"
    )
    assert code == 0, err
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"{pseudonym('alice-consents', SECRET)}.jsonl"]
    assert "Exported 1 of 1 consented conversations (2 without consent)" in err


def test_the_transcript_is_anonymized_annotated_and_counted(
    db, tmp_path, monkeypatch, capsys
) -> None:
    out = tmp_path / "out"
    run(monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}")
    [path] = out.iterdir()
    text = path.read_text()
    # Nothing identifying leaves the store: not the sender id, not the name.
    assert "alice" not in text and "Daniel" not in text
    head, *turns = records(path)
    assert head["conversation"] == pseudonym("alice-consents", SECRET)
    assert head["consent_since"] == "2025-11-24"
    first, second = head["sessions"]
    assert first["date"] == "2025-11-24" and second["date"] == "2025-11-25"
    assert first["moves"]["criticism"] == 1 and first["moves"]["turning_toward"] == 1
    assert first["turned_toward_share"] == 0.5
    assert first["rehearsals"] == [
        {"scenario": "sunset", "ended": "completed", "replies": 1}
    ]
    assert second["moves"]["withdrawal"] == 1 and second["moves_total"] == 1
    opening = turns[0]
    assert opening["text"] == "my husband [PERSON_1] never listens"
    assert (opening["move"], opening["actor"], opening["confidence"]) == (
        "criticism",
        "partner",
        0.91,
    )
    # The same name is the same placeholder in the bot's reply.
    assert turns[1]["text"] == "So when [PERSON_1] turns away, you feel alone?"
    partner = next(t for t in turns if t["partner_line"])
    assert partner["rehearsal"] == "sunset"
    assert any(t["text"] == "[button: choose_scenario]" for t in turns)
    # Timestamps are days, never times.
    assert all(len(t["date"]) == 10 for t in turns)


def test_pseudonyms_are_stable_and_keyed() -> None:
    # A keyed hash (HMAC-SHA256), not a plain one: computed here independently.
    expected = hmac.new(SECRET.encode(), b"x", hashlib.sha256).hexdigest()[:16]
    assert pseudonym("x", SECRET) == f"p_{expected}"
    assert pseudonym("x", SECRET) != "p_" + hashlib.sha256(b"x").hexdigest()[:16]
    assert pseudonym("y", SECRET) != pseudonym("x", SECRET)
    assert pseudonym("x", SECRET) != pseudonym("x", SECRET + "-other")
    assert pseudonym("x", SECRET).startswith("p_") and len(pseudonym("x", SECRET)) == 18


def test_since_and_until_keep_the_days_asked_for(
    db, tmp_path, monkeypatch, capsys
) -> None:
    out = tmp_path / "out"
    code, _ = run(
        monkeypatch,
        capsys,
        "export",
        "--out",
        str(out),
        "--db",
        f"sqlite:///{db}",
        "--since",
        "2025-11-25",
    )
    assert code == 0
    head, *turns = records(next(out.iterdir()))
    assert [s["date"] for s in head["sessions"]] == ["2025-11-25"]
    assert {t["date"] for t in turns} == {"2025-11-25"}


@pytest.mark.parametrize(
    "fmt, marker", [("md", "# Transcript p_"), ("html", "<!doctype html>")]
)
def test_markdown_and_html(db, tmp_path, monkeypatch, capsys, fmt, marker) -> None:
    out = tmp_path / "out"
    code, _ = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}",
        "--format", fmt,
    )  # fmt: skip
    assert code == 0
    text = next(out.iterdir()).read_text()
    assert text.startswith(marker) and "[PERSON_1]" in text and "Daniel" not in text


def test_markdown_shows_typed_html_and_markdown_as_text(
    tmp_path, monkeypatch, capsys
) -> None:
    db = tmp_path / "tracker.db"
    typed = (
        "<script>alert(1)</script> <svg onload=alert(2)> [click](javascript:x) "
        "![img](http://x/y.png)\n# not a heading"
    )
    save(
        db,
        "mallory",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            user(typed, "bid", DAY1 + 1),
        ],
    )
    out = tmp_path / "out"
    code, _ = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}",
        "--format", "md",
    )  # fmt: skip
    assert code == 0
    exported = next(out.iterdir())
    text = exported.read_text()
    # People's words: the owner's to read only (issue 18), whatever the umask.
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert "&lt;script&gt;" in text and "&lt;svg onload" in text
    assert "<script" not in text and "<svg" not in text
    assert "](" not in text  # no link or image
    assert "\n  \\# not a heading" in text


def masked_conversation(db: Path) -> None:
    """Two names (one of them twice), a phone number and an e-mail address."""
    save(
        db,
        "masked-counts",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            user("my wife Ingrid blocked my number", "criticism", DAY1 + 1),
            BotUttered("So Ingrid shut you out?", timestamp=DAY1 + 2),
            user(
                "Ingrid's sister Maren texted me from 07700 900 123 and "
                "maren.l@example.org",
                "bid",
                DAY1 + 3,
            ),
        ],
    )


def test_the_header_says_how_many_spans_were_masked_per_kind(
    tmp_path, monkeypatch, capsys
) -> None:
    db = tmp_path / "tracker.db"
    masked_conversation(db)
    out = tmp_path / "out"
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}"
    )
    assert code == 0, err
    head, *turns = records(next(out.iterdir()))
    # Every span counts, a repeated name too: Ingrid three times, Maren once.
    assert head["masked"] == {"person": 4, "phone": 1, "email": 1}
    assert "Ingrid" not in json.dumps(turns) and "07700" not in json.dumps(turns)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_show_one_masked_line(
    tmp_path, monkeypatch, capsys, fmt
) -> None:
    db = tmp_path / "tracker.db"
    masked_conversation(db)
    out = tmp_path / "out"
    code, _ = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}",
        "--format", fmt,
    )  # fmt: skip
    assert code == 0
    text = next(out.iterdir()).read_text()
    line = "Masked: 4 names, 1 phone number, 1 e-mail address."
    assert text.count(line) == 1


def test_a_transcript_with_nothing_masked_says_so(
    tmp_path, monkeypatch, capsys
) -> None:
    db = tmp_path / "tracker.db"
    save(
        db,
        "nothing-to-mask",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            user("I feel so alone lately", "bid", DAY1 + 1),
        ],
    )
    out = tmp_path / "out"
    run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}",
        "--format", "md",
    )  # fmt: skip
    path = next(out.iterdir())
    assert "Masked: nothing." in path.read_text()


def test_a_corrupt_row_is_skipped_and_reported(
    db, tmp_path, monkeypatch, capsys
) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE events SET data = '{not json' WHERE id = (SELECT MIN(id) "
            "FROM events WHERE sender_id = 'alice-consents' AND type_name = 'bot')"
        )
    out = tmp_path / "out"
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}"
    )
    assert code == 0
    assert "Skipped event row" in err and pseudonym("alice-consents", SECRET) in err
    head, *turns = records(next(out.iterdir()))
    assert head["skipped_events"] == 1
    assert not any("turns away" in t["text"] for t in turns)


def test_clear_errors(tmp_path, monkeypatch, capsys) -> None:
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(tmp_path), "--db",
        f"sqlite:///{tmp_path / 'missing.db'}",
    )  # fmt: skip
    assert code == 2 and "No tracker store" in err
    assert not (tmp_path / "missing.db").exists()  # nothing created by looking
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(tmp_path), "--db",
        "postgresql://someone:hunter2@127.0.0.1:1/rasa",
    )  # fmt: skip
    assert code == 2 and "Cannot read the tracker store" in err
    assert "hunter2" not in err
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    code, err = run(
        monkeypatch,
        capsys,
        "export",
        "--out",
        str(tmp_path),
        "--db",
        f"sqlite:///{empty}",
    )
    assert code == 1 and "no conversations" in err
    monkeypatch.delenv("TRANSCRIPTS_SECRET")
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--out", str(tmp_path)])
    assert exit_info.value.code == 2 and "TRANSCRIPTS_SECRET" in capsys.readouterr().err


def test_a_scene_ended_by_a_crisis_is_a_full_outcome_the_review_page_reads(
    tmp_path, monkeypatch, capsys
) -> None:
    db = tmp_path / "tracker.db"
    turns = [{"move": "withdrawal", "kind": "away", "confidence": 0.9}]
    save(
        db,
        "dana",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            ActiveLoop("rehearsal_form", timestamp=DAY1 + 1),
            SlotSet("scenario", "sunset", timestamp=DAY1 + 1),
            SlotSet("rehearsal_feedback", "at_end", timestamp=DAY1 + 2),
            user("whatever", "withdrawal", DAY1 + 3),
            SlotSet("rehearsal_turns", turns, timestamp=DAY1 + 3),
            user("he hit me again", "crisis", DAY1 + 4),
        ],
    )
    out = tmp_path / "out"
    code, _ = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}"
    )
    assert code == 0
    [path] = out.iterdir()
    [session] = records(path)[0]["sessions"]
    assert session["rehearsals"] == [
        {
            "scenario": "sunset",
            "ended": "crisis",
            "feedback": "at_end",
            "replies": 1,
            "moves": {"withdrawal": 1},
            "kinds": {"away": 1},
            "toward_share": 0.0,
            "resolved": False,
        }
    ]
    [scene] = read_conversation(path).sessions[0].rehearsals
    assert (scene.ended, scene.kinds["away"], scene.kinds["reach"]) == ("crisis", 1, 0)


def test_a_scene_paused_by_the_safety_question_and_resumed_is_not_ended(
    tmp_path,
) -> None:
    """The gentle question pauses a scene; "yes, I'm safe" resumes it. Only the
    scene's real end is recorded, not a crisis ending at the question."""
    db = tmp_path / "tracker.db"
    turns = [{"move": "turning_toward", "kind": "toward", "confidence": 0.9}]
    finished = {"scenario": "sunset", "ended": "completed", "replies": 2}
    paused = [
        ActiveLoop("rehearsal_form", timestamp=DAY1 + 1),
        SlotSet("scenario", "sunset", timestamp=DAY1 + 1),
        user("I'm here, show me", "turning_toward", DAY1 + 2),
        SlotSet("rehearsal_turns", turns, timestamp=DAY1 + 2),
        user("I could just disappear some days", "crisis", DAY1 + 3),
        ActionExecuted("utter_safety_question", timestamp=DAY1 + 3),
        ActiveLoop(None, timestamp=DAY1 + 3),
    ]
    save(
        db,
        "resumed",
        [
            *paused,
            user("/affirm", "affirm", DAY1 + 4),
            ActionExecuted("utter_safe_to_go_on", timestamp=DAY1 + 4),
            ActiveLoop("rehearsal_form", timestamp=DAY1 + 4),
            SlotSet("rehearsal_outcome", finished, timestamp=DAY1 + 5),
        ],
    )
    save(db, "not-resumed", [*paused, user("/deny", "deny", DAY1 + 4)])
    stored = read_conversations(connect(f"sqlite:///{db}"))
    [resumed] = build("resumed", stored["resumed"]).sessions
    assert resumed.rehearsals == [finished]
    [stopped] = build("not-resumed", stored["not-resumed"]).sessions
    assert [r["ended"] for r in stopped.rehearsals] == ["crisis"]


def test_conversation_reader_keeps_order(db) -> None:
    stored = read_conversations(connect(f"sqlite:///{db}"))
    conversation = build("alice-consents", stored["alice-consents"])
    assert conversation.consent and conversation.consent_since == "2025-11-24"
    withdrew = build("carol-withdrew", stored["carol-withdrew"])
    assert not withdrew.consent and withdrew.consent_since is None


MARKER = "ZEBRA-PRIVATE-7731"  # said while sharing was stopped: must never leave


def reply(message_id: str, move: str, kind: str) -> Dict[str, Any]:
    """A rehearsal reply as the rehearsal_turns slot keeps it."""
    return {"move": move, "kind": kind, "confidence": 0.9, "message_id": message_id}


def share_stop_share(ts: float = DAY1) -> List[Any]:
    """Talk before any choice, share, a rehearsal reply, stop sharing, a private
    reply, share again, a last reply, then the scene's summary quoting the
    private reply back and its stored outcome (which counted all three)."""
    toward_1 = reply("m-toward-1", "turning_toward", "toward")
    private = reply("m-private", "criticism", "against")
    toward_2 = reply("m-toward-2", "turning_toward", "toward")
    every = [toward_1, private, toward_2]
    return [
        SessionStarted(timestamp=ts),
        ActionExecuted("action_listen", timestamp=ts),
        user("I reach for my partner and he looks at his phone", "bid", ts),
        BotUttered("That sounds lonely.", timestamp=ts),
        user("share this with my therapist", "share_with_therapist", ts + 1),
        SlotSet("therapist_consent", True, timestamp=ts + 1),
        BotUttered("Thank you, it will be shared.", timestamp=ts + 1),
        ActiveLoop("rehearsal_form", timestamp=ts + 2),
        SlotSet("scenario", "sunset", timestamp=ts + 2),
        BotUttered("Kai (partner): come look at this!", timestamp=ts + 2),
        user("I'm here, show me", "turning_toward", ts + 3, message_id="m-toward-1"),
        SlotSet("rehearsal_turns", [toward_1], timestamp=ts + 3),
        BotUttered("Kai (partner): the colours!", timestamp=ts + 3),
        user("stop sharing", "withdraw_sharing", ts + 4),
        SlotSet("therapist_consent", False, timestamp=ts + 4),
        BotUttered("Okay, sharing has stopped.", timestamp=ts + 4),
        user(
            f"{MARKER} you always ruin my evenings",
            "criticism",
            ts + 5,
            message_id="m-private",
        ),
        SlotSet("rehearsal_turns", [toward_1, private], timestamp=ts + 5),
        BotUttered("Kai (partner): why would you say that?", timestamp=ts + 5),
        user("share this with my therapist again", "share_with_therapist", ts + 6),
        SlotSet("therapist_consent", True, timestamp=ts + 6),
        BotUttered('Shared again; say "stop sharing" to stop.', timestamp=ts + 6),
        user(
            "sorry, it is beautiful, sit with me",
            "turning_toward",
            ts + 7,
            message_id="m-toward-2",
        ),
        SlotSet("rehearsal_turns", every, timestamp=ts + 7),
        ActiveLoop(None, timestamp=ts + 8),
        BotUttered(
            f'Reply 2: "{MARKER} you always ruin my evenings" turned against.',
            timestamp=ts + 8,
        ),
        BotUttered(
            f"You once said {MARKER} you always ruin my evenings.", timestamp=ts + 8
        ),
        SlotSet("rehearsal_turns", None, timestamp=ts + 8),
        SlotSet(
            "rehearsal_outcome",
            outcome("sunset", read_turns(every), "completed", "at_end"),
            timestamp=ts + 8,
        ),
    ]


def test_only_what_was_said_while_sharing_was_on_is_exported(
    tmp_path, monkeypatch, capsys
) -> None:
    """Share, stop, share again: what was said while sharing was stopped is not
    in the transcript, its counts or the scene's outcome, nor in what the bot
    said about it later; what was said before the first "share" is ("this
    conversation")."""
    db = tmp_path / "tracker.db"
    save(db, "erin", share_stop_share())
    out = tmp_path / "out"
    code, err = run(
        monkeypatch, capsys, "export", "--out", str(out), "--db", f"sqlite:///{db}"
    )
    assert code == 0, err
    [path] = out.iterdir()
    text = path.read_text()
    assert MARKER not in text and "ruin my evenings" not in text
    head, *turns = records(path)
    assert [t["text"] for t in turns if t["speaker"] == "user"] == [
        "I reach for my partner and he looks at his phone",
        "share this with my therapist",
        "I'm here, show me",
        "share this with my therapist again",
        "sorry, it is beautiful, sit with me",
    ]
    bot = [t["text"] for t in turns if t["speaker"] == "bot"]
    assert not any("stopped" in b or "why would you" in b for b in bot)
    # A note on the withheld reply is withheld; its words repeated elsewhere
    # are replaced.
    assert not any(b.startswith("Reply 2") for b in bot)
    assert bot[-1] == "You once said [not shared]."
    # The withheld "stop sharing" is the bot's wording too: that stays.
    assert 'Shared again; say "stop sharing" to stop.' in bot
    assert [t["index"] for t in turns] == list(range(1, len(turns) + 1))
    [session] = head["sessions"]
    assert session["moves"]["criticism"] == 0 and session["moves_total"] == 3
    assert session["moves"]["turning_toward"] == 2 and session["moves"]["bid"] == 1
    assert session["turned_toward_share"] == 0.667
    assert session["rehearsals"] == [
        {
            "scenario": "sunset",
            "ended": "completed",
            "feedback": "at_end",
            "replies": 2,
            "moves": {"turning_toward": 2},
            "kinds": {"toward": 2},
            "toward_share": 1.0,
            "resolved": True,
        }
    ]
    # The consent in force is the one given again.
    assert head["consent_since"] == "2025-11-24"


def test_a_restart_or_going_back_never_leaves_sharing_on(tmp_path) -> None:
    """Rasa's "/restart" resets the slot and "/back" takes back the message that
    set it: the export follows, and "/back" can turn sharing off, never on."""
    db = tmp_path / "tracker.db"
    share = [
        user("share this with my therapist", "share_with_therapist", DAY1),
        SlotSet("therapist_consent", True, timestamp=DAY1),
    ]
    stop = [
        user("stop sharing", "withdraw_sharing", DAY1 + 1),
        SlotSet("therapist_consent", False, timestamp=DAY1 + 1),
    ]
    back = [
        user("/back", "back", DAY1 + 2),
        UserUtteranceReverted(timestamp=DAY1 + 2),
        UserUtteranceReverted(timestamp=DAY1 + 2),
    ]
    after = user("said afterwards", "bid", DAY1 + 3)
    again = [
        user("share it again", "share_with_therapist", DAY1 + 4),
        SlotSet("therapist_consent", True, timestamp=DAY1 + 4),
    ]
    cases = {
        "restarted": [*share, Restarted(timestamp=DAY1 + 1), after],
        "took-back-share": [*share, *back, after],
        "took-back-stop": [*share, *stop, *back, after],
    }
    for sender, events in cases.items():
        save(db, sender, events)
        save(db, f"{sender}-then-shared", [*events, *again])
    stored = read_conversations(connect(f"sqlite:///{db}"))
    for sender in cases:
        assert not build(sender, stored[sender]).consent, sender
        shared = build(f"{sender}-then-shared", stored[f"{sender}-then-shared"])
        said = [t.text for s in shared.sessions for t in s.turns]
        # Sharing had been chosen and was off: what was said then stays out. A
        # taken-back first "share" leaves no choice made: "from its start" holds.
        withheld = sender != "took-back-share"
        assert ("said afterwards" not in said) is withheld, sender


def test_a_new_session_carries_consent_over_without_repeating_anything(
    tmp_path,
) -> None:
    """Rasa sets the last session's slots again when a session starts: that is
    neither a new choice nor a second rehearsal outcome."""
    db = tmp_path / "tracker.db"
    played = [reply("m-1", "turning_toward", "toward")]
    finished = outcome("sunset", read_turns(played), "completed", None)
    choices = [
        SlotSet("therapist_consent", True, timestamp=DAY1),
        SlotSet("therapist_consent", False, timestamp=DAY1 + 1),
        SlotSet("therapist_consent", True, timestamp=DAY1 + 2),
    ]
    save(
        db,
        "frank",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            choices[0],
            user("stop sharing", "withdraw_sharing", DAY1 + 1),
            choices[1],
            user("share it again", "share_with_therapist", DAY1 + 2),
            choices[2],
            user("I'm here", "turning_toward", DAY1 + 3, message_id="m-1"),
            SlotSet("rehearsal_turns", played, timestamp=DAY1 + 3),
            SlotSet("rehearsal_outcome", finished, timestamp=DAY1 + 3),
            *new_session(
                DAY2,
                *[SlotSet(c.key, c.value, timestamp=DAY2) for c in choices],
                SlotSet("rehearsal_outcome", finished, timestamp=DAY2),
            ),
            user("the next day", "bid", DAY2 + 1),
        ],
    )
    stored = read_conversations(connect(f"sqlite:///{db}"))
    conversation = build("frank", stored["frank"])
    assert conversation.consent and conversation.consent_since == "2025-11-24"
    first, second = conversation.sessions
    without_id = {k: v for k, v in finished.items() if k != "best_message_id"}
    assert first.rehearsals == [without_id] and second.rehearsals == []
    assert [t.text for t in second.turns] == ["the next day"]


def test_an_unreadable_slot_row_stops_sharing(tmp_path) -> None:
    """It may have been a "stop sharing": the export assumes so."""
    db = tmp_path / "tracker.db"
    save(
        db,
        "gina",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            user("stop sharing", "withdraw_sharing", DAY1 + 1),
            SlotSet("therapist_consent", False, timestamp=DAY1 + 1),
            user("said afterwards", "bid", DAY1 + 2),
            user("share it again", "share_with_therapist", DAY1 + 3),
            SlotSet("therapist_consent", True, timestamp=DAY1 + 3),
        ],
    )
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE events SET data = '{not json' WHERE type_name = 'slot' "
            "AND data LIKE '%false%'"
        )
    conversation = build("gina", read_conversations(connect(f"sqlite:///{db}"))["gina"])
    said = [t.text for s in conversation.sessions for t in s.turns]
    assert conversation.consent and "said afterwards" not in said


def test_a_message_taken_back_is_not_exported(tmp_path) -> None:
    """ "/back" takes the user's last message back: Rasa keeps its events, the
    transcript leaves it (and the bot's reply to it) out."""
    db = tmp_path / "tracker.db"
    save(
        db,
        "gina",
        [
            user("share this with my therapist", "share_with_therapist", DAY1),
            SlotSet("therapist_consent", True, timestamp=DAY1),
            user("my wife rolls her eyes at me", "contempt", DAY1 + 1),
            BotUttered("That eye-roll stings.", timestamp=DAY1 + 1),
            user("I regret typing this, her name is Tasha", "bid", DAY1 + 2),
            BotUttered("Tell me more.", timestamp=DAY1 + 2),
            user("/back", "back", DAY1 + 3),
            BotUttered("Going back.", timestamp=DAY1 + 3),
            UserUtteranceReverted(timestamp=DAY1 + 3),
            UserUtteranceReverted(timestamp=DAY1 + 3),
            user("he never listens", "criticism", DAY1 + 4),
        ],
    )
    stored = read_conversations(connect(f"sqlite:///{db}"))
    turns = [t for s in build("gina", stored["gina"]).sessions for t in s.turns]
    said = [t.text for t in turns]
    assert "I regret typing this, her name is Tasha" not in said
    assert "/back" not in said and "Tell me more." not in said
    assert "Going back." not in said
    assert said[-1] == "he never listens" and "That eye-roll stings." in said
    assert [t.index for t in turns] == list(range(1, len(turns) + 1))
