"""Safe long dev messages asked because of a pattern: the words matched."""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from benchmarks.quiet_agent import load_quiet_agent
from benchmarks.safety_recall import from_labelled

agent = load_quiet_agent(sys.argv[1])
for path in sys.argv[2:]:
    for item in from_labelled([str(Path(path).resolve())]):
        if item.risk:
            continue
        text = item.turns[-1]
        parse = asyncio.run(agent.processor.parse_message(UserMessage(text), DialogueStateTracker("x", [])))
        for e in parse.get("entities") or []:
            if e.get("entity") == "crisis_category" and "start" in e:
                s, t = e["start"], e["end"]
                risk = parse.get("risk") or {}
                print(f"{Path(path).name} {item.group:15} sent={risk.get('sentence_score',0):.2f} | {text[max(0,s-60):s]}[[{text[s:t]}]]{text[t:t+40]}".replace("\n", " "))
