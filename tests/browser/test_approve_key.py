"""Approving publishes, so its key takes two separate presses: one held down, or one on a button reached with
Tab, only arms it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


def _review_page(desk, browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, desk, "reviewer")
    page.goto(desk.url + f"/queue/review/{desk.ids['verdict_item_id']}")
    assert page.locator('[data-shortcut="a"]').count() == 1
    return context, page


def test_a_held_key_or_a_focused_button_does_not_approve_with_one_press(desk, browser):
    context, page = _review_page(desk, browser)
    review_url = page.url
    page.keyboard.down("a")
    page.keyboard.down("a")  # held down: the browser repeats the key
    page.keyboard.up("a")
    assert page.url == review_url and page.locator("#approve-ask").is_visible()
    page.locator("#comment").focus()  # leaving the button disarms it
    assert not page.locator("#approve-ask").is_visible()
    page.locator('[data-shortcut="a"]').focus()  # reached with Tab, say
    page.keyboard.press("a")
    assert page.url == review_url and page.locator("#approve-ask").is_visible()
    page.keyboard.press("a")  # the second, separate press sends it
    page.wait_for_url(re.compile(r"/queue$"))
    assert "published" in page.content() or "Approved" in page.content()
    context.close()
