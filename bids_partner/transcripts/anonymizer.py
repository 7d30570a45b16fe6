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
from bids_partner.transcripts.patterns import Finding, pattern_findings

# Presidio checks e-mail and URL domains with tldextract: no download.
apply_tldextract_patch()

LABELS = {
    "person": "PERSON",
    "place": "PLACE",
    "org": "ORG",
    "address": "ADDRESS",
    "date": "DATE",
    "phone": "PHONE",
    "email": "EMAIL",
    "url": "URL",
    "handle": "HANDLE",
    "id": "ID",
}
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
# Where findings overlap, the more specific kind wins.
PRIORITY = [
    "email",
    "url",
    "handle",
    "address",
    "date",
    "phone",
    "id",
    "org",
    "place",
    "person",
]
_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(LABELS.values()) + r")_\d+\]")


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


def resolve(findings: Iterable[Finding]) -> List[Finding]:
    """Non-overlapping findings: by kind priority, then the longer span."""
    ranked = sorted(
        findings, key=lambda f: (PRIORITY.index(f.kind), -(f.end - f.start), f.start)
    )
    kept: List[Finding] = []
    for finding in ranked:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


class Anonymizer:
    def __init__(self) -> None:
        # Presidio loads the project's spaCy pipeline; the name finder reads the
        # same parse, so each message is parsed once.
        self.presidio = _presidio(str(ensure_pipeline()))
        self.names = NameFinder(lexicons())

    def findings(self, text: str) -> List[Finding]:
        found = list(pattern_findings(text))
        parsed = self.presidio.nlp_engine.process_text(text, "en")
        for result in self.presidio.analyze(
            text, language="en", entities=list(PRESIDIO_KINDS), nlp_artifacts=parsed
        ):
            if result.score >= PRESIDIO_MIN_SCORE:
                found.append(
                    Finding(
                        result.start, result.end, PRESIDIO_KINDS[result.entity_type]
                    )
                )
        found.extend(self.names.find(parsed.tokens))
        # Text that is already a placeholder stays as it is.
        protected = [m.span() for m in _PLACEHOLDER.finditer(text)]
        found = [
            f for f in found if all(f.end <= s or f.start >= e for s, e in protected)
        ]
        return resolve(found)

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
