"""The chat page for someone whose devices are checked (issue 19), in a real browser
against the running stack: quick exit by either button and by Esc twice (the page
is replaced, Back does not lead to the chat, this origin's storage is empty); the
conversation kept in its tab only (a reload keeps it, a new tab does not; nothing
in local storage, the title, notifications or history); the assistant speaking
first; typing dots while a reply is on its way; the page at phone size.
Screenshots at desktop and phone size are saved in test-artifacts/."""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.test_web_widget import bot_texts, send, wait_for_bot_text
from tests.helpers.browser import ARTIFACTS

pytestmark = [pytest.mark.stack, pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 667}
SMALL_PHONE = {"width": 320, "height": 568}
GREETING = "Hi, I'm a practice partner"
TITLE = "Bids practice partner"
EXIT_PATH = "/new-tab"  # QUICK_EXIT_URL is unset in the test stack
BEFORE = "data:text/html,<title>Before</title><p>the page before the chat</p>"
# Words of the chat page that must not be on the page quick exit leads to.
TRACES = re.compile(r"practi[cs]e|partner|crisis|bids|chat|assistant", re.I)
MIN_TARGET = 44  # px, the touch-target size


@contextmanager
def new_context(browser: Browser, **options: Any) -> Iterator[Any]:
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    try:
        yield context
    finally:
        context.close()


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_bot_text(page, [GREETING])


def replies(page: Page) -> int:
    """The assistant's messages in the log (not the typing dots' empty bubble)."""
    return sum(1 for text in bot_texts(page) if text)


def send_and_wait(page: Page, text: str, timeout: float = 30) -> None:
    """Sends `text` and waits until the assistant has answered it."""
    before = replies(page)
    send(page, text)
    deadline = time.monotonic() + timeout
    while replies(page) <= before:
        assert time.monotonic() < deadline, f"no reply to {text!r}: {bot_texts(page)}"
        page.wait_for_timeout(100)


def session_id(page: Page) -> str | None:
    stored = page.evaluate("sessionStorage.getItem('chat_session')")
    return json.loads(stored)["session_id"] if stored else None


def storage(page: Page) -> Dict[str, Dict[str, str]]:
    return page.evaluate("({local: {...localStorage}, session: {...sessionStorage}})")


def senders_of(assistant, texts: List[str]) -> Dict[str, set]:
    """The conversations (sender ids) in the tracker store holding each text."""
    found: Dict[str, set] = {text: set() for text in texts}
    with assistant.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user'")
        )
        for sender, data in rows:
            text = json.loads(data).get("text")
            if text in found:
                found[text].add(sender)
    return found


def leave_by(page: Page, how: str) -> None:
    if how == "the button at the top":
        page.locator(".exit-bar").get_by_role("link", name="Leave quickly").click()
    elif how == "the button in the crisis section":
        page.locator("#crisis").get_by_role("link", name="Leave quickly").click()
    else:
        # One Esc, or two far apart, is an ordinary key press: the chat stays.
        page.locator(".rw-new-message").focus()
        page.keyboard.press("Escape")
        page.wait_for_timeout(1300)
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)
        assert urlpath(page) == "/"
        expect(page.locator(".rw-new-message")).to_be_visible()
        # Twice within a second, from the message box: the page goes.
        page.keyboard.press("Escape")
        page.wait_for_timeout(150)
        page.keyboard.press("Escape")


def slowly(route: Route) -> None:
    time.sleep(1.2)
    route.continue_()


def urlpath(page: Page) -> str:
    return page.evaluate("location.pathname")


@pytest.mark.parametrize(
    "how",
    [
        "the button at the top",
        "the button in the crisis section",
        "Esc twice",
    ],
)
def test_quick_exit_replaces_the_page_and_leaves_nothing(
    assistant, browser: Browser, how: str
) -> None:
    with new_context(browser) as context:
        page = context.new_page()
        page.goto(BEFORE)
        open_chat(page, assistant.stack.config.web_url)
        send_and_wait(page, "do you still love me?")
        assert storage(page)["session"], "the widget keeps its session in the tab"

        # A slow exit page keeps the chat's page alive a while: still nothing
        # is left behind.
        page.route(f"**{EXIT_PATH}", slowly)
        leave_by(page, how)
        page.wait_for_url(f"**{EXIT_PATH}", timeout=10_000)
        # A neutral page with no trace of the assistant, in this origin, whose
        # storage is now empty.
        assert page.title() == "New Tab"
        assert not TRACES.search(page.content()), page.content()
        assert storage(page) == {"local": {}, "session": {}}
        # Back goes to the page before the chat: the chat's entry is gone.
        page.go_back()
        assert page.url == BEFORE
        assert page.title() == "Before"
        page.go_forward()
        assert urlpath(page) == EXIT_PATH
        assert page.locator(".rw-widget-embedded, #webchat").count() == 0


