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


# Issue 16: close relationships that are not romantic, in the spellings people use.
@pytest.mark.parametrize(
    "text, word",
    [
        ("my mom keeps asking if I still love her", "mom"),
        ("My Mum never calls back", "Mum"),
        ("MUMMY shouted at me", "MUMMY"),
        ("my best friend ignored my text", "best friend"),
        ("my flatmate rolls her eyes", "flatmate"),
        ("my room mate never cleans up", "room mate"),
        ("my mother-in-law says I'm lazy", "mother-in-law"),
        ("my close friend hugged me", "close friend"),
        ("Amma worries about me", "Amma"),
        ("my padi no dey reply", "padi"),
    ],
)
def test_close_relationships_beyond_romance_are_partner_roles(
    nlp, text: str, word: str
) -> None:
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "partner_role"] == [
        (word, "partner_role")
    ]


def test_every_partner_word_names_a_relationship_of_the_contract() -> None:
    from bids_partner.contract import RELATIONSHIPS
    from bids_partner.language.spacy_pipeline import load_partner_roles

    roles = load_partner_roles().roles
    assert {role.relationship for role in roles} == set(RELATIONSHIPS)
    assert load_partner_roles().find("Mom").relationship == "parent"
    assert load_partner_roles().find("parents").say == "family"


@pytest.mark.parametrize(
    "text, error",
    [
        ("partner_role: [wife]\n", "map each relationship"),
        ("partner_role:\n  lover: [wife]\n", "unknown relationship"),
        ("partner_role:\n  romantic: [wife, '{x}']\n", r"romantic\[1\]"),
        ("partner_role:\n  romantic: [wife]\n  friend: [wife]\n", "listed twice"),
    ],
)
def test_a_malformed_partner_lexicon_is_rejected(
    tmp_path: Path, text: str, error: str
) -> None:
    from bids_partner.language.spacy_pipeline import LEXICON_DIR

    (tmp_path / "emotions.yml").write_bytes((LEXICON_DIR / "emotions.yml").read_bytes())
    (tmp_path / "partner_roles.yml").write_text(text)
    with pytest.raises(LexiconError, match=error):
        load_lexicon(tmp_path)
