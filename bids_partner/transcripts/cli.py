"""`transcripts`: export anonymized transcripts for therapists, anonymize text,
serve the review page.

    transcripts export --out DIR [--since DATE] [--until DATE] [--format jsonl|md|html]
                       [--db URL]
    transcripts anonymize < text > anonymized-text
    transcripts purge [--days N] [--apply] [--db URL]
    transcripts review --dir DIR [--port 8090]

Exit codes: 0 done; 1 nothing to export (an empty store, no consent in force);
2 an error (an unreachable store, a missing secret, bad arguments). `purge`
exits 0 when done, a dry run or nothing to delete included.
"""

from __future__ import annotations

import argparse
import os
import sys

# spaCy's thinc imports TensorFlow when it is installed (Rasa brings it): quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from datetime import date
from pathlib import Path
from typing import List

from tqdm import tqdm

from bids_partner.private_files import private_dir
from bids_partner.transcripts.conversation import build
from bids_partner.transcripts.export import (
    FORMATS,
    ExportError,
    anonymized,
    check_secret,
    consented,
    pseudonym,
    write_transcript,
)
from bids_partner.transcripts.retention import (
    RETENTION_ENV,
    Fate,
    RetentionError,
    apply_purge,
    parse_days,
    plan_purge,
    retention_days,
)
from bids_partner.transcripts.store import (
    StoreError,
    connect,
    read_conversations,
    store_url,
)

NOTHING, ERROR = 1, 2


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date (YYYY-MM-DD)"
        ) from None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def export(args: argparse.Namespace) -> int:
    secret = check_secret(os.environ.get("TRANSCRIPTS_SECRET"))
    if args.since and args.until and args.since > args.until:
        raise ExportError("--since is after --until")
    engine = connect(store_url(args.db))
    stored = read_conversations(engine)
    if not stored:
        _say("The tracker store has no conversations: nothing to export.")
        return NOTHING
    conversations = [build(sender, rows) for sender, rows in stored.items()]
    chosen = consented(conversations)
    if not chosen:
        _say(
            f"None of the {len(conversations)} conversations has consent in force: "
            "nothing exported."
        )
        return NOTHING
    from bids_partner.transcripts.anonymizer import (
        default_anonymizer,  # slow: load only now
    )

    anonymizer = default_anonymizer()
    private_dir(args.out)
    written = 0
    for conversation in tqdm(
        chosen, desc="Exporting", unit="conversation", file=sys.stderr, disable=None
    ):
        conversation_id = pseudonym(conversation.sender_id, secret)
        # Skipped rows are reported by pseudonym and row id: never their content.
        for row in conversation.skipped:
            _say(
                f"Skipped event row {row.id} of {conversation_id}: unreadable "
                f"({row.error})."
            )
        sessions = anonymized(conversation, anonymizer, args.since, args.until)
        if sessions:
            write_transcript(
                args.out, conversation_id, conversation, sessions, args.format
            )
            written += 1
    _say(
        f"Exported {written} of {len(chosen)} consented conversations "
        f"({len(conversations) - len(chosen)} without consent) to {args.out}."
    )
    return 0 if written else NOTHING


def anonymize(args: argparse.Namespace) -> int:
    """Standard input to standard output, line for line, one set of placeholders."""
    from bids_partner.transcripts.anonymizer import Placeholders, default_anonymizer

    anonymizer = default_anonymizer()
    placeholders = Placeholders()
    for line in sys.stdin:
        ending = "\n" if line.endswith("\n") else ""
        sys.stdout.write(anonymizer.anonymize(line.rstrip("\n"), placeholders) + ending)
        sys.stdout.flush()
    return 0


def _days(value: str) -> int:
    try:
        return parse_days(value, "--days")
    except RetentionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def purge(args: argparse.Namespace) -> int:
    """Deletes the conversations kept past the retention period; a dry run
    unless --apply. It says counts only: never an id or a word of a conversation."""
    try:
        days = args.days or retention_days(os.environ.get(RETENTION_ENV))
    except RetentionError as error:
        _say(str(error))
        return ERROR
    engine = connect(store_url(args.db))
    plan = plan_purge(engine, days)
    if not plan.judged:
        print("The tracker store has no conversations: nothing to delete.")
        return 0
    expired = (
        f"{plan.count(Fate.EXPIRED)} never shared, "
        f"{plan.count(Fate.WITHDRAWN)} whose sharing was stopped"
    )
    kept = (
        f"{plan.count(Fate.CONSENTED)} kept because shared with a therapist, "
        f"{plan.count(Fate.RECENT)} kept because active in the last {days} days"
    )
    if not args.apply:
        print(
            f"Dry run (retention {days} days): would delete {len(plan.expired)} "
            f"conversations ({plan.expired_events} events): {expired}; {kept}. "
            "Nothing was deleted: run with --apply to delete them."
        )
        return 0
    try:
        apply_purge(engine, plan)
    finally:  # also when the store is lost half-way: say what is gone
        went_on = f", {plan.went_on} kept: used since read" if plan.went_on else ""
        print(
            f"Retention {days} days: deleted {plan.deleted} of {len(plan.expired)} "
            f"expired conversations ({plan.deleted_events} events{went_on}): "
            f"{expired}; {kept}."
        )
    return 0


def review(args: argparse.Namespace) -> int:
    from bids_partner.transcripts.review import check_token, serve

    try:
        # At least 32 characters; the message says how to make one.
        token = check_token(os.environ.get("REVIEW_TOKEN"))
    except ValueError as error:
        raise ExportError(str(error)) from None
    if not args.dir.is_dir():
        raise ExportError(f"{args.dir} is not a folder of exported transcripts.")
    _say(f"Review page: http://{args.host}:{args.port}/?token=<REVIEW_TOKEN>")
    serve(args.dir, token, args.host, args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="transcripts", description=__doc__.splitlines()[0]
    )
    commands = top.add_subparsers(dest="command", required=True)
    ex = commands.add_parser("export", help="write anonymized transcripts")
    ex.add_argument("--out", type=Path, required=True, help="folder to write into")
    ex.add_argument("--since", type=_date, help="first day to include (YYYY-MM-DD)")
    ex.add_argument("--until", type=_date, help="last day to include (YYYY-MM-DD)")
    ex.add_argument("--format", choices=FORMATS, default="jsonl")
    ex.add_argument(
        "--db", help="SQLAlchemy URL of the tracker store (default: TRACKER_STORE_URL)"
    )
    ex.set_defaults(run=export)
    an = commands.add_parser("anonymize", help="anonymize standard input")
    an.set_defaults(run=anonymize)
    pg = commands.add_parser(
        "purge", help=f"delete conversations past the retention ({RETENTION_ENV})"
    )
    pg.add_argument(
        "--days",
        type=_days,
        help=f"retention period in days (default: {RETENTION_ENV}, else 30)",
    )
    pg.add_argument(
        "--apply", action="store_true", help="delete (default: a dry run, counts only)"
    )
    pg.add_argument(
        "--db", help="SQLAlchemy URL of the tracker store (default: TRACKER_STORE_URL)"
    )
    pg.set_defaults(run=purge)
    rv = commands.add_parser("review", help="serve the review page (REVIEW_TOKEN)")
    rv.add_argument("--dir", type=Path, required=True, help="exported transcripts")
    rv.add_argument("--host", default="127.0.0.1")
    rv.add_argument("--port", type=int, default=8090)
    rv.set_defaults(run=review)
    return top


def main(argv: List[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        code = args.run(args)
    except (StoreError, ExportError) as error:
        _say(str(error))
        code = ERROR
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
