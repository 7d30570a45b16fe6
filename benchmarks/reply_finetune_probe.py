"""Probe: all-MiniLM-L6-v2 fine-tuned as a cross-encoder on (partner line, reply)
pairs, against the judge's logistic regression on the same writers.

Issue 14 asks for the encoder fine-tuned as well as frozen. Fine-tuning cannot
run inside the 5-minute `rasa train` on 2 cores, so this measures first whether
it is worth it: writers are split into groups (each group read by models trained
on the others, as the second look's folds are), and for each group it prints the
base ranking's accuracy (argmax, no asking, no clause reading) of
- the logistic regression over TF-IDF, pairs and frozen embeddings (the judge's
  base model: config.yml's ReplyJudge options without the second look),
- the fine-tuned encoder ([CLS] partner [SEP] reply [SEP], mean-pooled, a
  linear layer; AdamW, fixed seeds), and
- the two averaged.
TensorFlow is the one Rasa ships; the weights are the pinned ones the assistant
checks. Reads data/replies/ only, never the blind sets.

    .venv/bin/python -m benchmarks.reply_finetune_probe [--groups 0 1 2] [--epochs 3]

Writes results/replies-bench/finetune-probe.md (about 15 min per group on 2 cores).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from typing import Dict, Iterator, List, Sequence, Tuple

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from bids_partner.contract import KINDS  # noqa: E402
from bids_partner.language.encoder_graph import weight_views  # noqa: E402
from bids_partner.language.replies import (  # noqa: E402
    SECOND_LOOK_FOLDS,
    accuracy_by_kind,
)
from bids_partner.language.reply_data import LabelledReply, load_replies  # noqa: E402
from bids_partner.language.sentence_encoder import (  # noqa: E402
    SentenceEncoder,
    WordPieceTokenizer,
    check_digest,
    model_dir,
)
from bids_partner.rasa_plugins.nlu.reply_judge import (  # noqa: E402
    ReplyJudge,
    classifier_for,
)
from bids_partner.settings import ROOT, pipeline_options  # noqa: E402

TRAIN_DIR = ROOT / "data" / "replies"
OUT = ROOT / "results" / "replies-bench" / "finetune-probe.md"
MAX_TOKENS = 96
BATCH = 16
LEARNING_RATE = 4e-5
SEED = 0


class CrossEncoder(tf.Module):
    """MiniLM's layers as trainable variables (the word embeddings frozen: most
    of the parameters, and rare words would drift), and a linear head."""

    def __init__(self, classes: int) -> None:
        folder = model_dir()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.eps = float(config["layer_norm_eps"])
        self.heads = int(config["num_attention_heads"])
        # As the assistant's encoder reads them: mapped, checked, then copied
        # into variables.
        weights_file = folder / "model.safetensors"
        mapped, views = weight_views(weights_file)
        check_digest(weights_file, hashlib.sha256(mapped).hexdigest())
        w = {k: np.array(v, np.float32) for k, v in views.items()}
        del views
        mapped.close()

        def var(name: str, transpose: bool = False) -> tf.Variable:
            value = w[name].T if transpose else w[name]
            return tf.Variable(np.ascontiguousarray(value), name=name)

        self.word = tf.constant(w["embeddings.word_embeddings.weight"])
        self.position = var("embeddings.position_embeddings.weight")
        self.token_type = var("embeddings.token_type_embeddings.weight")
        self.embed_norm = (
            var("embeddings.LayerNorm.weight"),
            var("embeddings.LayerNorm.bias"),
        )
        self.blocks: List[Dict[str, tf.Variable]] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            a = p + "attention.self."
            self.blocks.append(
                {
                    "q_w": var(a + "query.weight", True),
                    "q_b": var(a + "query.bias"),
                    "k_w": var(a + "key.weight", True),
                    "k_b": var(a + "key.bias"),
                    "v_w": var(a + "value.weight", True),
                    "v_b": var(a + "value.bias"),
                    "o_w": var(p + "attention.output.dense.weight", True),
                    "o_b": var(p + "attention.output.dense.bias"),
                    "ln1_w": var(p + "attention.output.LayerNorm.weight"),
                    "ln1_b": var(p + "attention.output.LayerNorm.bias"),
                    "up_w": var(p + "intermediate.dense.weight", True),
                    "up_b": var(p + "intermediate.dense.bias"),
                    "down_w": var(p + "output.dense.weight", True),
                    "down_b": var(p + "output.dense.bias"),
                    "ln2_w": var(p + "output.LayerNorm.weight"),
                    "ln2_b": var(p + "output.LayerNorm.bias"),
                }
            )
        rng = np.random.default_rng(SEED)
        dim = int(config["hidden_size"])
        self.head_w = tf.Variable(
            rng.normal(0, 0.02, (dim, classes)).astype(np.float32), name="head_w"
        )
        self.head_b = tf.Variable(np.zeros(classes, np.float32), name="head_b")

    def _norm(self, x: tf.Tensor, weight: tf.Variable, bias: tf.Variable) -> tf.Tensor:
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + self.eps) * weight + bias

    def __call__(
        self, ids: tf.Tensor, types: tf.Tensor, mask: tf.Tensor, training: bool
    ) -> tf.Tensor:
        def drop(x: tf.Tensor) -> tf.Tensor:
            return tf.nn.dropout(x, 0.1, seed=SEED) if training else x

        length = tf.shape(ids)[1]
        x = (
            tf.gather(self.word, ids)
            + self.position[:length]
            + tf.gather(self.token_type, types)
        )
        x = drop(self._norm(x, *self.embed_norm))
        batch = tf.shape(ids)[0]
        dim = x.shape[-1]
        head = dim // self.heads
        bias = (1.0 - tf.cast(mask, tf.float32))[:, None, None, :] * -1e9

        def split(t: tf.Tensor) -> tf.Tensor:
            return tf.transpose(
                tf.reshape(t, (batch, length, self.heads, head)), (0, 2, 1, 3)
            )

        for b in self.blocks:
            q = split(x @ b["q_w"] + b["q_b"])
            k = split(x @ b["k_w"] + b["k_b"])
            v = split(x @ b["v_w"] + b["v_b"])
            scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(head) + bias
            context = tf.matmul(drop(tf.nn.softmax(scores, axis=-1)), v)
            context = tf.reshape(
                tf.transpose(context, (0, 2, 1, 3)), (batch, length, dim)
            )
            x = self._norm(
                drop(context @ b["o_w"] + b["o_b"]) + x, b["ln1_w"], b["ln1_b"]
            )
            inner = tf.nn.gelu(x @ b["up_w"] + b["up_b"], approximate=False)
            x = self._norm(
                drop(inner @ b["down_w"] + b["down_b"]) + x, b["ln2_w"], b["ln2_b"]
            )
        weights = tf.cast(mask, tf.float32)[:, :, None]
        pooled = tf.reduce_sum(x * weights, 1) / tf.reduce_sum(weights, 1)
        return drop(pooled) @ self.head_w + self.head_b


def pair_ids(
    tokenizer: WordPieceTokenizer, partners: Sequence[str], texts: Sequence[str]
) -> List[tuple]:
    """[CLS] partner [SEP] reply [SEP] ids and token types, the partner cut
    first when the pair is too long."""
    pairs = []
    for partner, text in zip(partners, texts):
        a, b = tokenizer.tokenize(partner), tokenizer.tokenize(text)
        b = b[: MAX_TOKENS // 2 + max(0, MAX_TOKENS // 2 - 3 - len(a))]
        a = a[: MAX_TOKENS - 3 - len(b)]
        ids = [tokenizer.cls, *a, tokenizer.sep, *b, tokenizer.sep]
        pairs.append((ids, [0] * (len(a) + 2) + [1] * (len(b) + 1)))
    return pairs


def batches(
    pairs: Sequence[tuple], order: Sequence[int]
) -> Iterator[Tuple[Sequence[int], tf.Tensor, tf.Tensor, tf.Tensor]]:
    for start in range(0, len(order), BATCH):
        chosen = order[start : start + BATCH]
        length = max(len(pairs[i][0]) for i in chosen)
        ids = np.zeros((len(chosen), length), np.int32)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, i in enumerate(chosen):
            n = len(pairs[i][0])
            ids[row, :n], types[row, :n], mask[row, :n] = pairs[i][0], pairs[i][1], 1
        yield chosen, tf.constant(ids), tf.constant(types), tf.constant(mask)


def fine_tune(
    tokenizer: WordPieceTokenizer,
    train: Sequence[LabelledReply],
    test: Sequence[LabelledReply],
    epochs: int,
) -> np.ndarray:
    """Probabilities (in KINDS order) for `test` from a model fine-tuned on `train`."""
    tf.random.set_seed(SEED)
    model = CrossEncoder(len(KINDS))
    train_pairs = pair_ids(
        tokenizer, [r.partner for r in train], [r.text for r in train]
    )
    labels = np.array([KINDS.index(r.kind) for r in train])
    counts = np.bincount(labels, minlength=len(KINDS))
    class_weight = tf.constant(len(labels) / (len(KINDS) * counts), tf.float32)
    steps = epochs * ((len(train) + BATCH - 1) // BATCH)
    schedule = tf.keras.optimizers.schedules.PolynomialDecay(LEARNING_RATE, steps, 0.0)
    optimizer = tf.keras.optimizers.AdamW(learning_rate=schedule, weight_decay=0.01)
    variables = model.trainable_variables

    @tf.function(reduce_retracing=True)
    def step(
        ids: tf.Tensor, types: tf.Tensor, mask: tf.Tensor, y: tf.Tensor
    ) -> tf.Tensor:
        with tf.GradientTape() as tape:
            logits = model(ids, types, mask, training=True)
            loss = tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits)
            loss = tf.reduce_mean(loss * tf.gather(class_weight, y))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    rng = np.random.default_rng(SEED)
    for epoch in range(epochs):
        # Shuffled, then sorted by length within chunks: less padding per batch.
        order = rng.permutation(len(train_pairs))
        chunks = [order[i : i + BATCH * 20] for i in range(0, len(order), BATCH * 20)]
        order = np.concatenate(
            [sorted(c, key=lambda i: len(train_pairs[i][0])) for c in chunks]
        )
        started, losses = time.perf_counter(), []
        for chosen, ids, types, mask in batches(train_pairs, list(order)):
            losses.append(float(step(ids, types, mask, tf.constant(labels[chosen]))))
        print(
            f"  epoch {epoch + 1}: loss {np.mean(losses):.3f} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    test_pairs = pair_ids(tokenizer, [r.partner for r in test], [r.text for r in test])
    out = np.zeros((len(test), len(KINDS)), np.float32)
    for chosen, ids, types, mask in batches(test_pairs, list(range(len(test)))):
        out[chosen] = tf.nn.softmax(model(ids, types, mask, training=False)).numpy()
    return out


def regression(
    train: Sequence[LabelledReply], test: Sequence[LabelledReply]
) -> np.ndarray:
    options = {**pipeline_options(ReplyJudge.__name__), "with_second_look": False}
    model = classifier_for(options).fit(train)
    rows = model.rank_many([r.partner for r in test], [r.text for r in test])
    return np.array([[dict(row)[k] for k in KINDS] for row in rows])


def result_row(
    held_out: str, name: str, truth: Sequence[str], predicted: Sequence[str]
) -> str:
    """A table row: accuracy over all and per kind, and against judged toward."""
    figures = accuracy_by_kind(truth, predicted)
    cells = " | ".join(f"{figures[k]:.3f}" for k in ("all", *KINDS))
    against = sum(g == "against" and p == "toward" for g, p in zip(truth, predicted))
    return f"| {held_out} | {name} | {cells} | {against} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="*", default=[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    tf.config.threading.set_inter_op_parallelism_threads(1)
    data = [r for r in load_replies(TRAIN_DIR) if r.kind in KINDS]
    writers = sorted({r.writer for r in data})
    # Built once: checks the vocabulary and configuration the cross-encoder reads.
    tokenizer = SentenceEncoder().tokenizer
    gold: List[str] = []
    found: Dict[str, List[str]] = {"regression": [], "fine-tuned": [], "averaged": []}
    seconds = 0.0
    lines = [
        "# The encoder fine-tuned on (partner line, reply) pairs: a probe",
        "",
        f"`.venv/bin/python -m benchmarks.reply_finetune_probe --groups "
        f"{' '.join(map(str, args.groups))} --epochs {args.epochs}`; base ranking "
        "(argmax, no asking, no clause reading), writers held out by group.",
        "",
        "| held out | model | all | "
        + " | ".join(KINDS)
        + " | against judged toward |",
        "|---|---|---|" + "---|" * len(KINDS) + "---|",
    ]
    for group in args.groups:
        held_out = writers[group::SECOND_LOOK_FOLDS]
        train = [r for r in data if r.writer not in held_out]
        test = [r for r in data if r.writer in held_out]
        print(f"group {group}: held out {held_out}, {len(train)} / {len(test)}")
        started = time.perf_counter()
        tuned = fine_tune(tokenizer, train, test, args.epochs)
        seconds += time.perf_counter() - started
        linear = regression(train, test)
        truth = [r.kind for r in test]
        gold += truth
        for name, probabilities in (
            ("regression", linear),
            ("fine-tuned", tuned),
            ("averaged", (linear + tuned) / 2),
        ):
            predicted = [KINDS[i] for i in probabilities.argmax(1)]
            found[name] += predicted
            lines.append(result_row(" ".join(held_out), name, truth, predicted))
            print(lines[-1], flush=True)
    for name, predicted in found.items():
        lines.append(result_row("all groups", name, gold, predicted))
    lines += ["", f"Fine-tuning: {seconds:.0f} s in all on this machine."]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
