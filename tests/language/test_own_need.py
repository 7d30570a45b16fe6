from __future__ import annotations

from pathlib import Path

import pytest

from bids_partner.language.own_need import (
    OwnNeedDataError,
    OwnNeedReader,
    fit_own_need,
    kappa,
    load_own_need_labels,
)
from bids_partner.settings import ROOT


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_labels_two_labellers_disagree_on_are_left_out(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yml",
        "labeller: a\nlabels:\n"
        "- {writer: w1, text: 'hi, two mins, im swamped', also_needs: true}\n"
        "- {writer: w1, text: 'of course, go on', also_needs: false}\n",
    )
    write(
        tmp_path,
        "b.yml",
        "labeller: b\nlabels:\n"
        "- {writer: w1, text: 'hi, two mins, im swamped', also_needs: false}\n"
        "- {writer: w1, text: 'of course, go on', also_needs: false}\n"
        "- {writer: w2, text: 'i need a hug too', also_needs: true}\n",
    )
    labels, agreement = load_own_need_labels(tmp_path)
    assert labels == {
        ("w1", "of course, go on"): False,
        ("w2", "i need a hug too"): True,
    }
    assert agreement["twice"] == 2 and agreement["disagree"] == 1


@pytest.mark.parametrize(
    "content",
    [
        "labels: {w1-3: true}\n",
        "labeller: a\nlabels:\n- {writer: w1, text: hi, also_needs: maybe}\n",
        "labeller: a\nlabels:\n- {text: hi, also_needs: true}\n",
        "labeller: a\nlabels: [\n",
    ],
)
def test_a_malformed_labels_file_is_refused_by_name(
    tmp_path: Path, content: str
) -> None:
    write(tmp_path, "bad.yml", content)
    with pytest.raises(OwnNeedDataError, match="bad.yml"):
        load_own_need_labels(tmp_path)


def test_kappa() -> None:
    assert kappa([(True, True), (False, False)]) == 1.0
    assert kappa([(True, False), (False, True)]) == -1.0


def test_the_reader_learns_the_labels_and_needs_some_of_each() -> None:
    need = ["i can't talk at work, text me?", "i'm shattered, can we talk later?"]
    none = ["of course, tell me everything", "i'm here, come sit with me"]
    labels = {("w", t): True for t in need} | {("w", t): False for t in none}
    reader = fit_own_need((("w", t) for t in need + none), labels)
    assert isinstance(reader, OwnNeedReader)
    assert reader.says_own_need(need[0]) and not reader.says_own_need(none[0])
    # A writer left out leaves its labels out: too few to learn from.
    assert fit_own_need((("other", t) for t in need + none), labels) is None


def test_the_shipped_labels_load_and_agree() -> None:
    labels, agreement = load_own_need_labels(ROOT / "data" / "replies" / "also_needs")
    assert len(labels) > 1000 and 0.2 < sum(labels.values()) / len(labels) < 0.6
    assert agreement["twice"] >= 100 and agreement["kappa"] >= 0.7


def test_the_writers_toward_replies_are_labelled() -> None:
    """A new writer's toward replies need `also_needs` labels too: the reader
    learns only from labelled ones (11 of 2,421 were left out as disagreed)."""
    from bids_partner.language.reply_data import load_replies

    labels, _ = load_own_need_labels(ROOT / "data" / "replies" / "also_needs")
    toward = {
        (r.writer, r.text)
        for r in load_replies(ROOT / "data" / "replies")
        if r.kind == "toward"
    }
    assert len(toward & set(labels)) >= 0.99 * len(toward)
