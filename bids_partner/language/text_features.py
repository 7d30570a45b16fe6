"""Text features every classifier here shares: the sentence encoder's
embeddings (remembered for training texts, never for a person's message), the
windows the encoder reads whole, and the TF-IDF of words and characters. Apart
from any one classifier, so that a change to one does not retrain the others."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from bids_partner.language.sparse_models import KeptIdfVectorizer

_EMBEDDINGS: Dict[str, np.ndarray] = {}
_MAX_CACHED = 20_000
# Classifiers fit side by side in threads (replies.py) share the cache.
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from bids_partner.language.sentence_encoder import SentenceEncoder

    return SentenceEncoder()


def embed(texts: Sequence[str], remember: bool = True) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings. Remembered texts (the training data, partner
    lines) are encoded once per process; a person's reply judged in the server is
    not kept (`remember=False`)."""
    with _LOCK:
        missing = sorted({t for t in texts if t not in _EMBEDDINGS})
        if not missing:
            return np.vstack([_EMBEDDINGS[t] for t in texts])
        fresh = dict(zip(missing, _encoder().encode(missing)))
        vectors = np.vstack([fresh[t] if t in fresh else _EMBEDDINGS[t] for t in texts])
        if remember:
            if len(_EMBEDDINGS) + len(fresh) > _MAX_CACHED:
                _EMBEDDINGS.clear()
            _EMBEDDINGS.update(fresh)
        return vectors


def _room() -> int:
    """The tokens of a text the encoder reads: MAX_TOKENS less [CLS] and [SEP]."""
    from bids_partner.language.sentence_encoder import MAX_TOKENS

    return MAX_TOKENS - 2


def read_whole_by_the_encoder(text: str) -> bool:
    """Whether the encoder reads all of `text`: it reads the first tokens only."""
    return len(_encoder().tokenizer.tokenize(text)) <= _room()


# Where a sentence ends: after . ! ? or an ellipsis and a space, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026])\s+|\s*\n\s*")


def sentences(text: str) -> List[str]:
    """`text` cut where its sentences end."""
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


def windows_the_encoder_reads(text: str) -> List[str]:
    """`text` as windows the encoder reads whole: its sentences in order, packed,
    each window starting with the last sentence of the one before, so that what
    is said across a break is read together. A sentence over half a window
    (a run-on without stops) is cut at words first."""
    tokenizer = _encoder().tokenizer
    pieces: List[Tuple[str, int]] = []
    for sentence in sentences(text):
        words, count = [], 0
        for word in sentence.split():
            tokens = len(tokenizer.tokenize(word))
            if words and count + tokens > _room() // 2:
                pieces.append((" ".join(words), count))
                words, count = [], 0
            words.append(word)
            count += tokens
        if words:
            pieces.append((" ".join(words), count))
    windows: List[str] = []
    start = 0
    while start < len(pieces):
        end, used = start + 1, pieces[start][1]
        while end < len(pieces) and used + pieces[end][1] <= _room():
            used += pieces[end][1]
            end += 1
        windows.append(" ".join(piece for piece, _ in pieces[start:end]))
        if end == len(pieces):
            break
        start = max(end - 1, start + 1)
    return windows


def word_and_char_tfidf() -> Tuple[TfidfVectorizer, TfidfVectorizer]:
    """The TF-IDF pair every text classifier here starts from: words and word
    pairs (apostrophes kept), and character 2-5-grams within words."""
    words = KeptIdfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b"
    )
    chars = KeptIdfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    return words, chars


def tfidf_and_embedding(
    vectorizers: Sequence[TfidfVectorizer],
    texts: Sequence[str],
    fit: bool,
    with_encoder: bool,
    vectors: np.ndarray | None = None,
) -> sp.csr_matrix:
    """The lowered texts through `vectorizers` (fitted when `fit`), then, with the
    encoder, their sentence embeddings: `vectors` when computed already, else
    encoded here, kept in the cache only when fitting (a person's message read in
    the server is not kept)."""
    lowered = [t.lower() for t in texts]
    blocks = [
        v.fit_transform(lowered) if fit else v.transform(lowered) for v in vectorizers
    ]
    if with_encoder:
        if vectors is None:
            vectors = embed(texts, remember=fit)
        blocks.append(sp.csr_matrix(vectors))
    return sp.hstack(blocks).tocsr()
