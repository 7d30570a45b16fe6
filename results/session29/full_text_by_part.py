"""Which part of a long message gives it the full crisis text: the message read
whole, one of the windows the encoder reads, or one sentence read alone.

For each item of the files given, the shipped tier and, for the full text, what it
would be if only (a) the whole message and its windows, or (b) the whole message
alone could give it (any other part still asks the gentle question).

    .venv/bin/python results/session29/full_text_by_part.py MODEL FILE...
"""

import asyncio
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.quiet_agent import load_quiet_agent  # noqa: E402
from benchmarks.safety_recall import from_labelled, thresholds_of  # noqa: E402
from bids_partner.contract import safety_tier  # noqa: E402
from bids_partner.language.risk import RiskClassifier  # noqa: E402
from bids_partner.language.text_features import (  # noqa: E402
    read_whole_by_the_encoder,
    windows_the_encoder_reads,
)

PARTS: dict = {}
DUMP: list = []
original_scores = RiskClassifier.scores


def scores(self, texts, vectors=None):
    scored = original_scores(self, texts, vectors)
    text = texts[0]
    long = not read_whole_by_the_encoder(text)
    PARTS[text] = [s[0] for s in scored]
    PARTS[text, "windows"] = len(windows_the_encoder_reads(text)) if long else 0
    return scored


RiskClassifier.scores = scores


async def tiers(agent, item, th):
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("bench", [])
    out = {"asked": False, "full": False, "full_windows": False, "full_whole": False}
    for turn in item.turns:
        parse = await agent.processor.parse_message(UserMessage(turn), tracker)
        tier = safety_tier(parse.get("entities") or [])
        parts = PARTS.get(turn, [0.0])
        n_windows = PARTS.get((turn, "windows"), 0)
        whole = parts[0]
        windows = max(parts[: 1 + n_windows])
        out["asked"] |= tier is not None
        full = tier == "crisis"
        out["full"] |= full
        out["full_windows"] |= full and windows >= th.crisis
        out["full_whole"] |= full and whole >= th.crisis
        out.setdefault("parts", []).append(
            {
                "tier": tier,
                "whole": whole,
                "windows": parts[1 : 1 + n_windows],
                "sentences": parts[
                    1 + n_windows : len(parts)
                    - (1 if len(item.turns) > 1 and turn != item.turns[0] else 0)
                ],
                "score": (parse.get("risk") or {}).get("score"),
                "matcher": any(
                    e.get("entity") == "crisis_category" and "start" in e
                    for e in parse.get("entities") or []
                ),
            }
        )
        tracker.update(UserUttered(turn, parse.get("intent"), parse.get("entities")))
        tracker.update(ActionExecuted("action_listen"))
    return out


def main() -> None:
    agent = load_quiet_agent(sys.argv[1])
    th = thresholds_of()
    for path in sys.argv[2:]:
        items = from_labelled([str(Path(path).resolve())])
        tally = {True: Counter(), False: Counter()}
        n = Counter()
        for item in items:
            flags = asyncio.run(tiers(agent, item, th))
            n[item.risk] += 1
            DUMP.append(
                {
                    "file": Path(path).name,
                    "risk": item.risk,
                    "group": item.group,
                    "turns": flags.pop("parts"),
                }
            )
            tally[item.risk].update(k for k, v in flags.items() if v)
        for risk in (True, False):
            t = tally[risk]
            print(
                f"{Path(path).name} {'risk' if risk else 'safe'} n={n[risk]}: asked {t['asked']}, "
                f"full {t['full']}, full if whole+windows {t['full_windows']}, "
                f"full if whole only {t['full_whole']}"
            )


if __name__ == "__main__":
    main()
    import json, os  # noqa: E401

    if os.environ.get("DUMP"):
        Path(os.environ["DUMP"]).write_text(json.dumps(DUMP))
