"""The name model across writers: leave one writer out (issue 17).

For each writer of data/anonymizer/*.yml it trains the name model on the
synthetic sentences and the other writers' messages, and measures the
anonymizer on the writer left out: the rules alone, the rules with today's
model (synthetic sentences only) and the rules with the model that also read
the other writers (both as ``ANONYMIZER_NAMES=union``), and each model alone.
Per column: people and places removed (per kind), contacts and IDs surviving,
keep-words lost (judged as ``benchmarks/anonymizer_blind.py`` judges:
``transcripts.anonymizer.survives`` with the source message). The writers'
messages are training data, so survivors and lost words are printed with
``--show``.

With ``--sets`` it also measures the tuned set and the hand-written dev set
with today's model and the one trained on every writer (the shipped one).

It never reads tests/blind/. The models are cached by their fingerprint in
build/spacy/name_model_cv/ (about two to four minutes each to train, one core).

    .venv/bin/python -m benchmarks.anonymizer_cv [--repeats N] [--show] [--sets]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

from benchmarks.anonymizer_blind import TUNED, Result, load_cases, measure
from bids_partner.settings import ROOT

CV_DIR = ROOT / "build" / "spacy" / "name_model_cv"
DEV = ROOT / "tests" / "transcripts" / "anonymizer_dev.yml"
KINDS = ("person", "place")


def model_path(settings: Dict[str, Any]) -> Path:
    """The model for these settings, trained first unless cached."""
    from bids_partner.transcripts.name_model import (
        MODEL_DIR,
        ensure_name_model,
        fingerprint,
        is_current,
    )

    if is_current(MODEL_DIR, settings):
        return MODEL_DIR  # the shipped model (make spacy) is the one asked for
    return ensure_name_model(CV_DIR / fingerprint(settings), settings=settings)


def row(label: str, result: Result) -> str:
    from bids_partner.transcripts.anonymizer import CONTACTS_AND_IDS

    planted, survived = result.planted, result.survived
    names = sum(planted[k] for k in KINDS)
    removed = names - sum(survived[k] for k in KINDS)
    per_kind = " ".join(f"{planted[k] - survived[k]:>3}/{planted[k]:<3}" for k in KINDS)
    contacts = sum(planted[k] for k in CONTACTS_AND_IDS)
    leaked = sum(survived[k] for k in CONTACTS_AND_IDS)
    return (
        f"  {label:<34} {removed / names:>6.1%}  {per_kind}  "
        f"{leaked:>2}/{contacts:<3}  {result.lost_keep:>3}/{result.keep:<3} "
        f"= {result.lost_keep / max(result.keep, 1):.1%}"
    )


HEADER = (
    f"  {'':<34} {'names':>6}  {'person':<7} {'place':<7}  {'IDs':<6}  keep-words lost"
)


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="times each written message is seen per epoch (default: SETTINGS)",
    )
    parser.add_argument("--show", action="store_true", help="print what survived")
    parser.add_argument(
        "--sets", action="store_true", help="also the tuned and dev sets"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from bids_partner.transcripts import written
    from bids_partner.transcripts.anonymizer import Anonymizer
    from bids_partner.transcripts.name_model import SETTINGS, NameModel

    settings = dict(SETTINGS)
    if args.repeats is not None:
        settings["written_repeats"] = args.repeats
    writers = [path.stem for path in written.files()]
    if len(writers) < 2:
        sys.exit(f"leave-one-writer-out needs two writers in {written.WRITTEN_DIR}")
    started = time.perf_counter()
    # Today's model: the synthetic sentences alone (how often a written
    # message would be seen does not matter without any).
    synthetic = NameModel(model_path(dict(SETTINGS, written=[])))
    anonymizer = Anonymizer("rules")
    print(
        f"repeats of each written message per epoch: {settings['written_repeats']}; "
        f"{settings['sentences']} synthetic sentences"
    )

    def run(cases: List[Dict[str, Any]], finders: str, model: Any) -> Result:
        anonymizer.use(finders, model)
        return measure(anonymizer, cases)

    for held_out in writers:
        others = [w for w in writers if w != held_out]
        cases = [
            c.as_dict() for c in written.load(written.WRITTEN_DIR / f"{held_out}.yml")
        ]
        trained = NameModel(model_path(dict(settings, written=others)))
        label = "+".join(others)
        print(f"\nheld out {held_out} ({len(cases)} messages)")
        print(HEADER)
        columns = {
            "rules": run(cases, "rules", None),
            "model (synthetic)": run(cases, "model", synthetic),
            f"model (synthetic+{label})": run(cases, "model", trained),
            "union (synthetic)": run(cases, "union", synthetic),
            f"union (synthetic+{label})": run(cases, "union", trained),
        }
        for name, result in columns.items():
            print(row(name, result))
        if args.show:
            result = columns[f"union (synthetic+{label})"]
            for leak in result.leaks:
                print(f"    survived {leak}")
            for lost in result.lost:
                print(f"    lost {lost}")
    if args.sets:
        everything = NameModel(model_path(dict(settings, written=None)))
        for path in (TUNED, DEV):
            cases = load_cases(path)
            print(f"\n{path.relative_to(ROOT)} ({len(cases)} messages)")
            print(HEADER)
            print(row("rules", run(cases, "rules", None)))
            print(row("union (synthetic)", run(cases, "union", synthetic)))
            print(row("union (synthetic+all writers)", run(cases, "union", everything)))
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
