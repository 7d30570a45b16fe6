"""The writers' messages as the name model's training data (issue 17): the
loader refuses a bad file with the file and case named, reads people and places
as the anonymizer masks them, and a changed file retrains the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bids_partner.transcripts import written
from bids_partner.transcripts.name_model import (
    SETTINGS,
    ensure_name_model,
    fingerprint,
    is_current,
)

GOOD = """cases:
  - text: "Aunty Kavitha said Will made a will. Will! mail tasha.g@mail.com, tasha"
    identifiers:
      - {text: "Aunty Kavitha", kind: person}
      - {text: "Will", kind: person}
      - {text: "tasha.g@mail.com", kind: email}
      - {text: "tasha", kind: person}
    keep: ["made a will"]
  - text: "Mrs O'Brien from Sale rang"
    identifiers:
      - {text: "Mrs O'Brien", kind: person}
      - {text: "Sale", kind: place}
    keep: []
"""


def _write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def test_the_writers_files_load() -> None:
    paths = written.files()
    assert [p.stem for p in paths] == ["aw1", "aw2", "aw4", "aw5", "aw6", "aw7", "aw8"]
    assert len(written.load_all(paths)) == 1310


def test_people_and_places_at_every_whole_word_occurrence(tmp_path: Path) -> None:
    first, second = written.load(_write(tmp_path, "w.yml", GOOD))
    # The kinship word stays outside the person, as the anonymizer keeps it.
    assert first.identifiers[0].text == "Kavitha"
    spans, unknown = written.sentence(first)
    text = first.text
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("Kavitha", "PERSON"),
        ("Will", "PERSON"),  # "a will" is the ordinary word: case as written
        ("Will", "PERSON"),
        ("tasha", "PERSON"),  # the one outside the e-mail only
    ]
    assert [text[s:e] for s, e in unknown] == ["tasha.g@mail.com"]
    spans, _ = written.sentence(second)
    # A formal title is context for the model, as in the synthetic sentences.
    assert [second.text[s:e] for s, e, _ in spans] == ["O'Brien", "Sale"]


def test_the_same_spelling_inside_a_keep_word_is_the_word(tmp_path: Path) -> None:
    """A name and the ordinary word in one message, case alike: the keep-word
    says which occurrence is the word, as the scorer reads it."""
    content = (
        'cases:\n  - text: "my son Will asked me. Will this confuse him?"\n'
        "    identifiers: [{text: Will, kind: person}]\n"
        '    keep: ["Will this confuse"]\n'
    )
    (case,) = written.load(_write(tmp_path, "w.yml", content))
    spans, _ = written.sentence(case)
    assert [(s, e, label) for s, e, label in spans] == [(7, 11, "PERSON")]
    assert case.text[7:11] == "Will"


@pytest.mark.parametrize(
    "content, message",
    [
        ("cases: [", "bad.yml: not valid YAML"),
        ("- text: hi", "bad.yml: expected a mapping with a list of cases"),
        ("cases: []", "bad.yml: no cases"),
        (
            'cases:\n  - {text: "hi Jo", identifiers: [{text: Bo, kind: person}]}',
            "bad.yml case 1 ('hi Jo'): identifier 'Bo' is not in the text",
        ),
        (
            'cases:\n  - {text: "ok"}\n  - {text: "hi Jo", '
            "identifiers: [{text: Jo, kind: name}]}",
            "bad.yml case 2 ('hi Jo'): identifier 'Jo': kind 'name' is not one of",
        ),
        (
            'cases:\n  - {text: "hi Jo", keep: ["bye"]}',
            "bad.yml case 1 ('hi Jo'): keep-word 'bye' is not in the text",
        ),
        (
            'cases:\n  - {text: "hi Jo", identifiers: [{text: Jo, kind: person}], '
            "keep: [Jo]}",
            "identifier 'Jo' is only ever inside a keep-word",
        ),
        (
            'cases:\n  - {text: "Jo, hi Jo", identifiers: [{text: Jo, kind: person}], '
            'keep: ["Jo, hi Jo"]}',
            "identifier 'Jo' is only ever inside a keep-word",
        ),
        ('cases:\n  - {text: ""}', "bad.yml case 1 (''): text must be a non-empty"),
        ('cases:\n  - {text: "hi", keep: "hi"}', "keep must be a list, not str"),
        ('cases:\n  - {txt: "hi"}', "bad.yml case 1 (no text): unknown field(s) txt"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_case(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(written.WrittenDataError) as refused:
        written.load(_write(tmp_path, "bad.yml", content))
    assert message in str(refused.value)


def test_the_model_is_retrained_when_a_writers_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small settings so it trains in seconds; the same code path."""
    folder = tmp_path / "written"
    folder.mkdir()
    path = _write(folder, "w1.yml", GOOD)
    monkeypatch.setattr(written, "WRITTEN_DIR", folder)
    small = {**SETTINGS, "written": None, "sentences": 200, "epochs": 1}
    built = ensure_name_model(tmp_path / "model", settings=small)
    before = fingerprint(small)
    assert is_current(built, small)
    path.write_text(GOOD.replace("Sale", "Sale").replace("rang", "rang twice"))
    assert fingerprint(small) != before
    assert not is_current(built, small)
    ensure_name_model(built, settings=small)
    meta = json.loads((built / "meta.json").read_text(encoding="utf-8"))
    assert meta["name_model_fingerprint"] == fingerprint(small) != before
    # A new writer's file is read too.
    _write(folder, "w2.yml", GOOD)
    assert not is_current(built, small)
