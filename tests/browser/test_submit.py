"""A reader, without an account, sends a claim the desk has already checked and sees its verdict at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Status
from factcheck.models import ReaderSubmission
from factcheck.web.submit import started_token
from tests.browser.test_journey import _shot
from tests.conftest import TEST_SECRET, migrated_sqlite_url
from tests.factories import gen_item_in

pytestmark = pytest.mark.browser


@dataclass
class Desk:
    """The running app, its address and the published item readers ask about."""

    app: Flask
    url: str
    published_id: int


@pytest.fixture
def desk(tmp_path) -> Iterator[Desk]:
    """The app served on 127.0.0.1 with one published verdict: "The sea level rose by 20 cm since 1900" is false."""
    url = migrated_sqlite_url(tmp_path / "browser-submit.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        published_id = gen_item_in(session, Status.PUBLISHED).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Desk(app, f"http://127.0.0.1:{server.server_port}", published_id)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["factcheck.db"].dispose()


def test_a_reader_sends_a_claim_already_checked_and_sees_the_verdict_at_once(desk, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(desk.url + "/submit")
    assert page.locator("h1").inner_text() == "Send us a claim to check"
    trap = page.locator("div[aria-hidden=true]:has(#website)").bounding_box()
    assert trap is not None and trap["width"] <= 1 and trap["height"] <= 1  # people never see the trap field
    page.fill("#claim", "My aunt shared a post saying the sea level rose by 20 cm since 1900. Is that true?")
    page.fill("#seen_at", "https://social.example.org/post/42")
    page.fill("#email", "reader@example.org")
    # The form was opened half a minute ago, as far as its signed time says (no waiting in tests).
    with desk.app.app_context():
        page.locator("input[name=started]").evaluate("(el, value) => el.value = value",
                                                     started_token(time.time() - 30))
    page.click("button:has-text('Send the claim')")
    page.wait_for_load_state()
    assert page.url.endswith("/submit/done")
    assert page.locator("h1").inner_text() == "We checked this"
    answer = page.locator(".reader-answer").inner_text()
    assert "The sea level rose by 20 cm since 1900." in answer and "False" in answer and "It is false." in answer
    _shot(page, "submit-01-answered")
    page.click("text=Read the whole verdict")
    page.wait_for_load_state()
    assert page.url.endswith(f"/verdicts/{desk.published_id}")
    assert page.locator("h1").inner_text() == f"Fact check #{desk.published_id}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()

    with desk.app.app_context(), session_scope(desk.app.extensions["factcheck.db"].sessionmaker) as session:
        [submission] = session.scalars(select(ReaderSubmission)).all()
        assert submission.item_id == desk.published_id and submission.answered_on_screen
        assert submission.email is None and submission.seen_at_url == "https://social.example.org/post/42"
