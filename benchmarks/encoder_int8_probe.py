"""A probe, not shipped: the sentence encoder with its weights quantized to int8.

    .venv/bin/python -m benchmarks.encoder_int8_probe [--rounds 150] [--texts 2000]

The shipped graph (encoder_graph.minilm_graph) multiplies by the weights with
ONNX Runtime's FusedMatMul, which its quantizer does not know. Here the weight
products become plain MatMuls against transposed copies of the weights, and
`onnxruntime.quantization.quantize_dynamic` turns them into int8 products
(weights int8 per output channel, activations quantized per run). The result is
compared with the shipped encoder on the replies of data/replies/:
- how close the embeddings are: cosine of each text's two embeddings, and how
  often a text's nearest neighbour among the others is the same;
- speed, alternating the two call by call (a message, the recent turns, a
  turn after a second's pause), and the size of the weights in memory.
Every classifier reads these embeddings, so adopting int8 would mean retraining
every model and measuring every quality figure again; this only says whether
that is worth a session.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Dict

import numpy as np

from benchmarks.encoder_threads import (
    PAUSED,
    compare,
    print_table,
    reply_texts,
    turn_cases,
)
from bids_partner.language.encoder_graph import minilm_graph, weight_views
from bids_partner.language.sentence_encoder import SentenceEncoder, model_dir
from bids_partner.settings import ROOT


def plain_matmul_model(path: Path) -> None:
    """The shipped graph with real initializers and the weight products as
    MatMul against transposed weights, written to `path`."""
    import json

    import onnx
    from onnx import helper, numpy_helper

    config = json.loads((model_dir() / "config.json").read_text(encoding="utf-8"))
    _mapped, weights = weight_views(model_dir() / "model.safetensors")
    graph_bytes, arrays = minilm_graph(
        weights,
        heads=int(config["num_attention_heads"]),
        layers=int(config["num_hidden_layers"]),
        eps=float(config["layer_norm_eps"]),
    )
    model = onnx.load_from_string(graph_bytes)
    graph = model.graph
    transposed: Dict[str, str] = {}
    nodes = []
    for node in graph.node:
        if node.op_type == "FusedMatMul" and node.input[1] in arrays:
            weight = node.input[1]
            transposed[weight] = weight + ".T"
            nodes.append(
                helper.make_node(
                    "MatMul", [node.input[0], transposed[weight]], list(node.output)
                )
            )
        else:
            nodes.append(node)
    initializers = []
    for tensor in graph.initializer:
        if tensor.name in transposed:
            array = np.ascontiguousarray(arrays[tensor.name].T)
            initializers.append(numpy_helper.from_array(array, transposed[tensor.name]))
        elif tensor.name in arrays:
            initializers.append(
                numpy_helper.from_array(arrays[tensor.name], tensor.name)
            )
        else:
            initializers.append(tensor)
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    onnx.save(model, str(path))


def session_of(path: Path) -> object:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--paused", type=int, default=30)
    parser.add_argument("--texts", type=int, default=2000)
    args = parser.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    texts = reply_texts(ROOT / "data" / "replies")
    shipped = SentenceEncoder()
    int8 = SentenceEncoder()
    with tempfile.TemporaryDirectory(prefix="int8-probe-") as folder:
        plain, quantized = Path(folder) / "plain.onnx", Path(folder) / "int8.onnx"
        plain_matmul_model(plain)
        quantize_dynamic(
            str(plain),
            str(quantized),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
        )
        sizes = {p.name: p.stat().st_size for p in (plain, quantized)}
        int8._session = session_of(quantized)

    sample = texts[: args.texts]
    a, b = shipped.encode(sample), int8.encode(sample)
    cosines = np.sum(a * b, axis=1)
    similar_a, similar_b = a @ a.T, b @ b.T
    np.fill_diagonal(similar_a, -2.0)
    np.fill_diagonal(similar_b, -2.0)
    same_neighbour = float(np.mean(similar_a.argmax(1) == similar_b.argmax(1)))
    print(f"{len(sample)} replies of data/replies/")
    print(
        f"cosine of the two embeddings: min {cosines.min():.4f}, "
        f"p1 {np.percentile(cosines, 1):.4f}, median {np.median(cosines):.4f}"
    )
    print(f"same nearest neighbour among the others: {same_neighbour:.3f}")
    print(
        f"graph with weights: float32 {sizes['plain.onnx'] / 2**20:.0f} MiB, "
        f"int8 {sizes['int8.onnx'] / 2**20:.0f} MiB\n"
    )

    cases = turn_cases(texts, args.rounds, args.paused)
    del cases["a turn (message + recent turns)"]
    seconds = compare([shipped, int8], cases, {PAUSED: 1.0}, identical=False)
    print_table(("float32", "int8"), seconds)


if __name__ == "__main__":
    main()
