"""Scratch: matched-recall comparison on s23/s24 (out of sample): no moments vs moments + the other writer."""
import sys, time, pickle
from pathlib import Path
import numpy as np
sys.path.insert(0, "/work/main")
from benchmarks.safety_cv import nlu_messages, matcher_found, counted_hits
from bids_partner.language import risk as R
from bids_partner.settings import ROOT
safety = R.load_safety(ROOT / "data/safety")
new = {w: R.load_file(Path(f"/tmp/s26/{w}/{w}.yml")) for w in ("s23", "s24")}
nlu = nlu_messages()
reps = R.replies_to_a_partner(ROOT / "data/replies")
plain = [r for r in reps if r.detail != R.DESCRIBED_MOMENT]
moments = [r for r in reps if r.detail == R.DESCRIBED_MOMENT]
def items(tr, extra): return [*tr, *R.with_recent_turns(tr, 42), *nlu, *plain, *extra]
def fit(its): return R.RiskClassifier(C=4.0, seed=42, with_encoder=True).fit(its)
held = new["s23"] + new["s24"]
texts = [i.text for i in held]
found = matcher_found(held)
out = {}
m0 = fit(items(safety, []))
out["none"] = np.array([s for s, _ in m0.scores(texts)])
sc = np.zeros(len(held))
for w, other in (("s23", "s24"), ("s24", "s23")):
    c = fit(items(safety + new[other], moments))
    idx = [k for k, i in enumerate(held) if i.writer == w]
    for k, (s, _) in zip(idx, c.scores([held[k].text for k in idx])): sc[k] = s
out["moments+other"] = sc
pickle.dump((held, found, out), open("/tmp/s26/exp3.pkl", "wb"))
risk = np.array([i.risk != "none" for i in held])
for name, s in out.items():
    for t in (0.2, 0.25, 0.28, 0.31, 0.35, 0.4):
        asked = counted_hits(found, s, 0.1) | (s >= t)
        print(f"{name:14} check {t}: risk asked {asked[risk].mean():.3f} safe asked {asked[~risk].mean():.3f} full(0.73) safe {np.sum((s>=0.73)[~risk])}", flush=True)
