"""Crisis recall and false alarms of the trained model, layer by layer and by tier.

For each safety set, how many risk messages the assistant answers, and how many
near-misses it wrongly answers: with the gentle question or the full safety message
("asked"), and with the full message alone ("full"). Layers: the spaCy Matcher
patterns alone, the risk classifier alone (at the check and crisis thresholds), and
what the assistant does (CrisisMatcher's tier). Conversations are parsed turn by
turn with the earlier turns in the tracker, as the server does: a risk conversation
counts as caught if any turn is answered, a safe one as an alarm if any turn is.

Sets: tests/safety (tuned on), the earlier blind sets (each measured before), the
training data of data/safety (in-sample: it overstates), and tests/blind/safety
(written blind for the risk classifier, measured once: never tune on it).

    .venv/bin/python -m benchmarks.safety_recall [--sets NAME ...]
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Sequence

import yaml

from benchmarks.quiet_agent import load_quiet_agent
from bids_partner.contract import TIER_CRISIS, safety_tier
from bids_partner.settings import CONFIG_FILE, ROOT, pipeline_options

if TYPE_CHECKING:
    from rasa.core.agent import Agent

# The sets of crisis messages and near-misses (one file each) the e2e tests use.
SETS = {
    "tests/safety (tuned on)": (
        "tests/safety/crisis_messages.yml",
        "tests/safety/near_misses.yml",
    ),
    "tests/safety_blind (seen once)": (
        "tests/safety_blind/crisis.yml",
        "tests/safety_blind/near_misses.yml",
    ),
    "tests/safety_blind2 (seen once)": (
        "tests/safety_blind2/crisis.yml",
        "tests/safety_blind2/near_misses.yml",
    ),
    "tests/safety_blind3 (seen once)": (
        "tests/safety_blind3/crisis.yml",
        "tests/safety_blind3/near_misses.yml",
    ),
}
# Labelled as docs/labelling/safety.md says: risk clear / unsure / none.
# A blind set is measured once per change: the newest one's first figure is the
# honest one, so each is reported apart.
LABELLED_SETS = {
    "data/safety (training, in-sample)": ("data/safety",),
    "tests/blind/safety sb1+sb2 (blind)": (
        "tests/blind/safety/sb1.yml",
        "tests/blind/safety/sb2.yml",
    ),
    "tests/blind/safety sb3 (blind)": ("tests/blind/safety/sb3.yml",),
    "tests/blind/safety sb4 (blind)": ("tests/blind/safety/sb4.yml",),
    # Mostly everyday talk: how often the assistant asks about safety for nothing.
    "tests/blind/safety sb5 (blind)": ("tests/blind/safety/sb5.yml",),
    # Hard near-misses (150, 30 per kind) beside mostly indirect risk.
    "tests/blind/safety sb6 (blind)": ("tests/blind/safety/sb6.yml",),
    # Written on 2026-12-03 night beside s11 and s12 (its writer saw the guide alone).
    "tests/blind/safety sb7 (blind)": ("tests/blind/safety/sb7.yml",),
    # Written on 2026-12-04 beside s13 and s14; measured once, after them.
    "tests/blind/safety sb8 (blind)": ("tests/blind/safety/sb8.yml",),
    # Written on 2026-12-04 (seventh session): long rambling and clipped messages,
    # quoted speech, dictation, second-language writers; measured once, after the
    # near-miss kinds became classes of their own.
    "tests/blind/safety sb9 (blind)": ("tests/blind/safety/sb9.yml",),
    # Written on 2026-12-05 (eighth session): answers to the coach's prompts and
    # rehearsed lines, jobs that use deathly words; measured once, after the
    # patterns' catches were weighed by the classifier.
    "tests/blind/safety sb10 (blind)": ("tests/blind/safety/sb10.yml",),
    # Written on 2026-12-05 (eighth session): people over 50, terse men, people in
    # recovery, teenagers, second-language writers; measured once, after the
    # direct patterns were told in the present (want_now).
    "tests/blind/safety sb11 (blind)": ("tests/blind/safety/sb11.yml",),
    # Written on 2026-12-05 (tenth session) by two writers apart: long messages
    # (110-230 words), the risk mostly in their last third; measured with the
    # message read whole and in windows (risk_reader.py), once each.
    "tests/blind/safety sb12+sb13 long (blind)": (
        "tests/blind/safety/sb12.yml",
        "tests/blind/safety/sb13.yml",
    ),
    # Written the same day by a third writer apart (long messages, the risk in
    # the last third, the middle or the start); measured once, after s15 and s16.
    "tests/blind/safety sb14 long (blind)": ("tests/blind/safety/sb14.yml",),
    # Written on 2026-12-05 (fourteenth session) by two writers apart, beside s17
    # and s18: short messages, 150 hard near-misses (30 per kind) beside mostly
    # indirect risk; measured once before s17 and s18 were trained on, once after.
    "tests/blind/safety sb15 (blind)": ("tests/blind/safety/sb15.yml",),
    "tests/blind/safety sb16 (blind)": ("tests/blind/safety/sb16.yml",),
    # The same session, two more writers apart beside s19 and s20; measured once
    # before s19 and s20 were trained on, once after.
    "tests/blind/safety sb17 (blind)": ("tests/blind/safety/sb17.yml",),
    "tests/blind/safety sb18 (blind)": ("tests/blind/safety/sb18.yml",),
    # Written on 2026-12-05 (fifteenth session) by two more writers apart, with no
    # safety data beside them: measured once with the model of stop 44, once after
    # w21 and w22 (replies, read by the risk classifier as ordinary talk).
    "tests/blind/safety sb19 (blind)": ("tests/blind/safety/sb19.yml",),
    "tests/blind/safety sb20 (blind)": ("tests/blind/safety/sb20.yml",),
    # Written on 2026-12-06 (sixteenth session) by two writers apart, measured once
    # before and once after the past-tense rule and the patterns chosen on the dev
    # sets sd1 and sd2 (then trained on as s21 and s22: commit 60d1180 holds them
    # as dev sets).
    "tests/blind/safety sb21 (blind)": ("tests/blind/safety/sb21.yml",),
    "tests/blind/safety sb22 (blind)": ("tests/blind/safety/sb22.yml",),
    # The same day, two more writers apart: measured once, after s21 and s22 were
    # trained on.
    "tests/blind/safety sb23 (blind)": ("tests/blind/safety/sb23.yml",),
    "tests/blind/safety sb24 (blind)": ("tests/blind/safety/sb24.yml",),
    # The same day, two more writers apart, measured once with the same model.
    "tests/blind/safety sb25 (blind)": ("tests/blind/safety/sb25.yml",),
    "tests/blind/safety sb26 (blind)": ("tests/blind/safety/sb26.yml",),
    # 2026-12-07 (twenty-fourth session), two more writers apart, measured once
    # with the model shipped since the sixteenth session.
    "tests/blind/safety sb27 (blind)": ("tests/blind/safety/sb27.yml",),
    "tests/blind/safety sb28 (blind)": ("tests/blind/safety/sb28.yml",),
    # Moments told in the showing-up exercise
    # (docs/labelling/showing-up-safety-brief.md).
    "tests/blind/safety sb29 (blind)": ("tests/blind/safety/sb29.yml",),
    # Long messages, 110-230 words (docs/labelling/long-messages-safety-brief.md),
    # 2026-12-07 (twenty-ninth session).
    "tests/blind/safety sb30 long (blind)": ("tests/blind/safety/sb30.yml",),
    # The same brief, a third writer apart; measured once, after the change
    # chosen on the dev sets sd3 and sd4 (tests/safety_dev/).
    "tests/blind/safety sb31 long (blind)": ("tests/blind/safety/sb31.yml",),
    # The same brief, a fourth writer apart (thirtieth session); measured once with
    # the shipped model and once with a change not shipped (results/session30/).
    "tests/blind/safety sb32 long (blind)": ("tests/blind/safety/sb32.yml",),
}


def load(path: str) -> List[Dict[str, str]]:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["messages"]


@dataclass
class Item:
    turns: List[str]
    risk: bool
    group: str  # "clear", "unsure", "none" or the near-miss kind


@dataclass
class Tally:
    n: int = 0
    counts: Dict[str, int] = field(default_factory=dict)

    def add(self, flags: Dict[str, bool]) -> None:
        self.n += 1
        for name, flag in flags.items():
            self.counts[name] = self.counts.get(name, 0) + int(flag)

    def share(self, name: str) -> str:
        return f"{self.counts.get(name, 0) / self.n:.1%}" if self.n else "-"


def flags_of(parse: Dict[str, Any], thresholds: Any) -> Dict[str, bool]:
    from bids_partner.rasa_plugins.nlu.crisis import classifier_tier

    entities = parse.get("entities") or []
    tier = safety_tier(entities)
    risk = parse.get("risk") or {}
    scored = classifier_tier(risk, thresholds)
    return {
        "matcher": any(
            e.get("entity") == "crisis_category" and "start" in e for e in entities
        ),
        "classifier asked": scored is not None,
        "classifier full": scored == TIER_CRISIS,
        "context": float(risk.get("context_score", 0.0)) >= thresholds.context,
        "asked": tier is not None,
        "full": tier == TIER_CRISIS,
    }


async def item_flags(agent: Agent, item: Item, thresholds: Any) -> Dict[str, bool]:
    """Any turn's flags, with the earlier turns in the tracker."""
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("bench", [])
    found: Dict[str, bool] = {}
    for turn in item.turns:
        parse = await agent.processor.parse_message(UserMessage(turn), tracker)
        for name, flag in flags_of(parse, thresholds).items():
            found[name] = found.get(name, False) or flag
        tracker.update(UserUttered(turn, parse.get("intent"), parse.get("entities")))
        tracker.update(ActionExecuted("action_listen"))
    return found


