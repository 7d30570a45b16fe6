"""all-MiniLM-L6-v2's forward pass as an ONNX graph, built in code around the
verified weights and run by ONNX Runtime.

The arithmetic is BERT's, as the encoder did it in NumPy before
(tests/language/minilm_numpy.py keeps that version as the reference the graph is
checked against). ONNX Runtime packs each weight matrix once, when the session
is made, where NumPy's BLAS packed it again on every product: for one chat
message that repacking was most of the 40 ms a message cost.

Nothing is downloaded and no graph file is stored. The graph only refers to the
weights: the session is given them as arrays (views of the weights file mapped
into memory, `weight_views`), so they are never copied into a protobuf and out
again, and the pages of the file the graph no longer reads can be let go.

The shipped graph multiplies by the weight matrices in int8 (`PRECISION`):
the weights are rounded per output column when the graph is built, and each
run's input is quantized on the fly (ONNX Runtime's DynamicQuantizeMatMul). A
turn's encoding takes about 0.6x the time of float32 and the embeddings keep a
median cosine of 0.99 to float32's (`make bench-encoder-precision`); the
classifiers are trained on these same embeddings. "float32" remains for the
check against the NumPy reference. On an x86 CPU without VNNI, ONNX Runtime's
int8 kernels may saturate a pair of products (its docs advise 7-bit weights
there): this machine and CI's have VNNI; a deployment without it should
measure the quality benchmarks again before trusting the trained models.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np

# The inputs the session is run with: the tokens' word embeddings (batch, length,
# 384), looked up by the caller in the mapped file (`WORD_EMBEDDINGS`: 47 MB, of
# which a conversation reads a few rows, so the table stays out of the session),
# their positions (length) and the attention bias (batch, 1, 1, length): 0 for
# tokens, the lowest float for padding, so that padding gets no softmax weight.
INPUTS = ("words", "positions", "bias")
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
OUTPUT = "hidden"
OPSET = 17  # LayerNormalization
THREADS_PER_RUN = max(1, min(2, os.cpu_count() or 1))
QKV = ("query", "key", "value")
PRECISIONS = ("float32", "int8")
PRECISION = "int8"
_SAFETENSORS_DTYPES = {"F32": np.float32, "I64": np.int64}


def weight_views(path: Path) -> Tuple[mmap.mmap, Dict[str, np.ndarray]]:
    """The safetensors file mapped read-only, and a read-only array over it per
    tensor ("bert." dropped from the names). The mapping must outlive every
    session made from the views."""
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    (header_size,) = struct.unpack("<Q", mapped[:8])
    header = json.loads(mapped[8 : 8 + header_size])
    views: Dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(_SAFETENSORS_DTYPES[entry["dtype"]])
        start, end = entry["data_offsets"]
        array = np.frombuffer(
            mapped,
            dtype=dtype,
            count=(end - start) // dtype.itemsize,
            offset=8 + header_size + start,
        )
        views[name.removeprefix("bert.")] = array.reshape(entry["shape"])
    return mapped, views


def int8_columns(weight: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """A torch Linear weight (out, in) as ONNX Runtime's int8 products take it:
    (in, out) int8, each output column scaled by its own largest magnitude
    (symmetric, so the zero point is 0), and the (out,) float32 scales."""
    scales = np.abs(weight).max(axis=1).astype(np.float32) / np.float32(127)
    scales = np.where(scales > 0, scales, np.float32(1))
    q = np.clip(np.rint(weight / scales[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(q.T), scales


def minilm_graph(
    weights: Dict[str, np.ndarray],
    heads: int,
    layers: int,
    eps: float,
    precision: str = PRECISION,
) -> Tuple[bytes, Dict[str, np.ndarray]]:
    """The serialized ONNX model (last hidden states, (batch, length, 384)) and
    the arrays it refers to by name (external data), to hand to `session`.
    With `precision` "int8" the products by the weight matrices are integer
    products (weights per output column, each run's input per tensor); the
    attention's own products, the embeddings and the norms stay float32."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} is not one of {PRECISIONS}")
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    initializers: List[onnx.TensorProto] = []
    arrays: Dict[str, np.ndarray] = {}
    nodes: List[onnx.NodeProto] = []

    def const(name: str, value: np.ndarray | float) -> str:
        array = np.asarray(value)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        if array.size < 1024:  # shapes, scalars, biases: in the graph itself
            initializers.append(numpy_helper.from_array(array, name))
            return name
        tensor = onnx.TensorProto(name=name, dims=array.shape)
        tensor.data_type = helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.data_location = TensorProto.EXTERNAL
        for key, text in (("location", "in-memory"), ("length", str(array.nbytes))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, text
        initializers.append(tensor)
        arrays[name] = array
        return name

    def op(kind: str, inputs: List[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(kind, inputs, [output], **attributes))
        return output

    def times_transposed(x: str, y: str, output: str, alpha: float = 1.0) -> str:
        """x @ y^T, as torch's Linear keeps its (out, in) weight: ONNX Runtime's
        FusedMatMul transposes while it packs, so no transposed copy is made."""
        return op(
            "FusedMatMul", [x, y], output, domain="com.microsoft", transB=1, alpha=alpha
        )

    def dense(x: str, prefix: str, output: str) -> str:
        if precision == "int8":
            q, scales = int8_columns(weights[prefix + ".weight"])
            return op(
                "DynamicQuantizeMatMul",
                [
                    x,
                    const(prefix + ".q", q),
                    const(prefix + ".scale", scales),
                    const(prefix + ".zero", np.zeros(len(scales), dtype=np.int8)),
                    const(prefix + ".bias", weights[prefix + ".bias"]),
                ],
                output,
                domain="com.microsoft",
            )
        weight = const(prefix + ".weight", weights[prefix + ".weight"])
        product = times_transposed(x, weight, output + ".mm")
        return op(
            "Add", [product, const(prefix + ".bias", weights[prefix + ".bias"])], output
        )

    def heads_of(x: str, prefix: str, name: str) -> str:
        """A projection, (batch, length, dim) → (batch, heads, length, head)."""
        flat = dense(x, prefix + name, prefix + name + ".flat")
        split = op("Reshape", [flat, "head_shape"], prefix + name + ".split")
        return op("Transpose", [split], prefix + name, perm=[0, 2, 1, 3])

    def layer_norm(x: str, prefix: str, output: str) -> str:
        scale = const(prefix + ".weight", weights[prefix + ".weight"])
        shift = const(prefix + ".bias", weights[prefix + ".bias"])
        return op("LayerNormalization", [x, scale, shift], output, axis=-1, epsilon=eps)

    dim = weights[WORD_EMBEDDINGS].shape[1]
    head = dim // heads
    const("head_shape", np.array([0, 0, heads, head], dtype=np.int64))
    const("hidden_shape", np.array([0, 0, dim], dtype=np.int64))
    const("half", 0.5)
    const("one", 1.0)
    const("inv_sqrt2", 2**-0.5)
    const("token_type", weights["embeddings.token_type_embeddings.weight"][0])

    position = const("position", weights["embeddings.position_embeddings.weight"])
    x = op(
        "Add", ["words", op("Gather", [position, "positions"], "emb.pos")], "emb.sum"
    )
    x = op("Add", [x, "token_type"], "emb.all")
    x = layer_norm(x, "embeddings.LayerNorm", "emb.out")

    for i in range(layers):
        p = f"encoder.layer.{i}."

        q, k, v = (heads_of(x, p + "attention.self.", name) for name in QKV)
        scores = times_transposed(q, k, p + "scores", alpha=float(1.0 / np.sqrt(head)))
        scores = op("Add", [scores, "bias"], p + "masked")
        scores = op("Softmax", [scores], p + "weights", axis=-1)
        context = op("MatMul", [scores, v], p + "ctx")
        context = op("Transpose", [context], p + "ctx.t", perm=[0, 2, 1, 3])
        context = op("Reshape", [context, "hidden_shape"], p + "ctx.r")
        attended = dense(context, p + "attention.output.dense", p + "attended")
        x = op("Add", [attended, x], p + "res1")
        x = layer_norm(x, p + "attention.output.LayerNorm", p + "ln1")
        up = dense(x, p + "intermediate.dense", p + "up")
        # The exact (erf) GELU BERT's "gelu" means, not the tanh shortcut.
        gate = op("Erf", [op("Mul", [up, "inv_sqrt2"], p + "g0")], p + "g1")
        gate = op("Mul", [op("Add", [gate, "one"], p + "g2"), "half"], p + "g3")
        inner = op("Mul", [up, gate], p + "gelu")
        out = dense(inner, p + "output.dense", p + "down")
        out = op("Add", [out, x], p + "res2")
        last = OUTPUT if i == layers - 1 else p + "out"
        x = layer_norm(out, p + "output.LayerNorm", last)

    value_info = helper.make_tensor_value_info
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            value_info("words", TensorProto.FLOAT, ["batch", "length", dim]),
            value_info("positions", TensorProto.INT64, ["length"]),
            value_info("bias", TensorProto.FLOAT, ["batch", 1, 1, "length"]),
        ],
        [value_info(OUTPUT, TensorProto.FLOAT, ["batch", "length", dim])],
        initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[
            helper.make_opsetid("", OPSET),
            helper.make_opsetid("com.microsoft", 1),
        ],
    )
    model.ir_version = 8  # what ONNX Runtime 1.16 reads
    return model.SerializeToString(), arrays


def session(
    graph: bytes, arrays: Dict[str, np.ndarray], threads: int = THREADS_PER_RUN
) -> Any:
    """An ONNX Runtime session of `minilm_graph`'s model, `threads` a run; it
    reads `arrays` where they are, so they must outlive it."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # Two threads a run by default: a turn's longest text (the recent turns, up
    # to 128 tokens) took about 22 ms on one core and 15 on two in float32,
    # with the same numbers out (`make bench-encoder`).
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads wait instead of spinning: spinning ran one long text faster
    # (12.5 against 14.9 ms) but bulk encoding as in training, with batches
    # side by side, slower by a quarter, and it takes the cores the rest of a
    # turn and the other conversations need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    # No arena: it would keep the memory of the largest batch ever run (training
    # encodes thousands of texts), and measured no faster for chat messages.
    options.enable_cpu_mem_arena = False
    # Each weight in its own allocation, so that a matrix's plain copy is freed
    # once it is packed; in one shared block it would stay, doubling the memory.
    options.add_session_config_entry(
        "session.use_device_allocator_for_initializers", "1"
    )
    options.add_external_initializers(
        list(arrays),
        [onnxruntime.OrtValue.ortvalue_from_numpy(a) for a in arrays.values()],
    )
    return onnxruntime.InferenceSession(
        graph, options, providers=["CPUExecutionProvider"]
    )


def attention_bias(mask: np.ndarray) -> np.ndarray:
    """The graph's `bias` input for a (batch, length) mask of real tokens."""
    bias = np.where(mask, 0.0, np.finfo(np.float32).min).astype(np.float32)
    return bias[:, None, None, :]
