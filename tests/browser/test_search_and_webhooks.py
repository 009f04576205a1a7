"""In a real browser, with the keyboard only: a checker searches and hostile text in a snippet stays text;
an admin registers a webhook, sees its secret once, and pauses it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Role
from factcheck.services.items import create_item
from factcheck.services.users import create_user
from tests.browser.conftest import ARTIFACTS, PASSWORD, LiveServer
from tests.conftest import TEST_SECRET, migrated_sqlite_url

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert('img')>"


@pytest.fixture
def desk(tmp_path) -> Iterator[LiveServer]:
    """The app on a free port with a checker, an admin (no second factor asked) and a hostile claim."""
    url = migrated_sqlite_url(tmp_path / "browser.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "REQUIRE_2FA": "", "WEBHOOK_ALLOW_PRIVATE": True, "JOBS_PATH": str(tmp_path / "jobs.sqlite3")})
    emails = {"checker": "checker@example.org", "admin": "admin@example.org"}
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        create_user(session, emails["checker"], PASSWORD, [Role.CHECKER], display_name="A checker",
                    hash_method="pbkdf2:sha256:1000")
        create_user(session, emails["admin"], PASSWORD, [Role.ADMIN], display_name="An admin",
                    hash_method="pbkdf2:sha256:1000")
        create_item(session, claim_text=f"The lighthouse {IMG} will be sold.", actor=None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", emails)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["factcheck.db"].dispose()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    _tab_to(page, "#email")
    page.keyboard.type(email)
    _tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    _press_enter_and_wait(page)


def test_a_checker_searches_by_keyboard_and_a_hostile_claim_stays_text(desk, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _sign_in(page, desk.url, desk.emails["checker"])
    _tab_to(page, "nav a[href='/search']")
    _press_enter_and_wait(page)
    _tab_to(page, "#search-q")
    page.keyboard.type("lighthouse")
    _press_enter_and_wait(page)
    results = page.locator(".search-results")
    assert results.locator("mark", has_text="lighthouse").count() == 1
    assert IMG in results.inner_text()
    assert page.locator("img[src=x]").count() == 0 and dialogs == []
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    page.close()


def test_an_admin_registers_and_pauses_a_webhook_with_the_keyboard(desk, browser):
    page = browser.new_page()
    _sign_in(page, desk.url, desk.emails["admin"])
    page.goto(desk.url + "/admin/webhooks")
    _tab_to(page, "#url")
    page.keyboard.type("http://127.0.0.1:9/hooks/factcheck")
    _tab_to(page, "#description")
    page.keyboard.type("the newsroom CMS")
    _press_enter_and_wait(page)
    secret = page.locator("#webhook-secret code.secret").inner_text()
    assert secret.startswith("whsec_")
    page.screenshot(path=str(ARTIFACTS / "webhook-registered.png"), full_page=True)
    _tab_to(page, "#webhook-1 form[action$='/pause'] button")
    _press_enter_and_wait(page)
    assert "paused" in page.locator("#webhook-1").inner_text()
    assert secret not in page.content()  # shown once only
    page.close()
