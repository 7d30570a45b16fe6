"""Digests of source code, for the fingerprints of what is trained: a change to
how a model learns must retrain it, never restore the old one from a cache.
Free of Rasa, so that the transcripts' name models use it too."""

from __future__ import annotations

import hashlib
import importlib
import inspect
from pathlib import Path


def code_digest(*modules: str) -> str:
    """sha256 over the source files of `modules` (dotted names)."""
    digest = hashlib.sha256()
    for name in modules:
        source = inspect.getsourcefile(importlib.import_module(name))
        digest.update(Path(source or name).read_bytes())
    return digest.hexdigest()
