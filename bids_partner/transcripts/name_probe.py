"""A second opinion on names from context (issue 17): a word-level classifier
on the sentence encoder's contextual states.

The rules of ``names.py`` and the spaCy name model see at most three words
around a word. What they miss on the dev sets is mostly an ordinary word or a
lowercase name where only the whole sentence says it is a person ("hazel never
replies", "cos jack said so"). The sentence encoder (``language/
sentence_encoder.py``, already shipped for the NLU) reads the whole message;
its state at a word, with its neighbours' states, how the word is cased and
what the lexicons know of it, goes to a logistic regression: not a name, a
person, a place.

Chosen by leaving one writer out at a time on the dev sets (aw1, aw2, aw4,
aw5, aw6), never on the blind sets. Of a probe of the word's state alone, one
with the neighbours and the lexicon features, and a small MLP, the second
caught 24 of the 91 name words the anonymizer missed for 13 words it had kept
(the MLP 33 for 27). As a veto on what the rules found it lost more true names
than false ones it freed. So it only adds: the anonymizer asks it about words
not masked yet that context could make a person
(``Anonymizer._probe_findings``); ``make bench-name-probe-cv`` measures that.

Trained from code on the synthetic sentences and ``data/anonymizer/`` (the
writers' labelled messages), into ``build/spacy/name_probe/``, again only when
what it is made from changes. The weights are plain arrays: applying them is
one matrix product.

    python -m bids_partner.transcripts.name_probe [--force]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Sequence, Tuple

import numpy as np

from bids_partner.language.sentence_encoder import (
    DIMENSION,
    MAX_TOKENS,
    SentenceEncoder,
    encoder_digest,
)
from bids_partner.settings import SPACY_PIPELINE
from bids_partner.transcripts import written
from bids_partner.transcripts.synthetic import (
    Generator,
    Sentence,
    training_digest,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from bids_partner.transcripts.lexicons import Lexicons

PROBE_DIR = SPACY_PIPELINE.parent / "name_probe"
LABELS = ("O", "PERSON", "PLACE")
SETTINGS: Dict[str, Any] = {
    "seed": 17,
    "sentences": 10000,
    "C": 0.02,
    # A word asked about is a name above this probability; an everyday word
    # ("hunter", "will" lowercase) needs more (Anonymizer._everyday).
    "threshold": 0.8,
    "everyday_threshold": 0.95,
}
BATCH = 32
# The probe reads each word's state, which int8 weight products move more than
# a text's mean: with the int8 encoder 5 fewer of 3,755 names were removed on
# the blind sets (ab19 94.3% -> 93.0%; results/int8/). Exports are not on a
# turn's path, so the probe keeps the float32 encoder.
ENCODER_PRECISION = "float32"
_LEXICON_MISSING = -25.0


def fingerprint(settings: Dict[str, Any] = SETTINGS) -> str:
    """What the probe is made from: the generator's inputs, the written files,
    this module and the settings, with the encoder (its weights and code)."""
    digest = training_digest(__name__, written.files(written.WRITTEN_DIR), settings)
    digest.update(encoder_digest().encode())
    return digest.hexdigest()[:16]


def probe_encoder() -> SentenceEncoder:
    """The encoder the probe is trained and read with."""
    return SentenceEncoder(precision=ENCODER_PRECISION)


class Features:
    """Per token of a parsed message: the encoder's state at the token's first
    word piece and at its neighbours', its case, and what the lexicons say."""

    def __init__(self, encoder: SentenceEncoder, lexicons: Lexicons) -> None:
        self.encoder = encoder
        self.lex = lexicons

    def _windows(self, doc: Doc) -> List[Tuple[int, List[int], List[int]]]:
        """The doc in stretches of whole tokens the encoder reads whole: per
        stretch, its first token, the ids, and where each token's first piece
        is (-1: a space). A message longer than the encoder's window
        (MAX_TOKENS) is read stretch by stretch."""
        tokenizer = self.encoder.tokenizer
        windows = []
        start, ids, first = 0, [tokenizer.cls], []
        for token in doc:
            pieces = [] if token.is_space else tokenizer.tokenize(token.text)
            pieces = pieces[: MAX_TOKENS - 2]
            if len(ids) + len(pieces) >= MAX_TOKENS:
                windows.append((start, [*ids, tokenizer.sep], first))
                start, ids, first = token.i, [tokenizer.cls], []
            first.append(len(ids) if pieces else -1)
            ids += pieces
        windows.append((start, [*ids, tokenizer.sep], first))
        return windows

    def states(self, docs: Sequence[Doc]) -> List[np.ndarray]:
        """(tokens, 384) per doc: the state at each token's first piece."""
        windows = [(d, w) for d, doc in enumerate(docs) for w in self._windows(doc)]
        result = [np.zeros((len(doc), DIMENSION), dtype=np.float32) for doc in docs]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1][1]))
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]
            ids, mask = self.encoder.padded([windows[i][1][1] for i in batch])
            hidden = self.encoder.hidden_states(ids, mask)
            for row, i in enumerate(batch):
                d, (start, _, first) = windows[i]
                where = np.array(first, dtype=np.int64)
                read = where >= 0
                result[d][start + np.flatnonzero(read)] = hidden[row, where[read]]
        return result

    def _word(self, doc: Doc) -> np.ndarray:
        rows = []
        for token in doc:
            low = token.lower_
            before = doc[token.i - 1] if token.i else None
            starts = before is None or before.is_space or before.text in '.!?:;"('
            lower = self.lex.logprob(low)
            title = self.lex.logprob(low.capitalize())
            lower = _LEXICON_MISSING if lower is None else lower
            title = _LEXICON_MISSING if title is None else title
            rows.append(
                [
                    token.is_title,
                    token.is_lower,
                    token.is_upper and len(token) > 1,
                    starts,
                    token.is_alpha,
                    low in self.lex.first_names,
                    low in self.lex.last_names,
                    low in self.lex.places,
                    self.lex.english(low),
                    lower / -_LEXICON_MISSING,
                    (lower - title) / 10.0,
                ]
            )
        return np.array(rows, dtype=np.float32).reshape(len(doc), 11)

    def of(self, docs: Sequence[Doc]) -> List[np.ndarray]:
        """(tokens, 3 x 384 + 11) per doc."""
        out = []
        for doc, states in zip(docs, self.states(docs)):
            blank = np.zeros((1, states.shape[1]), dtype=np.float32)
            before = np.vstack([blank, states[:-1]])
            after = np.vstack([states[1:], blank])
            out.append(np.hstack([states, before, after, self._word(doc)]))
        return out


