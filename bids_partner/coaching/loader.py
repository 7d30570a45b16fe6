"""Loads content YAML from content/ and validates it against the schema."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any, Dict, Iterator, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bids_partner import settings
from bids_partner.coaching.rehearsal.cues import compile_cues
from bids_partner.coaching.scenario_schema import RehearsalTexts, Scenario
from bids_partner.coaching.schema import (
    ChatServiceTexts,
    Coaching,
    Psychoeducation,
    ReflectionContent,
    ReplyCues,
    SurgeonStory,
)
from bids_partner.contract import RELATIONSHIPS

# COACHING_CONTENT_DIR lets a reviewer try edited texts without touching content/.
CONTENT_DIR = Path(os.environ.get("COACHING_CONTENT_DIR") or settings.CONTENT_DIR)
# REHEARSAL_SCENARIOS_DIR likewise for the rehearsal scenarios.
SCENARIOS_DIR = Path(
    os.environ.get("REHEARSAL_SCENARIOS_DIR") or settings.SCENARIOS_DIR
)
# A scenario's id is its file name; it travels in button payloads.
SCENARIO_ID = re.compile(r"^[a-z0-9_]+$")

Model = TypeVar("Model", bound=BaseModel)


class ContentError(ValueError):
    """A content file is missing, not YAML, or does not fit its schema."""


def load_file(path: Path, model: Type[Model]) -> Model:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path}: cannot read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from error
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        raise ContentError(f"{path}: {error}") from error


@cache
def load_reflections(content_dir: Path = CONTENT_DIR) -> ReflectionContent:
    return load_file(content_dir / "reflections.yml", ReflectionContent)


@cache
def load_psychoeducation(content_dir: Path = CONTENT_DIR) -> Psychoeducation:
    return load_file(content_dir / "psychoeducation.yml", Psychoeducation)


@cache
def load_surgeon(content_dir: Path = CONTENT_DIR) -> SurgeonStory:
    return load_file(content_dir / "surgeon.yml", SurgeonStory)


@cache
def load_coaching(content_dir: Path = CONTENT_DIR) -> Coaching:
    return load_file(content_dir / "coaching.yml", Coaching)


@cache
def load_rehearsal_texts(content_dir: Path = CONTENT_DIR) -> RehearsalTexts:
    path = content_dir / "rehearsal.yml"
    return check_texts_fit_any_scene(path, load_file(path, RehearsalTexts))


@cache
def load_chat_service_texts(content_dir: Path = CONTENT_DIR) -> ChatServiceTexts:
    return load_file(content_dir / "chat_service.yml", ChatServiceTexts)


@cache
def load_reply_cues(content_dir: Path = CONTENT_DIR) -> Dict[str, re.Pattern[str]]:
    """What a reply to the partner may contain, as one pattern per cue."""
    return compile_cues(load_file(content_dir / "reply_cues.yml", ReplyCues).cues)


def scene_texts(scenario: Scenario) -> Iterator[str]:
    """Every text of a scene the user reads: its setup, the role, the partner's
    lines and the coach's notes."""
    yield from (scenario.title, scenario.setup, scenario.partner.role)
    yield scenario.opening
    for branch in scenario.replies.values():
        yield from (line.line for line in branch.partner)
        yield from (branch.feedback, branch.suggestion)
    yield from (scenario.ending.resolved, scenario.ending.unresolved)


def check_scene_framing(path: Path, scenario: Scenario) -> None:
    """A scene with a mum, a brother or a friend frames nothing as a couple's."""
    reflections = load_reflections()
    relationship = scenario.partner.relationship
    for text in scene_texts(scenario):
        if not reflections.fits(text, relationship):
            raise ContentError(
                f"{path}: the partner is the user's {relationship}, so no text may "
                "use romantic framing (content/reflections.yml, romantic_framing): "
                f"{text!r}"
            )


def check_texts_fit_any_scene(path: Path, texts: RehearsalTexts) -> RehearsalTexts:
    """The coach's rehearsal texts are said in every scene, whoever the partner
    is: none frames the bond as a couple's; the scene's role says who it is."""
    reflections = load_reflections()
    for text in all_texts(texts):
        if not all(reflections.fits(text, r) for r in RELATIONSHIPS):
            raise ContentError(
                f"{path}: said in every scene, whoever the partner is, so no "
                "romantic framing (content/reflections.yml, romantic_framing); the "
                f"scene's partner.role names who they are: {text!r}"
            )
    return texts


def all_texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for field in value.__fields__:
            yield from all_texts(getattr(value, field))
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_texts(item)


@cache
def load_scenarios(scenarios_dir: Path = SCENARIOS_DIR) -> Dict[str, Scenario]:
    """Every scenario in `scenarios_dir`, by id, in the order they are offered."""
    paths = sorted(scenarios_dir.glob("*.yml"))
    if not paths:
        raise ContentError(f"{scenarios_dir}: no scenario files (*.yml)")
    scenarios = []
    for path in paths:
        if not SCENARIO_ID.match(path.stem):
            raise ContentError(
                f"{path}: a scenario file name may only use a-z, 0-9 and _"
            )
        scenario = load_file(path, Scenario)
        scenario.id = path.stem
        check_scene_framing(path, scenario)
        scenarios.append(scenario)
    scenarios.sort(key=lambda s: (s.order, s.id))
    return {scenario.id: scenario for scenario in scenarios}


def load_all(
    content_dir: Path = CONTENT_DIR, scenarios_dir: Path = SCENARIOS_DIR
) -> None:
    """Loads every content file, so a mistake stops the action server at start."""
    load_chat_service_texts(content_dir)
    load_reflections(content_dir)
    load_psychoeducation(content_dir)
    load_surgeon(content_dir)
    load_coaching(content_dir)
    load_rehearsal_texts(content_dir)
    load_reply_cues(content_dir)
    load_scenarios(scenarios_dir)
