"""Therapist-editable texts (content/*.yml), loaded and validated in one place."""

from bids_partner.coaching.loader import (
    ContentError,
    load_all,
    load_chat_service_texts,
    load_coaching,
    load_psychoeducation,
    load_reflections,
    load_rehearsal_texts,
    load_reply_cues,
    load_scenarios,
    load_surgeon,
)

__all__ = [
    "ContentError",
    "load_all",
    "load_chat_service_texts",
    "load_coaching",
    "load_psychoeducation",
    "load_reflections",
    "load_rehearsal_texts",
    "load_reply_cues",
    "load_scenarios",
    "load_surgeon",
]
