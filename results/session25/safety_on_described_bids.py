"""Scratch: how often the gentle safety question would follow a described bid of the
training writers w27/w28 (dev data), with the model from before they were trained on
(out of sample) and the shipped one (in sample)."""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, "/work/main")
from benchmarks.quiet_agent import load_quiet_agent
from bids_partner.contract import safety_tier
from bids_partner.language.reply_data import load_replies
bids = sorted({r.partner for r in load_replies(Path("data/replies")) if r.writer in ("w27", "w28")})
for model in sys.argv[1:]:
    agent = load_quiet_agent(model)
    async def go():
        out = []
        for b in bids:
            p = await agent.parse_message(b)
            out.append((safety_tier(p.get("entities") or []), b))
        return out
    res = asyncio.run(go())
    asked = [b for t, b in res if t]
    print(model, f"{len(asked)} of {len(bids)} described bids get a safety answer", flush=True)
    for t, b in res:
        if t: print("  ", t, "|", b[:150])
