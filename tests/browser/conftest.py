"""A real server and Debian's Chromium for browser tests.

The app runs on a free localhost port (werkzeug in a thread) against a fresh migrated SQLite file.
Playwright drives /usr/bin/chromium and never downloads a browser.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Role, Status
from factcheck.models import Source, User
from factcheck.services.users import create_user
from tests.conftest import REPO, SHARED_BUILDERS, TEST_SECRET, migrated_sqlite_url
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import gen_item_in

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "browser"
PASSWORD = "browser test password"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveServer:
    """The running app: its base URL and the sign-ins made for the journey."""

    url: str
    emails: dict[str, str]


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1 and a free port, with a checker and a reviewer."""
    url = migrated_sqlite_url(tmp_path / "browser.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    emails = {"checker": "checker@example.org", "reviewer": "reviewer@example.org"}
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        create_user(session, emails["checker"], PASSWORD, [Role.CHECKER], display_name="A checker",
                    hash_method="pbkdf2:sha256:1000")
        create_user(session, emails["reviewer"], PASSWORD, [Role.REVIEWER], display_name="A reviewer",
                    hash_method="pbkdf2:sha256:1000")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", emails)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["factcheck.db"].dispose()


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium under Playwright, or a skip saying why it is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Desk:
    """The served app, one sign-in per role, and the ids the pages need."""

    url: str
    emails: dict[str, str]
    ids: dict[str, int]


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Iterator[Desk]:
    """The e2e world (one user per role, an item in each state, an article, sources) and the report world
    (a published verdict, a draft, an unchecked item), with a published item for every rating, served live."""
    url = migrated_sqlite_url(tmp_path_factory.mktemp("a11y") / "a11y.sqlite3")
    # Editors and admins sign in here with their password alone: the second-factor pages are checked
    # as the checker sees them, and every role's pages are reached without an authenticator.
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "REQUIRE_2FA": "", "TRUSTED_HOSTS": ["127.0.0.1"]})
    import tests.e2e.conftest  # noqa: F401  (registers the world's builder)

    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        user_ids, ids = SHARED_BUILDERS["world_rows"](session)
        report = SHARED_BUILDERS["report_world_rows"](session)
        emails = {role: session.get(User, user_id).email for role, user_id in user_ids.items()}
        checker = session.get(User, user_ids["checker"])
        editor = session.get(User, user_ids["editor"])
        for rating in ("true", "mostly-true", "half-true", "misleading", "mostly-false", "pants-on-fire", "unverifiable"):
            gen_item_in(session, Status.PUBLISHED, checker=checker, rating=rating)
        ids["dismissed_item_id"] = gen_item_in(session, Status.DISMISSED, checker=editor).id
        ids["report_article_id"] = report["article"]
        ids["report_published_id"] = report["published"]
        ids["report_draft_id"] = report["draft"]
        ids["putin_id"] = session.scalars(select(Source.id).where(Source.name == "Vladimir Putin")).one()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Desk(f"http://127.0.0.1:{server.server_port}", emails, ids)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["factcheck.db"].dispose()


def sign_in_as(page, desk: Desk, role: str) -> None:  # type: ignore[no-untyped-def]
    """Sign ``page`` in through the form as the desk's user with ``role``."""
    page.goto(desk.url + "/auth/login")
    page.fill("#email", desk.emails[role])
    page.fill("#password", FACTORY_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert "/auth/login" not in page.url, f"the {role} could not sign in"
