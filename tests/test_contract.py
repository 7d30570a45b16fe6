"""domain.yml, config.yml, endpoints.yml, credentials.yml and the web page agree
with the contract module (bids_partner/contract.py), the one home of the names."""

from __future__ import annotations

import inspect

import yaml

from bids_partner import contract
from bids_partner.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_the_domains_intents_are_the_contracts() -> None:
    assert sorted(DOMAIN["intents"]) == sorted(contract.INTENTS)
    assert len(set(contract.INTENTS)) == len(contract.INTENTS)


def test_every_move_has_a_kind_and_every_kind_a_move() -> None:
    assert set(contract.MOVE_KIND) == set(contract.MOVES)
    assert set(contract.MOVE_KIND.values()) == set(contract.KINDS)


def test_the_actor_is_an_entity_with_the_contracts_values() -> None:
    assert "actor" in DOMAIN["entities"]
    assert DOMAIN["slots"]["actor"]["values"] == list(contract.ACTORS)


def test_the_slots_and_forms_named_in_the_contract_exist() -> None:
    slots = {
        value for name, value in inspect.getmembers(contract) if name.endswith("_SLOT")
    }
    assert slots and slots <= set(DOMAIN["slots"])
    assert sorted(DOMAIN["forms"]) == sorted(contract.FORMS)


def test_the_partner_mark_and_its_pattern_agree() -> None:
    import re

    pattern = re.compile(contract.PARTNER_LINE_PATTERN)
    assert pattern.match(f"Alex{contract.PARTNER_MARK}hello")
    assert not pattern.match("Alex: hello")
    # Transcripts stored before the mark said "role-play" still read as the
    # other person's lines.
    assert pattern.match("Kai (partner): come look at this!")
    assert contract.PARTNER_MARK == " (role-play): "


def test_the_web_page_reads_the_pattern_from_the_server() -> None:
    script = (ROOT / "web" / "chat.js").read_text(encoding="utf-8")
    assert "config.partnerLinePattern" in script
    assert "(role-play)" not in script.replace("(role-play): ...", "")


def test_every_custom_plugin_lives_in_the_product_package() -> None:
    named = []
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    named += [c["name"] for c in config["pipeline"] + config["policies"]]
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    named += [endpoints[key]["type"] for key in ("tracker_store", "lock_store", "nlg")]
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    named += list(credentials)
    custom = [name for name in named if "." in name]
    assert custom and all(
        name.startswith("bids_partner.rasa_plugins.") for name in custom
    ), custom
