"""Where the action server listens, and when it needs a secret."""

from __future__ import annotations

import pytest
from rasa.utils.endpoints import read_endpoint_config

from bids_partner.settings import ROOT
from bids_partner.stack.action_server import (
    SECRET_HEADER,
    BindingError,
    binding,
    url_host,
)

SECRET = "a-shared-secret-0123456789"


def test_it_listens_on_this_machine_only_by_default() -> None:
    assert binding({}) == ("127.0.0.1", None)
    assert binding({"ACTION_HOST": " ", "ACTION_SECRET": ""}) == ("127.0.0.1", None)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_a_loopback_address_needs_no_secret(host: str) -> None:
    assert binding({"ACTION_HOST": host}) == (host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "actions.internal"])
def test_an_address_others_can_reach_needs_a_secret(host: str) -> None:
    with pytest.raises(BindingError, match="ACTION_SECRET"):
        binding({"ACTION_HOST": host})
    assert binding({"ACTION_HOST": host, "ACTION_SECRET": SECRET}) == (host, SECRET)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(BindingError, match="16 characters"):
        binding({"ACTION_SECRET": "short"})


def test_the_rasa_server_reaches_a_wildcard_address_locally() -> None:
    assert url_host("0.0.0.0") == "127.0.0.1" and url_host("::") == "127.0.0.1"
    assert url_host("10.0.0.5") == "10.0.0.5" and url_host("::1") == "[::1]"


def test_endpoints_yml_sends_the_secret_in_the_header_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SECRET", SECRET)
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None and endpoint.headers == {SECRET_HEADER: SECRET}
    # Unset, `make run` passes it empty: the action server then checks nothing.
    monkeypatch.setenv("ACTION_SECRET", "")
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None and endpoint.headers == {SECRET_HEADER: ""}
