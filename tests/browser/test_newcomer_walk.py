"""What a newcomer tripped over, walked again in Chromium: the top "Add evidence" button opens its
collapsed form, and dismissing asks first and says how it is undone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser

FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


def test_the_top_add_evidence_button_opens_the_collapsed_form_with_the_focus_in_its_first_field(desk, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, desk, "checker")
    page.goto(desk.url + f"/items/{desk.ids['item_id']}")
    assert page.locator("details#evidence-form").get_attribute("open") is None
    page.locator(".item-actions a", has_text="Add evidence").click()
    assert page.locator("details#evidence-form").get_attribute("open") is not None
    assert page.evaluate(FOCUSED_ID) == "title"
    assert page.locator("#title").is_visible()
    context.close()


def test_without_javascript_the_add_evidence_button_still_opens_the_form(desk, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    sign_in_as(page, desk, "checker")
    page.goto(desk.url + f"/items/{desk.ids['item_id']}")
    page.locator(".item-actions a", has_text="Add evidence").click()
    page.wait_for_function("() => document.querySelector('details#evidence-form').open", timeout=5000)
    assert page.locator("#title").is_visible()
    context.close()


def test_dismissing_asks_first_and_an_editor_can_restore_the_item(desk, browser):
    item_url = desk.url + f"/items/{desk.ids['item_id']}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, desk, "checker")
    page.goto(item_url)
    page.locator(".item-actions a", has_text="Dismiss").click()
    assert page.evaluate(FOCUSED_ID) == "reason"
    page.fill("#reason", "opinion")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("#dismiss-form button[type=submit]").click()
    page.wait_for_timeout(200)  # a cancelled confirmation sends nothing: there is no navigation to wait for
    assert asked and "only an editor can restore it" in asked[0]
    page.reload()
    assert "evidence" in page.locator("h1 .chip").inner_text()

    page.fill("#reason", "opinion")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#dismiss-form button[type=submit]").click()
    assert "dismissed" in page.locator("h1 .chip").inner_text()
    assert "An editor can restore it" in page.locator(".flashes").inner_text()
    context.close()

    editor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    sign_in_as(page, desk, "editor")
    page.goto(item_url)
    with page.expect_navigation():
        page.locator("button", has_text="Restore to triage").click()
    assert "claim" in page.locator("h1 .chip").inner_text()
    editor.close()
