"""Framed showing-up replies ("I'd say, '...'"): the judge on variants of the text (dev)."""
import re, sys, pickle, os
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier, ReplyJudge
from bids_partner.language.replies import judge
from bids_partner.language.reply_data import load_replies
from bids_partner.coaching.rehearsal.play import confident_kind
from bids_partner.contract import KINDS, REPLY_JUDGEMENT_KEY
from bids_partner.settings import ROOT, pipeline_options

ask = float({**ReplyJudge.get_default_config(), **pipeline_options("ReplyJudge")}["ask_when_against"])
cache = "/tmp/s30/judge.pkl"
if os.path.exists(cache):
    clf = pickle.load(open(cache, "rb"))
else:
    clf = shipped_classifier().fit(load_replies(ROOT / "data" / "replies"))
    pickle.dump(clf, open(cache, "wb"))
test = [r for p in sys.argv[1:] for r in load_replies(Path(p)) if r.kind in KINDS]

QUOTE = re.compile(r"(?<![A-Za-z])['‘\"“](.+?)['’\"”](?![A-Za-z])")
FRAME = re.compile(r"^\s*(?:\w+,?\s+)?(?:i'?d|i would|i'?ll|i will|i might)\b[^'‘\"“]*?\b(?:say|said|tell|text|write|ask|reply|answer|go|shout|whisper|message)\w*[^'‘\"“]*?[,:]?\s*$", re.I)

def parts(text):
    m = QUOTE.search(text)
    if not m:
        return None
    before, quote, after = text[:m.start()], m.group(1), text[m.end():]
    return before, quote, after

def kind(text, partner):
    return confident_kind({REPLY_JUDGEMENT_KEY: judge(clf, partner, text, ask)}) or "unjudged"

variants = {
    "whole": lambda r, p: r.text,
    "quotes only": lambda r, p: " ".join(QUOTE.findall(r.text)) if p else r.text,
    "frame cut": lambda r, p: (p[1] + p[2]).strip(" ,.") if p and FRAME.match(p[0]) else r.text,
    "frame cut, quote marks kept": lambda r, p: (p[1] + "." + p[2]).strip(" ,") if p and FRAME.match(p[0]) else r.text,
}
tally = Counter()
for r in test:
    p = parts(r.text)
    framed = bool(p and FRAME.match(p[0]))
    for name, f in variants.items():
        k = kind(f(r, p), r.partner)
        tally[name, "all"] += k == r.kind
        tally[name, "framed"] += (k == r.kind) * framed
        tally[name, r.kind] += k == r.kind
        tally[name, "against->toward"] += (r.kind == "against" and k == "toward")
    tally["n", "framed"] += framed
n = len(test)
print(f"{n} replies, {tally['n','framed']} framed by a frame before a quote")
for name in variants:
    per = " ".join(f"{k} {tally[name,k]}" for k in KINDS)
    print(f"{name:30} all {tally[name,'all']}/{n} = {tally[name,'all']/n:.3f}  framed {tally[name,'framed']}  {per}  against->toward {tally[name,'against->toward']}")
