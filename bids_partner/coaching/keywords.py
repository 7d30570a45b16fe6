"""Finds which item a user named in words, by the keywords the content gives it."""

from __future__ import annotations

import re
from typing import Iterable, List, Tuple, TypeVar

Item = TypeVar("Item")


def longest_keyword_match(
    text: str, candidates: Iterable[Tuple[Item, List[str]]]
) -> Item | None:
    """The item whose longest keyword appears in `text` as whole words: the most
    specific words a user wrote decide."""
    lowered = text.lower()
    best: Item | None = None
    best_length = 0
    for item, keywords in candidates:
        for keyword in keywords:
            if len(keyword) > best_length and re.search(
                rf"\b{re.escape(keyword)}\b", lowered
            ):
                best, best_length = item, len(keyword)
    return best
