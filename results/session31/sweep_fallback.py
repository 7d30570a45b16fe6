import asyncio, sys
from benchmarks.quiet_agent import load_quiet_agent
from benchmarks.moves_blind import rasa_items, DEV_SET
from bids_partner.contract import MOVES
from bids_partner.settings import ROOT
agent = load_quiet_agent(sys.argv[1] if len(sys.argv) > 1 else None)
async def top(items):
    out = []
    for _, t in items:
        r = await agent.parse_message(t)
        name = r["intent"]["name"]
        if name == "nlu_fallback":
            first = next(x for x in r["intent_ranking"] if x["name"] != "nlu_fallback")
            out.append((first["name"], first["confidence"]))
        else:
            out.append((name, r["intent"]["confidence"]))
    return out
dev = rasa_items(DEV_SET); probe = rasa_items(ROOT / "tests/nlu/out_of_scope_probe.yml")
d = asyncio.run(top(dev)); p = asyncio.run(top(probe))
print("thr | dev right | dev fell back | dev moves right | moves fell back | probe taken as a move")
for thr in [0.2, 0.25, 0.3, 0.35, 0.4]:
    right = sum(g == n and (c >= thr or n == "crisis") for (g, _), (n, c) in zip(dev, d)) / len(dev)
    fb = sum(c < thr and n != "crisis" for n, c in d) / len(dev)
    mv = [(g, n, c) for (g, _), (n, c) in zip(dev, d) if g in MOVES]
    mright = sum(g == n and c >= thr for g, n, c in mv) / len(mv)
    mfb = sum(c < thr for g, n, c in mv) / len(mv)
    taken = sum(n in MOVES and c >= thr for n, c in p) / len(p)
    print(f"{thr:.2f} | {right:.3f} | {fb:.3f} | {mright:.3f} | {mfb:.3f} | {taken:.3f}")
for (g, t), (n, c) in zip(probe, p):
    if n in MOVES and c >= 0.25: print("probe", round(c, 2), n, t)
