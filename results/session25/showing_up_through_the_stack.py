"""Scratch: b25 through the running stack's showing-up exercise, as a user meets it:
each described moment and reply in a new conversation; the kind is read from the
coach's answer (success = toward; each feedback text = its move's kind; `other`
and the too-short ask = not scored). A folder of sets as the argument (session 30):
b25 and b26 by default."""
import json, sys, urllib.request, uuid, collections
from pathlib import Path
sys.path.insert(0, "/work/main")
from bids_partner.coaching import load_coaching
from bids_partner.contract import MOVE_KIND
from bids_partner.language.reply_data import load_replies
su = load_coaching().showing_up
fill = "your partner"
def prefix(t): return t.split("{")[0][:60]
signs = {"toward": [prefix(su.success)], "too_short": [prefix(su.too_short)], "unjudged": [prefix(su.feedback.other)]}
for move, kind in MOVE_KIND.items():
    if move == "turning_toward": continue
    signs.setdefault(kind, []).append(prefix(getattr(su.feedback, move)))
def say(sender, msg):
    req = urllib.request.Request("http://127.0.0.1:5005/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": msg}).encode(), headers={"Content-Type": "application/json"})
    return [m.get("text", "") for m in json.load(urllib.request.urlopen(req, timeout=120))]
rows = []
for r in load_replies(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/main/tests/blind/replies/showing_up")):
    who = "su-" + uuid.uuid4().hex[:10]
    say(who, "practise showing up")
    bid_out = " ".join(say(who, r.partner))
    if "are you safe right now" in bid_out:
        rows.append((r.kind, "safety asked at the bid"))
        say(who, "stop")
        continue
    out = " ".join(say(who, r.text))
    if "are you safe right now" in out:
        rows.append((r.kind, "safety asked at the reply"))
        say(who, "stop")
        continue
    found = [k for k, ps in signs.items() if any(p and p in out for p in ps)]
    rows.append((r.kind, found[0] if len(found) == 1 else ("?" + "+".join(found))))
    say(who, "stop")
c = collections.Counter(rows)
kinds = ["toward", "away", "against", "reach"]
judged = [(g, p) for g, p in rows if g in kinds]
print("all", round(sum(g == p for g, p in judged) / len(judged), 3))
for k in kinds:
    n = [p for g, p in judged if g == k]
    print(k, round(sum(p == k for p in n) / len(n), 3), dict(collections.Counter(n)))
print("safety asked", collections.Counter(p for g, p in rows if p.startswith("safety")), "dialogues", len(rows), "moments asked at the bid", len({p for p in []}))
print("too_short", dict(collections.Counter(p for g, p in rows if g == "too_short")))
print("other kinds judged toward", sum(g != "toward" and p == "toward" for g, p in judged), "of", sum(g != "toward" for g, _ in judged))
