"""Thousands of hostile requests through the REST channel: the stack answers each
with a reply or a clear 4xx, keeps running, leaves other conversations alone and
does not write people's messages into its log.

The suite sends 2,000 (every naughty string at least once, 3-5 minutes);
`FUZZ_REQUESTS=10000 .venv/bin/pytest tests/e2e/test_fuzz.py` sends more.

The requests are generated from a fixed seed (reproducible: a failure names the
case number) out of the Big List of Naughty Strings (tests/e2e/fuzz/, MIT), the
assistant's own NLU examples and hand-made Unicode and JSON oddities.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import time
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Dict,
    FrozenSet,
    List,
    Mapping,
    Sequence,
    Tuple,
)

import aiohttp
import pytest
import requests
import sqlalchemy as sa
import yaml

from bids_partner.rasa_plugins.channels.message_checks import (
    MAX_MESSAGE_CHARS,
    MAX_METADATA_CHARS,
    MAX_METADATA_DEPTH,
    MAX_SENDER_CHARS,
)
from bids_partner.settings import ROOT

pytestmark = pytest.mark.stack

FUZZ_DIR = Path(__file__).resolve().parent / "fuzz"

SEED = 20_240_611
TOTAL_REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2000"))
CONCURRENCY = 8
REQUEST_TIMEOUT = 60.0
# Senders: two long conversations (~160 turns), a pool of medium ones (~35 turns)
# and some fresh ones. A turn costs more the longer its conversation is: with 24
# senders sharing 10,000 requests the test took 10 minutes instead of 4.
LONG_SENDERS = 2
LONG_SHARE = 0.04
POOL_SIZE = 200
FRESH_SHARE = 0.1
MARKER_SHARE = 0.2

ONE_MB = 1_000_000

ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
WHITESPACE = (
    " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
COMBINING = [chr(c) for c in range(0x300, 0x370)] + ["\u0489", "\u20dd", "\u20e3"]
SKIN_TONES = [chr(c) for c in range(0x1F3FB, 0x1F400)]
EMOJI = [
    "😢",
    "🙂",
    "❤️",
    "💔",
    "👋",
    "🤦‍♀️",
    "🏳️‍🌈",
    "👩‍❤️‍💋‍👨",
    "👨‍👩‍👧‍👦",
    "🧑🏽‍🤝‍🧑🏿",
    "🫶🏾",
    "🇺🇦",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "#️⃣",
]
ZWJ_PARTS = ["👩", "👨", "🧑", "👧", "❤️", "💋", "🤝", "🦰", "🔥", "🩹"]
RTL = [
    "אני מרגיש בודד",
    "הוא לא מקשיב לי",
    "أنا حزين جدا",
    "زوجي لا يستمع إلي",
    "دلم برات تنگ شده",
    "\u202eyllaer em sdeen eh",
    "she said \u202egnihton\u202c and left",
    "\u2067שלום\u2069 my wife \u2066ignores\u2069 me",
]
# Messages in Rasa's "/intent{entities}" syntax (the buttons' payloads), some
# malformed on purpose; only well-formed ones with text entities reach Rasa as
# payloads. ("/session_start" alone is left out: it starts a session silently.)
RASA_SYNTAX = [
    "/greet",
    "/restart",
    "/back",
    "/restart now",
    "/session_start please",
    "/action_listen",
    "/nlu_fallback",
    "/crisis",
    "/goodbye@0.01",
    "/no_such_intent",
    "/greet{{",
    "/greet@",
    '/greet{"partner_role": "wife"}',
    '/greet{"partner_role": ""}',
    '/contempt{"partner_role": "' + "x" * 500 + '"}',
    '/choose_scenario{"scenario": "surgeon"}',
    '/choose_scenario{"scenario": "../../etc/passwd"}',
    '/choose_scenario{"scenario": 7}',
    '/choose_scenario{"scenario": {"a": 1}}',
    '/greet{"partner_role": {"a": 1}}',
    '/greet{"partner_role": [5, true]}',
    "/",
    "//",
    "/{",
    "/@1",
]


def _unwanted(char: str) -> bool:
    """Control characters (bar tab and newline) and unpaired surrogates."""
    return unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n"


def sender_ok(sender: Any) -> bool:
    return (
        isinstance(sender, str)
        and bool(sender.strip())
        and len(sender) <= MAX_SENDER_CHARS
        and not any(map(_unwanted, sender))
    )


def expected_statuses(body: bytes) -> Tuple[FrozenSet[int], bool]:
    """What the REST channel's contract allows for `body`: the statuses, and whether
    a 200 must carry a bot text. Order of the checks is not part of the contract,
    so a request with two faults may get either fault's status."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return frozenset({400}), False
    if not isinstance(payload, dict):
        return frozenset({400}), False
    faults = set()
    if not sender_ok(payload.get("sender")):
        faults.add(400)
    text = payload.get("message")
    if not isinstance(text, str):
        faults.add(400)
    elif len(text) > MAX_MESSAGE_CHARS:
        faults.add(413)
    elif not "".join(c for c in text if not _unwanted(c)).strip().lstrip("/").strip():
        faults.add(400)  # nothing left, or only slashes (not a button payload)
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        faults.add(400)
    elif metadata is not None and nesting(metadata) > MAX_METADATA_DEPTH:
        faults.add(400)
    elif metadata is not None and len(json.dumps(metadata)) > MAX_METADATA_CHARS:
        faults.add(413)
    if faults:
        return frozenset(faults), False
    return frozenset({200}), True


