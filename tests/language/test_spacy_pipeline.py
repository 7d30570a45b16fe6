from pathlib import Path

import pytest
import spacy

from bids_partner.language.spacy_pipeline import (
    LexiconError,
    build_pipeline,
    ensure_pipeline,
    is_current,
    load_lexicon,
)


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load(ensure_pipeline())


def test_partner_roles_and_emotions_are_entities(nlp) -> None:
    doc = nlp("My Fiancé ignores me and I feel lonely and not good enough")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Fiancé", "partner_role"),
        ("lonely", "emotion"),
        ("not good enough", "emotion"),
    ]


def test_lookup_lemmas_come_from_spacy_lookups_data(nlp) -> None:
    assert [t.lemma_ for t in nlp("she walks out")] == ["she", "walk", "out"]


def test_ordinary_words_are_not_partner_roles(nlp) -> None:
    doc = nlp("so I said oh man, it was fine")
    assert not [e for e in doc.ents if e.label_ == "partner_role"]


def built_files(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_two_builds_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    lexicon = load_lexicon()
    build_pipeline(lexicon).to_disk(tmp_path / "a")
    build_pipeline(lexicon).to_disk(tmp_path / "b")
    first, second = built_files(tmp_path / "a"), built_files(tmp_path / "b")
    assert first and first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_build_knows_when_the_lexicon_changed(tmp_path: Path) -> None:
    lexicon = load_lexicon()
    build_pipeline(lexicon).to_disk(tmp_path / "p")
    assert is_current(tmp_path / "p", lexicon)
    changed = {**lexicon, "emotion": [*lexicon["emotion"], "wistful"]}
    assert not is_current(tmp_path / "p", changed)


def test_unknown_label_in_lexicon_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("mood: [happy]\n")
    with pytest.raises(LexiconError, match="unknown label"):
        load_lexicon(tmp_path)


def test_malformed_lexicon_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text("emotion: [happy\n")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicon(tmp_path)
