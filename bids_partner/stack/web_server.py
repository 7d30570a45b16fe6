"""Serves the chat page: its own files, the widget npm installed, and where the
Rasa server is. Nothing else from the disk, and nothing from elsewhere on the web.

    python -m bids_partner.stack.web_server --port 8080 --rasa-url http://127.0.0.1:5005
"""

from __future__ import annotations

import argparse
import json
import os
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Dict, Tuple
from urllib.parse import urlsplit

from bids_partner.bounded_http import BoundedThreadingHTTPServer
from bids_partner.contract import PARTNER_LINE_PATTERN
from bids_partner.settings import WEB_DIR

WIDGET_BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
# URL path -> (file, content type). The widget is installed by `npm ci` (web/).
FILES: Dict[str, Tuple[Path, str]] = {
    "/": (WEB_DIR / "index.html", "text/html; charset=utf-8"),
    "/chat.js": (WEB_DIR / "chat.js", "text/javascript; charset=utf-8"),
    "/chat.css": (WEB_DIR / "chat.css", "text/css; charset=utf-8"),
    # Quick exit's default landing page; its path says nothing about the chat.
    "/new-tab": (WEB_DIR / "leave.html", "text/html; charset=utf-8"),
    "/vendor/rasa-webchat.js": (WIDGET_BUNDLE, "text/javascript; charset=utf-8"),
}

# Where "Leave quickly" takes the page: an http(s) URL or a path on this server.
QUICK_EXIT_URL_ENV = "QUICK_EXIT_URL"
DEFAULT_QUICK_EXIT_URL = "/new-tab"


def quick_exit_url(value: str | None) -> str:
    """`value` if it is an http(s) URL or a local path; anything else (a
    javascript: URL, a typo) would leave the chat on screen, so the default."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    # "//host" and "/\host" are other sites to a browser, not paths.
    if value.startswith("/") and value[1:2] not in ("/", "\\"):
        return value
    return DEFAULT_QUICK_EXIT_URL


def content_security_policy(rasa_url: str) -> str:
    """Scripts, styles and fonts from this page only; the socket to Rasa only.
    The widget's stylesheet imports a web font from a CDN: this blocks it."""
    parts = urlsplit(rasa_url)
    socket = (
        f"ws://{parts.netloc}" if parts.scheme == "http" else f"wss://{parts.netloc}"
    )
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # The widget injects its styles at run time.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {rasa_url} {socket}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


class PageHandler(BaseHTTPRequestHandler):
    server_version = "bids-web"

    def __init__(self, *args: object, rasa_url: str, **kwargs: object) -> None:
        self.rasa_url = rasa_url
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path == "/config.js":
            config = {
                "socketUrl": self.rasa_url,
                "partnerLinePattern": PARTNER_LINE_PATTERN,
                "quickExitUrl": quick_exit_url(os.environ.get(QUICK_EXIT_URL_ENV)),
            }
            body = f"window.ASSISTANT_CONFIG = {json.dumps(config)};\n".encode()
            return self._send(HTTPStatus.OK, body, "text/javascript; charset=utf-8")
        if path not in FILES:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
        file, content_type = FILES[path]
        try:
            body = file.read_bytes()
        except OSError:
            # The widget is missing until `make web` (npm ci) has run.
            message = f"{file.name} is missing: run `make web`\n".encode()
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, message, "text/plain")
        self._send(HTTPStatus.OK, body, content_type)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Content-Security-Policy", content_security_policy(self.rasa_url)
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the chat page.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    handler = partial(PageHandler, rasa_url=args.rasa_url.rstrip("/"))
    # Idle connections time out, and at most 64 are served at once (issue 18).
    server = BoundedThreadingHTTPServer((args.bind, args.port), handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
