import re, sys, pickle
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bids_partner.rasa_plugins.nlu.reply_judge import ReplyJudge
from bids_partner.language.replies import judge, accuracy_by_kind
from bids_partner.language.reply_data import load_replies
from bids_partner.coaching.rehearsal.play import confident_kind
from bids_partner.contract import KINDS, REPLY_JUDGEMENT_KEY
from bids_partner.settings import pipeline_options
ask = float({**ReplyJudge.get_default_config(), **pipeline_options("ReplyJudge")}["ask_when_against"])
clf = pickle.load(open("/tmp/s30/judge.pkl", "rb"))
test = [r for p in sys.argv[1:] for r in load_replies(Path(p)) if r.kind in KINDS]
gold = [r.kind for r in test]
QUOTE = re.compile(r"(?<![A-Za-z])['‘\"“](.+?)['’\"”](?![A-Za-z])")
def said(r):
    q = QUOTE.findall(r.partner)
    return " ".join(q) if q else r.partner
def said_plus(r):
    q = QUOTE.findall(r.partner)
    return (" ".join(q) + " " + r.partner) if q else r.partner
print(sum(bool(QUOTE.findall(r.partner)) for r in test), "of", len(test), "moments quote the person")
for name, partner in (("their words if quoted", said), ("their words first", said_plus), ("with the moment", lambda r: r.partner), ("no partner line", lambda r: ""), ("a generic bid", lambda r: "Can I tell you something?")):
    pred = [confident_kind({REPLY_JUDGEMENT_KEY: judge(clf, partner(r), r.text, ask)}) or "unjudged" for r in test]
    f = accuracy_by_kind(gold, pred)
    print(f"{name:18}", " ".join(f"{k} {f[k]:.3f}" for k in ("all", *KINDS)), flush=True)
