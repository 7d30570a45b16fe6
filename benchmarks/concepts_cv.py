"""Choosing how a question about the coach's ideas reaches its concept, by
cross-writer validation.

Each writer of data/concepts/ is held out in turn: every classifier candidate is
trained on the other writers' questions and routes the held-out writer's. A
question reaches the concept it asks about, gets the menu of concepts, or gets a
wrong concept; a wrong concept is worse than the menu (the person reads an
explanation of something they did not ask about), so each candidate's threshold,
below which it is unsure, is chosen to maximise reached - 2 x wrong (a wrong
concept costs three menus), on the pooled out-of-fold predictions (the middle of
the best thresholds). The figure beside it is honest about that choice: each
writer's questions routed at the threshold chosen on the other two writers'.

Candidates:
- keywords: the routing before this benchmark (actions/psychoeducation.py's
  find_concept, the longest keyword of content/psychoeducation.yml), else menu;
- tfidf, MiniLM, tfidf + MiniLM: logistic regression (bids_partner.language.
  concepts.ConceptClassifier) over TF-IDF of words and characters, the
  all-MiniLM-L6-v2 sentence embedding, or both; unsure: the menu;
- `+ content`: also trained on each concept's own words in
  content/psychoeducation.yml (its keywords as one example, its text as another);
- keywords, then tfidf + MiniLM: a keyword decides when one matches;
- tfidf + MiniLM, then keywords: the classifier decides when sure, keywords when
  not (what action_explain_concept does with the ConceptReader in config.yml).
Also: C for the shipped candidate, questions about ideas the coach does not
explain (they should get the menu), and the time to train and to route.
Never reads the blind sets (tests/blind/), which `make bench-concepts` scores.

    .venv/bin/python -m benchmarks.concepts_cv      (make bench-concepts-cv)
"""

from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from actions.psychoeducation import find_concept
from bids_partner.coaching import load_psychoeducation
from bids_partner.coaching.schema import Concept
from bids_partner.language.concepts import (
    ConceptClassifier,
    LabelledQuestion,
    content_examples,
    load_questions,
)
from bids_partner.language.text_features import embed
from bids_partner.settings import ROOT

QUESTIONS_DIR = ROOT / "data" / "concepts"
MENU = "menu"
# A wrong concept costs this many menus.
WRONG_COST = 3.0
THRESHOLDS = np.round(np.arange(0.0, 1.0, 0.01), 2)
# Questions about ideas the coach does not explain, from the older ask_concept
# examples of data/nlu/conversation.yml: each should get the menu.
OFF_LIST = (
    "what are the four horsemen",
    "what's a repair attempt",
    "explain attachment styles",
    "what is the emotional bank account",
    "whats a primary emotion",
    "what's the difference between criticism and a complaint",
    "what's the antidote to criticism",
)

# For each question: the likeliest concept and its probability.
Ranked = List[Tuple[str, float]]


@dataclass(frozen=True)
class Setting:
    name: str
    with_tfidf: bool = True
    with_encoder: bool = True
    with_content: bool = False
    C: float = 100.0


def out_of_fold(
    questions: Sequence[LabelledQuestion],
    concepts: Sequence[Concept],
    setting: Setting,
) -> Ranked:
    """Each question's top concept and probability from a classifier trained on
    the other writers (and, with_content, the concepts' own words)."""
    found: Ranked = [("", 0.0)] * len(questions)
    extra = content_examples(concepts) if setting.with_content else []
    for writer in sorted({q.writer for q in questions}):
        held = [k for k, q in enumerate(questions) if q.writer == writer]
        train = [q for q in questions if q.writer != writer] + extra
        classifier = ConceptClassifier(
            C=setting.C,
            with_tfidf=setting.with_tfidf,
            with_encoder=setting.with_encoder,
        ).fit(train)
        for k, ranking in zip(
            held, classifier.rank_many([questions[k].text for k in held])
        ):
            found[k] = ranking[0]
    return found


Route = Callable[[str, Tuple[str, float], float], str]


def classifier_only(text: str, top: Tuple[str, float], threshold: float) -> str:
    return top[0] if top[1] >= threshold else MENU


