"""Scratch: s23/s24 (described moments, safe and risk) and the showing-up moments as
safe talk. C) out-of-sample on s23, s24; B) held-out s21+s22 recall."""
import sys, time
from pathlib import Path
import numpy as np
sys.path.insert(0, "/work/main")
from benchmarks.safety_cv import nlu_messages, matcher_found, counted_hits
from bids_partner.language import risk as R
from bids_partner.settings import ROOT
CHECK, FULL, FLOOR = 0.31, 0.73, 0.1
safety = R.load_safety(ROOT / "data/safety")
new = {w: R.load_file(Path(f"/tmp/s26/{w}/{w}.yml")) for w in ("s23", "s24")}
nlu = nlu_messages()
reps = R.replies_to_a_partner(ROOT / "data/replies")
plain = [r for r in reps if r.detail != R.DESCRIBED_MOMENT]
moments = [r for r in reps if r.detail == R.DESCRIBED_MOMENT]
print("moments", len(moments), flush=True)
def items(train_safety, extra):
    return [*train_safety, *R.with_recent_turns(train_safety, 42), *nlu, *plain, *extra]
def fit(its):
    t = time.time(); c = R.RiskClassifier(C=4.0, seed=42, with_encoder=True).fit(its)
    print(f"  fit {len(its)} items in {time.time()-t:.0f}s", flush=True); return c
def report(tag, c, held):
    texts = [i.text for i in held]
    sc = np.array([s for s, _ in c.scores(texts)])
    hits = counted_hits(matcher_found(held), sc, FLOOR)
    asked, full = hits | (sc >= CHECK), sc >= FULL
    risk = np.array([i.risk != "none" for i in held])
    print(f"{tag}: risk asked {asked[risk].sum()}/{risk.sum()} ({asked[risk].mean():.3f}) full {full[risk].mean():.3f} | "
          f"safe asked {asked[~risk].sum()}/{(~risk).sum()} ({asked[~risk].mean():.3f}) full {full[~risk].sum()}", flush=True)
    return asked
# C
m0 = fit(items(safety, []))
for w in new: report(f"C no moments         -> {w}", m0, new[w])
m1 = fit(items(safety, moments))
res = {}
for w in new: res[w] = report(f"C moments            -> {w}", m1, new[w])
for w, other in (("s23", "s24"), ("s24", "s23")):
    tr = safety + new[other]
    c = fit(items(tr, moments))
    a = report(f"C moments + {other}      -> {w}", c, new[w])
    for i, x, y in zip(new[w], res[w], a):
        if x != y: print(f"     {int(x)}->{int(y)} [{i.risk}/{i.category}/{i.detail}] {i.text[:120]}")
# B
held = [i for i in safety if i.writer in ("s21", "s22")]
rest = [i for i in safety if i.writer not in ("s21", "s22")]
for tag, tr, extra in (("none", rest, []), ("moments", rest, moments), ("moments+s23+s24", rest + new["s23"] + new["s24"], moments)):
    report(f"B {tag:16} -> s21+s22", fit(items(tr, extra)), held)
