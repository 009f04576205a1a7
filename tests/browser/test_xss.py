"""Hostile text goes in through every door and comes out as text: no dialog ever fires.

An article carrying <script>, an <img onerror> and javascript: links is ingested; evidence and the
Markdown rationale carry the same; the article, item, report and verdict pages all show it
literally, and Chromium never opens a dialog.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journey import _add_evidence, _shot, _sign_in

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert('script')</script>"
IMG = "<img src=x onerror=alert('img')>"
JS_LINK = "javascript:alert('link')"
HOSTILE_ARTICLE = (
    f"Hostile headline {SCRIPT}\n\n"
    f"The mayor said on Monday that the harbour {IMG} would close for two years.\n\n"
    f"The port authority said that the report at {JS_LINK} was false.\n"
)


def test_hostile_text_is_shown_literally_on_every_page_and_never_runs(live_server, browser):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    _sign_in(page, base, live_server.emails["checker"])
    page.goto(base + "/articles/new")
    page.fill("#text", HOSTILE_ARTICLE)
    page.fill("#title", f"Title {SCRIPT}")
    page.click("button:has-text('Add the article')")
    page.wait_for_load_state()
    assert re.search(r"/articles/\d+$", page.url)
    article_url = page.url
    body = page.locator("body").inner_text()
    assert SCRIPT in body and IMG in body and JS_LINK in body
    assert page.locator("img[src=x]").count() == 0
    _shot(page, "xss-01-article")

    page.locator(".item-list a", has_text="mayor").first.click()
    page.wait_for_load_state()
    assert IMG in page.locator("blockquote.claim").inner_text()
    page.click("button:has-text('Take')")
    page.wait_for_load_state()

    _add_evidence(page, f"Evidence {IMG}", JS_LINK, "A council", "organisation", f"Passage {SCRIPT}")
    assert "http" in page.locator("body").inner_text()  # the javascript: link is refused with a form error
    _add_evidence(page, f"Evidence {IMG}", "https://council.example/minutes", "A council", "organisation",
                  f"Passage {SCRIPT}")
    _add_evidence(page, "Harbour timetable", "https://harbour.example/timetable", "The harbour office",
                  "organisation", "Sailings continue.")
    page.select_option("#rating", "false")
    page.fill("#summary", f"Not closing {SCRIPT}")
    page.fill("#rationale", f"See [the minutes]({JS_LINK}) and <script>alert('raw')</script> {IMG}")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_load_state()
    item_url = page.url
    text = page.locator("body").inner_text()
    assert f"Evidence {IMG}" in text and f"Passage {SCRIPT}" in text
    assert page.locator("a[href^='javascript']").count() == 0
    _shot(page, "xss-02-item")

    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()
    _sign_in(page, base, live_server.emails["reviewer"])
    page.goto(base + "/queue")
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/queue/review/\d+$"))
    page.keyboard.press("a")
    page.keyboard.press("a")  # approving publishes: a second press sends it
    page.wait_for_url(re.compile(r"/queue$"))

    item_id = re.search(r"/items/(\d+)", item_url).group(1)
    article_id = re.search(r"/articles/(\d+)", article_url).group(1)
    for path, name in ((f"/reports/articles/{article_id}", "xss-03-report"), (f"/verdicts/{item_id}", "xss-04-verdict"),
                       (f"/articles/{article_id}", "xss-05-article-after"), (f"/items/{item_id}", "xss-06-item-after")):
        page.goto(base + path)
        page.wait_for_load_state()
        assert page.locator("a[href^='javascript']").count() == 0, path
        assert page.locator("img[src=x]").count() == 0, path
        assert IMG in page.locator("body").inner_text(), path
        _shot(page, name)

    context.close()
    assert dialogs == [], f"dialogs fired: {dialogs}"
    assert (ARTIFACTS / "xss-04-verdict.png").exists()
