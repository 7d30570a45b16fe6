"""Identifiers with a shape: contacts, ID numbers, calendar dates, street
addresses. Regular expressions for what Presidio's recognizers do not cover
(social handles, dates written out, addresses, IDs Presidio calls invalid)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, List, Pattern, Tuple


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_STREET = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|"
    r"way|place|pl|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|"
    r"crescent|close|row|alley)"
)
_SOCIAL = (
    r"(?:snap(?:chat)?|ig|insta(?:gram)?|tiktok|twitter|discord|telegram|reddit|"
    r"venmo|kik)"
)

# Order matters: earlier kinds win where spans overlap (a date is not a phone).
PATTERNS: List[Tuple[str, Pattern[str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)),
    (
        "url",
        re.compile(
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|me|ly|app|info|biz|us|uk|"
            r"ca|de|fr|au|edu|gov|tv|gg|link|site|online|xyz)\b(?:/[^\s<>\"']*)?",
            re.I,
        ),
    ),
    (
        "handle",
        re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"),
    ),
    # "snap: lilyb99", "his snap is lilyb99", "on discord called x", "sunflower#2207".
    (
        "handle",
        re.compile(
            rf"\b{_SOCIAL}(?::|\s+(?:is|name is|called|as|handle))?\s+"
            r"(?P<v>(?=[A-Za-z0-9_.#]*[\d_#])[A-Za-z0-9_.#]{3,37})",
            re.I,
        ),
    ),
    ("handle", re.compile(r"\b[A-Za-z0-9_.]{2,32}#\d{4}\b")),
    (
        "date",
        re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?", re.I),
    ),
    (
        "date",
        re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?", re.I),
    ),
    ("date", re.compile(r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b", re.I)),
    ("date", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")),
    ("date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    ("date", re.compile(r"\b\d{1,2}/\d{1,2}\b")),
    ("id", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    # Street first, in the languages users move between: "88 Rue de Rivoli".
    (
        "address",
        re.compile(
            r"\b\d{1,5},?\s+(?:rue|calle|via|avenida|avenue|boulevard|place)\s+"
            r"(?:(?:de|del|la|le|des|du|di)\s+)*[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}"
        ),
    ),
    (
        "address",
        re.compile(
            rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+){{0,3}}?{_STREET}\b\.?"
            r"(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*[A-Za-z0-9-]+)?",
            re.I,
        ),
    ),
    ("phone", re.compile(r"\+\d[\d\s().-]{6,}\d")),
    ("phone", re.compile(r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b")),
    ("phone", re.compile(r"\(\d{3}\)\s*\d{3}[\s.-]?\d{4}")),
    ("phone", re.compile(r"\b\d{10,11}\b")),
    ("phone", re.compile(r"\b\d{3}[\s.-]\d{4}\b")),
    # An ID after the word that names it: "MRN 445-221", "passport no. X12345".
    (
        "id",
        re.compile(
            r"\b(?:mrn|id|no|number|acct|account|policy|case|license|licence|"
            r"passport|plate|member|patient)[\s:#.]{1,3}"
            r"(?P<v>(?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,})",
            re.I,
        ),
    ),
    # Letters and at least three digits mixed, or five digits or more.
    (
        "id",
        re.compile(
            r"\b(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d){2})(?=[\d-]*[A-Za-z])[A-Za-z0-9-]{5,}\b"
        ),
    ),
    ("id", re.compile(r"\b\d(?:[\d-]*\d){4,}\b")),
]
# Things those shapes also match that identify nobody: a year, a time, "24/7".
_HARMLESS = re.compile(
    r"^(?:(?:19|20)\d{2}|\d{1,2}(?::\d{2})?(?:am|pm)|24/7|\d+/\d+)$", re.I
)


def _fits(kind: str, text: str) -> bool:
    if kind == "date":
        return text.strip() != "24/7"
    return not _HARMLESS.match(text.strip())


def pattern_findings(text: str) -> Iterator[Finding]:
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            # A pattern with a group "v" marks only that part (the handle, not
            # the word "snap:" before it).
            start, end = match.span("v" if "v" in pattern.groupindex else 0)
            # A URL or handle does not end with the sentence's punctuation.
            while end > start and text[end - 1] in ".,;:!?)]":
                end -= 1
            if end > start and _fits(kind, text[start:end]):
                yield Finding(start, end, kind)
