"""Builds the project's English spaCy pipeline from code.

No pretrained English pipeline can be downloaded here, so every machine builds the
same one: spaCy's rule-based tokenizer, lookup lemmas from spacy-lookups-data, and an
EntityRuler for partner roles and emotion words read from ``lexicon/``.

The emotion lexicon is also what the reflections are filled from (``load_feelings``),
so the action server reads it too; spaCy itself is imported only to build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Tuple

import yaml

from bids_partner.contract import RELATIONSHIPS
from bids_partner.settings import SPACY_PIPELINE

if TYPE_CHECKING:
    from spacy.language import Language

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
ENTITY_LABELS = ("partner_role", "emotion")
# softer: the vulnerable feelings under a move (hurt, fear, sadness, shame,
# loneliness); reactive: what shows on the surface (anger and its relatives, and
# states that protect or describe: numb, tired, judged); warm: being met.
FEELING_KINDS = ("softer", "reactive", "warm")
FEELING_FIELDS = ("feel", "typed")


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or names an unknown label."""


@dataclass(frozen=True)
class Feeling:
    """One feeling of the lexicon: its kind, the words that follow "you feel"
    when it is put back to the user, and every way people type it."""

    kind: str
    feel: str
    typed: Tuple[str, ...]


@dataclass(frozen=True)
class PartnerRole:
    """One word of the partner lexicon: whom it names, and what follows "your"
    when it is said back (the word itself, or "family" for "parents")."""

    typed: str
    relationship: str
    say: str


class PartnerLexicon:
    """The words for the person the user is close to: the closed set of values a
    partner_role may take."""

    def __init__(self, roles: Tuple[PartnerRole, ...]) -> None:
        self.roles = roles
        self._by_typed = {role.typed: role for role in roles}

    def find(self, typed: object) -> PartnerRole | None:
        """The role the user's `typed` word belongs to, if it is in the lexicon."""
        if not isinstance(typed, str):
            return None
        return self._by_typed.get(normalize(typed))


def normalize(words: str) -> str:
    """' Fed  Up' -> 'fed up': how typed forms are compared."""
    return " ".join(words.lower().split())


class FeelingLexicon:
    """The emotion lexicon: every feeling, and which one a typed word belongs to."""

    def __init__(self, entries: Tuple[Feeling, ...]) -> None:
        self.entries = entries
        self._by_typed = {typed: entry for entry in entries for typed in entry.typed}

    def find(self, typed: object) -> Feeling | None:
        """The feeling the user's `typed` words belong to, if any."""
        if not isinstance(typed, str):
            return None
        return self._by_typed.get(normalize(typed))

    def feel_forms(self, kind: str) -> Dict[str, Feeling]:
        """Feelings of `kind` by the words that follow "you feel"."""
        return {entry.feel: entry for entry in self.entries if entry.kind == kind}


