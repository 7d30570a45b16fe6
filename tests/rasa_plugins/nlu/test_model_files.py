"""The trained components' fingerprints follow their code, not only their data."""

import ast
import importlib
import inspect
import sys
from pathlib import Path

import pytest

from bids_partner.language.sentence_encoder import ENCODER_MODULES
from bids_partner.rasa_plugins.nlu import model_files
from bids_partner.rasa_plugins.nlu.concept_reader import ConceptReader
from bids_partner.rasa_plugins.nlu.reply_judge import ReplyJudge
from bids_partner.rasa_plugins.nlu.risk_reader import RiskReader
from bids_partner.rasa_plugins.nlu.tfidf_classifier import TfidfIntentClassifier


def test_the_code_digest_follows_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "learner_under_test.py"
    module.write_text("C = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    first = model_files.code_digest("learner_under_test")
    module.write_text("C = 2\n")
    assert model_files.code_digest("learner_under_test") != first
    sys.modules.pop("learner_under_test", None)


@pytest.mark.parametrize(
    "component", [RiskReader, ReplyJudge, ConceptReader, TfidfIntentClassifier]
)
def test_a_change_to_how_a_component_learns_retrains_it(
    component: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa restores a component from its cache while its fingerprint is the same.
    before = component.fingerprint_addon({})
    monkeypatch.setattr(model_files, "code_digest", lambda *modules: "changed code")
    assert component.fingerprint_addon({}) != before


@pytest.mark.parametrize("component", [RiskReader, ReplyJudge, ConceptReader])
def test_a_component_reading_embeddings_retrains_when_the_encoder_changes(
    component: type,
) -> None:
    """The embeddings are a function of the tokenizer and of the graph (its
    precision: int8 products give other numbers than float32)."""
    learns_with = sys.modules[component.__module__].LEARNS_WITH
    assert set(ENCODER_MODULES) <= set(learns_with)
    assert "bids_partner.language.encoder_graph" in ENCODER_MODULES


def _language_imports(module: str) -> set:
    """The bids_partner.language modules `module` imports by name."""
    tree = ast.parse(
        Path(inspect.getsourcefile(importlib.import_module(module))).read_text()
    )
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("bids_partner.language.")
    }


@pytest.mark.parametrize("component", [RiskReader, ReplyJudge, ConceptReader])
def test_a_component_learns_with_every_module_its_learning_code_imports(
    component: type,
) -> None:
    """Closed over imports: a change to any module the component or its learning
    code imports retrains the component."""
    learns_with = set(sys.modules[component.__module__].LEARNS_WITH)
    for module in {component.__module__, *learns_with}:
        assert _language_imports(module) <= learns_with, module


@pytest.mark.parametrize("component", [RiskReader, ConceptReader])
def test_a_change_to_the_reply_judge_alone_leaves_the_other_readers_trained(
    component: type,
) -> None:
    """The safety and concept readers read the replies' loading and the shared
    text features, not the judge: changing the judge must not retrain them
    (the RiskReader alone takes about 150 s of `rasa train`)."""
    assert (
        "bids_partner.language.replies"
        not in sys.modules[component.__module__].LEARNS_WITH
    )


FREED_HEAP = """
from bids_partner.rasa_plugins.nlu import model_files

def rss_mib():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024

blocks = [bytes(2000) + bytes([i % 256]) for i in range(150_000)]
kept = blocks[::500]  # live blocks spread over the heap: it cannot shrink from its top
del blocks
before = rss_mib()
model_files.give_back_freed_memory()
print(before, rss_mib())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_freed_after_loading_goes_back_to_the_system() -> None:
    # Reading a skops file frees several times what it builds; the server kept it.
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", FREED_HEAP], capture_output=True, text=True, check=True
    )
    before, after = map(int, result.stdout.split())
    assert before - after >= 200, (before, after)
