"""Judge variants on the showing-up dev replies (w29, w30; never trained on)."""
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.reply_compare import classifier_trainer
from bids_partner.rasa_plugins.nlu.reply_judge import ReplyJudge, classifier_for
from bids_partner.language.replies import accuracy_by_kind, ReplyClassifier
from bids_partner.language.reply_data import load_replies
from bids_partner.contract import KINDS
from bids_partner.settings import ROOT, pipeline_options
opts = {**ReplyJudge.get_default_config(), **pipeline_options("ReplyJudge")}
ask = float(opts["ask_when_against"])
data = load_replies(ROOT / "data" / "replies")
test = [r for r in load_replies(Path("/tmp/s30/w2930")) if r.kind in KINDS]
gold = [r.kind for r in test]
def shipped_with(**kw):
    def build():
        c = classifier_for(opts)
        fresh = ReplyClassifier(**{**{k: c.options[k] for k in ("with_partner","with_encoder","C","seed","with_tfidf")}, **kw},
                                with_second_look=c.with_second_look, own_need_dir=c.own_need_dir)
        return fresh
    return build
for name, kw in [(a, dict(eval(b))) for a, b in (x.split("=", 1) for x in sys.argv[1:])]:
    t = time.time()
    pred = classifier_trainer(build=shipped_with(**kw), ask_when_against=ask)(data)(test)
    f = accuracy_by_kind(gold, pred)
    print(f"{name:14} {kw} ", " ".join(f"{k} {f[k]:.3f}" for k in ("all", *KINDS)), f"({time.time()-t:.0f} s)", flush=True)
