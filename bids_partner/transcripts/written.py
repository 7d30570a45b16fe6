"""Chat messages written by people, with their identifiers labelled, as training
data for the name model (issue 17).

The writers of ``data/anonymizer/*.yml`` followed ``docs/labelling/anonymizer.md``:

    cases:
      - text: "the message as typed"
        identifiers:
          - {text: "exact substring of the message", kind: person}
        keep: ["exact substring", "another"]

An identifier listed once stands for every whole-word occurrence of its text
(case as written), but one inside a keep-word: there the same spelling is the
ordinary word ("Will" and "Will this confuse them?"), as the benchmarks' scorer
(``anonymizer.survives``) reads it. ``load`` validates a file (an error names
the file and the case) and returns its cases with the person spans in one
convention, the one the model is trained on and the anonymizer masks by:

- a kinship or relation word before a name stays outside the person ("Aunty
  Kavitha": the person is "Kavitha", "Aunty" is context to keep), as the
  anonymizer never masks one (it is what the therapist reads);
- a formal title ("Dr", "Mrs", "Father", "Pastor") is part of the person as
  written: the rules mask it with the name (``names.NameFinder._title_span``).
  For the model it is context, as in the synthetic sentences ("dr {P}"), so
  ``sentence`` trains on the name alone.

``sentence`` turns a case into what the model trains on: people and places as
entities, contacts, IDs, addresses, dates and organisations as spans whose
labels are unknown (missing: the model is neither taught to tag them nor to
leave them; the patterns and rules mask those), every other word, the
keep-words among them, as no entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Sequence, Tuple

import yaml

from bids_partner.settings import ROOT
from bids_partner.transcripts.lexicons import KINSHIP_WORDS as LEXICON_KINSHIP
from bids_partner.transcripts.lexicons import TITLES
from bids_partner.transcripts.patterns import whole_word

WRITTEN_DIR = ROOT / "data" / "anonymizer"
KINDS = (
    "person",
    "place",
    "address",
    "phone",
    "email",
    "handle",
    "id",
    "url",
    "org",
    "date",
)
MODEL_LABELS = {"person": "PERSON", "place": "PLACE"}
# Titles go with a name in the mask (lexicons.TITLES): the model learns the name
# after them. Kinship words and honorifics before a name (lexicons.KINSHIP_WORDS),
# and the relation words and possessives the writers put there, are never part
# of the person.
TITLE_WORDS = TITLES
KINSHIP_WORDS = LEXICON_KINSHIP | {
    "cousin", "grandmother", "grandfather", "mum", "mom", "dad", "ma", "pa",
    "sis", "bro", "my", "his", "her", "our",
}  # fmt: skip


class WrittenDataError(ValueError):
    """A written file that cannot be used: the message names file and case."""


@dataclass(frozen=True)
class Identifier:
    text: str
    kind: str


@dataclass(frozen=True)
class Case:
    text: str
    identifiers: Tuple[Identifier, ...]
    keep: Tuple[str, ...]
    source: str  # "aw1.yml case 12"

    def as_dict(self) -> dict:
        """The benchmarks' shape: {text, identifiers: [{text, kind}], keep}."""
        return {
            "text": self.text,
            "identifiers": [{"text": i.text, "kind": i.kind} for i in self.identifiers],
            "keep": list(self.keep),
        }


def files(written_dir: Path = WRITTEN_DIR) -> List[Path]:
    return sorted(written_dir.glob("*.yml")) if written_dir.is_dir() else []


def occurrences(needle: str, text: str) -> List[Tuple[int, int]]:
    """Every whole-word occurrence of `needle` in `text`, case as written."""
    return [m.span() for m in whole_word(needle).finditer(text)]


def labelled_spans(identifier_text: str, case: Case) -> List[Tuple[int, int]]:
    """Where the case's identifier stands: its whole-word occurrences outside the
    keep-words (or its first occurrence, if it is no whole word)."""
    found = occurrences(identifier_text, case.text)
    if not found:
        return [_first(identifier_text, case.text)]
    keep = [span for word in case.keep for span in occurrences(word, case.text)]
    return [(s, e) for s, e in found if not any(a <= s and e <= b for a, b in keep)]


def _without_leading(text: str, words: frozenset[str] | set[str]) -> str:
    """`text` without the leading words of `words`: "Aunty Kavitha" -> "Kavitha"
    (kinship), "Mrs Ngozi Okafor-Eze" -> "Ngozi Okafor-Eze" (titles); a text
    made only of them ("Nana") stays as written."""
    parts = text.split(" ")
    while len(parts) > 1 and parts[0].lower().rstrip(".") in words:
        parts = parts[1:]
    return " ".join(parts)


