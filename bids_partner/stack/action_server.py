"""The action server: `rasa run actions`, bound to ACTION_HOST and, when
ACTION_SECRET is set, answering only the calls that carry it.

rasa_sdk 3.6 binds to SANIC_HOST, by default 0.0.0.0, and checks no caller: anyone
who reaches the port can run the actions on a tracker of their making, and read
the answer. So it listens on 127.0.0.1 unless ACTION_HOST says otherwise, and an
address other machines can reach needs a shared secret, which the Rasa server
sends in a header (endpoints.yml) and rasa_sdk's plug-in hook checks on each call.

    python -m bids_partner.stack.action_server [rasa run actions options]
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import sys
from typing import Mapping, Tuple

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bids_partner.stack.rasa_server import run_rasa_command

DEFAULT_HOST = "127.0.0.1"
SECRET_HEADER = "X-Action-Secret"
MIN_SECRET_CHARS = 16
# Readiness checks (the stack's, a load balancer's) need no secret.
OPEN_PATHS = frozenset({"/health"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::"})

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class BindingError(Exception):
    """The address and secret would leave the action server open; says why."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def action_host(env: Mapping[str, str]) -> str:
    return env.get("ACTION_HOST", "").strip() or DEFAULT_HOST


def binding(env: Mapping[str, str]) -> Tuple[str, str | None]:
    """The address to listen on and the secret to require (None: none needed)."""
    host = action_host(env)
    secret = env.get("ACTION_SECRET", "").strip() or None
    if secret is not None and len(secret) < MIN_SECRET_CHARS:
        raise BindingError(
            f"ACTION_SECRET has fewer than {MIN_SECRET_CHARS} characters."
        )
    if secret is None and not is_loopback(host):
        raise BindingError(
            f"ACTION_HOST={host} lets other machines call the action server: set "
            f"ACTION_SECRET (at least {MIN_SECRET_CHARS} characters, the same for "
            "every Rasa server that calls it), or leave ACTION_HOST unset "
            f"({DEFAULT_HOST})."
        )
    return host, secret


def url_host(host: str, local: str = DEFAULT_HOST) -> str:
    """How a client on this machine names the listening address in a URL."""
    if host in WILDCARD_HOSTS:
        return local
    return f"[{host}]" if ":" in host else host


class SecretCheck:
    """rasa_sdk's plug-in hook: a request middleware on its Sanic app."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        app.register_middleware(self.check, "request")

    async def check(self, request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(SECRET_HEADER, "").encode()
        if hmac.compare_digest(given, self.secret):
            return None
        return response.json({"error": f"missing or wrong {SECRET_HEADER}"}, 401)


def main() -> None:
    try:
        host, secret = binding(os.environ)
    except BindingError as error:
        print(f"The action server will not start: {error}", file=sys.stderr)
        sys.exit(2)
    os.environ["SANIC_HOST"] = host  # what rasa_sdk's runner binds to
    if secret is not None:
        from rasa_sdk.plugin import plugin_manager

        plugin_manager().register(SecretCheck(secret))
    run_rasa_command(["run", "actions", *sys.argv[1:]])


if __name__ == "__main__":
    main()
