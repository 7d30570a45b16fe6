"""How long the reflection action takes to read back a long conversation's
reflections: the combined pattern (actions/reflection.py) against one template at
a time, in the same run.

    .venv/bin/python -m benchmarks.reflection_reading [--bot-messages 900]

The conversation is made of every template filled with plain words, shuffled,
and as many ordinary bot messages (rehearsal lines, greetings) as reflections
twice over; both readers must find the same reflections. The action remembers
what each message read as (by a digest of its text), so a turn reads again only
what is new: the figure "read before" is that.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Callable, Dict, List

from actions.reflection import (
    PLACEHOLDER,
    PastReflection,
    endings,
    every_template,
    filled_pattern,
    past_reflections,
    reflection_templates,
)
from bids_partner.coaching import load_reflections
from bids_partner.coaching.schema import ReflectionContent
from bids_partner.contract import ACTORS

ORDINARY = [
    "(partner): I'm tired. Can we talk tomorrow?",
    "Hi! I'm here to help you practise reaching toward the people you love.",
    "Let's practise. Your partner comes home late and says nothing.",
]


def read_one_template_at_a_time(
    content: ReflectionContent, text: str
) -> PastReflection | None:
    """actions/reflection.py's reading before the combined pattern."""
    for move, reflections in content.moves.items():
        for actor in ACTORS:
            for template in getattr(reflections, actor):
                match = filled_pattern(template).match(text)
                if match is None:
                    continue
                rest = text[match.end() :].strip()
                ending = next(
                    (
                        e
                        for e in endings(content, move, actor)
                        if filled_pattern(e).fullmatch(rest)
                    ),
                    "",
                )
                return PastReflection(move, actor, template, ending)
    return None


def one_template_at_a_time(
    content: ReflectionContent, events: List[Dict[str, str]]
) -> List[PastReflection]:
    read = (read_one_template_at_a_time(content, e["text"]) for e in events)
    return [r for r in read if r is not None]


def per_read_ms(read: Callable[[], object], seconds: float = 3.0) -> float:
    start, count = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        read()
        count += 1
    return (time.perf_counter() - start) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bot-messages", type=int, default=900)
    arguments = parser.parse_args()
    content = load_reflections()
    rng = random.Random(7)
    filled = [
        PLACEHOLDER.sub("my wife", template) + " " + rng.choice(content.check_ins)
        for _, _, template in reflection_templates(content)
    ]
    reflections = arguments.bot_messages // 3
    texts = rng.choices(filled, k=reflections) + rng.choices(
        ORDINARY, k=arguments.bot_messages - reflections
    )
    rng.shuffle(texts)
    events = [{"event": "bot", "text": t} for t in texts]
    before = one_template_at_a_time(content, events)
    after = past_reflections(content, events)
    assert before == after, "the two readers disagree"
    loop = per_read_ms(lambda: one_template_at_a_time(content, events))
    cache = every_template(content).read

    def cold() -> object:
        cache.clear()  # as if no message of the conversation was read before
        return past_reflections(content, events)

    combined = per_read_ms(cold)
    warm = per_read_ms(lambda: past_reflections(content, events))
    print(
        f"{len(events)} bot messages, {len(after)} reflections: one template at a"
        f" time {loop:.1f} ms, combined pattern {combined:.1f} ms"
        f" ({combined / loop:.2f}x), read before (every later turn)"
        f" {warm:.1f} ms ({warm / loop:.2f}x)"
    )


if __name__ == "__main__":
    main()