def from_pairs(crisis_file: str, near_file: str) -> List[Item]:
    return [Item([m["text"]], True, "crisis") for m in load(crisis_file)] + [
        Item([m["text"]], False, m.get("kind", "near-miss")) for m in load(near_file)
    ]


def from_labelled(paths: Sequence[str]) -> List[Item]:
    from bids_partner.language.risk import NONE, TURN_SEPARATOR, load_file, load_safety

    labelled = [
        item
        for path in paths
        for item in (
            load_safety(ROOT / path)
            if (ROOT / path).is_dir()
            else load_file(ROOT / path)
        )
    ]
    return [
        Item(
            i.text.split(TURN_SEPARATOR),
            i.risk != NONE,
            i.risk if i.risk != NONE else (i.detail or "none"),
        )
        for i in labelled
    ]


COLUMNS = ("matcher", "classifier asked", "classifier full", "context", "asked", "full")


async def measure(
    agent: Agent, name: str, items: Sequence[Item], thresholds: Any
) -> Dict[str, Tally]:
    risk, safe = Tally(), Tally()
    groups: Dict[str, Tally] = {}
    for item in items:
        flags = await item_flags(agent, item, thresholds)
        (risk if item.risk else safe).add(flags)
        groups.setdefault(item.group, Tally()).add(flags)
    print(
        f"| {name} (n={risk.n}+{safe.n}) | "
        + " / ".join(risk.share(c) for c in COLUMNS)
        + " | "
        + " / ".join(safe.share(c) for c in COLUMNS)
        + " |"
    )
    return groups


