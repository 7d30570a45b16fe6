"""The feeling lexicon the reflections are filled from (issue 16): each entry has a
kind and the form that follows "feel", and a malformed entry is a clear error
naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bids_partner.language.spacy_pipeline import (
    LEXICON_DIR,
    FeelingLexicon,
    LexiconError,
    load_feelings,
    load_lexicon,
)

LEXICON = load_feelings()


def shipped() -> dict:
    return yaml.safe_load((LEXICON_DIR / "emotions.yml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: object) -> Path:
    (tmp_path / "emotions.yml").write_text(
        data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8"
    )
    return tmp_path


def load(tmp_path: Path, data: object) -> FeelingLexicon:
    return load_feelings.__wrapped__(write(tmp_path, data))


@pytest.mark.parametrize(
    "word", ["angry", "annoyed", "fed up", "frustrated", "irritated", "furious", "mad"]
)
def test_reactive_feelings(word: str) -> None:
    assert LEXICON.find(word).kind == "reactive"


@pytest.mark.parametrize(
    "word",
    [
        "hurt",
        "scared",
        "lonely",
        "ashamed",
        "sad",
        "rejected",
        "unwanted",
        "afraid",
        "overwhelmed",
        "not good enough",
    ],
)
def test_softer_feelings(word: str) -> None:
    assert LEXICON.find(word).kind == "softer"


@pytest.mark.parametrize("typed", ["hurt", "hurts", "hurting", "Hurting", " hurts "])
def test_every_form_of_hurt_is_one_entry_said_as_hurt(typed: str) -> None:
    assert LEXICON.find(typed).feel == "hurt"


def test_a_typo_is_said_correctly() -> None:
    assert LEXICON.find("lonley").feel == "lonely"


def test_unknown_words_are_not_feelings() -> None:
    assert LEXICON.find("wistful") is None
    assert LEXICON.find("") is None


def test_down_alone_is_not_a_feeling() -> None:
    # "put my phone down", "calm down": only "feeling down" and the like are.
    assert LEXICON.find("down") is None
    assert LEXICON.find("feeling down").feel == "down"


def test_the_spacy_pipeline_matches_every_typed_form() -> None:
    phrases = set(load_lexicon()["emotion"])
    assert {"hurt", "hurts", "hurting", "fed up", "lonley"} <= phrases
    assert phrases == {typed for entry in LEXICON.entries for typed in entry.typed}


def test_entry_without_feel_form_is_named(tmp_path: Path) -> None:
    data = shipped()
    del data["emotion"]["softer"][0]["feel"]
    with pytest.raises(LexiconError, match=r"emotions\.yml: emotion\.softer\[0\]"):
        load(tmp_path, data)


def test_entry_with_unknown_field_is_named(tmp_path: Path) -> None:
    data = shipped()
    data["emotion"]["reactive"][2]["noun"] = "anger"
    with pytest.raises(
        LexiconError, match=r"emotions\.yml: emotion\.reactive\[2\].*unknown.*noun"
    ):
        load(tmp_path, data)


def test_typed_forms_must_be_a_list_of_words(tmp_path: Path) -> None:
    data = shipped()
    data["emotion"]["warm"][1]["typed"] = "happy"
    with pytest.raises(LexiconError, match=r"emotion\.warm\[1\].*typed"):
        load(tmp_path, data)


def test_a_word_of_two_entries_is_named(tmp_path: Path) -> None:
    data = shipped()
    data["emotion"]["reactive"].append({"feel": "hurt", "typed": ["hurting"]})
    with pytest.raises(LexiconError, match="hurt"):
        load(tmp_path, data)


def test_unknown_kind_is_named(tmp_path: Path) -> None:
    data = shipped()
    data["emotion"]["primary"] = data["emotion"].pop("softer")
    with pytest.raises(LexiconError, match=r"emotions\.yml.*primary"):
        load(tmp_path, data)


def test_a_flat_list_of_words_is_refused_with_the_shape_to_use(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="softer.*reactive.*warm"):
        load(tmp_path, {"emotion": ["hurt", "angry"]})


def test_the_spacy_build_refuses_the_same_mistakes(tmp_path: Path) -> None:
    data = shipped()
    data["emotion"]["softer"][3] = "lonely"
    write(tmp_path, data)
    (tmp_path / "partner_roles.yml").write_text("partner_role: [wife]\n")
    with pytest.raises(LexiconError, match=r"emotion\.softer\[3\]"):
        load_lexicon(tmp_path)
