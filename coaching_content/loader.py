"""Loads content YAML from data/content/ and validates it against the schema."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coaching_content.schema import (
    Coaching,
    Psychoeducation,
    ReflectionContent,
    SurgeonStory,
)

# COACHING_CONTENT_DIR lets a reviewer try edited texts without touching data/.
CONTENT_DIR = Path(
    os.environ.get("COACHING_CONTENT_DIR")
    or Path(__file__).resolve().parent.parent / "data" / "content"
)

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


def load_all(content_dir: Path = CONTENT_DIR) -> None:
    """Loads every content file, so a mistake stops the action server at start."""
    load_reflections(content_dir)
    load_psychoeducation(content_dir)
    load_surgeon(content_dir)
    load_coaching(content_dir)
