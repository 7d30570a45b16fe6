"""Changes to the internals of pinned libraries, all in one place.

Rasa 3.6.21 (applied whenever a Rasa process imports the project's plug-ins, so
`rasa run`, `rasa shell`, `rasa test` and the launcher all get them):
- action_result_schema, event_types: the same results and errors as Rasa's,
  without work that a profile of the server under load showed repeated on every
  turn (measured by `make bench-reference`: its before/after table);
- history_cache: the policies' states and the applied events extended with each
  new event instead of rebuilt from the session's start, so a turn costs about
  the same at 2,000 stored events as at 10 (measured by `make bench-long`);
- tracker_copy: the tracker copied before each action from its state, not by
  replaying every event of the session;
- rule_states_log: RulePolicy's debug line of every state built only when debug
  logging is on;
- action_payload: earlier events sent to the action server without what no action
  reads (metadata, intent ranking, scores), so a call grows slower with the session;
- action_call_retry: one retry on a new connection when a call to the action
  server breaks before an answer;
- action_server_outage: a reply, instead of silence, when a custom action fails;
- no_memory_fallback: no in-memory FailSafeTrackerStore around a store that
  refuses to lose conversations (rasa_plugins/stores/tracker_store.py).
tldextract (for Presidio, in the anonymizer): the suffix list shipped in the package
instead of a download.

RASA_PATCHES=off leaves Rasa as shipped (for the benchmark's before/after only).
"""

from __future__ import annotations

import logging
import os
from types import ModuleType
from typing import List, Tuple

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
_applied: List[str] = []


class UnsupportedRasaVersion(RuntimeError):
    """The patches were written and tested against one Rasa release only."""


def _apply(patches: Tuple[ModuleType, ...], what: str) -> None:
    names = [p.__name__.rsplit(".", 1)[-1] for p in patches]
    if all(name in _applied for name in names):
        return
    for patch, name in zip(patches, names):
        if name not in _applied:
            patch.apply()
            _applied.append(name)
    logger.info("Patched %s: %s.", what, ", ".join(names))


def apply_rasa_patches() -> None:
    """Installs every Rasa patch once; refuses any Rasa but the pinned one."""
    import rasa

    if rasa.__version__ != RASA_VERSION:
        raise UnsupportedRasaVersion(
            f"bids_partner.patches are for Rasa {RASA_VERSION}, found "
            f"{rasa.__version__}: re-check each patch against the new release "
            "and its tests (tests/patches/) before changing RASA_VERSION."
        )
    if os.environ.get("RASA_PATCHES", "").strip().lower() == "off":
        if "off" not in _applied:
            _applied.append("off")
            logger.info("Rasa patches off (RASA_PATCHES=off).")
        return
    from bids_partner.patches import (
        action_call_retry,
        action_payload,
        action_result_schema,
        action_server_outage,
        event_types,
        history_cache,
        no_memory_fallback,
        rule_states_log,
        tracker_copy,
    )

    _apply(
        (
            action_result_schema,
            event_types,
            history_cache,
            tracker_copy,
            rule_states_log,
            action_payload,
            action_call_retry,
            action_server_outage,
            no_memory_fallback,
        ),
        f"Rasa {RASA_VERSION}",
    )


def apply_tldextract_patch() -> None:
    from bids_partner.patches import offline_tldextract

    _apply((offline_tldextract,), "tldextract")


def applied() -> List[str]:
    return list(_applied)
