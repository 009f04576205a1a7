"""Returned work in a real browser: a reviewer returns a verdict; the checker sees the badge, the comment
and their notification, fixes the item and proposes again; the next reviewer sees the comment and the diff.

Each step saves a screenshot into test-artifacts/browser/.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Role, Status
from factcheck.services.users import create_user
from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.browser.test_journey import _add_evidence, _sign_in
from tests.conftest import TEST_SECRET, migrated_sqlite_url
from tests.factories import gen_item_in

pytestmark = pytest.mark.browser

HASH = "pbkdf2:sha256:1000"


@dataclass
class Desk:
    url: str
    item_id: int


@pytest.fixture
def desk(tmp_path) -> Iterator[Desk]:
    """The app on a free port with a checker, two reviewers and the checker's verdict waiting for review."""
    url = migrated_sqlite_url(tmp_path / "returned.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "PASSWORD_HASH_METHOD": HASH})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        checker = create_user(session, "checker@example.org", PASSWORD, [Role.CHECKER], display_name="A checker",
                              hash_method=HASH)
        for n in ("one", "two"):
            create_user(session, f"reviewer.{n}@example.org", PASSWORD, [Role.REVIEWER],
                        display_name=f"Reviewer {n}", hash_method=HASH)
        item_id = gen_item_in(session, Status.VERDICT, checker=checker).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Desk(f"http://127.0.0.1:{server.server_port}", item_id)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["factcheck.db"].dispose()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()


def test_a_returned_item_shows_its_badge_comment_and_the_diff_on_resubmission(desk, browser):
    base, item = desk.url, desk.item_id
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    _sign_in(page, base, "reviewer.one@example.org")
    page.goto(f"{base}/queue/review/{item}")
    page.fill("#comment", "The second record is about another harbour: find the harbour master's statement.")
    page.click("#vote-return button[type=submit]")
    page.wait_for_url(re.compile(r"/queue$"))
    _sign_out(page)

    _sign_in(page, base, "checker@example.org")
    assert page.locator("[data-unread]").inner_text().split()[0] == "1"
    page.goto(base + "/my-work")
    returned = page.locator("#returned")
    assert f"#{item}" in returned.inner_text() and "harbour master's statement" in returned.inner_text()
    _shot(page, "returned-01-my-work")
    returned.locator(f"a:has-text('#{item}')").click()
    page.wait_for_load_state()
    assert page.locator("#returned-badge").is_visible() and page.locator("#returned-badge").inner_text() == "returned"
    notice = page.locator("#returned")
    assert notice.is_visible() and "harbour master's statement" in notice.inner_text()
    assert notice.bounding_box()["y"] < page.locator("blockquote.claim").bounding_box()["y"]
    _shot(page, "returned-02-item")

    page.fill("#restatement", "The harbour closed for two years from March.")
    page.click("#edit-form button[type=submit]")
    page.wait_for_load_state()
    _add_evidence(page, "Harbour master's statement", "https://harbour.example.org/statement",
                  "Harbour master", "person", "The harbour closed for one month.")
    page.select_option("#rating", "mostly-false")
    page.fill("#summary", "Mostly false: the harbour closed for a month.")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_load_state()
    assert "Verdict proposed" in page.content() and page.locator("#returned-badge").count() == 0
    _sign_out(page)

    _sign_in(page, base, "reviewer.two@example.org")
    page.goto(f"{base}/queue/review/{item}")
    since = page.locator("#since-return")
    assert since.is_visible()
    assert "find the harbour master's statement" in page.locator("#earlier-comment").inner_text()
    changes = page.locator("#changes").inner_text()
    assert "Restatement: — → The harbour closed for two years from March." in changes
    assert "Rating: False → Mostly False" in changes
    assert "Evidence added: Harbour master's statement" in changes
    _shot(page, "returned-03-review-diff")
    context.close()
    assert not errors, errors
