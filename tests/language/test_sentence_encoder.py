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


@pytest.fixture(scope="module")
def float32() -> SentenceEncoder:
    return SentenceEncoder(precision="float32")


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


GRAPH_TEXTS = [
    "ok",
    "I'm right here with you, take the time you need",
    " | ".join(["we argued about money again and he walked out"] * 30),
    "émoji 😀 ünïcode 漢字 مرحبا",
]


def test_the_float32_graph_computes_what_the_plain_numpy_encoder_computed(
    float32,
) -> None:
    """The ONNX graph against the NumPy forward pass it replaced (itself checked
    against transformers), on padded batches of short, long, cut and non-Latin
    texts: a wrong head split, a missing residual or the tanh GELU would be off
    by far more than float rounding."""
    from tests.language.minilm_numpy import NumpyMiniLM

    ids, mask = float32.padded(float32.token_ids(GRAPH_TEXTS))
    expected = NumpyMiniLM(model_dir()).forward(ids, mask)
    assert np.abs(float32.hidden_states(ids, mask) - expected)[mask].max() < 1e-4


def test_the_shipped_int8_graph_stays_close_to_float32(encoder, float32) -> None:
    """int8 weight products round each weight to 1/254 of its column's range;
    every token's state keeps its direction (a wrong scale or a transposed
    weight would not), and so does each text's embedding."""
    assert encoder.precision == "int8"
    ids, mask = encoder.padded(encoder.token_ids(GRAPH_TEXTS))
    a, b = (
        float32.hidden_states(ids, mask)[mask],
        encoder.hidden_states(ids, mask)[mask],
    )
    cosines = (
        np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    )
    assert cosines.min() > 0.9 and np.median(cosines) > 0.97
    pooled = np.sum(float32.encode(GRAPH_TEXTS) * encoder.encode(GRAPH_TEXTS), axis=1)
    assert pooled.min() > 0.95 and not np.allclose(pooled, 1.0, atol=1e-4)


def test_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="precision"):
        SentenceEncoder(precision="int4")


def test_a_text_reads_the_same_alone_and_among_others(encoder) -> None:
    """Batches are made by length and run side by side; none of that may change
    a text's embedding or its row (int8 quantizes a run's input with one scale:
    run as a batch, a text's numbers would depend on its neighbours)."""
    texts = [f"message number {i} " + "and more words " * (i % 9) for i in range(40)]
    together = encoder.encode(texts)
    for i in (0, 7, 39):
        alone = encoder.encode([texts[i]])[0]
        assert np.abs(together[i] - alone).max() < 1e-6
    assert float(together[0] @ together[1]) < 0.9999


def test_two_threads_a_run_give_the_numbers_one_thread_gives(encoder) -> None:
    """A run's threads split the rows and columns of each product, never a sum:
    the trained classifiers read these numbers, so they must not move with the
    thread count (the change is for speed only: benchmarks/encoder_threads.py)."""
    texts = [
        "you never listen to me",
        " ".join(["i keep thinking about what she said and it hurts"] * 14),
        "ok",
    ]
    one = SentenceEncoder(threads=1)
    two = SentenceEncoder(threads=2)
    assert [
        e._session.get_session_options().intra_op_num_threads for e in (one, two)
    ] == [1, 2]
    assert np.array_equal(one.encode(texts), two.encode(texts))
    assert np.array_equal(one.encode(texts), encoder.encode(texts))


def test_the_encoder_digest_follows_the_graph_code(tmp_path, monkeypatch) -> None:
    """What learns from the embeddings retrains when the graph changes (a
    change of precision changes every number)."""
    from bids_partner.language import encoder_graph, sentence_encoder

    before = sentence_encoder.encoder_digest()
    changed = tmp_path / "encoder_graph.py"
    changed.write_bytes(Path(encoder_graph.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(encoder_graph, "__file__", str(changed))
    assert sentence_encoder.encoder_digest() != before
