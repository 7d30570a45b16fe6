"""The safety texts of domain.yml and of the page are right whoever hurts the
user: a partner or an ex (the National Domestic Violence Hotline), or a parent, a
brother or sister (Childhelp for anyone under 18 or a child being hurt, and 988),
with 911 first and every number they have always given. The e2e tests check the
same through the running stack (tests/e2e/test_conversation.py,
test_web_widget.py); these read the files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import List

import pytest
import yaml

from bids_partner.contract import SAFETY_RESPONSES
from bids_partner.settings import ROOT

RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"
]
SAFETY = sorted({*SAFETY_RESPONSES, "utter_goodbye_safe"})
# What the full safety message has always said; none may go.
EVERY_NUMBER = (
    "911",
    "988",
    "1-800-799-7233",
    "START to 88788",
    "1-800-422-4453",
    "local emergency number",
    "findahelpline.com",
)
FAMILY = re.compile(r"\b(?:parent|family|brother|sister)\b", re.IGNORECASE)
PARTNER_OR_EX = re.compile(r"\bpartner or an ex\b", re.IGNORECASE)


def paragraphs_of(response: str) -> List[str]:
    """A response's paragraphs (the full message's bullets), each on one line."""
    [variation] = RESPONSES[response]
    return [" ".join(p.split()) for p in variation["text"].split("\n") if p.strip()]


def crisis_page_items() -> List[str]:
    """The items and paragraphs of the page's crisis section, as a reader sees
    them."""

    class Section(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.items: List[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if self.depth or ("id", "crisis") in attrs:
                self.depth += 1
                if tag in ("li", "p"):
                    self.items.append("")

        def handle_endtag(self, tag: str) -> None:
            self.depth = max(self.depth - 1, 0)

        def handle_data(self, data: str) -> None:
            if self.depth and self.items:
                self.items[-1] += data

    parser = Section()
    parser.feed((ROOT / "web" / "index.html").read_text(encoding="utf-8"))
    items = [" ".join(item.split()) for item in parser.items]
    return [re.sub(r"\s+([,;.])", r"\1", item) for item in items if item]


def items(where: str) -> List[str]:
    return crisis_page_items() if where == "page" else paragraphs_of(where)


def clauses(where: str) -> List[str]:
    """Each sentence, or part of one after a semicolon, on its own."""
    return [c for item in items(where) for c in re.split(r"(?<=[.;?])\s+", item)]


@pytest.mark.parametrize("where", ["utter_crisis", "page"])
def test_every_number_is_still_given_with_immediate_danger_first(where: str) -> None:
    text = " ".join(items(where))
    for number in EVERY_NUMBER:
        assert number in text, number
    assert text.index("911") < text.index("988")
    assert text.index("911") < text.index("local emergency number") < text.index("988")


@pytest.mark.parametrize("where", ["utter_crisis", "page"])
def test_harm_from_family_gets_childhelp_and_988(where: str) -> None:
    family = [item for item in items(where) if FAMILY.search(item)]
    assert family, items(where)
    for item in family:
        assert "1-800-422-4453" in item and "988" in item, item
        assert "under 18" in item, item
        assert "1-800-799-7233" not in item, item


@pytest.mark.parametrize("where", [*SAFETY, "page"])
def test_the_domestic_violence_hotline_is_offered_for_a_partner_or_an_ex(
    where: str,
) -> None:
    for clause in clauses(where):
        if re.search(r"domestic violence", clause, re.IGNORECASE):
            assert PARTNER_OR_EX.search(clause), clause


@pytest.mark.parametrize("where", [*SAFETY, "page"])
def test_childhelp_is_named_for_whom_it_is(where: str) -> None:
    for clause in clauses(where):
        if "1-800-422-4453" in clause:
            assert re.search(r"under 18|a child", clause), clause


def test_the_gentle_question_still_gives_every_line_in_one_breath() -> None:
    text = " ".join(paragraphs_of("utter_safety_question"))
    assert text.startswith("Before we go on: are you safe right now?")
    for number in ("911", "988", "1-800-799-7233", "1-800-422-4453"):
        assert number in text
    assert PARTNER_OR_EX.search(text)
