"""The sentence encoder loads only the pinned files and gives stable, normalised
embeddings (benchmarks/verify_sentence_encoder.py compares it with transformers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bids_partner.language.sentence_encoder import (
    EncoderError,
    SentenceEncoder,
    model_dir,
)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_embeddings_are_normalised_stable_and_say_something(encoder) -> None:
    texts = ["I'm right here with you", "I am here for you", "the bus was late"]
    first, second = encoder.encode(texts), encoder.encode(texts)
    assert first.shape == (3, 384) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, second)
    close, far = float(first[0] @ first[1]), float(first[0] @ first[2])
    assert close > far + 0.3


@pytest.mark.parametrize("name", ["model.safetensors", "vocab.txt", "config.json"])
def test_a_changed_model_file_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    with (folder / name).open("ab") as file:
        file.write(b"\n")
    with pytest.raises(EncoderError, match="refusing"):
        SentenceEncoder(folder)