# Records, at each change of the page, whether typing dots (ours or the
# widget's) show, and how many messages each side has in the log.
TYPING_RECORDER = """
window.__typing = [];
document.addEventListener("DOMContentLoaded", function () {
  function shown(element) {
    if (!element) return false;
    var box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 &&
      element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }
  function inside(element, outer) {
    if (!element || !outer) return false;
    var a = element.getBoundingClientRect(), b = outer.getBoundingClientRect();
    return a.top >= b.top && a.bottom <= b.bottom && a.left >= b.left &&
      a.right <= b.right;
  }
  function record() {
    var ours = document.getElementById("typing");
    var replies = Array.from(document.querySelectorAll(".rw-response")).filter(
      function (e) {
        return !e.closest(".rw-typing-indication") && e.textContent.trim();
      });
    window.__typing.push({
      ours: shown(ours),
      oursInLog: inside(ours, document.querySelector(".rw-messages-container")),
      widgets: shown(document.querySelector(".rw-typing-indication")),
      clients: document.querySelectorAll(".rw-client").length,
      replies: replies.length,
    });
  }
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["hidden", "class"],
  });
});
"""


def test_the_assistant_speaks_first_and_dots_show_while_a_reply_comes(
    assistant, browser: Browser
) -> None:
    with new_context(browser) as context:
        page = context.new_page()
        page.add_init_script(TYPING_RECORDER)
        open_chat(page, assistant.stack.config.web_url)
        # The assistant opens the conversation, before the user types anything,
        # and says what it is not.
        first = page.locator(".rw-group-message").first
        expect(first).to_have_class(re.compile(r"\brw-from-response\b"))
        greeting = " ".join(first.inner_text().split())
        assert greeting.startswith(GREETING)
        assert "practice tool" in greeting and "not a crisis service" in greeting
        assert page.locator(".rw-client").count() == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-desktop.png"))

        before = page.evaluate("window.__typing.length")
        greeted = replies(page)
        send_and_wait(page, "do you still love me?")
        expect(page.locator("#typing")).to_be_hidden()
        expect(page.locator(".rw-typing-indication")).to_have_count(0)
        states = page.evaluate("window.__typing")[before:]
        sent = next(i for i, s in enumerate(states) if s["clients"] == 1)
        replied = next(i for i, s in enumerate(states) if s["replies"] > greeted)
        waiting = states[sent:replied]
        # From the user's message until the reply, dots were on screen, in the
        # log: ours while the reply was on its way, then the widget's.
        assert waiting, states
        assert all(s["ours"] or s["widgets"] for s in waiting), waiting
        assert any(s["ours"] for s in waiting), waiting
        assert all(s["oursInLog"] for s in waiting if s["ours"]), waiting


NOTIFICATION_RECORDER = """
window.__notifications = [];
window.Notification = function (title) { window.__notifications.push(title); };
window.Notification.permission = "default";
window.Notification.requestPermission = function () {
  window.__notifications.push("permission requested");
  return Promise.resolve("denied");
};
"""


def test_the_conversation_lives_in_its_tab_only(assistant, browser: Browser) -> None:
    first_text = "I reached for her hand at dinner and she pulled away"
    later_text = "she said she was tired"
    with new_context(browser) as context:
        page = context.new_page()
        page.add_init_script(NOTIFICATION_RECORDER)
        open_chat(page, assistant.stack.config.web_url)
        history = page.evaluate("history.length")
        send_and_wait(page, first_text)
        kept = session_id(page)
        assert kept
        # The session is in this tab's session storage; local storage (which
        # outlives the tab) holds nothing of it.
        assert storage(page)["local"] == {}

        # A reload keeps the conversation: the same messages, no second greeting,
        # and what is said next joins the same conversation in Rasa.
        page.reload()
        expect(page.locator(".rw-client")).to_contain_text([first_text])
        wait_for_bot_text(page, [GREETING])
        page.wait_for_timeout(1500)  # a new session would greet again by now
        assert sum(t.startswith(GREETING) for t in bot_texts(page)) == 1
        assert session_id(page) == kept
        send_and_wait(page, later_text)
        expect(page.locator(".rw-client")).to_have_count(2)
        senders = senders_of(assistant, [first_text, later_text])
        assert len(senders[first_text]) == 1, senders
        assert senders[later_text] == senders[first_text], senders

        # Nothing of the conversation in the title, history or notifications.
        assert page.title() == TITLE
        assert page.evaluate("history.length") == history
        assert page.evaluate("window.__notifications") == []

        # A new tab in the same browser starts afresh.
        other = context.new_page()
        open_chat(other, assistant.stack.config.web_url)
        assert other.locator(".rw-client").count() == 0
        assert first_text not in other.content()
        assert session_id(other) not in (None, kept)


def in_viewport(page: Page, selector: str) -> bool:
    """The element is wholly inside the viewport and on top at its centre."""
    return page.locator(selector).first.evaluate(
        """e => {
          const r = e.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight &&
            r.right <= innerWidth && !!top && (top === e || e.contains(top));
        }"""
    )


def no_horizontal_scroll(page: Page) -> bool:
    """Neither the page nor the message log scrolls sideways."""
    return page.evaluate(
        """() => {
          const log = document.querySelector(".rw-messages-container");
          return document.documentElement.scrollWidth <= innerWidth &&
            (!log || log.scrollWidth <= log.clientWidth);
        }"""
    )


