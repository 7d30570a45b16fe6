"""Generic engagement features for the judge (cosine of reply and partner line,
content words shared), measured on showing-up dev (w29/w30) and unseen scenes.

    python engage_probe.py VARIANT [SCENE ...]     VARIANT: shipped | engage
"""
import re, sys, time
from pathlib import Path
import numpy as np
import scipy.sparse as sp
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from spacy.lang.en.stop_words import STOP_WORDS
from bids_partner.language import replies as R
from bids_partner.language.text_features import embed
from benchmarks.reply_showing_up import read
from bids_partner.language.reply_data import load_replies
from bids_partner.contract import KINDS
from bids_partner.settings import ROOT

WORD = re.compile(r"[a-z']+")
def content(t):
    return {w[:5] for w in WORD.findall(t.lower()) if w not in STOP_WORDS and len(w) > 2}

variant = sys.argv[1]
if variant != "shipped":
    scale = float(variant.split(":")[1]) if ":" in variant else 1.0
    original = R.ReplyFeatures._blocks
    def _blocks(self, partners, texts, fit):
        m = original(self, partners, texts, fit)
        if not self.with_encoder:
            return m
        a, b = embed(texts, remember=fit), embed(partners)
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1) + 1e-9)
        shared = np.array([min(len(content(t) & content(p)), 3) / 3 for t, p in zip(texts, partners)])
        extra = scale * np.vstack([cos, shared]).T
        return sp.hstack([m, sp.csr_matrix(extra)]).tocsr()
    R.ReplyFeatures._blocks = _blocks

data = load_replies(ROOT / "data" / "replies")
def show(name, gold, pred):
    f = R.accuracy_by_kind(gold, pred)
    print(f"{variant:10} {name:22}", " ".join(f"{k} {f[k]:.3f}" for k in ("all", *KINDS)), flush=True)
test = [r for r in load_replies(Path("/tmp/s30/w2930")) if r.kind in KINDS]
t = time.time()
pred, _ = read(data, test)
show("w29+w30 (dev)", [r.kind for r in test], pred)
blind = [r for r in load_replies(ROOT / "tests/blind/replies") if r.kind in KINDS]
for scene in sys.argv[2:]:
    tt = [r for r in blind if r.scene == scene]
    pred, _ = read([r for r in data if r.scene != scene], tt)
    show(f"unseen {scene}", [r.kind for r in tt], pred)
