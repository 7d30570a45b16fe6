"""Every Rasa process that loads the project's plug-ins runs with the patches (so
`rasa run`, `rasa shell` and `rasa test` too), says so in one log line, and
refuses a Rasa release the patches were not written for."""

from __future__ import annotations

import subprocess
import sys

import pytest
import rasa

import bids_partner.patches as patches

CHECK = """
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
import {module}
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig
from bids_partner.patches import (
    action_call_retry, action_payload, action_result_schema, action_server_outage,
    event_types, history_cache, no_memory_fallback, rule_states_log, tracker_copy,
)
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
print("PATCHED", [
    RemoteAction.run is action_server_outage.run,
    RemoteAction._action_call_format is action_payload.action_call_format,
    RemoteAction._validate_action_result is action_result_schema.validate_action_result,
    Event.resolve_by_type is event_types.resolve_by_type,
    EndpointConfig.request is action_call_retry.request,
    Agent._create_tracker_store is no_memory_fallback.create_tracker_store,
    DialogueStateTracker.applied_events is history_cache.applied_events,
    Domain.states_for_tracker_history is history_cache.states_for_tracker_history,
    DialogueStateTracker.copy is tracker_copy.state_copy,
    RulePolicy.format_tracker_states is rule_states_log.format_tracker_states,
])
"""


def run_check(module: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize(
    "plugin",
    [
        "bids_partner.rasa_plugins.nlu.tfidf_classifier",
        "bids_partner.rasa_plugins.policies.crisis_first",
        "bids_partner.rasa_plugins.stores.tracker_store",
        "bids_partner.rasa_plugins.channels.rest",
    ],
)
def test_importing_any_plugin_applies_every_patch_with_one_log_line(
    plugin: str,
) -> None:
    out = run_check(plugin)
    assert f"PATCHED {[True] * 10}" in out
    lines = [line for line in out.splitlines() if "Patched Rasa" in line]
    assert len(lines) == 1, out
    for name in (
        "action_result_schema",
        "action_call_retry",
        "action_payload",
        "tracker_copy",
        "rule_states_log",
        "no_memory_fallback",
        "history_cache",
    ):
        assert name in lines[0]


def test_rasa_patches_off_leaves_rasa_as_shipped() -> None:
    import os

    out = run_check(
        "bids_partner.rasa_plugins.channels.rest",
        {**os.environ, "RASA_PATCHES": "off"},
    )
    assert f"PATCHED {[False] * 10}" in out
    assert "Rasa patches off" in out


def test_another_rasa_release_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa, "__version__", "3.6.22")
    monkeypatch.setattr(patches, "_applied", [])
    with pytest.raises(patches.UnsupportedRasaVersion, match="3.6.21"):
        patches.apply_rasa_patches()


def test_the_anonymizer_reads_domains_with_the_shipped_suffix_list() -> None:
    import tldextract

    import bids_partner.transcripts.anonymizer  # noqa: F401 (applies the patch)

    assert tldextract.extract is not patches.offline_tldextract.ORIGINAL
    assert tldextract.extract.suffix_list_urls == ()
    assert tldextract.extract("mail.example.co.uk").suffix == "co.uk"
    assert "offline_tldextract" in patches.applied()
