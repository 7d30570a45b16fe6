"""Scratch: out-of-writer readings for an asking policy built on a second,
different reader. 5 writer groups; per held-out reply: gold, the shipped judge's
kind (never asking), its whole-reply against prob, and the against probs of
alternative readers (tfidf-only pair model; encoder-only)."""
import pickle, sys, time
from pathlib import Path
from bids_partner.coaching.rehearsal.play import confident_kind
from bids_partner.contract import KINDS, REPLY_JUDGEMENT_KEY
from bids_partner.language.replies import ReplyClassifier, judge
from bids_partner.language.reply_data import load_replies
from bids_partner.rasa_plugins.nlu.reply_judge import shipped_classifier

data = [r for r in load_replies(Path("data/replies")) if r.kind in KINDS]
writers = sorted({r.writer for r in data})
groups = [writers[i::5] for i in range(5)]
rows = []
for g in groups:
    t0 = time.time()
    train = [r for r in data if r.writer not in g]
    test = [r for r in data if r.writer in g]
    shipped = shipped_classifier().fit(train)
    alts = {
        "tfidf": ReplyClassifier(with_encoder=False).fit(train),
        "enc": ReplyClassifier(with_tfidf=False, with_encoder=True).fit(train),
        "reply_only": ReplyClassifier(with_partner=False, with_encoder=True).fit(train),
    }
    alt_rank = {n: m.rank_many([r.partner for r in test], [r.text for r in test]) for n, m in alts.items()}
    for i, r in enumerate(test):
        j = judge(shipped, r.partner, r.text, 1.0)
        kind = confident_kind({REPLY_JUDGEMENT_KEY: j}) or "unjudged"
        row = {"gold": r.kind, "kind": kind, "raw": j.get("kind", "too_short"), "writer": r.writer,
               "scene": r.scene, "text": r.text, "partner": r.partner,
               "whole_against": shipped.rank(r.partner, r.text)}
        for n in alts:
            row[n] = dict(alt_rank[n][i])
        rows.append(row)
    pickle.dump(rows, open("/tmp/s25/ens_rows.pkl", "wb"))
    print(g, len(test), f"{time.time()-t0:.0f}s", flush=True)
pickle.dump(rows, open("/tmp/s25/ens_rows.pkl", "wb"))
