"""Replaces what identifies someone in a chat message with placeholders that stay
the same within a transcript ("Daniel" is [PERSON_1] every time), keeping what a
therapist needs: partner words, feelings, what happened, relative dates, years.

Three layers, one result: Presidio's recognizers (e-mail, phone numbers with
libphonenumber, URLs, card, bank, SSN, passport and licence numbers), this
package's patterns (handles, written-out dates, addresses, other IDs) and its
name finder over the project's spaCy pipeline (people, places, organisations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, Iterable, List

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    CryptoRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
    UsBankRecognizer,
    UsItinRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from bids_partner.language.spacy_pipeline import ensure_pipeline
from bids_partner.patches import apply_tldextract_patch
from bids_partner.transcripts.lexicons import lexicons
from bids_partner.transcripts.names import NameFinder
from bids_partner.transcripts.patterns import (
    LABELS,
    PLACEHOLDER,
    Finding,
    pattern_findings,
)

# Presidio checks e-mail and URL domains with tldextract: no download.
apply_tldextract_patch()

PRESIDIO_KINDS = {
    "EMAIL_ADDRESS": "email",
    "URL": "url",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "id",
    "CRYPTO": "id",
    "IBAN_CODE": "id",
    "IP_ADDRESS": "id",
    "US_SSN": "id",
    "US_ITIN": "id",
    "US_PASSPORT": "id",
    "US_BANK_NUMBER": "id",
    "US_DRIVER_LICENSE": "id",
}
# Presidio gives weak guesses for bare numbers; the patterns cover those.
PRESIDIO_MIN_SCORE = 0.3
PHONE_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "IN", "NG", "ZA", "DE", "FR")
# Where findings overlap, a contact, ID, address or date wins over a name, the
# longer one first (a card number over the phone number Presidio sees in it),
# then the more specific kind.
SHAPES = {"email", "url", "handle", "address", "date", "phone", "id"}
PRIORITY = [
    "email",
    "handle",
    "url",
    "address",
    "date",
    "phone",
    "id",
    "org",
    "place",
    "person",
]
# Presidio's recognizers look for digits, an @ or a dotted name: each is asked
# only when the message has what it needs (most chat messages: none of them).
_DOTTED = re.compile(r"\w\.\w")
_LONG_TOKEN = re.compile(r"\w{26,}")
MIN_DIGITS = {
    "PHONE_NUMBER": 7,
    "CREDIT_CARD": 12,
    "IBAN_CODE": 8,
    "IP_ADDRESS": 4,
    "US_SSN": 9,
    "US_ITIN": 9,
    "US_PASSPORT": 8,
    "US_BANK_NUMBER": 8,
    "US_DRIVER_LICENSE": 4,
}
FINDINGS_CACHE = 4096
# A word this frequent in English text is no made-up handle.
ORDINARY_LOGPROB = -15.0


@dataclass
class Placeholders:
    """One transcript's placeholders: the same value gets the same label."""

    labels: Dict[tuple[str, str], str] = field(default_factory=dict)
    counts: Dict[str, int] = field(default_factory=dict)

    def label(self, kind: str, value: str) -> str:
        key = (kind, " ".join(value.lower().split()))
        if key not in self.labels:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.labels[key] = f"[{LABELS[kind]}_{self.counts[kind]}]"
        return self.labels[key]


def _presidio(pipeline: str) -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": pipeline}],
        }
    )
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        EmailRecognizer(),
        UrlRecognizer(),
        PhoneRecognizer(supported_regions=PHONE_REGIONS),
        CreditCardRecognizer(),
        CryptoRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        UsSsnRecognizer(),
        UsItinRecognizer(),
        UsPassportRecognizer(),
        UsBankRecognizer(),
        UsLicenseRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=provider.create_engine(),
        supported_languages=["en"],
    )


def presidio_entities(text: str) -> List[str]:
    """The Presidio entities this text could hold."""
    digits = sum(c.isdigit() for c in text)
    entities = [e for e, least in MIN_DIGITS.items() if digits >= least]
    if "@" in text:
        entities.append("EMAIL_ADDRESS")
    if _DOTTED.search(text):
        entities.append("URL")
    if digits and _LONG_TOKEN.search(text):
        entities.append("CRYPTO")
    return entities


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span grown to the words it cuts ("lena.mo" of "lena.moss" is all of it)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _outside(finding: Finding, shapes: List[Finding], text: str) -> Finding | None:
    """The longest whole-word part of a name outside the contacts, IDs and
    addresses it overlaps ("Fitzroy" of "Fitzroy VIC" when "VIC 3065" is a
    postcode)."""
    pieces = [(finding.start, finding.end)]
    for shape in shapes:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, shape.start)), (max(start, shape.end), end))
            if piece[0] < piece[1]
        ]
    best = None
    for start, end in pieces:
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        whole = (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        )
        if whole and end - start >= 2 and (not best or end - start > best[1] - best[0]):
            best = (start, end)
    return Finding(best[0], best[1], finding.kind) if best else None


