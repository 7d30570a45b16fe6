from pathlib import Path

import pytest

from bids_partner.stack import model
from bids_partner.stack.rasa_server import http_api_arguments


def test_http_api_is_off_without_a_secret() -> None:
    assert http_api_arguments({}) == []


def test_http_api_with_token() -> None:
    assert http_api_arguments({"RASA_API_TOKEN": "t0k"}) == [
        "--enable-api",
        "--auth-token",
        "t0k",
    ]


def test_http_api_with_jwt_secret_takes_precedence() -> None:
    args = http_api_arguments({"RASA_API_TOKEN": "t", "RASA_JWT_SECRET": "s"})
    assert args[:3] == ["--enable-api", "--jwt-secret", "s"]


def small_project(root: Path) -> Path:
    """The files `rasa train` reads, and some it does not."""
    files = {
        "config.yml": "pipeline: []\n",
        "domain.yml": "intents: [greet]\n",
        "data/nlu/greet.yml": "nlu: []\n",
        "bids_partner/rasa_plugins/nlu/component.py": "X = 1\n",
        "bids_partner/rasa_plugins/policies/policy.py": "Y = 1\n",
        "content/reflections.yml": "version: 1\n",
        "content/psychoeducation.yml": "version: 1\n",
        "build/spacy/en_relational/meta.json": '{"lexicon_fingerprint": "a"}',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_fingerprint_follows_what_training_reads_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_project(tmp_path)
    monkeypatch.setattr(model, "ROOT", root)
    monkeypatch.setattr(model, "SPACY_PIPELINE", root / "build/spacy/en_relational")
    first = model.training_fingerprint()
    assert model.model_path().name == f"bids-{first}.tar.gz"

    # Not read by `rasa train`: therapist texts, caches.
    (root / "content/reflections.yml").write_text("version: 2\n")
    (root / "bids_partner/rasa_plugins/nlu/__pycache__").mkdir()
    (root / "bids_partner/rasa_plugins/nlu/__pycache__/c.pyc").write_bytes(b"x")
    assert model.training_fingerprint() == first

    seen = {first}
    for name in (
        "data/nlu/greet.yml",
        "domain.yml",
        "bids_partner/rasa_plugins/nlu/component.py",
        "bids_partner/rasa_plugins/policies/policy.py",
        "build/spacy/en_relational/meta.json",
        # The concepts' words teach the ConceptReader.
        "content/psychoeducation.yml",
    ):
        (root / name).write_text((root / name).read_text() + "\n# changed\n")
        changed = model.training_fingerprint()
        assert changed not in seen, name
        seen.add(changed)
