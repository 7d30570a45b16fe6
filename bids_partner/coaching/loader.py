"""Loads content YAML from content/ and validates it against the schema."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Dict, Type, TypeVar

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
    return load_file(content_dir / "rehearsal.yml", RehearsalTexts)


@cache
def load_chat_service_texts(content_dir: Path = CONTENT_DIR) -> ChatServiceTexts:
    return load_file(content_dir / "chat_service.yml", ChatServiceTexts)


@cache
def load_reply_cues(content_dir: Path = CONTENT_DIR) -> Dict[str, re.Pattern[str]]:
    """What a reply to the partner may contain, as one pattern per cue."""
    return compile_cues(load_file(content_dir / "reply_cues.yml", ReplyCues).cues)


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
