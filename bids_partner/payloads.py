"""Which button payloads the assistant accepts.

Rasa reads any message that starts with "/" as `/intent{"entity": "value"}`, and
its values then travel as they are: into slots, the tracker store, the export
and the review page, past the anonymizer. A payload is accepted only with an
intent of the domain and entities whose values come from a closed set; anything
else is words, read by the NLU and anonymized in exports like any message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Mapping

import yaml
from rasa.shared.core.constants import DEFAULT_INTENTS

from bids_partner.contract import ACTORS
from bids_partner.settings import ROOT

_SYNTAX = re.compile(r"/(?P<intent>[A-Za-z_][\w-]*)(?P<entities>\{.*\})?", re.DOTALL)


@dataclass(frozen=True)
class Payload:
    intent: str
    entities: Dict[str, str]


@dataclass(frozen=True)
class PayloadVocabulary:
    intents: FrozenSet[str]
    # Every entity a payload may set, with the values it may take.
    entity_values: Mapping[str, FrozenSet[str]]

    def read(self, text: str) -> Payload | None:
        """The payload `text` spells, or None when it is words."""
        match = _SYNTAX.fullmatch(text.strip())
        if match is None or match["intent"] not in self.intents:
            return None
        entities: object = {}
        if match["entities"] is not None:
            try:
                entities = json.loads(match["entities"])
            except (ValueError, RecursionError):
                return None
        if not isinstance(entities, dict):
            return None
        for name, value in entities.items():
            allowed = self.entity_values.get(name, frozenset())
            if not isinstance(value, str) or value not in allowed:
                return None
        return Payload(match["intent"], entities)


def domain_intents(domain_path: str) -> FrozenSet[str]:
    with open(domain_path, encoding="utf-8") as file:
        domain = yaml.safe_load(file) or {}
    names = [
        item if isinstance(item, str) else next(iter(item))
        for item in domain.get("intents") or []
    ]
    return frozenset([*names, *DEFAULT_INTENTS])


@lru_cache(maxsize=1)
def payload_vocabulary() -> PayloadVocabulary:
    """The buttons' vocabulary: the domain's intents, an actor and a scene id."""
    from bids_partner.coaching.loader import load_scenarios

    return PayloadVocabulary(
        intents=domain_intents(str(ROOT / "domain.yml")),
        entity_values={
            "actor": frozenset(ACTORS),
            "scenario": frozenset(load_scenarios()),
        },
    )