def make_routes(concepts: Sequence[Concept]) -> Dict[str, Route]:
    known: Dict[str, str | None] = {}

    def keyword(text: str) -> str | None:
        if text not in known:
            found = find_concept(text, list(concepts))
            known[text] = found.id if found else None
        return known[text]

    def keywords_first(text: str, top: Tuple[str, float], threshold: float) -> str:
        return keyword(text) or classifier_only(text, top, threshold)

    def classifier_first(text: str, top: Tuple[str, float], threshold: float) -> str:
        return top[0] if top[1] >= threshold else (keyword(text) or MENU)

    return {
        "classifier": classifier_only,
        "keywords first": keywords_first,
        "classifier first": classifier_first,
    }


def outcome(
    questions: Sequence[LabelledQuestion], routed: Sequence[str]
) -> Tuple[float, float, float]:
    """Shares reaching the concept asked, shown the menu, given a wrong concept."""
    n = len(questions)
    reached = sum(r == q.topic for q, r in zip(questions, routed))
    menu = sum(r == MENU for r in routed)
    return reached / n, menu / n, (n - reached - menu) / n


def utility(figures: Tuple[float, float, float]) -> float:
    reached, _, wrong = figures
    return reached - (WRONG_COST - 1.0) * wrong


def route_all(
    questions: Sequence[LabelledQuestion],
    tops: Ranked,
    route: Route,
    threshold: float,
) -> List[str]:
    return [route(q.text, top, threshold) for q, top in zip(questions, tops)]


