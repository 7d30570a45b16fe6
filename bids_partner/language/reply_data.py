"""The labelled rehearsal replies (data/replies/, written to
docs/labelling/replies.md): a partner's line, the user's reply and its kind.
Loaded and checked here, apart from the judge that learns from them, because the
safety classifier reads them too (as ordinary talk) and must not retrain when
only the judge's code changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List

import yaml

from bids_partner.contract import KINDS

TOO_SHORT = "too_short"


class ReplyDataError(ValueError):
    """A replies file is missing, malformed or has an unknown kind."""


@dataclass(frozen=True)
class LabelledReply:
    partner: str
    text: str
    kind: str
    scene: str = ""
    writer: str = ""


def load_replies(folder: Path) -> List[LabelledReply]:
    """Every labelled reply in the YAML files of `folder`, checked."""
    replies: List[LabelledReply] = []
    files = sorted(folder.glob("*.yml"))
    if not files:
        raise ReplyDataError(f"{folder}: no replies files")
    for path in files:
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ReplyDataError(f"{path}: not valid YAML ({error})") from error
        if not isinstance(content, dict) or not isinstance(
            content.get("replies"), list
        ):
            raise ReplyDataError(f"{path}: expected `writer` and a list `replies`")
        writer = str(content.get("writer", path.stem))
        for number, item in enumerate(content["replies"], start=1):
            if not isinstance(item, dict):
                raise ReplyDataError(f"{path}: reply {number} is not a mapping")
            kind, text, partner = (
                item.get("kind"),
                item.get("text"),
                item.get("partner"),
            )
            if kind not in (*KINDS, TOO_SHORT):
                raise ReplyDataError(f"{path}: reply {number} has kind {kind!r}")
            if not isinstance(text, str) or not isinstance(partner, str):
                raise ReplyDataError(f"{path}: reply {number} needs text and partner")
            replies.append(
                LabelledReply(partner, text, kind, str(item.get("scene", "")), writer)
            )
    return replies
