"""Therapist-editable texts (data/content/*.yml), loaded and validated in one place."""

from coaching_content.loader import ContentError, load_reflections

__all__ = ["ContentError", "load_reflections"]
