"""The review page: therapists read exported, anonymized transcripts in a browser.

Standard library only. Every request re-reads the export folder (exports may be
added while it runs), needs the review token (a bearer header, or a cookie set from
a one-time `?token=` link) and is answered under a strict Content-Security-Policy:
no scripts, nothing loaded from elsewhere. Every piece of text from an export is
escaped: it is what people typed.
"""

from __future__ import annotations

import hmac
import http.server
import re
import sys
from pathlib import Path
from typing import Any, Sequence, Tuple
from urllib.parse import parse_qs, quote, unquote, urlsplit

from bids_partner.transcripts.review_pages import (
    conversation_page,
    esc,
    index_page,
    message_page,
)
from bids_partner.transcripts.review_reader import (
    ID_PATTERN,
    MalformedExport,
    read_conversation,
    read_exports,
)

COOKIE = "review_token"
ASSETS = Path(__file__).resolve().parent / "review_assets"
STATIC = {"/review.css": ("review.css", "text/css; charset=utf-8")}
HTML_TYPE = "text/html; charset=utf-8"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# Redirect targets stay on this site: no "//host" or "/\host" tricks.
SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)?")

# --- HTTP ------------------------------------------------------------------------


def _token_matches(candidate: str, token: str) -> bool:
    return hmac.compare_digest(candidate.encode(), token.encode())


class _ReviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Tuple[str, int], export_dir: Path, token: str) -> None:
        self.export_dir = export_dir
        self.token = token
        super().__init__(address, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _ReviewServer
    server_version = "transcript-review"
    sys_version = ""
    timeout = 30  # a stalled client does not hold a thread for ever

    def do_GET(self) -> None:
        self._respond()

    def do_HEAD(self) -> None:
        self._respond()

    def end_headers(self) -> None:
        # Here rather than per response, so http.server's own errors get them too.
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        # Query strings may carry the token: drop them, and the token wherever else.
        message = re.sub(r"\?[^\s\"']*", "", format % args)
        message = message.replace(self.server.token, "[token]")
        message = re.sub(r"[\x00-\x1f\x7f]", "?", message)
        sys.stderr.write(
            f"{self.address_string()} - - [{self.log_date_time_string()}] {message}\n"
        )

    def _respond(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True).get("token")
        if query is not None:
            if _token_matches(query[0], self.server.token):
                self._redirect_with_cookie(url.path)
            else:
                self._unauthorized()
            return
        if not self._authorized():
            self._unauthorized()
            return
        try:
            status, body, content_type = self._route(url.path)
        except Exception as error:  # a bug must not show text or a traceback
            self.log_message("internal error: %s", type(error).__name__)
            status, content_type = 500, HTML_TYPE
            body = message_page("Something went wrong", "The page could not be made.")
        self._send(status, body, content_type)

    def _authorized(self) -> bool:
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and _token_matches(
            value.strip(), self.server.token
        ):
            return True
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and _token_matches(unquote(value), self.server.token):
                return True
        return False

    def _route(self, path: str) -> Tuple[int, bytes, str]:
        if path == "/":
            return 200, index_page(read_exports(self.server.export_dir)), HTML_TYPE
        if path in STATIC:
            name, content_type = STATIC[path]
            return 200, (ASSETS / name).read_bytes(), content_type
        prefix = "/conversation/"
        if path.startswith(prefix):
            return self._conversation(path[len(prefix) :])
        return 404, _not_found(), HTML_TYPE

    def _conversation(self, conversation_id: str) -> Tuple[int, bytes, str]:
        # Only "p_<hex>" reaches the file system: no separators, no "..".
        if not ID_PATTERN.fullmatch(conversation_id):
            return 404, _not_found(), HTML_TYPE
        path = self.server.export_dir / f"{conversation_id}.jsonl"
        if not path.is_file():
            return 404, _not_found(), HTML_TYPE
        try:
            conversation = read_conversation(path)
        except MalformedExport as error:
            text = f"<code>{esc(path.name)}</code>: {esc(error)}."
            return 500, message_page("This export could not be read", text), HTML_TYPE
        return 200, conversation_page(conversation), HTML_TYPE

    def _redirect_with_cookie(self, path: str) -> None:
        self.send_response(303)
        self.send_header("Location", path if SAFE_PATH.fullmatch(path) else "/")
        self.send_header(
            "Set-Cookie",
            f"{COOKIE}={quote(self.server.token, safe='')}; HttpOnly; "
            "SameSite=Strict; Path=/",
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _unauthorized(self) -> None:
        # A SameSite=Strict cookie set while arriving from another site (a link in
        # an email) is not sent on the redirect, nor on a reload; it is on a link
        # followed from this page, hence "continue" (to "/": nothing echoed here).
        body = message_page(
            "A token is needed",
            "This page shows private transcripts. Open the review link you were "
            "given (it ends in <code>?token=…</code>). If you just did, "
            '<a href="/">continue to the review page</a>.',
            bare=True,
        )
        self._send(401, body, HTML_TYPE, [("WWW-Authenticate", "Bearer")])

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Sequence[Tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _not_found() -> bytes:
    return message_page(
        "Not found",
        'There is no such conversation. <a href="/">See all conversations</a>.',
    )


def make_server(
    export_dir: Path, token: str, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """A review server bound to host:port (0: any free port); not yet serving."""
    if not token or not token.strip():
        raise ValueError("the review page needs a non-empty token")
    return _ReviewServer((host, port), Path(export_dir), token)


def serve(export_dir: Path, token: str, host: str, port: int) -> None:
    """Serves the review page until Ctrl-C."""
    with make_server(export_dir, token, host, port) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
