"""Dev: the described moments of w29/w30 (never trained on) through the shipped model's
safety layer, one by one, as the first message after 'practise showing up' is not
simulated: the moment alone in a new tracker."""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.quiet_agent import load_quiet_agent
from benchmarks.safety_recall import Item, item_flags, thresholds_of
from bids_partner.language.reply_data import load_replies
agent = load_quiet_agent(sys.argv[1])
th = thresholds_of()
moments = sorted({r.partner for r in load_replies(Path("/tmp/s30/w2930"))})
asked = 0
for m in moments:
    f = asyncio.run(item_flags(agent, Item([m], False, "moment"), th))
    if f["asked"]:
        asked += 1
        src = "+".join(k for k in ("matcher", "classifier asked", "context") if f[k])
        print(f"{'FULL' if f['full'] else 'ask ':4} {src:28} | {m[:170]}")
print(f"asked {asked} of {len(moments)} moments")