def _fail(where: str, problem: str) -> WrittenDataError:
    return WrittenDataError(f"{where}: {problem}")


def _strings(value: Any, where: str, field: str) -> List[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(where, f"{field} must be a list, not {type(value).__name__}")
    return value


def _case(raw: Any, where: str) -> Case:
    if not isinstance(raw, dict):
        raise _fail(where, "a case must be a mapping with text, identifiers, keep")
    unknown = set(raw) - {"text", "identifiers", "keep"}
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _fail(where, "text must be a non-empty string")
    identifiers = []
    for item in _strings(raw.get("identifiers"), where, "identifiers"):
        if not isinstance(item, dict) or set(item) != {"text", "kind"}:
            raise _fail(where, f"an identifier must be {{text, kind}}: {item!r}")
        value, kind = item["text"], item["kind"]
        if kind not in KINDS:
            raise _fail(
                where, f"identifier {value!r}: kind {kind!r} is not one of {KINDS}"
            )
        if not isinstance(value, str) or not value.strip():
            raise _fail(where, f"identifier of kind {kind}: text must be a string")
        if value not in text:
            raise _fail(where, f"identifier {value!r} is not in the text")
        if kind == "person":
            value = _without_leading(value, KINSHIP_WORDS)
        identifiers.append(Identifier(value, kind))
    keep = []
    for word in _strings(raw.get("keep"), where, "keep"):
        if not isinstance(word, str) or not word.strip():
            raise _fail(where, f"a keep-word must be a non-empty string: {word!r}")
        if word not in text:
            raise _fail(where, f"keep-word {word!r} is not in the text")
        keep.append(word)
    case = Case(text, tuple(identifiers), tuple(keep), where)
    for identifier in identifiers:
        if not labelled_spans(identifier.text, case):
            raise _fail(
                where, f"identifier {identifier.text!r} is only ever inside a keep-word"
            )
    named = _named_spans(case)
    for word in keep:
        if all(
            any(s < end and start < e for s, e in named)
            for start, end in occurrences(word, text) or [(0, len(text))]
        ):
            raise _fail(where, f"keep-word {word!r} is only ever inside an identifier")
    return case


def _named_spans(case: Case) -> List[Tuple[int, int]]:
    return [
        span
        for identifier in case.identifiers
        for span in labelled_spans(identifier.text, case)
    ]


def _first(needle: str, text: str) -> Tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def load(path: Path) -> List[Case]:
    """The validated cases of one written file."""
    name = path.name
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise WrittenDataError(f"{name}: not valid YAML ({error})") from None
    if not isinstance(content, dict) or not isinstance(content.get("cases"), list):
        raise WrittenDataError(f"{name}: expected a mapping with a list of cases")
    if not content["cases"]:
        raise WrittenDataError(f"{name}: no cases")
    return [
        _case(raw, f"{name} case {number} ({_preview(raw)})")
        for number, raw in enumerate(content["cases"], 1)
    ]


def _preview(raw: Any) -> str:
    text = raw.get("text") if isinstance(raw, dict) else None
    if not isinstance(text, str):
        return "no text"
    return repr(text[:40] + ("..." if len(text) > 40 else ""))


def load_all(paths: Sequence[Path]) -> List[Case]:
    return [case for path in paths for case in load(path)]


Span = Tuple[int, int, str]


def sentence(case: Case) -> Tuple[List[Span], List[Tuple[int, int]]]:
    """The case as the model trains on it: (start, end, PERSON or PLACE) of
    every whole-word occurrence of a person (title left out) or place, and the
    (start, end) of the other identifiers, whose labels are unknown. A person
    or place inside another identifier ("tasha" in an e-mail) is left to it."""
    unknown = [
        span
        for identifier in case.identifiers
        if identifier.kind not in MODEL_LABELS
        for span in labelled_spans(identifier.text, case)
    ]
    spans: List[Span] = []
    for identifier in case.identifiers:
        label = MODEL_LABELS.get(identifier.kind)
        if label is None:
            continue
        name = identifier.text
        if identifier.kind == "person":
            name = _without_leading(name, TITLE_WORDS)
        for start, end in labelled_spans(identifier.text, case):
            start = end - len(name) if name != identifier.text else start
            if any(s < end and start < e for s, e in unknown):
                continue
            spans.append((start, end, label))
    # Overlapping people and places ("Rose" and "Nana Rose"): the longer wins.
    kept: List[Span] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept), unknown