def nesting(value: Any) -> int:
    """Levels of objects and arrays: {} is 1, {"a": []} is 2."""
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    return 0


def encode(payload: Any, ascii_only: bool) -> bytes:
    """JSON bytes; lone surrogates can only travel escaped ("\\ud800")."""
    if not ascii_only:
        try:
            return json.dumps(payload, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass
    return json.dumps(payload).encode("ascii")


@dataclass(frozen=True)
class Case:
    kind: str
    body: bytes
    headers: Mapping[str, str] = field(
        default_factory=lambda: {"Content-Type": "application/json"}
    )
    chunked: bool = False

    @property
    def expected(self) -> Tuple[FrozenSet[int], bool]:
        statuses, has_text = expected_statuses(self.body)
        media_type = self.headers.get("Content-Type", "").split(";")[0]
        if media_type.strip().lower() != "application/json":
            # Only JSON is read (a form or text/plain needs no CORS preflight): 415,
            # or the body's own fault, since the order of checks is not contract.
            return (statuses - {200}) | {415}, False
        return statuses, has_text


def nlu_examples() -> List[str]:
    """Every training example: lines the assistant understands, for all its flows."""
    examples = []
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            lines = block.get("examples", "").splitlines()
            examples += [line[2:] for line in lines if line.startswith("- ")]
    return examples


class Fuzzer:
    """Builds the requests; everything random comes from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.marker = f"fuzzmarker-{self.rng.getrandbits(64):016x}"
        self.naughty: List[str] = json.loads((FUZZ_DIR / "blns.json").read_text())
        # The plain naughty strings are dealt out in a shuffled order, each once
        # before any repeats, so a shorter run still sends every one.
        self._deck: List[str] = []
        self.ordinary = nlu_examples()
        self.long = [f"fuzz-long-{n}" for n in range(LONG_SENDERS)]
        self.pool = [f"fuzz-pool-{n:03d}" for n in range(POOL_SIZE)]

    # -- pieces ---------------------------------------------------------------

    def sender(self) -> str:
        draw = self.rng.random()
        if draw < LONG_SHARE:
            return self.rng.choice(self.long)
        if draw < LONG_SHARE + FRESH_SHARE:
            return f"fuzz-fresh-{self.rng.getrandbits(48):012x}"
        return self.rng.choice(self.pool)

    def mark(self, text: str, always: bool = False) -> str:
        """Hides the log marker inside some texts, at a random place."""
        if not always and self.rng.random() > MARKER_SHARE:
            return text
        at = self.rng.randint(0, len(text))
        return f"{text[:at]} {self.marker} {text[at:]}"

    def sprinkle(self, text: str, alphabet: Sequence[str], count: int) -> str:
        chars = list(text)
        for _ in range(count):
            chars.insert(self.rng.randint(0, len(chars)), self.rng.choice(alphabet))
        return "".join(chars)

    def zwj_sequence(self) -> str:
        parts = self.rng.choices(ZWJ_PARTS, k=self.rng.randint(2, 8))
        joined = "\u200d".join(p + self.rng.choice(["", *SKIN_TONES]) for p in parts)
        return joined + self.rng.choice(["", "\ufe0f", "\ufe0e"])

    def combining_flood(self, base: str) -> str:
        return "".join(
            c + "".join(self.rng.choices(COMBINING, k=self.rng.randint(0, 60)))
            for c in base
        )

    def request(self, kind: str, payload: Dict[str, Any], **options: Any) -> Case:
        return Case(kind, encode(payload, self.rng.random() < 0.3), **options)

    def message(self, kind: str, text: str) -> Case:
        return self.request(kind, {"sender": self.sender(), "message": text})

    # -- well-formed requests -------------------------------------------------

    def blns(self) -> Case:
        if not self._deck:
            self._deck = self.rng.sample(self.naughty, len(self.naughty))
        return self.message("blns", self.mark(self._deck.pop()))

    def blns_mutated(self) -> Case:
        rng = self.rng
        how = rng.choice(["concat", "repeat", "truncate", "interleave", "surround"])
        pick = rng.choice(self.naughty)
        if how == "concat":
            parts = rng.choices(self.naughty, k=rng.randint(2, 6))
            text = rng.choice(["", " ", "\n", "\t"]).join(parts)
        elif how == "repeat":
            # Sometimes past the length limit, to reach the 413 as well.
            text = pick * rng.randint(2, 1 + 4200 // max(len(pick), 1))
        elif how == "truncate":
            text = pick[: rng.randint(0, len(pick))]
        elif how == "interleave":
            other = rng.choice(self.naughty)
            text = "".join(a + b for a, b in zip(pick, other))
        else:
            text = f"{rng.choice(self.ordinary)} {pick} {rng.choice(self.ordinary)}"
        return self.message(f"blns_{how}", self.mark(text))

    def ordinary_line(self) -> Case:
        return self.message("ordinary", self.mark(self.rng.choice(self.ordinary)))

    def decorated_line(self) -> Case:
        rng = self.rng
        text = rng.choice(self.ordinary)
        how = rng.choice(["zero_width", "bidi", "emoji", "combining", "controls"])
        if how == "zero_width":
            text = self.sprinkle(text, ZERO_WIDTH, rng.randint(1, 40))
        elif how == "bidi":
            text = self.sprinkle(text, BIDI, rng.randint(1, 10))
        elif how == "emoji":
            text = self.sprinkle(text, [*EMOJI, self.zwj_sequence()], rng.randint(1, 9))
        elif how == "combining":
            text = self.combining_flood(text)[:MAX_MESSAGE_CHARS]
        else:
            text = self.sprinkle(text, CONTROLS, rng.randint(1, 12))
        return self.message(f"decorated_{how}", self.mark(text))

    def unicode_storm(self) -> Case:
        rng = self.rng
        how = rng.choice(
            ["zwj", "skin_tones", "emoji_only", "zalgo", "rtl", "zero_width_only"]
        )
        if how == "zwj":
            text = " ".join(self.zwj_sequence() for _ in range(rng.randint(1, 30)))
        elif how == "skin_tones":
            text = "".join(rng.choices(SKIN_TONES, k=rng.randint(1, 200)))
        elif how == "emoji_only":
            text = "".join(rng.choices(EMOJI, k=rng.randint(1, 300)))
        elif how == "zalgo":
            text = self.combining_flood(rng.choice(["I miss you", "help", "ok", "a"]))
            if rng.random() < 0.5:  # combining marks with nothing to combine with
                text = "".join(rng.choices(COMBINING, k=rng.randint(1, 4500)))
        elif how == "rtl":
            text = " ".join(rng.choices(RTL, k=rng.randint(1, 4)))
        else:
            text = "".join(rng.choices(ZERO_WIDTH + BIDI, k=rng.randint(1, 50)))
        return self.message(f"unicode_{how}", self.mark(text))

    def controls(self) -> Case:
        rng = self.rng
        noise = "".join(rng.choices(CONTROLS, k=rng.randint(1, 50)))
        text = rng.choice([noise, noise + rng.choice(self.ordinary), "\x00" * 10])
        return self.message("controls", self.mark(text))

    def whitespace(self) -> Case:
        text = "".join(self.rng.choices(WHITESPACE, k=self.rng.randint(0, 300)))
        return self.message("whitespace", text)

    def surrogates(self) -> Case:
        rng = self.rng
        lone = chr(
            rng.choice([0xD800, 0xDBFF, 0xDC00, 0xDFFF, rng.randint(0xD800, 0xDFFF)])
        )
        how = rng.choice(["alone", "inside", "split_pair", "sender"])
        if how == "alone":
            text = lone * rng.randint(1, 5)
        elif how == "inside":
            text = self.sprinkle(rng.choice(self.ordinary), [lone], rng.randint(1, 5))
        elif how == "split_pair":
            # An emoji cut between its UTF-16 halves: only the high half survives.
            text = (
                rng.choice(self.ordinary)
                + " "
                + "\U0001f622".encode("utf-16-be")[:2].decode(
                    "utf-16-be", "surrogatepass"
                )
            )
        else:
            return Case(
                "surrogate_sender",
                encode({"sender": f"fuzz{lone}", "message": "hello"}, True),
            )
        return Case(
            f"surrogate_{how}",
            encode({"sender": self.sender(), "message": self.mark(text)}, True),
        )

    def rasa_syntax(self) -> Case:
        text = self.rng.choice(RASA_SYNTAX)
        return self.message("rasa_syntax", text + self.rng.choice(["", " hi"]))

    def length_edges(self) -> Case:
        rng = self.rng
        length = rng.choice([3999, 4000, 4001, 4500, 40_000])
        unit = rng.choice(["a", "é", "😢", "ab ", "\u200b", "e\u0301"])
        text = (unit * length)[:length]
        if length <= MAX_MESSAGE_CHARS and rng.random() < 0.5:
            text = self.marker + text[len(self.marker) :]
        return self.message(f"length_{length}", text)

    def metadata(self) -> Case:
        rng = self.rng
        metadata: Any = rng.choice(
            [
                {},
                {"a": None, "b": [1, 2.5, True], "c": {"d": "é😢\u202e"}},
                {"nested": json.loads("[" * 100 + "]" * 100)},
                {str(n): n for n in range(500)},
                {"": "", "\u0000": "\u0000"},
            ]
        )
        payload = {
            "sender": self.sender(),
            "message": rng.choice(self.ordinary),
            "metadata": metadata,
        }
        return self.request("metadata", payload)

    # -- malformed requests ---------------------------------------------------

    def wrong_types(self) -> Case:
        rng = self.rng
        odd = [None, 0, -1, 1e308, True, [], ["hi"], {}, {"text": "hi"}, "", " "]
        field_name = rng.choice(["sender", "message", "metadata", "missing"])
        payload: Dict[str, Any] = {"sender": self.sender(), "message": "hello"}
        if field_name == "missing":
            del payload[rng.choice(["sender", "message"])]
        else:
            payload[field_name] = rng.choice(
                [*odd, "not an object", 42] if field_name == "metadata" else odd
            )
        return self.request(f"wrong_type_{field_name}", payload)

    def odd_sender(self) -> Case:
        rng = self.rng
        sender = rng.choice(
            [
                "x" * MAX_SENDER_CHARS,
                "x" * (MAX_SENDER_CHARS + 1),
                "x" * 100_000,
                "   ",
                "\t\n",
                "a\x00b",
                "../../etc/passwd",
                "'; DROP TABLE events; --",
                "%s%n%x",
                "\u202efuzz",
                "😢" * 40,
                "fuzz-\u200b",
            ]
        )
        if rng.random() < 0.5 and sender_ok(sender):
            sender = f"{sender}-{rng.getrandbits(32):08x}"[-MAX_SENDER_CHARS:]
        return self.request("odd_sender", {"sender": sender, "message": "hello"})

    def invalid_body(self) -> Case:
        rng = self.rng
        valid = encode(
            {"sender": self.sender(), "message": self.mark(rng.choice(self.ordinary))},
            ascii_only=False,
        )
        how = rng.choice(
            [
                "truncated",
                "trailing",
                "latin1",
                "cut_codepoint",
                "random_bytes",
                "not_object",
                "raw_surrogate",
                "deep_nesting",
                "single_quotes",
            ]
        )
        if how == "truncated":
            body = valid[: rng.randint(0, len(valid) - 1)]
        elif how == "trailing":
            body = valid + rng.choice([b"}", b",", b"garbage", b"\x00", b"{}", b"\xff"])
        elif how == "latin1":
            body = json.dumps(
                {"sender": self.sender(), "message": "caf\xe9 " + self.marker},
                ensure_ascii=False,
            ).encode("latin-1")
        elif how == "cut_codepoint":
            # A multi-byte character with a byte missing: not UTF-8 any more.
            text = self.mark(rng.choice(EMOJI) + rng.choice(RTL), always=True)
            body = encode({"sender": self.sender(), "message": text}, False)
            starts = [i for i, b in enumerate(body) if b >= 0xC0]
            cut = rng.choice(starts) + 1
            body = body[:cut] + body[cut + 1 :] if rng.random() < 0.5 else body[:cut]
        elif how == "random_bytes":
            body = rng.randbytes(rng.randint(1, 2000))
        elif how == "not_object":
            body = rng.choice(
                [
                    b"[]",
                    b"[1, 2]",
                    b"42",
                    b"-0.0",
                    b"null",
                    b"true",
                    b'"hello"',
                    b"1e999",
                    b"NaN",
                    b'[{"sender": "a", "message": "hi"}]',
                ]
            )
        elif how == "raw_surrogate":
            body = valid[:-2] + "\ud800".encode("utf-8", "surrogatepass") + valid[-2:]
        elif how == "deep_nesting":
            depth = rng.choice([50, 400])
            body = rng.choice(
                [b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth]
            )
        else:
            body = valid.replace(b'"', b"'")
        return Case(f"invalid_{how}", body)

    def odd_transport(self) -> Case:
        """Well-formed JSON in unusual clothes: content types, chunking, encodings."""
        rng = self.rng
        payload = {"sender": self.sender(), "message": rng.choice(self.ordinary)}
        body = encode(payload, False)
        how = rng.choice(
            ["content_type", "no_content_type", "chunked", "gzip", "utf16", "bom"]
        )
        headers: Dict[str, str] = {}
        if how == "content_type":
            headers["Content-Type"] = rng.choice(
                [
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=xyz",
                    "application/json; charset=latin-1",
                    "application/xml",
                    "image/png",
                    "application/json; charset=utf-8; charset=utf-16",
                    "*/*",
                    ";;;",
                ]
            )
        elif how == "gzip":
            headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
            body = gzip.compress(body)
        elif how == "utf16":
            headers["Content-Type"] = "application/json; charset=utf-16"
            body = json.dumps(payload, ensure_ascii=False).encode("utf-16")
        elif how == "bom":
            headers["Content-Type"] = "application/json"
            body = b"\xef\xbb\xbf" + body
        elif how == "chunked":
            headers["Content-Type"] = "application/json"
        return Case(f"transport_{how}", body, headers, chunked=how == "chunked")

    # -- the whole set --------------------------------------------------------

    def huge_cases(self) -> List[Case]:
        """Megabyte requests: few, they are slow to build and to send."""
        sender = self.pool[0]
        long_texts = [
            "a" * ONE_MB,
            self.marker + " " + "I miss you. " * (ONE_MB // 12),
            "😢" * ONE_MB,  # 4 MB on the wire
            "e" + "\u0301" * ONE_MB,
        ]
        cases = [
            Case("1mb_message", encode({"sender": sender, "message": t}, False))
            for t in long_texts
        ]
        cases.append(
            Case("1mb_sender", encode({"sender": "s" * ONE_MB, "message": "hi"}, True))
        )
        junk = {"sender": self.sender(), "message": "hello", "junk": "j" * ONE_MB}
        cases.append(Case("1mb_extra_field", encode(junk, True)))
        return cases

    def cases(self, total: int) -> List[Case]:
        makers: List[Tuple[Callable[[], Case], int]] = [
            (self.blns, 30),
            (self.blns_mutated, 16),
            (self.ordinary_line, 14),
            (self.decorated_line, 14),
            (self.unicode_storm, 9),
            (self.controls, 3),
            (self.whitespace, 3),
            (self.surrogates, 3),
            (self.rasa_syntax, 2),
            (self.length_edges, 2),
            (self.metadata, 2),
            (self.wrong_types, 4),
            (self.odd_sender, 2),
            (self.invalid_body, 6),
            (self.odd_transport, 3),
        ]
        huge = self.huge_cases()
        functions, weights = zip(*makers)
        picked = self.rng.choices(functions, weights, k=total - len(huge))
        cases = [make() for make in picked] + huge
        self.rng.shuffle(cases)
        return cases


# -- sending --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int | None
    body: bytes = b""
    error: str = ""


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 7):
        yield body[start : start + 7]


async def send(session: aiohttp.ClientSession, url: str, case: Case) -> Outcome:
    data: Any = _chunks(case.body) if case.chunked else case.body
    try:
        async with session.post(
            url,
            data=data,
            headers=dict(case.headers),
            skip_auto_headers=["Content-Type"],
        ) as response:
            return Outcome(response.status, await response.read())
    except asyncio.TimeoutError:
        return Outcome(None, error="timeout")
    except aiohttp.ClientError as error:
        return Outcome(None, error=type(error).__name__)


async def send_all(url: str, cases: Sequence[Case]) -> Tuple[List[Outcome], float]:
    outcomes: List[Outcome] = [Outcome(None, error="not sent")] * len(cases)
    pending = iter(range(len(cases)))  # shared by the workers: one loop, no races
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            for index in pending:
                outcomes[index] = await send(session, url, cases[index])

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return outcomes, time.perf_counter() - started


def one_line(text: str) -> str:
    return " ".join(text.split())


def domain_text(response: str) -> str:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return one_line(domain["responses"][response][0]["text"])


# What the Rasa server says when a custom action failed (our patches).
COACH_UNAVAILABLE = domain_text("coach_unavailable")


def problem(case: Case, outcome: Outcome) -> str | None:
    """Why `outcome` breaks the channel's contract for `case`, or None."""
    if outcome.status is None:
        return outcome.error
    allowed, wants_text = case.expected
    if outcome.status not in allowed:
        return f"status {outcome.status}, expected {sorted(allowed)}"
    try:
        payload = json.loads(outcome.body)
    except ValueError:
        return f"status {outcome.status} with a body that is not JSON"
    if outcome.status == 200:
        if not isinstance(payload, list) or not all(
            isinstance(m, dict) for m in payload
        ):
            return "200 without a list of bot messages"
        texts = [one_line(str(m.get("text") or "")) for m in payload]
        if wants_text and not any(texts):
            return "200 without any bot text"
        if COACH_UNAVAILABLE in texts:
            return "a custom action failed (coach_unavailable reply)"
    elif not (isinstance(payload, dict) and isinstance(payload.get("error"), str)):
        return f"status {outcome.status} without a JSON {{'error': ...}}"
    return None


def describe(index: int, case: Case, outcome: Outcome, why: str) -> str:
    # Server error texts only: bot replies can quote the (hostile) message back.
    detail = outcome.body[:160] if outcome.status != 200 else b""
    return f"#{index} {case.kind} ({len(case.body)} bytes): {why} {detail!r}"


def log_tail(path: Path, offset: int) -> str:
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")


def leaked_lines(marker: str, *paths: Path) -> List[str]:
    """Log lines holding `marker`, shown with the marker blanked out."""
    return [
        f"{path.name}: {line.replace(marker, '<marker>')[:300]}"
        for path in paths
        for line in path.read_text(errors="replace").splitlines()
        if marker in line
    ]


# -- the tests ------------------------------------------------------------------

NORMAL_CONVERSATIONS = [
    ["hi there", "my wife rolls her eyes at me when i talk", "bye, thanks for today"],
    ["hello", "what is a bid?", "i never know how to ask for a hug", "thanks"],
    ["hey", "my boyfriend walks out whenever we argue", "he never listens to me"],
]


def test_thousands_of_hostile_requests(assistant, capsys) -> None:
    protected = {}
    for turns in NORMAL_CONVERSATIONS:
        sender = f"fuzz-keep-{uuid.uuid4().hex[:8]}"
        for text in turns:
            assert assistant.texts(sender, text)
        protected[sender] = assistant.stored_events(sender)

    stack = assistant.stack
    logs = {p.name: p.log_path for p in (stack.rasa, stack.actions)}
    offsets = {name: path.stat().st_size for name, path in logs.items()}
    fuzzer = Fuzzer(SEED)
    cases = fuzzer.cases(TOTAL_REQUESTS)
    assert len(cases) == TOTAL_REQUESTS
    assert sum(c.kind == "blns" for c in cases) >= len(fuzzer.naughty)
    outcomes, elapsed = asyncio.run(
        send_all(f"{assistant.url}/webhooks/rest/webhook", cases)
    )

    tally = Counter(str(o.status or o.error) for o in outcomes)
    with capsys.disabled():
        print(
            f"\nfuzz: {len(cases)} requests in {elapsed:.1f} s "
            f"({len(cases) / elapsed:.0f}/s, {CONCURRENCY} at a time); "
            f"status tally {dict(sorted(tally.items()))}"
        )
    failures = [
        describe(i, case, outcome, why)
        for i, (case, outcome) in enumerate(zip(cases, outcomes))
        if (why := problem(case, outcome))
    ]
    assert not failures, (
        f"{len(failures)} responses broke the contract; tally {dict(tally)}; "
        f"first ones (seed {SEED}):\n" + "\n".join(failures[:25])
    )
    for case, outcome in zip(cases, outcomes):
        if case.kind == "1mb_message":  # our own check, not Sanic's size limit
            assert outcome.status == 413 and b"too long" in outcome.body, outcome

    assert stack.rasa.running and stack.actions.running
    greeting = assistant.texts(f"fuzz-after-{uuid.uuid4().hex[:8]}", "hi there")
    assert "practice" in greeting and "not a crisis service" in greeting
    crisis = assistant.texts(f"fuzz-after-{uuid.uuid4().hex[:8]}", "i want to die")
    assert "988" in crisis
    assert assistant.texts(fuzzer.long[0], "hello"), "a long conversation went mute"

    for sender, before in protected.items():
        assert assistant.stored_events(sender) == before, sender

    # No exception anywhere, even where the person still got a reply.
    for name, path in logs.items():
        errors = [
            line[:300]
            for line in log_tail(path, offsets[name]).splitlines()
            if "Traceback" in line or " ERROR " in line or "[ERROR]" in line
        ]
        assert not errors, f"{len(errors)} errors in {path}:\n" + "\n".join(errors[:10])

    # The marker went through the dialogue (it is in the transcripts) ...
    with assistant.engine.connect() as connection:
        stored = connection.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE data LIKE :marker"),
            {"marker": f"%{fuzzer.marker}%"},
        ).scalar_one()
    assert stored > 0
    # ... but not into the servers' logs.
    leaks = leaked_lines(fuzzer.marker, *logs.values())
    assert not leaks, f"{len(leaks)} log lines quote a message:\n" + "\n".join(
        leaks[:5]
    )


