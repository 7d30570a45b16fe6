"""The anonymizer: what it removes, what it keeps, and the bars on a set of
messages with planted identifiers written without sight of the code."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bids_partner.transcripts.anonymizer import Anonymizer, Placeholders

# The first set was written blind and the anonymizer then tuned on it; the second
# was written later, also blind, and measured once before its own fixes.
CASE_FILES = ["anonymizer_cases.yml", "anonymizer_cases_blind.yml"]
CONTACTS_AND_IDS = {"phone", "email", "url", "handle", "id"}
NAMES_AND_PLACES = {"person", "place"}
MIN_NAME_RECALL = 0.95
TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof"}


@pytest.fixture(scope="module")
def anonymizer() -> Anonymizer:
    return Anonymizer()


def clean(anonymizer: Anonymizer, text: str) -> str:
    return anonymizer.anonymize(text, Placeholders())


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "My husband Daniel said Daniel's boss at Acme Corp hates him",
            "My husband [PERSON_1] said [PERSON_1]'s boss at [ORG_1] hates him",
        ),
        (
            "my wife sarah walked out last night",
            "my wife [PERSON_1] walked out last night",
        ),
        (
            "Dr. Patel told us to see Mrs. Lindqvist",
            "[PERSON_1] told us to see [PERSON_2]",
        ),
        ("I hope Will comes home, he will", "I hope [PERSON_1] comes home, he will"),
        (
            "we moved to Portland from Ireland in 2019",
            "we moved to [PLACE_1] from Ireland in 2019",
        ),
        (
            "call 555-867-5309 or mail jo@example.com",
            "call [PHONE_1] or mail [EMAIL_1]",
        ),
        ("it was on March 3rd, two weeks ago", "it was on [DATE_1], two weeks ago"),
        ("follow @jess_k92 on instagram", "follow [HANDLE_1] on instagram"),
        ("we live at 42 Elm Street", "we live at [ADDRESS_1]"),
        ("my SSN is 123-45-6789", "my SSN is [ID_1]"),
        ("I feel so alone and furious", "I feel so alone and furious"),
        ("", ""),
    ],
)
def test_examples(anonymizer: Anonymizer, text: str, expected: str) -> None:
    assert clean(anonymizer, text) == expected


def test_placeholders_are_consistent_across_a_transcript(anonymizer) -> None:
    placeholders = Placeholders()
    first = anonymizer.anonymize("Mary-Kate texted me", placeholders)
    second = anonymizer.anonymize("then mary-kate and Tom left", placeholders)
    assert first == "[PERSON_1] texted me"
    assert second == "then [PERSON_1] and [PERSON_2] left"


def test_anonymized_text_is_a_fixed_point(anonymizer) -> None:
    once = clean(anonymizer, "Daniel called me from Boston at 555-867-5309")
    assert clean(anonymizer, once) == once


def cases(name: str) -> List[Dict]:
    path = Path(__file__).with_name(name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def survives(identifier: str, kind: str, output: str) -> bool:
    """An identifier survives if it is still there, or (names and places) if any
    of its words other than a title is still there as a word."""
    if identifier.lower() in output.lower():
        return True
    if kind not in NAMES_AND_PLACES:
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", identifier) if w.lower() not in TITLES]
    return any(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", output, re.I)
        for w in words
        if len(w) > 2
    )


@pytest.mark.parametrize("name", CASE_FILES)
def test_the_bars_on_the_planted_identifier_sets(anonymizer, name: str) -> None:
    data = cases(name)
    assert len(data) >= 60
    kept: Counter = Counter()
    leaked: Dict[str, List[str]] = {}
    lost_keep: List[str] = []
    for case in data:
        output = clean(anonymizer, case["text"])
        for identifier in case["identifiers"]:
            kind = identifier["kind"]
            kept[kind] += 1
            if survives(identifier["text"], kind, output):
                leaked.setdefault(kind, []).append(
                    f"{identifier['text']!r} in {output!r}"
                )
        lost_keep += [
            f"{k!r} in {output!r}"
            for k in case.get("keep", [])
            if k.lower() not in output.lower()
        ]
    contacts = [m for k in CONTACTS_AND_IDS for m in leaked.get(k, [])]
    assert contacts == [], "contacts or ID numbers survived"
    total = sum(kept[k] for k in NAMES_AND_PLACES)
    missed = [m for k in NAMES_AND_PLACES for m in leaked.get(k, [])]
    recall = 1 - len(missed) / total
    assert recall >= MIN_NAME_RECALL, f"names and places removed {recall:.1%}: {missed}"
    assert lost_keep == [], "therapeutic words were removed"
