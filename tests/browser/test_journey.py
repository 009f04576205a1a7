"""The whole workflow in a real browser: a checker adds an article and proposes a verdict; a reviewer approves it.

Each step saves a screenshot into test-artifacts/browser/ for people to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.conftest import REPO

pytestmark = pytest.mark.browser

SEED = REPO / "seeds" / "000_577d28931b450a74.txt"


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_in(page, base: str, email: str, shot: str | None = None) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    if shot:
        _shot(page, shot)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def _add_evidence(page, title: str, url: str, source: str, kind: str, passage: str, new_source: bool = False) -> None:
    details = page.locator("#evidence-form")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    form.locator("#title").fill(title)
    form.locator("#url").fill(url)
    form.locator("#passage").fill(passage)
    form.locator("#source").fill(source)
    form.locator("#source_kind").select_option(kind)
    form.locator("#stance").select_option("refutes")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if new_source:  # the name is near a known source's: the form asks "Did you mean …?" first
        assert page.locator("#source-choice").count() == 1
        page.locator("#source-choice input[value=new]").check()
        page.locator("#evidence-add button[type=submit]").click()
        page.wait_for_load_state()


def test_a_checker_and_a_reviewer_take_a_claim_from_article_to_published(live_server, browser):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    _sign_in(page, base, live_server.emails["checker"], shot="01-sign-in")
    page.goto(base + "/articles/new")
    page.fill("#text", SEED.read_text(encoding="utf-8"))
    page.fill("#outlet", "NV")
    page.fill("#url", "https://english.nv.ua/nation/russia-seeking-political-deal")
    _shot(page, "02-add-article")
    page.click("button:has-text('Add the article')")
    page.wait_for_load_state()
    assert re.search(r"/articles/\d+$", page.url)
    assert page.locator(".article-text a.hl").count() >= 5
    _shot(page, "03-article")

    page.locator(".item-list a", has_text="Tucker Carlson").first.click()
    page.wait_for_load_state()
    assert "off the record" in page.locator("blockquote.claim").inner_text()
    page.click("button:has-text('Take')")
    page.wait_for_load_state()
    assert "held by you" in page.locator("h1").inner_text()
    _shot(page, "04-item-taken")

    _add_evidence(page, "Kremlin transcript of the interview", "https://kremlin.example/transcript",
                  "Kremlin press office", "government", "No compromise was offered.")
    _add_evidence(page, "Carlson's published interview", "https://tuckercarlson.example/putin",
                  "Tucker Carlson Network", "outlet", "The interview contains no such statement.",
                  new_source=True)
    assert "Evidence (2 from 2 sources)" in page.content()
    _shot(page, "05-item-evidence")

    page.select_option("#rating", "false")
    page.fill("#summary", "No record shows Putin offering a significant compromise.")
    page.fill("#rationale", "The **Kremlin transcript** and the published interview contain no such offer.")
    _shot(page, "06-propose")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_load_state()
    assert "Verdict proposed" in page.content()
    _shot(page, "07-proposed")

    # A reader (not signed in) opens the reports twice before the verdict is published: the second answer is
    # the page the server keeps until something is committed (web.readercache).
    reader_context = browser.new_context(viewport={"width": 1366, "height": 900})
    reader = reader_context.new_page()
    for _ in range(2):
        reader.goto(base + "/reports")
        assert "No article has a published verdict yet." in reader.content()

    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()
    _sign_in(page, base, live_server.emails["reviewer"])
    page.goto(base + "/queue")
    assert page.locator(".queue-table tbody tr").count() == 1
    _shot(page, "08-queue")
    page.keyboard.press("n")  # review next, from the keyboard (static/app.js)
    page.wait_for_url(re.compile(r"/queue/review/\d+$"))
    assert "Reserved for you" in page.content()
    _shot(page, "09-review")
    assert not page.locator("#approve-ask").is_visible()
    page.keyboard.press("a")  # approve: the first press only asks …
    assert page.locator("#approve-ask").is_visible() and "/queue/review/" in page.url
    page.keyboard.press("a")  # … the second sends it
    page.wait_for_url(re.compile(r"/queue$"))
    assert "is published" in page.content()
    _shot(page, "10-approved")

    # The reader reloads: the publication is there at once, and so is its verdict page.
    reader.reload()
    assert "No article has a published verdict yet." not in reader.content()
    reader.locator("table.list a").first.click()
    reader.wait_for_load_state()
    reader.locator("a[href*='/verdicts/']").first.click()
    reader.wait_for_load_state()
    assert "No record shows Putin offering a significant compromise." in reader.content()
    _shot(reader, "10b-reader-verdict")
    reader_context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    _sign_in(small, base, live_server.emails["checker"])
    small.goto(base + "/articles")
    small.locator("table a").first.click()
    small.wait_for_load_state()
    _shot(small, "11-article-phone")
    phone.close()
    context.close()
    assert not errors, errors
