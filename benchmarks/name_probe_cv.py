"""The name probe across writers: leave one writer out (issue 17).

For each writer of data/anonymizer/*.yml the probe (``transcripts/
name_probe.py``) is fitted on the synthetic sentences and the other writers'
messages, and the anonymizer (the union of the rules and the name model) is
measured on the writer left out, without the probe and with it. Columns as in
``benchmarks/anonymizer_cv.py``: names and places removed, contacts and IDs
surviving, keep-words lost. The writers' messages are training data: what
survived is printed with ``--show``.

Every text is read by the encoder once; a fit takes about a minute (one
core). It never reads tests/blind/.

    .venv/bin/python -m benchmarks.name_probe_cv [--show]
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from typing import List

from benchmarks.anonymizer_blind import measure
from benchmarks.anonymizer_cv import HEADER, row


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print what survived")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from bids_partner.transcripts import written
    from bids_partner.transcripts.anonymizer import Anonymizer
    from bids_partner.transcripts.name_probe import (
        SETTINGS,
        Features,
        NameProbe,
        fit,
        probe_encoder,
        training_data,
    )

    started = time.perf_counter()
    anonymizer = Anonymizer("union", probe=False)
    features = Features(probe_encoder(), anonymizer.lex)
    make_doc = anonymizer.presidio.nlp_engine.nlp["en"].make_doc
    data = training_data(make_doc)
    vectors = features.of([doc for _, doc, _ in data])
    print(
        f"{len(data)} texts read by the encoder "
        f"in {time.perf_counter() - started:.0f} s"
    )
    for held_out in sorted({source for source, _, _ in data} - {"synthetic"}):
        rows = [i for i, (source, _, _) in enumerate(data) if source != held_out]
        weights = fit(
            [vectors[i] for i in rows], [data[i][2] for i in rows], SETTINGS["C"]
        )
        cases = [
            c.as_dict() for c in written.load(written.WRITTEN_DIR / f"{held_out}.yml")
        ]
        print(f"\nheld out {held_out} ({len(cases)} messages)")
        print(HEADER)
        anonymizer.use_probe(None)
        print(row("union, no probe", measure(anonymizer, cases)))
        anonymizer.use_probe(NameProbe(weights, SETTINGS))
        result = measure(anonymizer, cases)
        print(row("union + probe (without this writer)", result))
        if args.show:
            for leak in result.leaks:
                print(f"    survived {leak}")
            for lost in result.lost:
                print(f"    lost {lost}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
