import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.reply_showing_up import read
from bids_partner.contract import KINDS
from bids_partner.language.replies import accuracy_by_kind
from bids_partner.language.reply_data import load_replies
from bids_partner.settings import ROOT
data = load_replies(ROOT / "data" / "replies")
test = [r for r in load_replies(Path("/tmp/s30/w2930")) if r.kind in KINDS]
gold = [r.kind for r in test]
for times in map(int, sys.argv[1:]):
    train = data + [r for r in data if r.scene == "showing_up"] * (times - 1)
    f = accuracy_by_kind(gold, read(train, test)[0])
    print(f"showing_up x{times}: " + " ".join(f"{k} {f[k]:.3f}" for k in ("all", *KINDS)), flush=True)
