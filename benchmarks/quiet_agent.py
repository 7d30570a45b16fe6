"""The trained model, loaded for a benchmark without Rasa's debug output, which
prints every parsed message's text (blind sets must not be shown)."""

from __future__ import annotations

import logging
import os
from typing import Any


def load_quiet_agent(model: str | None = None) -> Any:
    """The model at `model`, or the one for the current data (trained if none)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bids_partner.stack.model import ensure_model

    configure_structlog(logging.WARNING)
    return Agent.load(model or str(ensure_model()))


def loaded_component(agent: Any, kind: type) -> Any:
    """The one component of type `kind` in the agent's loaded graph (to read or
    change it in place, e.g. a threshold, without training again)."""
    found = [
        node._component  # noqa: SLF001
        for node in agent.processor.graph_runner._instantiated_nodes.values()  # noqa: SLF001
        if isinstance(getattr(node, "_component", None), kind)
    ]
    if len(found) != 1:
        raise LookupError(f"{len(found)} components of type {kind.__name__}")
    return found[0]
