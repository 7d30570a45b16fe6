"""The review page over HTTP: a real server on a free port, requests as the client.

Token rules, the list of sessions with their counts, a transcript with move badges
and escaped user text, 404s (path traversal included), malformed exports, an empty
folder, security headers, and logs without the token."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Dict, Iterator, List
from urllib.parse import urlsplit

import pytest
import requests

from bids_partner.settings import ROOT
from bids_partner.transcripts import review as review_module
from bids_partner.transcripts.review import make_server
from tests.transcripts.conftest import TOKEN, Review


class Rows(HTMLParser):
    """The text of each table cell, row by row, in the page's <tbody>s."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: List[List[str]] = []
        self.cell: List[str] | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "li" and self.cell is not None:
            self.cell.append("; ")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: str) -> List[List[str]]:
    parser = Rows()
    parser.feed(page)
    return parser.rows


def get(review, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {review.token}", **kwargs.pop("headers", {})}
    return requests.get(review.url + path, headers=headers, timeout=10, **kwargs)


def raw_get(review, path: str, token: str | None = None) -> http.client.HTTPResponse:
    """GET with the path sent exactly as written (requests would normalise `..`)."""
    host, port = urlsplit(review.url).hostname, urlsplit(review.url).port
    connection = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Authorization": f"Bearer {token or review.token}"}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def get_from(
    review, source: str, path: str = "/", headers: Dict[str, str] | None = None
) -> http.client.HTTPResponse:
    """GET from a chosen client address (127.0.0.x: all of them are this host)."""
    host, port = urlsplit(review.url).hostname, urlsplit(review.url).port
    connection = http.client.HTTPConnection(
        host, port, timeout=10, source_address=(source, 0)
    )
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture
def start_tuned() -> Iterator:
    """Starts a review page with its limits changed (short ones: the test waits)."""
    servers = []

    def start(folder: Path, **limits: float) -> Review:
        server = make_server(folder, TOKEN, "127.0.0.1", 0, **limits)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Review(f"http://127.0.0.1:{server.server_address[1]}", TOKEN, folder)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def session_cookie(review, path: str = "/") -> str:
    """The session id the one-time link sets."""
    response = requests.get(
        f"{review.url}{path}?token={review.token}", timeout=10, allow_redirects=False
    )
    assert response.status_code == 303
    name, _, rest = response.headers["Set-Cookie"].partition("=")
    assert name == "review_session"
    return rest.split(";")[0]


# --- Token rules -----------------------------------------------------------------


def test_an_empty_token_is_refused(tmp_path: Path) -> None:
    for token in ("", "   "):
        with pytest.raises(ValueError):
            make_server(tmp_path, token)


def test_a_short_token_is_refused(tmp_path: Path) -> None:
    for token in ("Z", "Z" * 31, " " + "Z" * 31 + " "):
        with pytest.raises(ValueError, match="at least 32") as refused:
            make_server(tmp_path, token)
        assert "secrets.token_urlsafe(32)" in str(refused.value)
        assert token.strip() not in str(refused.value)
    make_server(tmp_path, "x" * 32).server_close()


