"""A word longer than the page (a pasted identifier, a mangled title) wraps inside its card: no page of the
desk or of readers scrolls sideways because of it, on a laptop or a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser

LONG_WORD = "Unbroken" * 60  # 480 characters without a space or a hyphen
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_a_very_long_word_in_an_evidence_title_wraps_instead_of_widening_the_page(desk, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, desk, "checker")
    item_url = desk.url + f"/items/{desk.ids['item_id']}"
    page.goto(item_url)
    page.locator(".item-actions a", has_text="Add evidence").click()
    form = page.locator("#evidence-form form")
    form.locator("#title").fill(LONG_WORD)
    form.locator("#url").fill("https://records.example.org/long")
    form.locator("#passage").fill("The record " + LONG_WORD)
    form.locator("#source").fill("Harbour Records Office")
    form.locator("#source_kind").select_option("organisation")
    form.locator("#stance").select_option("refutes")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("#source-choice").count():  # a name near a known source's: keep it as a new one
        page.locator("#source-choice input[value=new]").check()
        page.locator("#evidence-add button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(item_url)
    assert LONG_WORD[:40] in page.content(), "the evidence was not added"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(item_url)
        assert page.evaluate(OVERFLOW) <= 0, f"the item page scrolls sideways at {width} px"
    context.close()
