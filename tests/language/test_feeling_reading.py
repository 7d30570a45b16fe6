"""Issue 16, 2-4: which feeling words of a message are the user's own feelings.
A partner's feeling, a denied one, and a word meaning something else ("home
alone", "a close call") are never put back as "you feel ..."."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml

from bids_partner.language.feeling_reading import (
    READING_FILE,
    felt_by_user,
    load_reading,
    read_feelings,
    users_own,
)
from bids_partner.language.spacy_pipeline import LexiconError


def felt(text: str) -> List[str]:
    return [feeling.feel for feeling in felt_by_user(text)]


@pytest.mark.parametrize(
    "text, feelings",
    [
        # Someone else's feeling.
        ("he's furious", []),
        ("she was so hurt", []),
        ("my mum gets anxious", []),
        ("My Mum's anger is so loud", []),
        ("Priya was furious", []),
        ("are you angry with me?", []),
        ("I hurt him", []),
        ("I was angry and she was hurt", ["angry"]),
        ("she was hurt, and I was angry", ["angry"]),
        ("he's furious and I'm scared", ["scared"]),
        # The user's.
        ("I feel so alone", ["alone"]),
        ("I'm hurt", ["hurt"]),
        ("he made me feel small", ["small"]),
        ("he hurt me", ["hurt"]),
        ("it scared me when my dad shouted", ["scared"]),
        ("I was furious when he left", ["furious"]),
        ("lonely, mostly", ["lonely"]),
        ("I'm sad you left", ["sad"]),
    ],
)
def test_whose_feeling_it_is(text: str, feelings: List[str]) -> None:
    assert felt(text) == feelings


@pytest.mark.parametrize(
    "text, feelings",
    [
        ("I'm not angry, just hurt", ["hurt"]),
        ("I'm not angry but I'm hurt", ["hurt"]),
        ("I\u2019m not angry", []),
        ("I don't feel lonely", []),
        ("I dont really feel all that lonely", []),
        ("not scared anymore", []),
        ("I'm no longer angry", []),
        ("I've never been jealous", []),
        ("I didn't feel hurt, just tired", ["tired"]),
        # Not denials.
        ("I've never felt so alone", ["alone"]),
        ("I can't stop feeling anxious", ["anxious"]),
        ("I don't know why I'm so anxious", ["anxious"]),
    ],
)
def test_a_denied_feeling_is_not_felt(text: str, feelings: List[str]) -> None:
    assert felt(text) == feelings


@pytest.mark.parametrize(
    "text, feelings",
    [
        ("home alone tonight", []),
        ("he said leave me alone", []),
        ("that was a close call", []),
        ("we live close to the station", []),
        ("I'm close with my sister", []),
        ("safe to say he forgot", []),
        ("happy birthday to my mum", []),
        ("my back hurts", []),
        ("he told me to calm down", []),
        # The feelings.
        ("I feel close to him", ["close"]),
        ("we felt so close that night", ["close"]),
        ("I feel safe with her", ["safe"]),
        ("I feel alone in this", ["alone"]),
        ("I'm alone with all of it", ["alone"]),
    ],
)
def test_a_word_that_means_something_else_is_not_a_feeling(
    text: str, feelings: List[str]
) -> None:
    assert felt(text) == feelings


@pytest.mark.parametrize(
    "text, feelings",
    [
        # "hurt" (and its like) done to someone: a move, not the user's feeling.
        ("I hurt her", []),
        ("I hurt him", []),
        ("did I hurt you?", []),
        ("Did I hurt you? I feel awful and ashamed", ["ashamed"]),
        ("I hurt my mum", []),
        ("I think I really hurt her feelings", []),
        ("I hurt my sister's feelings and I feel guilty", ["guilty"]),
        ("I've hurt Sam", []),
        ("I keep hurting him", []),
        ("what if I hurt her", []),
        ("I upset my dad", []),
        ("I scared you, didn't I", []),
        ("I'm scared I upset her", ["scared"]),
        ("I ignored her and now I feel lonely", ["lonely"]),
        ("I loved her", []),
        # Still the user's own.
        ("I feel hurt", ["hurt"]),
        ("I'm hurt you forgot", ["hurt"]),
        ("I was so hurt my mum didn't call", ["hurt"]),
        ("I hurt so much", ["hurt"]),
        ("I hurt when she leaves", ["hurt"]),
        ("he hurt me", ["hurt"]),
        ("it makes me scared you'll leave", ["scared"]),
        ("so scared you might leave", ["scared"]),
        ("I feel ignored", ["ignored"]),
        ("I hurt myself", ["hurt"]),
    ],
)
def test_a_feeling_word_done_to_someone_is_not_the_users(
    text: str, feelings: List[str]
) -> None:
    assert felt(text) == feelings


def test_each_reading_is_kept_for_who_needs_it() -> None:
    [angry, hurt] = read_feelings("I'm not angry, she is hurt")
    assert (angry.whose, angry.negated, angry.a_feeling) == ("user", True, True)
    assert (hurt.whose, hurt.negated) == ("other", False)
    assert read_feelings(None) == []


def test_the_nlus_words_are_kept_only_where_they_are_the_users() -> None:
    assert users_own(["furious", "scared"], "he's furious and I'm scared") == ["scared"]
    # A word the text does not show (a payload, a test) is the NLU's to say.
    assert users_own(["hurt"], "") == ["hurt"]
    assert users_own(["wistful", 7], "I feel wistful") == []


def reading_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(READING_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "feeling_reading.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda d: d["senses"]["words"].update(wistful={"felt_only": True}), "wistful"),
        (
            lambda d: d["senses"]["words"]["alone"]["not_in"].append("let go"),
            "does not contain",
        ),
        (lambda d: d["negation"]["words"].append("Not"), "lowercase"),
        (lambda d: d["whose"].pop("user"), "user"),
        (lambda d: d["done_to"]["verbs"].append("wistful"), "done_to.verbs"),
        (lambda d: d.pop("done_to"), "done_to"),
    ],
)
def test_a_mistake_in_the_reading_rules_fails_at_load(
    tmp_path: Path, change, error: str
) -> None:
    with pytest.raises(LexiconError, match=error):
        load_reading(reading_with(tmp_path, change))
