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
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Role
from factcheck.services.users import create_user
from tests.conftest import REPO, TEST_SECRET, migrated_sqlite_url

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
