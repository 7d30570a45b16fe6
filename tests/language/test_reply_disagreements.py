"""`reply_disagreements apply`: a label changes only where both annotators agree
on another kind, in place, with a comment, and nothing else in the file moves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks import reply_disagreements
from bids_partner.language.reply_data import load_replies

WRITER_FILE = """\
# writer wx: three replies
writer: wx
replies:
  - scene: sunset
    line: opening
    partner: "Come look at this sunset!"
    kind: away
    text: "one sec, I want to see it!"
  - scene: sunset
    line: opening
    partner: "Come look at this sunset!"
    kind: toward  # a comment the writer left
    text: "coming, love"
  - scene: sunset
    line: opening
    partner: "Come look at this sunset!"
    kind: against
    text: "oh lovely, another sunset"
"""


def _write(path: Path, content: object) -> Path:
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "replies"
    data.mkdir()
    (data / "wx.yml").write_text(WRITER_FILE, encoding="utf-8")
    monkeypatch.setattr(reply_disagreements, "TRAIN_DIR", data)
    # Item ids as the sheet shuffles them: 7 is reply 1, 8 reply 2, 9 reply 3.
    key = [
        {"id": i, "writer": "wx", "number": n, "label": label, "control": control}
        for i, n, label, control in (
            (7, 1, "away", False),
            (8, 2, "toward", True),
            (9, 3, "against", False),
        )
    ]
    _write(tmp_path / "key.yml", key)
    return tmp_path


def test_both_annotators_agreeing_on_another_kind_change_the_label(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write(folder / "a1.yml", {7: "toward", 8: "away", 9: "away"})
    second = _write(folder / "a2.yml", {7: "toward", 8: "toward", 9: "reach"})
    reply_disagreements.apply(folder / "key.yml", first, second, "test-note")

    text = (folder / "replies" / "wx.yml").read_text(encoding="utf-8")
    kinds = [r.kind for r in load_replies(folder / "replies")]
    # 8 and 9: the annotators disagree with each other, so the labels stay.
    assert kinds == ["toward", "toward", "against"]
    # Only that line changed: put back, the file is the writer's, byte for byte.
    relabelled = "kind: toward  # relabelled test-note: was away (two annotators)"
    assert text.replace(relabelled, "kind: away") == WRITER_FILE
    printed = capsys.readouterr().out
    assert "('disputed', 'changed') 1" in printed
    assert "('disputed', 'away -> toward') 1" in printed


def test_an_unlabelled_item_stops_before_any_file_changes(folder: Path) -> None:
    first = _write(folder / "a1.yml", {7: "toward", 8: "toward", 9: "away"})
    second = _write(folder / "a2.yml", {7: "toward", 9: "away"})
    before = (folder / "replies" / "wx.yml").read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match="1 items unlabelled"):
        reply_disagreements.apply(folder / "key.yml", first, second, "test-note")
    assert (folder / "replies" / "wx.yml").read_text(encoding="utf-8") == before


def test_agreeing_with_the_writer_or_on_too_short_changes_nothing(
    folder: Path,
) -> None:
    first = _write(folder / "a1.yml", {7: "away", 8: "too_short", 9: "against"})
    second = _write(folder / "a2.yml", {7: "away", 8: "too_short", 9: "against"})
    before = (folder / "replies" / "wx.yml").read_text(encoding="utf-8")
    reply_disagreements.apply(folder / "key.yml", first, second, "test-note")
    assert (folder / "replies" / "wx.yml").read_text(encoding="utf-8") == before