@pytest.mark.parametrize("token", ["shorty-guessable", ""])
def test_the_command_refuses_a_short_token_with_how_to_make_one(
    tmp_path: Path, token: str
) -> None:
    environment = {"PATH": "/usr/bin:/bin", "REVIEW_TOKEN": token}
    result = subprocess.run(
        [sys.executable, "-m", "bids_partner.transcripts.cli", "review"]
        + ["--dir", str(tmp_path), "--port", "0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "REVIEW_TOKEN" in result.stderr and "32" in result.stderr
    assert (
        'python -c "import secrets; print(secrets.token_urlsafe(32))"' in result.stderr
    )
    if token:
        assert token not in result.stderr


def test_no_token_gets_401_and_no_data(review, exported) -> None:
    for path in ("/", f"/conversation/{exported.rehearsed}", "/review.css"):
        response = requests.get(review.url + path, timeout=10)
        assert response.status_code == 401
        assert "token is needed" in response.text
        assert exported.rehearsed not in response.text
        assert "Bearer" in response.headers["WWW-Authenticate"]
        # A way in from this site (see the browser test).
        assert '<a href="/">continue to the review page</a>' in response.text


def test_wrong_token_gets_401(review) -> None:
    attempts = [
        {"headers": {"Authorization": "Bearer not-the-token"}},
        {"headers": {"Authorization": f"Basic {review.token}"}},
        {"headers": {"Cookie": "review_session=not-a-session"}},
        # The raw token is never a cookie (the old cookie, or the new name).
        {"headers": {"Cookie": f"review_token={review.token}"}},
        {"headers": {"Cookie": f"review_session={review.token}"}},
        {"params": {"token": "not-the-token"}},
        {"params": {"token": ""}},
    ]
    for attempt in attempts:
        response = requests.get(
            review.url + "/", timeout=10, allow_redirects=False, **attempt
        )
        assert response.status_code == 401, attempt
        assert "Set-Cookie" not in response.headers


def test_bearer_token_works(review, exported) -> None:
    response = get(review, "/")
    assert response.status_code == 200
    assert exported.rehearsed in response.text


def test_token_in_url_sets_cookie_and_redirects_without_it(review, exported) -> None:
    path = f"/conversation/{exported.rehearsed}"
    response = requests.get(
        f"{review.url}{path}?token={review.token}", timeout=10, allow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["Location"] == path
    cookie = response.headers["Set-Cookie"]
    assert review.token not in cookie
    assert re.fullmatch(r"review_session=[A-Za-z0-9_-]{43}; .*", cookie)
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"):
        assert attribute in cookie.split("; ")

    browser = requests.Session()
    followed = browser.get(f"{review.url}/?token={review.token}", timeout=10)
    assert followed.status_code == 200
    assert followed.url == review.url + "/"  # the token left the address bar
    assert browser.get(review.url + path, timeout=10).status_code == 200


def test_each_link_opening_is_its_own_session(review, exported) -> None:
    first, second = session_cookie(review), session_cookie(review)
    assert first != second
    for session in (first, second):
        response = requests.get(
            review.url + "/", headers={"Cookie": f"review_session={session}"}
        )
        assert response.status_code == 200 and exported.rehearsed in response.text


def test_an_expired_or_unknown_session_is_refused_like_no_token(
    start_tuned, export_dir: Path, exported
) -> None:
    review = start_tuned(export_dir, session_seconds=1)
    session = session_cookie(review)
    cookie = {"Cookie": f"review_session={session}"}
    assert requests.get(review.url + "/", headers=cookie, timeout=10).ok
    time.sleep(1.2)
    for headers in (cookie, {"Cookie": "review_session=" + "A" * 43}):
        response = requests.get(review.url + "/", headers=headers, timeout=10)
        assert response.status_code == 401
        assert "token is needed" in response.text
        assert exported.rehearsed not in response.text


def test_redirect_stays_on_this_site(review) -> None:
    for path in ("//evil.example/", "/\\evil.example/", "/a//b"):
        response = raw_get(review, f"{path}?token={review.token}")
        assert response.status == 303
        assert response.getheader("Location") == "/"


def test_security_headers_on_every_response(review, exported) -> None:
    responses = [
        get(review, "/"),
        get(review, f"/conversation/{exported.rehearsed}"),
        get(review, "/review.css"),
        get(review, "/nothing-here"),
        requests.get(review.url + "/", timeout=10),
    ]
    for response in responses:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
    assert get(review, "/review.css").headers["Content-Type"].startswith("text/css")


def test_the_token_never_reaches_the_log(review, exported, capfd) -> None:
    requests.get(f"{review.url}/?token={review.token}", timeout=10)
    requests.get(f"{review.url}/?token=wrong-one", timeout=10)
    get(review, f"/conversation/{exported.rehearsed}")
    log = capfd.readouterr().err
    assert '"GET / HTTP/1.1" 303' in log and '"GET / HTTP/1.1" 401' in log
    assert review.token not in log and "wrong-one" not in log
    assert "[PERSON_1]" not in log  # nor any transcript text


# --- Repeated failures -----------------------------------------------------------


def test_repeated_wrong_tokens_lock_the_client_out(review, exported, capfd) -> None:
    guesses = [f"guess-number-{n}" for n in range(5)]
    for n, guess in enumerate(guesses):
        attempt = (
            {"headers": {"Authorization": f"Bearer {guess}"}}
            if n % 2
            else {"params": {"token": guess}}
        )
        response = requests.get(
            review.url + "/", timeout=10, allow_redirects=False, **attempt
        )
        assert response.status_code == 401
    # Locked out now: the right token too, until the lock-out passes.
    for attempt in (
        {"headers": {"Authorization": f"Bearer {review.token}"}},
        {"params": {"token": review.token}},
        {"headers": {"Authorization": "Bearer guess-number-6"}},
        {},
    ):
        response = requests.get(
            review.url + "/", timeout=10, allow_redirects=False, **attempt
        )
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 300
        assert "Set-Cookie" not in response.headers
        assert exported.rehearsed not in response.text
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    log = capfd.readouterr().err
    lockouts = [line for line in log.splitlines() if "failed token attempts" in line]
    assert len(lockouts) == 1  # once per streak, not per refused request
    assert "127.0.0.1" in lockouts[0] and "5 failed token attempts" in lockouts[0]
    assert "guess-number" not in log and review.token not in log


def test_a_locked_out_address_does_not_lock_out_the_others(review, exported) -> None:
    bearer = {"Authorization": f"Bearer {review.token}"}
    for n in range(6):
        get_from(review, "127.0.0.2", headers={"Authorization": f"Bearer no-{n}"})
    assert get_from(review, "127.0.0.2", headers=bearer).status == 429
    answer = get_from(review, "127.0.0.3", headers=bearer)
    assert answer.status == 200 and exported.rehearsed.encode() in answer.body


def test_visits_without_a_token_are_not_counted(review) -> None:
    for _ in range(20):
        assert requests.get(review.url + "/", timeout=10).status_code == 401
    assert get(review, "/").status_code == 200


def test_the_lock_out_passes(start_tuned, export_dir: Path) -> None:
    review = start_tuned(export_dir, lockout_seconds=1)
    wrong = {"Authorization": "Bearer wrong-wrong-wrong"}
    for _ in range(5):
        requests.get(review.url + "/", headers=wrong, timeout=10)
    assert get(review, "/").status_code == 429
    time.sleep(1.2)
    assert get(review, "/").status_code == 200


def test_the_failure_count_forgets_quiet_addresses_first(monkeypatch) -> None:
    monkeypatch.setattr(review_module, "MAX_CLIENTS", 3)
    now = [0.0]
    failures = review_module._Failures(limit=2, seconds=10, clock=lambda: now[0])
    assert failures.failed("10.0.0.1") == 0
    assert failures.failed("10.0.0.1") == 2  # locked out: told once
    assert failures.failed("10.0.0.2") == 0
    now[0] = 11  # 10.0.0.2's window has passed; 10.0.0.1's lock-out too
    failures.failed("10.0.0.3")
    failures.failed("10.0.0.4")  # full: the quiet ones go, not the others
    assert set(failures._clients) == {"10.0.0.3", "10.0.0.4"}
    failures.failed("10.0.0.5")
    failures.failed("10.0.0.6")  # full of recent ones: the oldest goes
    assert set(failures._clients) == {"10.0.0.4", "10.0.0.5", "10.0.0.6"}


# --- The list of conversations ---------------------------------------------------


def test_list_shows_sessions_newest_first_with_their_counts(review, exported) -> None:
    page = get(review, "/").text
    # Conversation, session, date, turns, the 7 moves in order, total, toward share,
    # rehearsals.
    assert table_rows(page) == [
        [exported.plain, "2", "26 Nov 2026", "6"]
        + ["1", "0", "0", "0", "1", "1", "0"]
        + ["3", "0%", ""],
        [exported.rehearsed, "1", "24 Nov 2026", "16"]
        + ["0", "0", "2", "2", "0", "0", "2"]
        + ["6", "33%", "sunset: completed, 2/4 toward;"],
        [exported.plain, "1", "20 Nov 2026", "4"]
        + ["1", "1", "0", "0", "0", "0", "0"]
        + ["2", "0%", ""],
    ]
    assert f'href="/conversation/{exported.rehearsed}#session-1"' in page
    for header in ('scope="col"', 'scope="row"', 'scope="colgroup"'):
        assert header in page
    assert 'class="skip-link" href="#main"' in page and '<html lang="en">' in page


def test_a_new_export_shows_without_a_restart(review, exported) -> None:
    assert "p_feedface" not in get(review, "/").text
    lines = (review.folder / f"{exported.plain}.jsonl").read_text().splitlines()
    header = json.loads(lines[0]) | {"conversation": "p_feedface"}
    (review.folder / "p_feedface.jsonl").write_text(
        "\n".join([json.dumps(header), *lines[1:]]) + "\n"
    )
    assert "p_feedface" in get(review, "/").text


def test_an_empty_folder_says_so(start_review, tmp_path: Path) -> None:
    for folder in (tmp_path / "empty", tmp_path / "not-made-yet"):
        if folder.name == "empty":
            folder.mkdir()
        page = get(start_review(folder), "/")
        assert page.status_code == 200
        assert "No exported transcripts yet" in page.text
        assert "<table" not in page.text


def test_malformed_exports_are_named_and_the_others_shown(review, exported) -> None:
    folder = review.folder
    good_header = (folder / f"{exported.plain}.jsonl").read_text().splitlines()[0]
    bad = {
        "p_bad0001.jsonl": good_header.replace(exported.plain, "p_bad0001")
        + "\n{not json\n",
        "p_bad0002.jsonl": '{"record": "turn", "session": 1}\n',
        "p_bad0003.jsonl": "",
        "p_bad0004.jsonl": good_header.replace(exported.plain, "p_bad0004").replace(
            '"turns": 4', '"turns": "four"'
        ),
        "notes.jsonl": "{}\n",
    }
    for name, text in bad.items():
        (folder / name).write_text(text)
    (folder / "p_bad0005.jsonl").write_bytes(b"\xff\xfe not utf-8")

    page = get(review, "/")
    assert page.status_code == 200
    assert "Some exports could not be read" in page.text
    assert "p_bad0001.jsonl</code>: line 2 is not valid JSON" in page.text
    assert "p_bad0002.jsonl</code>: the first line is not a conversation header" in (
        page.text
    )
    assert "p_bad0003.jsonl" in page.text and "p_bad0005.jsonl" in page.text
    assert "p_bad0004.jsonl</code>: line 1, session #1: &#x27;turns&#x27;" in page.text
    assert "notes.jsonl</code>: the file name is not a conversation id" in page.text
    assert [row[0] for row in table_rows(page.text)] == [
        exported.plain,
        exported.rehearsed,
        exported.plain,
    ]
    broken = get(review, "/conversation/p_bad0001")
    assert broken.status_code == 500
    assert "line 2 is not valid JSON" in broken.text


# --- One transcript --------------------------------------------------------------


def test_transcript_shows_moves_chart_and_escaped_text(review, exported) -> None:
    page = get(review, f"/conversation/{exported.rehearsed}").text
    assert '<span class="badge move-criticism">Criticism</span>' in page
    assert "confidence 91% · actor: self" in page
    assert '<span class="badge move-withdrawal">Withdrawal</span>' in page
    assert "confidence 84% · actor: partner" in page
    assert '<span class="badge badge-intent">greet</span>' in page
    assert page.count('class="turn turn-partner"') == 4
    assert page.count('class="turn turn-bot"') == 4
    assert "sunset</strong>: completed · 4 replies · 2 toward, 1 away, 1 against" in (
        page
    )
    # The user's <script> arrives as text, never as markup.
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; he just walks out" in page
    # The chart: a dot with a title per client move, and a text alternative.
    svg = re.search(r"<svg.*?</svg>", page, re.S).group()
    assert svg.count("<circle") == exported.user_moves_in_rehearsed
    assert svg.count("<title>") == exported.user_moves_in_rehearsed
    assert 'role="img"' in svg
    assert 'aria-label="Moves over time in session 1: 6 client turns' in svg
    assert "<figcaption>" in page


def test_plain_conversation_has_a_section_per_session(review, exported) -> None:
    page = get(review, f"/conversation/{exported.plain}").text
    assert '<h2 id="session-1">' in page and '<h2 id="session-2">' in page
    assert "No rehearsals in this session." in page
    assert '<span class="badge move-contempt">Contempt</span>' in page


def test_unknown_ids_and_path_traversal_get_404(review, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "p_abcdef.jsonl").write_text("secret\n")
    for path in (
        "/conversation/p_ffffffff",
        "/conversation/P_AB12CD34EF56AB78",
        "/conversation/p_xyz",
        "/conversation/../outside/p_abcdef",
        "/conversation/..%2Foutside%2Fp_abcdef",
        "/conversation/p_abcdef/../../outside/p_abcdef",
        "/conversation/",
        "/review_assets/review.css",
        "/../review.py",
    ):
        response = raw_get(review, path)
        assert response.status == 404, path
        assert b"Not found" in response.body and b"secret" not in response.body
