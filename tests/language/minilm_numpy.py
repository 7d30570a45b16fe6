"""all-MiniLM-L6-v2's forward pass in plain NumPy: the reference the ONNX graph
(bids_partner/language/encoder_graph.py) is checked against.

This was the assistant's encoder until 2026-12-03 and was checked then against
transformers (benchmarks/verify_sentence_encoder.py: every embedding within
1e-4); it is kept here, slow and simple, so that the graph can be compared with
something written independently of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List

import numpy as np
from safetensors.numpy import load_file


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


class NumpyMiniLM:
    """Last hidden states of padded ids, from the model folder's weights."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.eps = float(config["layer_norm_eps"])
        self.heads = int(config["num_attention_heads"])
        w = {
            k.removeprefix("bert."): v.astype(np.float32, copy=False)
            for k, v in load_file(str(folder / "model.safetensors")).items()
        }
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (
            w["embeddings.LayerNorm.weight"],
            w["embeddings.LayerNorm.bias"],
        )
        self.blocks: List[Dict[str, np.ndarray]] = []
        for i in range(int(config["num_hidden_layers"])):
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

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
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
