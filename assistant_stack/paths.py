"""Where the project keeps things, relative to the repository root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MODELS_DIR = ROOT / "models"
LOG_DIR = ROOT / ".stack" / "logs"
WEB_DIR = ROOT / "web"
SPACY_PIPELINE = ROOT / "build" / "spacy" / "en_relational"