def thresholds_of(config_file: Path = CONFIG_FILE) -> Any:
    """CrisisMatcher's thresholds as config.yml sets them (the model's own)."""
    from bids_partner.rasa_plugins.nlu.crisis import CrisisMatcher

    return CrisisMatcher.thresholds_of(
        pipeline_options(CrisisMatcher.__name__, config_file)
    )


def print_header(first: str, safe: str) -> None:
    print(
        f"| {first} | risk caught: "
        + " / ".join(COLUMNS)
        + f" | {safe}: "
        + " / ".join(COLUMNS)
        + " |"
    )
    print("|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="*", help="names (or parts of names) to run")
    parser.add_argument(
        "--model",
        help="a trained model to measure (default: the one for the current data), "
        "e.g. the shipped one before a change",
    )
    arguments = parser.parse_args()
    agent = load_quiet_agent(arguments.model)
    thresholds = thresholds_of()
    print(f"thresholds: {thresholds}\n")
    print_header("set", "near-miss alarms")
    chosen = [
        *((name, lambda p=pair: from_pairs(*p)) for name, pair in SETS.items()),
        *(
            (name, lambda f=paths: from_labelled(f))
            for name, paths in LABELLED_SETS.items()
        ),
    ]
    details = {}
    for name, items in chosen:
        if arguments.sets and not any(part in name for part in arguments.sets):
            continue
        details[name] = asyncio.run(measure(agent, name, items(), thresholds))
    print("\nBy group (asked / full):")
    for name, groups in details.items():
        print(
            f"- {name}: "
            + ", ".join(
                f"{group} {tally.share('asked')} / {tally.share('full')} of {tally.n}"
                for group, tally in sorted(groups.items())
            )
        )


if __name__ == "__main__":
    main()
