"""Which name finder takes each lost keep-word on the dev sets (texts printed: dev only)."""
import sys
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.anonymizer_blind import load_cases
from bids_partner.transcripts.anonymizer import Anonymizer, Placeholders
from bids_partner.transcripts.name_probe import NameProbe

an = Anonymizer()
probe = an.probe
files = sys.argv[1:]
cases = [c for f in files for c in load_cases(Path(f))]

def lost_and_leaks():
    lost, leaks = set(), set()
    from bids_partner.transcripts.anonymizer import survives
    for i, c in enumerate(cases):
        out = an.anonymize(c["text"], Placeholders())
        for w in c.get("keep") or []:
            if w.lower() not in out.lower():
                lost.add((i, w))
        for ident in c.get("identifiers") or []:
            if ident["kind"] in ("person", "place", "org") and survives(ident["text"], ident["kind"], out, c["text"], c.get("keep") or ()):
                leaks.add((i, ident["text"], ident["kind"]))
    return lost, leaks

full = lost_and_leaks()
an.use_probe(None)
noprobe = lost_and_leaks()
an.use("rules")
rules = lost_and_leaks()
print("configs: lost keep-words / names surviving")
for name, (l, k) in [("union+probe", full), ("union", noprobe), ("rules", rules)]:
    print(f"  {name}: {len(l)} / {len(k)}")
by = Counter()
for key in full[0]:
    by["rules" if key in rules[0] else "model" if key in noprobe[0] else "probe"] += 1
print("lost keep-words taken first by:", dict(by))
print("names the probe saves:", len(noprobe[1] - full[1]), "the model saves:", len(rules[1] - noprobe[1]))
for key in sorted(full[0]):
    src = "rules" if key in rules[0] else "model" if key in noprobe[0] else "probe"
    print(f"  {src:6} {key[1]!r}")
