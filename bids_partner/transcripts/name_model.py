"""A small spaCy EntityRecognizer for people and places in chat text (issue 17),
trained from code on the synthetic sentences of ``synthetic.py`` and the
labelled messages people wrote (``data/anonymizer/*.yml``, ``written.py``).

It learns the context the rules of ``names.py`` spell out ("me and X", "X from
work", "texting X", "my best friend X") and the words around names the rules
never listed. The anonymizer uses both: a word either of them calls a name is
masked.

The model is built like the project's spaCy pipeline: from code, on any
machine, into ``build/spacy/name_model``, and rebuilt only when what it is made
from changes (the hash of the generator's inputs and of the training settings).
One core, a fixed seed: the same inputs give the same model.

    python -m bids_partner.transcripts.name_model [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Tuple

from bids_partner.settings import SPACY_PIPELINE
from bids_partner.transcripts import written
from bids_partner.transcripts.synthetic import (
    Generator,
    Sentence,
    training_digest,
)

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = SPACY_PIPELINE.parent / "name_model"
KINDS = {"PERSON": "person", "PLACE": "place"}
# Sized to train in about two minutes on one core and to tag a chat message in
# well under a millisecond: small hash tables, width 64, a window of one word
# each side per layer (three layers: three words of context).
SETTINGS: Dict[str, Any] = {
    "seed": 17,
    "sentences": 10000,
    "epochs": 6,
    "batch": 32,
    "dropout": 0.15,
    "width": 64,
    "depth": 3,
    # NORM is the lowercase word: "will" and "Will" share an embedding, so a
    # lowercase name is read like a capitalised one; SHAPE keeps the case.
    "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
    "rows": [5000, 1000, 2500, 500],
    # The written files to train on as well (stems in data/anonymizer/; None:
    # all of them), each message seen this many times an epoch beside the
    # synthetic sentences. None for now: left out one writer at a time (make
    # bench-anonymizer-cv), the other writer's messages did not help the
    # anonymizer on the one left out (names removed aw1 86.7% -> 85.6%, aw2
    # 98.7% -> 98.4%; words lost 1.5% -> 1.2%, 0.6% -> 0.7%), nor on the dev
    # set (97.2% -> 95.8%); seen four times, or also in lowercase, no better.
    "written": [],
    "written_repeats": 1,
}
BATCH_SIZE = 64


def fingerprint(settings: Dict[str, Any] = SETTINGS) -> str:
    """What the model is made from: the generator's inputs, this module and
    the training settings, with spaCy's version."""
    import spacy

    digest = training_digest(__name__, written_paths(settings), settings)
    digest.update(spacy.__version__.encode())
    return digest.hexdigest()[:16]


def written_paths(settings: Dict[str, Any] = SETTINGS) -> List[Path]:
    """The written files the settings train on."""
    stems = settings.get("written")
    paths = written.files(written.WRITTEN_DIR)
    if stems is None:
        return paths
    found = {path.stem: path for path in paths}
    missing = [stem for stem in stems if stem not in found]
    if missing:
        raise FileNotFoundError(f"no written file {', '.join(missing)}.yml")
    return [found[stem] for stem in stems]


def _ner_config(settings: Dict[str, Any]) -> Dict[str, Any]:
    width = settings["width"]
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {
                    "@architectures": "spacy.MultiHashEmbed.v2",
                    "width": width,
                    "attrs": settings["attrs"],
                    "rows": settings["rows"],
                    "include_static_vectors": False,
                },
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": width,
                    "window_size": 1,
                    "maxout_pieces": 3,
                    "depth": settings["depth"],
                },
            },
        }
    }


def _examples(nlp: Language, sentences: Iterable[Sentence]) -> List[Any]:
    from spacy.training import Example

    examples = []
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        ents = []
        for start, end, label in sentence.spans:
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None:
                ents.append(span)
        doc.ents = ents
        examples.append(Example(nlp.make_doc(sentence.text), doc))
    return examples


def _written_examples(nlp: Language, cases: Iterable[written.Case]) -> List[Any]:
    """People and places as entities, the other identifiers missing (neither
    entity nor not), every other word no entity."""
    from spacy.training import Example

    examples = []
    for case in cases:
        spans, unknown = written.sentence(case)
        doc = nlp.make_doc(case.text)
        missing = [
            span
            for start, end in unknown
            if (span := doc.char_span(start, end, alignment_mode="expand"))
        ]
        blocked = {i for span in missing for i in range(span.start, span.end)}
        ents = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            tokens = set(range(span.start, span.end)) if span is not None else set()
            if tokens and not tokens & blocked:
                ents.append(span)
                blocked |= tokens
        doc.set_ents(ents, missing=missing)
        examples.append(Example(nlp.make_doc(case.text), doc))
    return examples


def train(settings: Dict[str, Any] = SETTINGS, log: bool = True) -> Language:
    """The model, trained from scratch on one core with a fixed seed."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(settings["seed"])
    sentences = Generator().generate(settings["sentences"], settings["seed"])
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config=_ner_config(settings))
    examples = _examples(nlp, sentences)
    cases = written.load_all(written_paths(settings))
    examples += _written_examples(nlp, cases) * settings["written_repeats"]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(settings["seed"])
    for epoch in range(settings["epochs"]):
        started = time.perf_counter()
        rng.shuffle(examples)
        losses: Dict[str, float] = {}
        for batch in minibatch(examples, size=settings["batch"]):
            nlp.update(batch, drop=settings["dropout"], sgd=optimizer, losses=losses)
        if log:
            print(
                f"  epoch {epoch + 1}: loss {losses.get('ner', 0.0):.1f} "
                f"({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    return nlp


def is_current(output: Path, settings: Dict[str, Any] = SETTINGS) -> bool:
    meta = output / "meta.json"
    if not meta.exists():
        return False
    built = json.loads(meta.read_text(encoding="utf-8"))
    return built.get("name_model_fingerprint") == fingerprint(settings)


def ensure_name_model(
    output: Path = MODEL_DIR, force: bool = False, settings: Dict[str, Any] = SETTINGS
) -> Path:
    """The model at `output`, trained first if its inputs changed since."""
    if not force and is_current(output, settings):
        print(f"name model up to date: {output}", file=sys.stderr, flush=True)
        return output
    # One core: the machine is shared, and one thread keeps the sums in the
    # same order, so the same inputs give the same weights.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    print(f"training the name model into {output}...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    nlp = train(settings)
    nlp.meta["name"] = "name_model"
    nlp.meta["description"] = "Built from code by bids_partner.transcripts.name_model"
    nlp.meta["name_model_fingerprint"] = fingerprint(settings)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(
        f"name model built in {time.perf_counter() - started:.0f} s: {output}",
        file=sys.stderr,
        flush=True,
    )
    return output


class NameModel:
    """The trained model, loaded once; spans of people and places per text."""

    def __init__(self, path: Path | None = None) -> None:
        import spacy

        self.nlp = spacy.load(path or ensure_name_model())

    def spans(self, texts: List[str]) -> List[List[Tuple[int, int, str]]]:
        """(start, end, kind) of each person or place in each text, the texts
        tagged in batches."""
        return [
            [
                (ent.start_char, ent.end_char, KINDS[ent.label_])
                for ent in doc.ents
                if ent.label_ in KINDS
            ]
            for doc in self.nlp.pipe(texts, batch_size=BATCH_SIZE)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_DIR)
    parser.add_argument("--force", action="store_true", help="retrain even if current")
    args = parser.parse_args()
    ensure_name_model(args.output, args.force)


if __name__ == "__main__":
    main()
