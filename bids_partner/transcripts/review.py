"""The review page: therapists read exported, anonymized transcripts in a browser.

Standard library only. Every request re-reads the export folder (exports may be
added while it runs), needs the review token (a bearer header, or a session cookie
set from a one-time `?token=` link) and is answered under a strict
Content-Security-Policy: no scripts, nothing loaded from elsewhere. Every piece of
text from an export is escaped: it is what people typed.

The token has at least 32 characters; an address that tries 5 wrong ones within 5
minutes is answered 429 for 5 minutes; the cookie holds a random session id that
expires after 8 hours, never the token.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import math
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Sequence, Tuple
from urllib.parse import parse_qs, unquote, urlsplit

from bids_partner.bounded_http import BoundedThreadingHTTPServer
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

COOKIE = "review_session"
MIN_TOKEN_LENGTH = 32
MAKE_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
SESSION_SECONDS = 8 * 3600  # a working day; then the link is opened again
MAX_FAILURES = 5  # wrong tokens from one address within LOCKOUT_SECONDS...
LOCKOUT_SECONDS = 300  # ...refuse it (429) for this long
MAX_CLIENTS = 10_000  # addresses remembered at once: memory stays bounded
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


def check_token(token: str | None) -> str:
    """The token without surrounding spaces; ValueError, saying how to make a good
    one, when it is missing or shorter than MIN_TOKEN_LENGTH characters."""
    token = (token or "").strip()
    if len(token) < MIN_TOKEN_LENGTH:
        # Its length only: the message may be shown where the token must not be.
        n = len(token)
        problem = f"has {n} character{'s' * (n != 1)}" if token else "is not set"
        raise ValueError(
            f"REVIEW_TOKEN {problem}: the review page needs at least "
            f"{MIN_TOKEN_LENGTH}, or it can be guessed. Make one with:\n"
            f"  {MAKE_TOKEN}"
        )
    return token


def _token_matches(candidate: str, token: str) -> bool:
    return hmac.compare_digest(candidate.encode(), token.encode())


def _digest(session: str) -> bytes:
    return hashlib.sha256(session.encode()).digest()


class _Sessions:
    """Session ids the `?token=` link handed out, each with its expiry.

    Kept by their SHA-256: finding a guess in the map takes no time that depends
    on how much of a real id it matches, and the ids themselves are not kept."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self._expiry: Dict[bytes, float] = {}
        self._lock = threading.Lock()

    def new(self) -> str:
        session = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            for key in [k for k, end in self._expiry.items() if end <= now]:
                del self._expiry[key]
            self._expiry[_digest(session)] = now + self.seconds
        return session

    def valid(self, session: str) -> bool:
        key = _digest(session)
        with self._lock:
            end = self._expiry.get(key)
            if end is not None and end <= self.clock():
                del self._expiry[key]
                end = None
        return end is not None


@dataclass
class _Streak:
    first: float  # when this streak's first failure came
    count: int = 0
    locked_until: float = 0.0  # 0: not locked out