def _read(path: Path) -> Dict[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise LexiconError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(content, dict):
        raise LexiconError(f"{path}: expected a mapping of label to phrases")
    for label in content:
        if label not in ENTITY_LABELS:
            raise LexiconError(f"{path}: unknown label {label!r}")
    return content


def _phrase(value: object) -> str | None:
    if isinstance(value, str) and value.strip() and not set("{}") & set(value):
        return normalize(value)
    return None


def _feelings(path: Path, kinds: object) -> Iterator[Tuple[str, Feeling]]:
    """The entries of one file's ``emotion`` mapping, each checked, with where
    they are ("path: emotion.softer[3] ('lonely')")."""
    if not isinstance(kinds, dict) or not kinds:
        raise LexiconError(
            f"{path}: emotion must map each kind ({', '.join(FEELING_KINDS)}) to a "
            "list of entries, each with feel: (the words after 'you feel') and "
            "typed: (every way people type it)"
        )
    for kind, entries in kinds.items():
        if kind not in FEELING_KINDS:
            raise LexiconError(
                f"{path}: emotion.{kind}: unknown kind; expected one of "
                f"{', '.join(FEELING_KINDS)}"
            )
        if not isinstance(entries, list) or not entries:
            raise LexiconError(f"{path}: emotion.{kind}: expected a list of entries")
        for index, entry in enumerate(entries):
            where = f"{path}: emotion.{kind}[{index}]"
            if not isinstance(entry, dict):
                raise LexiconError(f"{where}: expected feel: and typed:, got {entry!r}")
            where += f" ({entry.get('feel')!r})" if "feel" in entry else ""
            unknown = sorted(str(key) for key in entry if key not in FEELING_FIELDS)
            missing = [key for key in FEELING_FIELDS if key not in entry]
            if unknown or missing:
                raise LexiconError(
                    f"{where}: missing field(s) {missing}, unknown field(s) {unknown}"
                )
            feel = _phrase(entry["feel"])
            if feel is None:
                raise LexiconError(f"{where}: feel must be words without braces")
            typed = entry["typed"]
            if not isinstance(typed, list) or not typed:
                raise LexiconError(f"{where}: typed must be a list of words")
            forms = [_phrase(form) for form in typed]
            if None in forms:
                raise LexiconError(f"{where}: typed must be a list of words")
            yield where, Feeling(kind, feel, tuple(dict.fromkeys(forms)))


def _roles(path: Path, relationships: object) -> Iterator[PartnerRole]:
    """The entries of one file's ``partner_role`` mapping, each checked."""
    if not isinstance(relationships, dict) or not relationships:
        raise LexiconError(
            f"{path}: partner_role must map each relationship "
            f"({', '.join(RELATIONSHIPS)}) to a list of words"
        )
    for relationship, entries in relationships.items():
        where = f"{path}: partner_role.{relationship}"
        if relationship not in RELATIONSHIPS:
            raise LexiconError(
                f"{where}: unknown relationship; expected one of "
                f"{', '.join(RELATIONSHIPS)}"
            )
        if not isinstance(entries, list) or not entries:
            raise LexiconError(f"{where}: expected a list of words")
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and set(entry) == {"typed", "say"}:
                typed, say = _phrase(entry["typed"]), _phrase(entry["say"])
            else:
                typed = say = _phrase(entry)
            if typed is None or say is None:
                raise LexiconError(
                    f"{where}[{index}]: expected a word, or typed: and say:, "
                    f"got {entry!r}"
                )
            yield PartnerRole(typed, relationship, say)


def _read_lexicon(
    lexicon_dir: Path, labels: Tuple[str, ...] = ENTITY_LABELS
) -> Tuple[Tuple[PartnerRole, ...], Tuple[Feeling, ...]]:
    """Partner words and feelings from every YAML file in ``lexicon_dir``, which
    must have phrases for each of `labels`."""
    roles: Dict[str, PartnerRole] = {}
    feelings: List[Feeling] = []
    found: set[str] = set()
    typed_in: Dict[str, str] = {}
    feel_in: Dict[str, str] = {}
    for path in sorted(lexicon_dir.glob("*.yml")):
        content = _read(path)
        found.update(content)
        if "partner_role" in content:
            for role in _roles(path, content["partner_role"]):
                if role.typed in roles:
                    raise LexiconError(
                        f"{path}: partner word {role.typed!r} is listed twice"
                    )
                roles[role.typed] = role
        if "emotion" not in content:
            continue
        for where, feeling in _feelings(path, content["emotion"]):
            if feeling.feel in feel_in:
                raise LexiconError(
                    f"{where}: feel form {feeling.feel!r} is also that of "
                    f"{feel_in[feeling.feel]}"
                )
            feel_in[feeling.feel] = where
            for typed in feeling.typed:
                if typed in typed_in:
                    raise LexiconError(
                        f"{where}: typed form {typed!r} is also in {typed_in[typed]}"
                    )
                typed_in[typed] = where
            feelings.append(feeling)
    missing = [label for label in labels if label not in found]
    if missing:
        raise LexiconError(f"{lexicon_dir}: no phrases for {', '.join(missing)}")
    kinds = {feeling.kind for feeling in feelings}
    if kinds != set(FEELING_KINDS):
        absent = [kind for kind in FEELING_KINDS if kind not in kinds]
        raise LexiconError(f"{lexicon_dir}: no emotion entries of kind {absent}")
    return tuple(roles.values()), tuple(feelings)


def load_lexicon(lexicon_dir: Path = LEXICON_DIR) -> Dict[str, List[str]]:
    """Returns label -> phrases from every YAML file in ``lexicon_dir``: every
    partner word, and every typed form of every feeling (what the EntityRuler
    matches)."""
    roles, feelings = _read_lexicon(lexicon_dir)
    return {
        "partner_role": [role.typed for role in roles],
        "emotion": [typed for feeling in feelings for typed in feeling.typed],
    }


@cache
def load_feelings(lexicon_dir: Path = LEXICON_DIR) -> FeelingLexicon:
    """The feelings of the lexicon, by kind, with the forms reflections need."""
    return FeelingLexicon(_read_lexicon(lexicon_dir, ("emotion",))[1])


@cache
def load_partner_roles(lexicon_dir: Path = LEXICON_DIR) -> PartnerLexicon:
    """The words for the person the user is close to, each with its relationship."""
    return PartnerLexicon(_read_lexicon(lexicon_dir, ("partner_role",))[0])


def lexicon_fingerprint(lexicon: Dict[str, List[str]]) -> str:
    return hashlib.sha256(json.dumps(lexicon, sort_keys=True).encode()).hexdigest()[:12]


def build_pipeline(lexicon: Dict[str, List[str]] | None = None) -> Language:
    """A blank English pipeline with lookup lemmas and the lexicon's entities."""
    # Here, not at the top: importing spaCy takes seconds, and the action server
    # reads the lexicon without building anything.
    import spacy

    lexicon = lexicon or load_lexicon()
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # Loads the lemma tables; the ruler is added after so its patterns are kept.
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(
        [
            {"label": label, "pattern": phrase}
            for label, phrases in lexicon.items()
            for phrase in phrases
        ]
    )
    nlp.meta["name"] = "relational"
    nlp.meta["description"] = "Built from code by bids_partner.language.spacy_pipeline"
    nlp.meta["lexicon_fingerprint"] = lexicon_fingerprint(lexicon)
    return nlp


def is_current(output: Path, lexicon: Dict[str, List[str]]) -> bool:
    meta = output / "meta.json"
    if not meta.exists():
        return False
    built = json.loads(meta.read_text(encoding="utf-8"))
    return built.get("lexicon_fingerprint") == lexicon_fingerprint(lexicon)


def ensure_pipeline(output: Path = SPACY_PIPELINE, force: bool = False) -> Path:
    """The pipeline at `output`, rebuilt first if the lexicon changed since."""
    lexicon = load_lexicon()
    if not force and is_current(output, lexicon):
        # Progress goes to stderr: `transcripts anonymize` writes text to stdout.
        print(f"spaCy pipeline up to date: {output}", file=sys.stderr, flush=True)
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline(lexicon).to_disk(output)
    print(f"spaCy pipeline built: {output}", file=sys.stderr, flush=True)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SPACY_PIPELINE)
    parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args()
    ensure_pipeline(args.output, args.force)


if __name__ == "__main__":
    main()
