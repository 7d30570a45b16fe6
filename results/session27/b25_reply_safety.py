"""For b25 dialogues where the safety question follows the reply: the risk read of
the reply (score, context score, tier) from the tracker."""
import json, sys, urllib.request, uuid, collections
from pathlib import Path
sys.path.insert(0, "/work/main")
from bids_partner.language.reply_data import load_replies
TOK = "s27tok"
def say(sender, msg):
    req = urllib.request.Request("http://127.0.0.1:5005/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": msg}).encode(), headers={"Content-Type": "application/json"})
    return [m.get("text", "") for m in json.load(urllib.request.urlopen(req, timeout=120))]
def tracker(sender):
    return json.load(urllib.request.urlopen(f"http://127.0.0.1:5005/conversations/{sender}/tracker?token={TOK}", timeout=60))
rows = []
for r in load_replies(Path("/work/main/tests/blind/replies/showing_up")):
    who = "su-" + uuid.uuid4().hex[:10]
    say(who, "practise showing up")
    if "are you safe right now" in " ".join(say(who, r.partner)):
        continue
    out = " ".join(say(who, r.text))
    if "are you safe right now" in out:
        user = [e for e in tracker(who)["events"] if e["event"] == "user"][-1]
        pd = user["parse_data"]
        risk = pd.get("risk") or {}
        tier = [e["value"] for e in pd.get("entities", []) if e["entity"] == "safety_tier"]
        rows.append((r.kind, round(risk.get("score", -1), 3), round(risk.get("context_score", -1), 3), risk.get("category"), tier))
for row in rows: print(row)
print(len(rows))
print("reply alone >= 0.31:", sum(r[1] >= 0.31 for r in rows), "context >= 0.7 only:", sum(r[1] < 0.31 and r[2] >= 0.7 for r in rows))