def best_threshold(
    questions: Sequence[LabelledQuestion], tops: Ranked, route: Route
) -> float:
    """The middle of the thresholds with the best utility."""
    scored = [
        utility(outcome(questions, route_all(questions, tops, route, t)))
        for t in THRESHOLDS
    ]
    best = max(scored)
    tied = [t for t, s in zip(THRESHOLDS, scored) if s >= best - 1e-9]
    return float(tied[len(tied) // 2])


def held_out_threshold(
    questions: Sequence[LabelledQuestion], tops: Ranked, route: Route
) -> List[str]:
    """Each writer's questions routed at the threshold chosen on the others'."""
    routed = [""] * len(questions)
    for writer in sorted({q.writer for q in questions}):
        others = [k for k, q in enumerate(questions) if q.writer != writer]
        threshold = best_threshold(
            [questions[k] for k in others], [tops[k] for k in others], route
        )
        for k, q in enumerate(questions):
            if q.writer == writer:
                routed[k] = route(q.text, tops[k], threshold)
    return routed


def per_writer(questions: Sequence[LabelledQuestion], routed: Sequence[str]) -> str:
    shares = []
    for writer in sorted({q.writer for q in questions}):
        ks = [k for k, q in enumerate(questions) if q.writer == writer]
        reached = outcome([questions[k] for k in ks], [routed[k] for k in ks])[0]
        shares.append(f"{writer} {reached:.0%}")
    return ", ".join(shares)


Figures = Tuple[float, float, float]


def row(
    name: str, threshold: str, figures: Figures, held: Figures, writers: str
) -> str:
    reached, menu, wrong = figures
    return (
        f"| {name} | {threshold} | {reached:.1%} | {menu:.1%} | {wrong:.1%} | "
        f"{held[0]:.1%} / {held[1]:.1%} / {held[2]:.1%} | {writers} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shipped-only", action="store_true", help="only the shipped candidate"
    )
    arguments = parser.parse_args()
    # Newton-CG's line search warns on the embeddings alone (MiniLM rows) and
    # still converges: the same figures as lbfgs.
    warnings.filterwarnings("ignore", message="Line Search failed")
    warnings.filterwarnings("ignore", message="The line search algorithm did not")
    questions = load_questions(QUESTIONS_DIR)
    concepts = load_psychoeducation().concepts
    writers = sorted({q.writer for q in questions})
    print(
        f"{len(questions)} questions by {len(writers)} writers ({', '.join(writers)})"
        f" about {len({q.topic for q in questions})} concepts; a wrong concept costs"
        f" {WRONG_COST:g} menus\n"
    )
    # Every text encoded once: the folds then read the embeddings from the cache.
    embed(
        [q.text for q in questions]
        + [q.text for q in content_examples(concepts)]
        + list(OFF_LIST)
    )
    routes = make_routes(concepts)
    print(
        "| candidate | threshold | reached the concept | menu | wrong concept"
        " | threshold chosen on the other writers: reached / menu / wrong"
        " | reached per writer |"
    )
    print("|---|---|---|---|---|---|---|")
    keyword_routed = [
        (c.id if (c := find_concept(q.text, concepts)) else MENU) for q in questions
    ]
    if not arguments.shipped_only:
        figures = outcome(questions, keyword_routed)
        writers_reached = per_writer(questions, keyword_routed)
        print(row("keywords", "-", figures, figures, writers_reached))
    shipped = Setting("tfidf + MiniLM + content", with_content=True)
    settings = [
        Setting("tfidf", with_encoder=False),
        Setting("tfidf + content", with_encoder=False, with_content=True),
        Setting("MiniLM", with_tfidf=False),
        Setting("MiniLM + content", with_tfidf=False, with_content=True),
        Setting("tfidf + MiniLM"),
        shipped,
    ]
    if arguments.shipped_only:
        settings = [shipped]
    tops_by: Dict[str, Ranked] = {}
    for setting in settings:
        tops = tops_by[setting.name] = out_of_fold(questions, concepts, setting)
        kinds = ["classifier"]
        if setting.with_tfidf and setting.with_encoder:
            kinds = list(routes)
        for kind in kinds:
            route = routes[kind]
            threshold = best_threshold(questions, tops, route)
            routed = route_all(questions, tops, route, threshold)
            name = {
                "classifier": setting.name,
                "keywords first": f"keywords, then {setting.name}",
                "classifier first": f"{setting.name}, then keywords",
            }[kind]
            print(
                row(
                    name,
                    f"{threshold:.2f}",
                    outcome(questions, routed),
                    outcome(questions, held_out_threshold(questions, tops, route)),
                    per_writer(questions, routed),
                )
            )
        top1 = np.mean([t[0] == q.topic for q, t in zip(questions, tops)])
        print(f"|   ({setting.name}: top concept right {top1:.1%}) | | | | | | |")

    route = routes["classifier first"]
    print(f"\n{shipped.name}, then keywords, by C:")
    for C in (10.0, 30.0, 100.0, 300.0):
        setting = Setting(shipped.name, with_content=shipped.with_content, C=C)
        tops = out_of_fold(questions, concepts, setting)
        threshold = best_threshold(questions, tops, route)
        reached, menu, wrong = outcome(
            questions, route_all(questions, tops, route, threshold)
        )
        held = outcome(questions, held_out_threshold(questions, tops, route))
        print(
            f"  C={C:g}: threshold {threshold:.2f}: reached {reached:.1%}, menu "
            f"{menu:.1%}, wrong {wrong:.1%}; threshold from the other writers: "
            f"{held[0]:.1%} / {held[1]:.1%} / {held[2]:.1%}"
        )

    tops = tops_by[shipped.name]
    threshold = best_threshold(questions, tops, route)
    routed = route_all(questions, tops, route, threshold)
    print(f"\n{shipped.name}, then keywords, at {threshold:.2f}: the questions missed")
    for q, r, top in zip(questions, routed, tops):
        if r != q.topic:
            print(f"  [{q.writer}] {q.topic} -> {r} ({top[0]} {top[1]:.2f}): {q.text}")

    started = time.perf_counter()
    classifier = ConceptClassifier(C=shipped.C).fit(
        [*questions, *content_examples(concepts)]
    )
    trained = time.perf_counter() - started
    vectors = embed(list(OFF_LIST), remember=False)
    started = time.perf_counter()
    rankings = [classifier.rank(t, v) for t, v in zip(OFF_LIST, vectors)]
    per_question = (time.perf_counter() - started) / len(OFF_LIST)
    print(
        f"\nTrained on all {len(questions)} questions in {trained:.2f} s (encoded "
        f"already); routing one question, its embedding given: "
        f"{per_question * 1000:.1f} ms"
    )
    print("Ideas the coach does not explain (trained on every writer):")
    for text, ranking in zip(OFF_LIST, rankings):
        name, p = ranking[0]
        got = route(text, (name, p), threshold)
        print(f"  {got:>24} ({name} {p:.2f}): {text}")


if __name__ == "__main__":
    main()