def _labels(
    doc: Doc,
    spans: Sequence[Tuple[int, int, str]],
    unknown: Sequence[Tuple[int, int]] = (),
) -> np.ndarray:
    """Per token: 0 no name, 1 person, 2 place, -1 unknown (another identifier:
    neither taught as a name nor as no name)."""
    labels = np.zeros(len(doc), dtype=np.int64)
    for start, end in unknown:
        for token in doc.char_span(start, end, alignment_mode="expand") or ():
            labels[token.i] = -1
    for start, end, label in spans:
        for token in doc.char_span(start, end, alignment_mode="expand") or ():
            if labels[token.i] != -1:
                labels[token.i] = LABELS.index(label)
    return labels


def training_data(
    make_doc: Any, settings: Dict[str, Any] = SETTINGS
) -> List[Tuple[str, Doc, np.ndarray]]:
    """(where from, parsed text, labels) of the synthetic sentences ("synthetic")
    and of each writer's messages (the file's stem)."""
    sentences: List[Sentence] = Generator().generate(
        settings["sentences"], settings["seed"]
    )
    data = []
    for sentence in sentences:
        doc = make_doc(sentence.text)
        data.append(("synthetic", doc, _labels(doc, sentence.spans)))
    for path in written.files(written.WRITTEN_DIR):
        for case in written.load(path):
            spans, unknown = written.sentence(case)
            doc = make_doc(case.text)
            data.append((path.stem, doc, _labels(doc, spans, unknown)))
    return data


def fit(
    features: Sequence[np.ndarray], labels: Sequence[np.ndarray], c: float
) -> Dict[str, np.ndarray]:
    """The weights of a logistic regression on standardised features, words
    of unknown label left out."""
    from sklearn.linear_model import LogisticRegression

    x, y = np.vstack(features), np.concatenate(labels)
    known = y >= 0
    x, y = x[known], y[known]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit((x - mean) / scale, y)
    return {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
    }


class NameProbe:
    """The trained weights; per token, the probability of no name, person, place."""

    def __init__(self, arrays: Dict[str, np.ndarray], settings: Dict[str, Any]) -> None:
        self.mean = arrays["mean"]
        self.scale = arrays["scale"]
        self.coef = arrays["coef"]
        self.intercept = arrays["intercept"]
        self.threshold = float(settings["threshold"])
        self.everyday_threshold = float(settings["everyday_threshold"])

    @classmethod
    def load(cls, path: Path | None = None) -> NameProbe:
        path = path or ensure_name_probe()
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        with np.load(path / "weights.npz") as arrays:
            return cls(dict(arrays), meta["settings"])

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        scores = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def is_current(output: Path, settings: Dict[str, Any] = SETTINGS) -> bool:
    meta = output / "meta.json"
    if not meta.exists() or not (output / "weights.npz").exists():
        return False
    built = json.loads(meta.read_text(encoding="utf-8"))
    return built.get("fingerprint") == fingerprint(settings)


def ensure_name_probe(
    output: Path = PROBE_DIR, force: bool = False, settings: Dict[str, Any] = SETTINGS
) -> Path:
    """The probe at `output`, trained first if its inputs changed since."""
    if not force and is_current(output, settings):
        print(f"name probe up to date: {output}", file=sys.stderr, flush=True)
        return output
    import spacy

    from bids_partner.language.spacy_pipeline import ensure_pipeline
    from bids_partner.transcripts.lexicons import lexicons

    print(f"training the name probe into {output}...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    nlp = spacy.load(ensure_pipeline())
    data = training_data(nlp.make_doc, settings)
    features = Features(probe_encoder(), lexicons()).of([doc for _, doc, _ in data])
    arrays = fit(features, [labels for _, _, labels in data], settings["C"])
    output.mkdir(parents=True, exist_ok=True)
    np.savez(output / "weights.npz", **arrays)
    meta = {"fingerprint": fingerprint(settings), "settings": settings}
    (output / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    print(
        f"name probe built in {time.perf_counter() - started:.0f} s: {output}",
        file=sys.stderr,
        flush=True,
    )
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PROBE_DIR)
    parser.add_argument("--force", action="store_true", help="retrain even if current")
    args = parser.parse_args()
    ensure_name_probe(args.output, args.force)


if __name__ == "__main__":
    main()
