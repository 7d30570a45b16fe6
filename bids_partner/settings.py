"""Where the project keeps things and how its processes are configured: the one
home for paths, the default stores and the environment of Rasa processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MODELS_DIR = ROOT / "models"
LOG_DIR = ROOT / ".stack" / "logs"
WEB_DIR = ROOT / "web"
# Therapist-editable texts and rehearsal scenes: not training data, so not in data/
# (but for psychoeducation.yml's concepts, which the ConceptReader also learns from).
CONTENT_DIR = ROOT / "content"
SCENARIOS_DIR = CONTENT_DIR / "scenarios"
# The spaCy pipeline built from code (bids_partner.language.spacy_pipeline).
SPACY_PIPELINE = ROOT / "build" / "spacy" / "en_relational"
# Local state of `make run`: the SQLite tracker store, the web sessions' secret.
VAR_DIR = ROOT / "var"
DEFAULT_TRACKER_URL = f"sqlite:///{VAR_DIR / 'tracker.db'}"
CONFIG_FILE = ROOT / "config.yml"


def pipeline_options(component: str, config_file: Path = CONFIG_FILE) -> Dict[str, Any]:
    """The options config.yml gives the NLU pipeline component of class
    `component` (for tests and benchmarks that build it as the model does)."""
    pipeline = yaml.safe_load(config_file.read_text(encoding="utf-8"))["pipeline"]
    [options] = [c for c in pipeline if c["name"].split(".")[-1] == component]
    return options


# Rasa processes: quieter TensorFlow, no telemetry to a network we do not have, no
# deprecation noise from pinned dependencies.
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}

# Connections the Rasa server's socket queues before it accepts them (Sanic's
# default is 100). A burst of more simultaneous connections than that overflows
# the queue, and on a busy server the kernel resets the ones left waiting
# (tests/e2e/test_bursts.py sends 500 at once). SANIC_BACKLOG overrides it.
SERVER_BACKLOG = "1024"

# How long a message may wait for its conversation's earlier turns (Rasa's ticket
# lock; its default is 60 s). In a burst a conversation's tenth message waits for
# nearly the whole queue, and an expired ticket is answered with an error instead
# of a reply; on a busy 2-core machine 500 messages at once took over a minute.
# With Redis a crashed server's ticket holds its conversation up to this long.
# TICKET_LOCK_LIFETIME overrides it.
TICKET_LOCK_LIFETIME = "180"


def tracker_store_url() -> str:
    """SQLAlchemy URL of the tracker store: TRACKER_STORE_URL, else the SQLite file."""
    return os.environ.get("TRACKER_STORE_URL", "").strip() or DEFAULT_TRACKER_URL


def redis_url() -> str | None:
    """URL of the Redis lock store (LOCK_STORE_URL); None keeps locks in memory."""
    return os.environ.get("LOCK_STORE_URL", "").strip() or None
