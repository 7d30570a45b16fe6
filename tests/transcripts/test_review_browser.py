"""The review page in a real browser (Debian's chromium driven by Playwright): open
the one-time token link, read the table, follow a conversation, see the chart and
the move badges, nothing loaded from elsewhere; and arrive from a link on another
site. A screenshot is saved in test-artifacts/."""

from __future__ import annotations

from typing import List
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.helpers.browser import ARTIFACTS

pytestmark = pytest.mark.browser


def test_review_page_in_a_real_browser(browser: Browser, review, exported) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    hosts: List[str] = []
    page.on("response", lambda r: hosts.append(urlsplit(r.url).hostname))
    errors: List[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{review.url}/?token={review.token}")
        assert page.url == review.url + "/"  # redirected, token gone from the URL
        table = page.get_by_role("table", name="Sessions, newest first")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(3)
        expect(table).to_contain_text("sunset: completed, 2/4 toward")

        page.get_by_role("link", name=exported.rehearsed).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(exported.rehearsed)
        chart = page.locator("svg")
        expect(chart).to_have_count(1)
        expect(chart.locator("circle.dot")).to_have_count(
            exported.user_moves_in_rehearsed
        )
        expect(page.get_by_role("img", name="Moves over time")).to_be_visible()
        badge = page.locator(".badge.move-criticism").first
        expect(badge).to_have_text("Criticism")
        # Colour and text: a white label on the move's colour.
        assert badge.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
        expect(page.locator(".turn-partner").first).to_contain_text("Partner")
        expect(page.get_by_text(exported.script_text[:30])).to_be_visible()

        page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=True)

        # The skip link is the keyboard's first stop, and it is visible then.
        # (Opened again without the list link's #session-1, which moves the
        # starting point of keyboard focus to that session.)
        page.goto(f"{review.url}/conversation/{exported.rehearsed}")
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        expect(page.locator(".skip-link")).to_be_in_viewport()
    finally:
        context.close()

    assert hosts and set(hosts) == {"127.0.0.1"}
    assert errors == []  # no CSP violations, nothing failed to load


def test_arriving_from_a_link_on_another_site(browser: Browser, review) -> None:
    """The SameSite=Strict cookie is not sent on the redirect after a cross-site
    click; the 401 page's link, followed from this site, gets the reader in."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content(f'<a href="{review.url}/?token={review.token}">review</a>')
        page.get_by_role("link", name="review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("A token is needed")
        page.get_by_role("link", name="continue to the review page").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Practice conversations"
        )
        assert page.url == review.url + "/"
    finally:
        context.close()
