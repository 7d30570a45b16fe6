"""What a reply to the partner contains (an apology, a question, reassurance, blame,
a change of subject, a joke), read from content/reply_cues.yml, so the partner's
next line answers what was said."""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterable, List

CUES = (
    "apology",
    "question",
    "reassurance",
    "blame",
    "subject_change",
    "joke",
    "break",
)
ANY = "any"
# Apostrophes dropped on both sides: "im here" is "i'm here" typed on a phone.
_APOSTROPHES = str.maketrans({"’": None, "‘": None, "'": None})


def _normalised(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).lower().split())


def compile_cues(phrases: Dict[str, List[str]]) -> Dict[str, re.Pattern[str]]:
    """One pattern per cue: its phrases as whole words."""
    return {
        cue: re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(_normalised(p)) for p in sorted(found, key=len)[::-1])
            + r")(?!\w)"
        )
        for cue, found in phrases.items()
    }


def find_cues(patterns: Dict[str, re.Pattern[str]], text: str) -> FrozenSet[str]:
    normalised = _normalised(text)
    found = {cue for cue, pattern in patterns.items() if pattern.search(normalised)}
    if "?" in text:
        found.add("question")
    return frozenset(found)


def best_line_index(
    responds_to: Iterable[FrozenSet[str]], cues: FrozenSet[str], used: Iterable[int]
) -> int:
    """A line not said yet in this scene that answers something the reply said,
    else one for any reply; a line said before only when none is left."""
    lines = list(responds_to)
    said = set(used)

    def preference(index: int) -> tuple:
        return (index in said, not lines[index] & cues, index)

    usable = [i for i in range(len(lines)) if lines[i] & cues or ANY in lines[i]]
    return min(usable or range(len(lines)), key=preference)