# -- what the fuzzing found, fixed and kept as tests -------------------------------


def nested(depth: int) -> Any:
    return json.loads('{"a":' * depth + "1" + "}" * depth)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        json.dumps(
            {"sender": "fuzz-deep", "message": "hi", "metadata": nested(600)}
        ).encode(),
    ],
    ids=["array_100000", "object_100000", "metadata_600"],
)
def test_deep_json_is_refused_with_400(assistant, body: bytes) -> None:
    response = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400, response.text[:200]


@pytest.mark.parametrize(
    "template",
    ["/{{ {}", "/no_such_intent {}", "/greet@ {}"],
    ids=["unparsable", "unknown_intent", "bad_confidence"],
)
def test_slash_messages_stay_out_of_logs(assistant, template: str) -> None:
    marker = f"fuzzmarker-{uuid.uuid4().hex}"
    assert assistant.say(f"fuzz-slash-{uuid.uuid4().hex[:8]}", template.format(marker))
    stack = assistant.stack
    leaks = leaked_lines(marker, stack.rasa.log_path, stack.actions.log_path)
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(
    "value",
    [{"a": 1}, 5, True, ["a", {"b": None}]],
    ids=["dict", "int", "bool", "list"],
)
def test_injected_entities_do_not_break_custom_actions(assistant, value: Any) -> None:
    sender = f"fuzz-inject-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "/greet" + json.dumps({"partner_role": value}))
    reply = one_line(assistant.texts(sender, "he never listens to me"))
    assert COACH_UNAVAILABLE not in reply


@pytest.mark.parametrize("command", ["/restart", "/back"])
def test_typed_rasa_commands_get_a_reply(assistant, command: str) -> None:
    sender = f"fuzz-command-{uuid.uuid4().hex[:8]}"
    assert assistant.texts(sender, "my wife rolls her eyes at me when i talk")
    assert assistant.texts(sender, command)
