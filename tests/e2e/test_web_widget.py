"""The chat page in a real browser (Debian's chromium driven by Playwright) against
the running stack: welcome and crisis link, a reflection, a rehearsal started with
buttons (one pressed from the keyboard), the partner's lines styled apart, a reload
that keeps the conversation going, nothing loaded from elsewhere. A screenshot is
saved in test-artifacts/."""

from __future__ import annotations

import re
import time
from typing import List
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from bids_partner.coaching import load_reflections, load_scenarios
from bids_partner.contract import PARTNER_MARK
from tests.helpers.browser import ARTIFACTS

pytestmark = [pytest.mark.stack, pytest.mark.browser]

LOCAL_HOSTS = {"localhost", "127.0.0.1"}
SUNSET = load_scenarios()["sunset"]


def bot_texts(page: Page) -> List[str]:
    return [t.strip() for t in page.locator(".rw-response").all_inner_texts()]


def wait_for_bot_text(page: Page, starts: List[str], timeout: float = 30) -> str:
    """The first bot message that starts with one of `starts`, waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in bot_texts(page):
            if any(text.startswith(start) for start in starts):
                return text
        page.wait_for_timeout(200)
    raise AssertionError(f"no bot message starting with {starts}: {bot_texts(page)}")


def send(page: Page, text: str) -> None:
    box = page.locator(".rw-new-message")
    expect(box).to_be_enabled(timeout=30_000)
    box.fill(text)
    box.press("Enter")


def tab_to(page: Page, selector: str, presses: int = 25) -> None:
    """Moves focus with the Tab key alone until `selector` has it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def background(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )


def test_chat_in_a_real_browser(assistant, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1100})
    page = context.new_page()
    hosts: List[str] = []
    page.on("response", lambda response: hosts.append(urlsplit(response.url).hostname))
    try:
        page.goto(assistant.stack.config.web_url)
        # Welcome: what it is and is not, and crisis resources one click away.
        expect(page.locator("header")).to_contain_text("not a crisis service")
        crisis = page.get_by_role("link", name="Not safe right now? Get help now")
        expect(crisis).to_be_visible()
        expect(page.locator("#crisis")).to_contain_text("988")
        crisis_text = page.locator("#crisis").inner_text()
        assert crisis_text.index("911") < crisis_text.index("988")
        for line in ("1-800-422-4453", "local emergency number", "findahelpline.com"):
            assert line in crisis_text
        # The greeting arrives over socket.io, with its buttons.
        wait_for_bot_text(page, ["Hi, I'm a practice partner"])
        expect(page.locator(".rw-reply")).to_have_count(3)

        # A reassurance request, typed after reaching the box with the keyboard.
        tab_to(page, "textarea[aria-label='Your message']")
        page.keyboard.type("do you still love me?")
        page.keyboard.press("Enter")
        reflections = load_reflections().moves["reassurance_request"].self
        wait_for_bot_text(page, [t.split("{")[0][:25] for t in reflections])

        # A rehearsal started with buttons; the second pressed from the keyboard.
        send(page, "can we practise?")
        page.get_by_role("button", name=SUNSET.title).click()
        yes = page.get_by_role("button", name="Yes, after each reply")
        yes.focus()
        page.keyboard.press("Enter")
        opening = f"{SUNSET.partner.name}{PARTNER_MARK}{SUNSET.opening}"
        expect(page.locator(".partner-line")).to_contain_text(opening)
        # The partner's line looks different from the coach's.
        assert background(page, ".partner-line .rw-response") != background(
            page, ".coach-line .rw-response"
        )

        # A reload keeps the conversation, and it goes on where it was.
        page.reload()
        expect(page.locator(".partner-line")).to_contain_text(opening)
        assert any(t.startswith("Hi, I'm a practice partner") for t in bot_texts(page))
        send(page, "That sounds really hard, I'm here with you")
        # One of Kai's lines for a reply that turned toward.
        toward = "|".join(re.escape(x.line) for x in SUNSET.replies["toward"].partner)
        expect(page.locator(".partner-line").last).to_contain_text(re.compile(toward))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-widget.png"), full_page=True)
    finally:
        context.close()
    # Everything the page loaded came from this machine (the widget's web-font
    # import is refused by the page's Content-Security-Policy).
    assert set(hosts) <= LOCAL_HOSTS, set(hosts) - LOCAL_HOSTS


def socket_connect_reply(rasa_url: str, origin: str) -> str:
    """Opens an Engine.IO session by long-polling and asks to join socket.io's
    default namespace, as a page from `origin` would; the server's answer."""
    url = f"{rasa_url}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": origin}
    handshake = requests.get(url, headers=headers, timeout=10).text
    sid = handshake[handshake.index('"sid":"') + 7 :].split('"')[0]
    requests.post(f"{url}&sid={sid}", data="40", headers=headers, timeout=10)
    return requests.get(f"{url}&sid={sid}", headers=headers, timeout=10).text


def test_the_socket_is_open_to_the_page_and_no_other_origin(assistant) -> None:
    rasa_url = assistant.stack.config.rasa_url
    page_origin = assistant.stack.config.web_url
    assert socket_connect_reply(rasa_url, page_origin).startswith("40")
    assert socket_connect_reply(rasa_url, "http://elsewhere.example").startswith("44")
    # Browsers get CORS headers for the page's origin only.
    handshake = f"{rasa_url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(handshake, headers={"Origin": page_origin}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == page_origin
    other = requests.get(
        handshake, headers={"Origin": "http://elsewhere.example"}, timeout=10
    )
    assert "Access-Control-Allow-Origin" not in other.headers