def resolve(findings: Iterable[Finding], text: str | None = None) -> List[Finding]:
    """Non-overlapping findings: contacts, IDs, addresses and dates first, the
    longer first, then by kind priority; a name they overlap keeps its words
    outside them (when `text` is given)."""
    ranked = sorted(
        findings,
        key=lambda f: (
            f.kind not in SHAPES,
            -(f.end - f.start) if f.kind in SHAPES else 0,
            PRIORITY.index(f.kind),
            -(f.end - f.start),
            f.start,
        ),
    )
    kept: List[Finding] = []
    for finding in ranked:
        overlapped = [
            k for k in kept if not (finding.end <= k.start or finding.start >= k.end)
        ]
        if overlapped and text is not None and finding.kind not in SHAPES:
            if all(k.kind in SHAPES for k in overlapped):
                rest = _outside(finding, overlapped, text)
                if rest and all(
                    rest.end <= k.start or rest.start >= k.end for k in kept
                ):
                    kept.append(rest)
            continue
        if not overlapped:
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


class Anonymizer:
    def __init__(self) -> None:
        # Presidio loads the project's spaCy pipeline; the name finder reads the
        # same parse, so each message is parsed once.
        self.presidio = _presidio(str(ensure_pipeline()))
        self.lex = lexicons()
        self.names = NameFinder(self.lex)
        # A transcript repeats the assistant's lines: each text is read once.
        self._cached = lru_cache(maxsize=FINDINGS_CACHE)(self._findings)
        # Presidio compiles its patterns on first use: here, not in a message.
        self._findings("warm up: jo@example.com, 555-867-5309, www.example.com")

    def ordinary(self, word: str) -> bool:
        """An English word (or a feeling or partner word), not a made-up one:
        "passwords", "private"; not "jakeyboy"."""
        low = word.lower()
        return (
            low in self.lex.known_words
            or low in self.lex.common_words
            or low in self.lex.feelings
            or low in self.lex.partner_words
            or (low.endswith("s") and low[:-1] in self.lex.known_words)
            or (self.lex.logprob(low) or -99.0) > ORDINARY_LOGPROB
        )

    def findings(self, text: str) -> List[Finding]:
        return list(self._cached(text))

    def _findings(self, text: str) -> tuple[Finding, ...]:
        found = list(pattern_findings(text, self.ordinary))
        parsed = self.presidio.nlp_engine.process_text(text, "en")
        entities = presidio_entities(text)
        if entities:
            for result in self.presidio.analyze(
                text, language="en", entities=entities, nlp_artifacts=parsed
            ):
                if result.score >= PRESIDIO_MIN_SCORE:
                    start, end = _whole_words(text, result.start, result.end)
                    found.append(
                        Finding(start, end, PRESIDIO_KINDS[result.entity_type])
                    )
        found.extend(self.names.find(parsed.tokens))
        # Text that is already a placeholder stays as it is.
        protected = [m.span() for m in PLACEHOLDER.finditer(text)]
        found = [
            f for f in found if all(f.end <= s or f.start >= e for s, e in protected)
        ]
        return tuple(resolve(found, text))

    def anonymize(self, text: str, placeholders: Placeholders) -> str:
        pieces: List[str] = []
        position = 0
        for finding in self.findings(text):
            pieces.append(text[position : finding.start])
            value = text[finding.start : finding.end]
            pieces.append(placeholders.label(finding.kind, value))
            position = finding.end
        pieces.append(text[position:])
        return "".join(pieces)


@lru_cache(maxsize=1)
def default_anonymizer() -> Anonymizer:
    return Anonymizer()


# How the tests and benchmarks/anonymizer_blind.py judge an output.
CONTACTS_AND_IDS = {"phone", "email", "url", "handle", "id"}
NAMES_AND_PLACES = {"person", "place"}
_SURVIVAL_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof"}


def _word_count(word: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I))


def survives(
    identifier: str, kind: str, output: str, source: str | None = None
) -> bool:
    """An identifier survives if it is still there, or (names and places) if any
    of its words of three letters or more, other than a title, is still there.

    Given the message it came from (`source`), a name's words are counted
    instead: one survives if the output holds it more often than the message does
    outside the name, so "Will" beside "made a will" is judged by the name alone,
    and a short name ("Mo") is looked for as a word, not inside "mom"."""
    words = [
        w
        for w in re.findall(r"[^\W\d_]+", identifier)
        if w.lower() not in _SURVIVAL_TITLES
    ]
    if source is not None and kind in NAMES_AND_PLACES:
        times = max(1, source.count(identifier))
        return any(
            _word_count(w, output)
            > _word_count(w, source) - times * _word_count(w, identifier)
            for w in words
        )
    if identifier.lower() in output.lower():
        return True
    if kind not in NAMES_AND_PLACES:
        return False
    return any(_word_count(w, output) for w in words if len(w) > 2)
