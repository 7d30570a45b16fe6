"""Builds the project's English spaCy pipeline from code.

No pretrained English pipeline can be downloaded here, so every machine builds the
same one: spaCy's rule-based tokenizer, lookup lemmas from spacy-lookups-data, and an
EntityRuler for partner roles and emotion words read from ``lexicon/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Dict, List

import spacy
import yaml
from spacy.language import Language

from bids_partner.settings import SPACY_PIPELINE

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
ENTITY_LABELS = ("partner_role", "emotion")


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or names an unknown label."""


def load_lexicon(lexicon_dir: Path = LEXICON_DIR) -> Dict[str, List[str]]:
    """Returns label -> phrases from every YAML file in ``lexicon_dir``."""
    lexicon: Dict[str, List[str]] = {}
    for path in sorted(lexicon_dir.glob("*.yml")):
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise LexiconError(f"{path}: not valid YAML ({error})") from error
        if not isinstance(content, dict):
            raise LexiconError(f"{path}: expected a mapping of label to phrases")
        for label, phrases in content.items():
            if label not in ENTITY_LABELS:
                raise LexiconError(f"{path}: unknown label {label!r}")
            if not isinstance(phrases, list) or not all(
                isinstance(p, str) and p.strip() for p in phrases
            ):
                raise LexiconError(f"{path}: {label} must be a list of phrases")
            lexicon.setdefault(label, []).extend(p.strip().lower() for p in phrases)
    missing = [label for label in ENTITY_LABELS if label not in lexicon]
    if missing:
        raise LexiconError(f"{lexicon_dir}: no phrases for {', '.join(missing)}")
    return lexicon


def lexicon_fingerprint(lexicon: Dict[str, List[str]]) -> str:
    return hashlib.sha256(json.dumps(lexicon, sort_keys=True).encode()).hexdigest()[:12]


def build_pipeline(lexicon: Dict[str, List[str]] | None = None) -> Language:
    """A blank English pipeline with lookup lemmas and the lexicon's entities."""
    lexicon = lexicon or load_lexicon()
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # Loads the lemma tables; the ruler is added after so its patterns are kept.
    nlp.initialize()
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(
        [
            {"label": label, "pattern": phrase}
            for label, phrases in lexicon.items()
            for phrase in phrases
        ]
    )
    nlp.meta["name"] = "relational"
    nlp.meta["description"] = "Built from code by bids_partner.language.spacy_pipeline"
    nlp.meta["lexicon_fingerprint"] = lexicon_fingerprint(lexicon)
    return nlp


def is_current(output: Path, lexicon: Dict[str, List[str]]) -> bool:
    meta = output / "meta.json"
    if not meta.exists():
        return False
    built = json.loads(meta.read_text(encoding="utf-8"))
    return built.get("lexicon_fingerprint") == lexicon_fingerprint(lexicon)


def ensure_pipeline(output: Path = SPACY_PIPELINE, force: bool = False) -> Path:
    """The pipeline at `output`, rebuilt first if the lexicon changed since."""
    lexicon = load_lexicon()
    if not force and is_current(output, lexicon):
        # Progress goes to stderr: `transcripts anonymize` writes text to stdout.
        print(f"spaCy pipeline up to date: {output}", file=sys.stderr, flush=True)
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline(lexicon).to_disk(output)
    print(f"spaCy pipeline built: {output}", file=sys.stderr, flush=True)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SPACY_PIPELINE)
    parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args()
    ensure_pipeline(args.output, args.force)


if __name__ == "__main__":
    main()