class _Failures:
    """Wrong tokens per client address: `limit` within `seconds` lock the address
    out for `seconds`. Requests from a locked-out address are refused before any
    token is looked at, so guessing stops there."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self._clients: Dict[str, _Streak] = {}
        self._lock = threading.Lock()

    def locked_for(self, client: str) -> float:
        """Seconds until `client` may try again: 0 if it may now."""
        with self._lock:
            streak = self._clients.get(client)
            if streak is None:
                return 0.0
            now = self.clock()
            if streak.locked_until > now:
                return streak.locked_until - now
            if streak.locked_until or now - streak.first >= self.seconds:
                del self._clients[client]  # locked out and let in again, or quiet
            return 0.0

    def failed(self, client: str) -> int:
        """Counts a wrong token; the count when it has just locked `client` out
        (once a streak: the caller logs it), else 0."""
        with self._lock:
            now = self.clock()
            if len(self._clients) >= MAX_CLIENTS:
                self._forget(now)
            streak = self._clients.get(client)
            if streak is None or now - streak.first >= self.seconds:
                streak = self._clients[client] = _Streak(first=now)
            streak.count += 1
            if streak.count == self.limit:
                streak.locked_until = now + self.seconds
                return streak.count
            return 0

    def _forget(self, now: float) -> None:
        for client, streak in list(self._clients.items()):
            if max(streak.locked_until, streak.first + self.seconds) <= now:
                del self._clients[client]
        # Still full (many addresses at once): the oldest go first.
        excess = len(self._clients) - MAX_CLIENTS + 1
        for client in list(self._clients)[: max(0, excess)]:
            del self._clients[client]


class _ReviewServer(BoundedThreadingHTTPServer):
    def __init__(
        self,
        address: Tuple[str, int],
        export_dir: Path,
        token: str,
        session_seconds: float,
        max_failures: int,
        lockout_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.export_dir = export_dir
        self.token = token
        self.sessions = _Sessions(session_seconds, clock)
        self.failures = _Failures(max_failures, lockout_seconds, clock)
        super().__init__(address, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _ReviewServer
    server_version = "transcript-review"
    sys_version = ""
    # No `timeout` here: the server's idle timeout (bounded_http) applies.

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
        wait = self.server.failures.locked_for(self.client_address[0])
        if wait:
            self._too_many(wait)
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True).get("token")
        if query is not None:
            if _token_matches(query[0], self.server.token):
                self._redirect_with_cookie(url.path)
            else:
                self._failed()
            return
        if not self._authorized():
            # A wrong bearer token is a guess; no token at all (a first visit) or
            # an unknown session id (one from before a restart: 256 random bits,
            # not worth guessing) is not.
            if "Authorization" in self.headers:
                self._failed()
            else:
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
            if name == COOKIE and self.server.sessions.valid(unquote(value)):
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
        # A session id, not the token: it expires, and the token stays out of the
        # browser's cookie store.
        max_age = max(1, math.ceil(self.server.sessions.seconds))
        self.send_header(
            "Set-Cookie",
            f"{COOKIE}={self.server.sessions.new()}; Max-Age={max_age}; HttpOnly; "
            "SameSite=Strict; Path=/",
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _failed(self) -> None:
        """A wrong token: counted against the address, logged once a streak (the
        address and the count, never what was tried), then answered 401."""
        failures = self.server.failures
        count = failures.failed(self.client_address[0])
        if count:
            self.log_message(
                "%d failed token attempts within %d s: this address is refused "
                "(429) for %d s",
                count,
                failures.seconds,
                failures.seconds,
            )
        self._unauthorized()

    def _too_many(self, wait: float) -> None:
        seconds = math.ceil(wait)
        minutes = math.ceil(seconds / 60)
        body = message_page(
            "Too many wrong tokens",
            "This address tried too many wrong tokens. Try the review link again "
            f"in {minutes} minute{'s' if minutes != 1 else ''}.",
            bare=True,
        )
        self._send(429, body, HTML_TYPE, [("Retry-After", str(seconds))])

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
    export_dir: Path,
    token: str,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    session_seconds: float = SESSION_SECONDS,
    max_failures: int = MAX_FAILURES,
    lockout_seconds: float = LOCKOUT_SECONDS,
) -> http.server.ThreadingHTTPServer:
    """A review server bound to host:port (0: any free port); not yet serving.
    ValueError if the token is shorter than MIN_TOKEN_LENGTH characters."""
    return _ReviewServer(
        (host, port),
        Path(export_dir),
        check_token(token),
        session_seconds,
        max_failures,
        lockout_seconds,
    )


def serve(export_dir: Path, token: str, host: str, port: int) -> None:
    """Serves the review page until Ctrl-C."""
    with make_server(export_dir, token, host, port) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
