"""Long messages: the sentence-alone check swept apart from the message check.

    .venv/bin/python results/session30/sweep_long_check.py MODEL VALUE... -- FILE...
"""
import asyncio
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.quiet_agent import load_quiet_agent, loaded_component  # noqa: E402
from benchmarks.safety_recall import from_labelled, measure, thresholds_of  # noqa: E402
from bids_partner.rasa_plugins.nlu import crisis  # noqa: E402

LONG_CHECK = {"v": None}


def patched(risk, thresholds):
    if "sentence_score" in risk:
        sentence = float(risk["sentence_score"])
        if sentence >= thresholds.long_sentence_crisis:
            return crisis.TIER_CRISIS
        if sentence >= LONG_CHECK["v"]:
            return crisis.TIER_CHECK
        if float(risk.get("whole_score", 0.0)) >= thresholds.context:
            return crisis.TIER_CHECK
        return None
    score = float(risk.get("score", 0.0))
    if score >= thresholds.crisis:
        return crisis.TIER_CRISIS
    if score >= thresholds.check:
        return crisis.TIER_CHECK
    return None


crisis.classifier_tier = patched
cut = sys.argv.index("--")
values, files = [float(v) for v in sys.argv[2:cut]], sys.argv[cut + 1 :]
agent = load_quiet_agent(sys.argv[1])
matcher = loaded_component(agent, crisis.CrisisMatcher)
th = thresholds_of()
matcher.thresholds = th
for value in values:
    LONG_CHECK["v"] = value
    print(f"long sentence check={value}", flush=True)
    for path in files:
        items = from_labelled([str(Path(path).resolve())])
        groups = asyncio.run(measure(agent, Path(path).name, items, th))
        print("   ", ", ".join(f"{g} {t.share('asked')}/{t.share('full')} of {t.n}" for g, t in sorted(groups.items())), flush=True)
