"""Trains a model only when none matches the current training data and code.

The model file is named after a hash of everything training reads, so "is there a
model for this data?" is a file lookup. When one must be trained, `rasa train`
still reuses its own fingerprint cache for the components that did not change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable

from bids_partner.language.spacy_pipeline import ensure_pipeline
from bids_partner.settings import MODELS_DIR, QUIET_ENV, ROOT, SPACY_PIPELINE, VENV_BIN

# What `rasa train` reads: the data, the config and the code of the plug-ins it trains.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    # The concepts' own words train the ConceptReader too.
    "content/psychoeducation.yml",
    "bids_partner/rasa_plugins/nlu",
    "bids_partner/rasa_plugins/policies",
    "bids_partner/language",
)


def _training_files() -> Iterable[Path]:
    for name in TRAINING_INPUTS:
        path = ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if file.is_file() and "__pycache__" not in relative:
                yield file
    yield SPACY_PIPELINE / "meta.json"


def training_fingerprint() -> str:
    digest = hashlib.sha256()
    for file in _training_files():
        digest.update(file.relative_to(ROOT).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"bids-{training_fingerprint()}.tar.gz"


def ensure_model(force: bool = False) -> Path:
    """The model for the current data, training it first if there is none."""
    ensure_pipeline(SPACY_PIPELINE)
    path = model_path()
    if path.exists() and not force:
        print(f"Model up to date: {path.relative_to(ROOT)}", flush=True)
        return path
    print("Training a model for the current data (a few minutes)...", flush=True)
    command = [
        str(VENV_BIN / "rasa"),
        "train",
        "--out",
        str(MODELS_DIR),
        "--fixed-model-name",
        path.name.removesuffix(".tar.gz"),
    ]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **QUIET_ENV})
    if result.returncode != 0 or not path.exists():
        sys.exit(f"Training failed (exit code {result.returncode}).")
    return path