def small_targets(page: Page, selector: str) -> List[str]:
    """The elements matching `selector`, shown, whose box is under 44 x 44 px."""
    sizes = page.locator(selector).evaluate_all(
        """es => es.filter(e => e.getClientRects().length).map(e => {
          const r = e.getBoundingClientRect();
          return [e.textContent.trim() || e.className, r.width, r.height];
        })"""
    )
    return [
        f"{name!r} {width:.0f}x{height:.0f}"
        for name, width, height in sizes
        if width < MIN_TARGET or height < MIN_TARGET
    ]


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["375x667", "320x568"])
def test_the_chat_works_at_phone_size(
    assistant, browser: Browser, viewport: Dict[str, int]
) -> None:
    size = "" if viewport == PHONE else f"-{viewport['width']}x{viewport['height']}"
    with new_context(
        browser, viewport=viewport, is_mobile=True, has_touch=True
    ) as context:
        page = context.new_page()
        open_chat(page, assistant.stack.config.web_url)
        assert no_horizontal_scroll(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"web-phone{size}-top.png"))
        # Quick exit is on screen at the top and wherever the page is scrolled.
        assert in_viewport(page, ".exit-bar .quick-exit")
        page.locator("#crisis").scroll_into_view_if_needed()
        assert in_viewport(page, ".exit-bar .quick-exit")

        # Scrolled to, the whole chat fits the screen: the greeting, the box and
        # the send button, none under the exit bar.
        page.locator("#chat").evaluate("e => e.scrollIntoView()")
        page.locator(".rw-new-message").fill("hello")
        for selector in (".rw-new-message", ".rw-send", ".rw-response"):
            assert in_viewport(page, selector), selector
        page.locator(".rw-new-message").fill("")

        # Touch targets of at least 44 px.
        for selector in (
            ".quick-exit",
            ".rw-send",
            ".rw-new-message",
            ".rw-reply",
            "#crisis a",
            ".crisis-link",
        ):
            assert small_targets(page, selector) == [], selector

        # Buttons work by touch; a long word does not widen the page.
        page.locator(".rw-reply").filter(has_text="Practise reaching out").tap()
        expect(page.locator(".rw-client")).to_have_count(1, timeout=30_000)
        page.locator(".rw-new-message").tap()
        page.keyboard.type(
            "so" + "o" * 60 + " hurt, see https://example.org/" + "x" * 60
        )
        page.keyboard.press("Enter")
        expect(page.locator(".rw-client")).to_have_count(2)
        assert no_horizontal_scroll(page)
        page.locator("#chat").evaluate("e => e.scrollIntoView()")
        assert in_viewport(page, ".rw-new-message")
        page.screenshot(path=str(ARTIFACTS / f"web-phone{size}.png"))


def stored_rows(assistant, sender: str) -> int:
    with assistant.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :sender"),
            {"sender": sender},
        ).scalar_one()


def test_delete_this_conversation_from_the_page(assistant, browser: Browser) -> None:
    said = "I asked her to sit with me and she kept scrolling"
    with new_context(browser) as context:
        page = context.new_page()
        open_chat(page, assistant.stack.config.web_url)
        send_and_wait(page, said)
        old = session_id(page)
        assert old and stored_rows(assistant, old) > 0

        page.click("#forget")
        wait_for_bot_text(page, ["Delete this whole conversation?"])
        page.locator(".rw-reply", has_text="Delete it").click()
        expect(page.locator("#forgotten")).to_be_visible(timeout=30_000)
        # The notice's query is gone from the address.
        assert page.evaluate("location.pathname + location.search") == "/"

        # Deleted from the tracker store, and nothing of it left in the tab.
        assert stored_rows(assistant, old) == 0
        assert senders_of(assistant, [said])[said] == set()
        wait_for_bot_text(page, [GREETING])
        assert said not in page.content()
        assert storage(page)["local"] == {}
        new = session_id(page)
        assert new not in (None, old)

        # What is written next is a new conversation. (Words no other test says:
        # the tracker store is shared by the whole test session.)
        again = "hello again after deleting, first time on this page"
        send_and_wait(page, again)
        assert senders_of(assistant, [again])[again] == {new}
        assert stored_rows(assistant, old) == 0


def test_a_declined_delete_keeps_the_conversation(assistant, browser: Browser) -> None:
    said = "he walked off when I tried to tell him about my day"
    with new_context(browser) as context:
        page = context.new_page()
        open_chat(page, assistant.stack.config.web_url)
        send_and_wait(page, said)
        kept = session_id(page)
        rows = stored_rows(assistant, kept)
        page.click("#forget")
        wait_for_bot_text(page, ["Delete this whole conversation?"])
        page.locator(".rw-reply", has_text="Keep it").click()
        wait_for_bot_text(page, ["Okay, nothing was deleted"])
        assert session_id(page) == kept and stored_rows(assistant, kept) > rows
        assert page.locator("#forgotten").is_hidden()
