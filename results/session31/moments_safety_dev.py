"""The safety layer on the told moments of data/nlu/moments/ (ordinary relationship
talk the risk classifier never trained on: a dev set for its false alarms)."""
import asyncio
from collections import Counter
from pathlib import Path
from benchmarks.quiet_agent import load_quiet_agent
from benchmarks.moves_blind import rasa_items
from benchmarks.safety_recall import thresholds_of, flags_of
agent = load_quiet_agent()
th = thresholds_of()
items = [it for p in sorted(Path("data/nlu/moments").glob("*.yml")) for it in rasa_items(p)]
async def go():
    c = Counter(); per = Counter(); n = Counter(); shown = []
    for intent, text in items:
        r = await agent.parse_message(text)
        f = flags_of(r, th)
        n[intent] += 1
        if r["intent"]["name"] == "crisis":
            c["crisis"] += 1; per[intent] += 1
            shown.append((round(r.get("risk", {}).get("score", 0), 2), intent, {k: v for k, v in f.items() if v}, text))
        for k, v in f.items():
            if v: c[k] += 1
    print(len(items), "moments;", dict(c))
    print("per intent (safety reply / n):", {k: f"{per[k]}/{n[k]}" for k in n})
    for s in sorted(shown, key=lambda x: -x[0]): print(s[0], s[1], s[3][:150])
asyncio.run(go())
