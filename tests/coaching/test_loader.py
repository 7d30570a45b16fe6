import re
from pathlib import Path

import pytest
import yaml

from bids_partner.coaching.loader import (
    CONTENT_DIR,
    ContentError,
    load_all,
    load_chat_service_texts,
    load_coaching,
    load_psychoeducation,
    load_reflections,
    load_surgeon,
)
from bids_partner.contract import MOVES


def write(tmp_path: Path, data: object) -> Path:
    (tmp_path / "reflections.yml").write_text(
        data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8"
    )
    return tmp_path


def valid_content() -> dict:
    return yaml.safe_load((CONTENT_DIR / "reflections.yml").read_text())


def test_shipped_content_covers_every_move_and_actor() -> None:
    content = load_reflections()
    for move in MOVES:
        assert content.moves[move].self and content.moves[move].partner


def test_malformed_yaml_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not valid YAML"):
        load_reflections.__wrapped__(write(tmp_path, "moves: [unclosed"))


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read"):
        load_reflections.__wrapped__(tmp_path)


def test_missing_move_is_named(tmp_path: Path) -> None:
    data = valid_content()
    del data["moves"]["contempt"]
    with pytest.raises(ContentError, match="contempt"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_unknown_placeholder_is_named(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["bid"]["self"] = ["Hello {name}, is that close?"]
    with pytest.raises(ContentError, match="name"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_every_content_file_loads() -> None:
    load_all()


def test_unknown_placeholder_in_coaching_is_named(tmp_path: Path) -> None:
    coaching = yaml.safe_load((CONTENT_DIR / "coaching.yml").read_text())
    coaching["showing_up"]["success"] = "Well done {name}."
    (tmp_path / "coaching.yml").write_text(yaml.safe_dump(coaching))
    with pytest.raises(ContentError, match="name"):
        load_coaching.__wrapped__(tmp_path)


def test_question_prompts_must_ask(tmp_path: Path) -> None:
    coaching = yaml.safe_load((CONTENT_DIR / "coaching.yml").read_text())
    coaching["reaching_out"]["ask_need"] = "Tell me your need."
    (tmp_path / "coaching.yml").write_text(yaml.safe_dump(coaching))
    with pytest.raises(ContentError, match="must end with a question"):
        load_coaching.__wrapped__(tmp_path)


def test_no_why_questions_in_any_reflection() -> None:
    content = load_reflections()
    for move in content.moves.values():
        for text in (*move.self, *move.partner):
            assert "why " not in text.lower(), text


# Issue 16: a reflection may understand that things get louder, never leave it
# there: it also points a way forward (the softer feeling, or room and a pause).
ESCALATION = re.compile(
    r"\b(?:comes?|coming|came) out louder\b|\bgets? louder\b|\blouder next time\b",
    re.IGNORECASE,
)
WAY_FORWARD = re.compile(r"\bsofter\b|\bpause\b|\bcome back to it\b", re.IGNORECASE)


def test_a_reflection_that_speaks_of_escalation_points_a_way_forward() -> None:
    content = load_reflections()
    escalating = [
        text
        for move in content.moves.values()
        for text in (*move.self, *move.partner)
        if ESCALATION.search(text)
    ]
    assert escalating, "nothing to check: the pattern no longer matches any text"
    for text in escalating:
        assert WAY_FORWARD.search(text), text
        assert not re.search(r"makes sense[^.?]*louder", text), text


def test_chat_service_texts_allow_only_their_placeholders(tmp_path: Path) -> None:
    texts = yaml.safe_load((CONTENT_DIR / "chat_service.yml").read_text())
    texts["unreadable"] = "Sorry {name}, I can't read that."
    (tmp_path / "chat_service.yml").write_text(yaml.safe_dump(texts))
    with pytest.raises(ContentError, match="name"):
        load_chat_service_texts.__wrapped__(tmp_path)


# Issue 16: feeling slots, guesses and the lexicon are checked when loaded.

REFLECTIONS = r"reflections\.yml"


def test_the_old_emotion_slot_is_named_with_file_and_entry(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["bid"]["self"][0] = "Maybe you feel {emotion}. Is that close?"
    with pytest.raises(
        ContentError, match=rf"{REFLECTIONS}(.|\n)*moves\.bid\.self\[0\](.|\n)*emotion"
    ):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_feeling_slot_must_follow_feel(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["contempt"]["self"][2] = (
        "I wonder how {softer_feeling} you feel with {partner}. Is that close?"
    )
    with pytest.raises(
        ContentError, match=r"moves\.contempt\.self\[2\](.|\n)*after .?feel"
    ):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_reactive_feeling_is_reflected_with_a_softer_one(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["criticism"]["self"].append("So you feel {reactive_feeling}. Right?")
    with pytest.raises(ContentError, match=r"criticism\.self\[\d+\](.|\n)*softer"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_some_reflection_needs_no_reactive_word(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["withdrawal"]["partner"] = [
        "You feel {reactive_feeling}, maybe feeling {softer_feeling} too. Is it?"
    ]
    with pytest.raises(ContentError, match=r"moves\.withdrawal\.partner"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_guess_for_a_softer_slot_must_be_a_softer_feeling(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["criticism"]["guesses"]["self"]["softer_feeling"] = [
        "angry",
        "lonely",
    ]
    with pytest.raises(
        ContentError, match=r"criticism\.guesses\.self\.softer_feeling(.|\n)*angry"
    ):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_guess_must_come_from_the_lexicon(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["bid"]["guesses"]["self"]["softer_feeling"] = ["lonely", "wistful"]
    with pytest.raises(ContentError, match=r"moves\.bid\.guesses(.|\n)*wistful"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_reactive_feeling_is_never_guessed(tmp_path: Path) -> None:
    data = valid_content()
    data["moves"]["bid"]["guesses"]["self"]["reactive_feeling"] = ["angry", "mad"]
    with pytest.raises(ContentError, match="reactive_feeling"):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_a_slot_without_a_guess_is_named(tmp_path: Path) -> None:
    data = valid_content()
    del data["moves"]["withdrawal"]["guesses"]["partner"]
    with pytest.raises(
        ContentError, match=r"moves\.withdrawal\.partner(.|\n)*no guess(.|\n)*softer"
    ):
        load_reflections.__wrapped__(write(tmp_path, data))


def test_the_guess_wording_puts_both_guesses(tmp_path: Path) -> None:
    data = valid_content()
    data["guess_wording"] = "maybe {first}"
    with pytest.raises(ContentError, match="guess_wording(.|\n)*second"):
        load_reflections.__wrapped__(write(tmp_path, data))


# Issue 16: the reaching-out exercise has other wordings for later drafts, and a
# worked example with a way out.


def coaching_with(tmp_path: Path, change) -> Path:
    coaching = yaml.safe_load((CONTENT_DIR / "coaching.yml").read_text())
    change(coaching["reaching_out"])
    (tmp_path / "coaching.yml").write_text(yaml.safe_dump(coaching))
    return tmp_path


def test_feedback_for_later_drafts_must_be_other_words(tmp_path: Path) -> None:
    def same_as_first(texts: dict) -> None:
        texts["feedback_again"]["contempt"][0] = texts["feedback"]["contempt"]

    with pytest.raises(ContentError, match=r"feedback_again\.contempt"):
        load_coaching.__wrapped__(coaching_with(tmp_path, same_as_first))

    def only_one(texts: dict) -> None:
        texts["feedback_again"]["other"] = texts["feedback_again"]["other"][:1]

    with pytest.raises(ContentError, match=r"feedback_again\.other"):
        load_coaching.__wrapped__(coaching_with(tmp_path, only_one))


def test_a_worked_example_offer_gives_the_way_out(tmp_path: Path) -> None:
    def no_way_out(texts: dict) -> None:
        texts["worked_example"]["offers"][1] = "Here is one: {example} Try again?"

    with pytest.raises(ContentError, match="stop"):
        load_coaching.__wrapped__(coaching_with(tmp_path, no_way_out))


def test_a_model_message_uses_what_it_is_built_from(tmp_path: Path) -> None:
    def no_feeling(texts: dict) -> None:
        texts["worked_example"]["message"]["feeling"] = "Can we talk tonight?"

    with pytest.raises(ContentError, match=r"message\.feeling(.|\n)*feeling_words"):
        load_coaching.__wrapped__(coaching_with(tmp_path, no_feeling))


def test_the_feeling_stand_in_reads_in_every_text_that_puts_a_feeling_back() -> None:
    texts = load_coaching().reaching_out
    assert texts.feeling_unnamed and "{" not in texts.feeling_unnamed
    # The user's words are quoted by the code; the texts no longer add quotes.
    for text in (texts.ask_need, texts.ask_draft, texts.soft_startup):
        assert '"{feeling}"' not in text


# Issue 16: every concept, and the surgeon story, names the article it comes from.


def psychoeducation_with(tmp_path: Path, change) -> Path:
    content = yaml.safe_load((CONTENT_DIR / "psychoeducation.yml").read_text())
    change(content["concepts"])
    (tmp_path / "psychoeducation.yml").write_text(yaml.safe_dump(content))
    return tmp_path


def test_a_concept_without_a_source_is_named(tmp_path: Path) -> None:
    def no_source(concepts: list) -> None:
        del concepts[1]["source"]

    with pytest.raises(ContentError, match=r"concepts -> 1 -> source(.|\n)*required"):
        load_psychoeducation.__wrapped__(psychoeducation_with(tmp_path, no_source))


def test_a_source_names_a_seed_file(tmp_path: Path) -> None:
    def a_web_page(concepts: list) -> None:
        concepts[0]["source"]["file"] = "https://example.org/article.html"

    with pytest.raises(ContentError, match=r"source -> file(.|\n)*seed file"):
        load_psychoeducation.__wrapped__(psychoeducation_with(tmp_path, a_web_page))


def test_a_source_gives_the_article_title(tmp_path: Path) -> None:
    def no_title(concepts: list) -> None:
        concepts[0]["source"]["title"] = "  "

    with pytest.raises(ContentError, match=r"source -> title"):
        load_psychoeducation.__wrapped__(psychoeducation_with(tmp_path, no_title))


def test_a_misspelt_source_field_is_named(tmp_path: Path) -> None:
    def misspelt(concepts: list) -> None:
        concepts[0]["source"]["notes"] = "from elsewhere"

    with pytest.raises(ContentError, match=r"notes(.|\n)*not permitted"):
        load_psychoeducation.__wrapped__(psychoeducation_with(tmp_path, misspelt))


def test_one_article_has_one_title(tmp_path: Path) -> None:
    def two_titles(concepts: list) -> None:
        concepts[1]["source"] = {**concepts[0]["source"], "title": "Another title"}

    with pytest.raises(ContentError, match="Another title"):
        load_psychoeducation.__wrapped__(psychoeducation_with(tmp_path, two_titles))


def test_the_surgeon_story_names_its_source(tmp_path: Path) -> None:
    story = yaml.safe_load((CONTENT_DIR / "surgeon.yml").read_text())
    del story["source"]
    (tmp_path / "surgeon.yml").write_text(yaml.safe_dump(story))
    with pytest.raises(ContentError, match=r"source(.|\n)*required"):
        load_surgeon.__wrapped__(tmp_path)


# The exercises name the person the user talks about, as the reflections do.


@pytest.mark.parametrize(
    "text",
    [
        "Think of a moment with your partner. What happened?",
        "Think of a moment with your {partner}. What happened?",
        "Think of a moment. {partner} said what?",
        "A partner might say so. What would you say?",
    ],
)
def test_an_exercise_text_names_the_person_with_the_placeholder(
    tmp_path: Path, text: str
) -> None:
    def misnamed(texts: dict) -> None:
        texts["ask_feeling"] = text

    with pytest.raises(ContentError, match=r"\{partner\}"):
        load_coaching.__wrapped__(coaching_with(tmp_path, misnamed))
