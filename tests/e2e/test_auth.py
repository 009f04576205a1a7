"""Sign-in throttling per client address (the per-account lock is tested in test_login.py)."""

from __future__ import annotations

import datetime as dt

from factcheck.services import throttle
from tests.factories import gen_user
from tests.helpers import login


def test_repeated_failures_from_one_address_get_a_429_page(app, client, session):
    app.config.update(LOGIN_THROTTLE_LIMIT=3)
    users = [gen_user(session) for _ in range(4)]
    for user in users[:3]:  # different accounts, so the per-account lock never fires
        assert login(client, user.email, "wrong password").status_code == 401
    response = login(client, users[3].email)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_another_address_is_not_throttled(app, client, session):
    app.config.update(LOGIN_THROTTLE_LIMIT=2)
    user = gen_user(session)
    for _ in range(2):
        login(client, "nobody@example.org", "wrong password")
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert login(other, user.email).status_code == 302


def test_a_successful_sign_in_does_not_count(app, client, session):
    app.config.update(LOGIN_THROTTLE_LIMIT=1)
    user = gen_user(session)
    assert login(client, user.email).status_code == 302


def test_the_throttle_counts_within_a_window_and_starts_again_after_it(session):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert [throttle.hit(session, "t:k", 2, 60, now=now) for _ in range(3)] == [True, True, False]
    assert throttle.is_blocked(session, "t:k", 2, 60, now=now)
    later = now + dt.timedelta(seconds=61)
    assert not throttle.is_blocked(session, "t:k", 2, 60, now=later)
    assert throttle.hit(session, "t:k", 2, 60, now=later) is True
    assert throttle.retry_after(session, "t:k", 60, now=later) == 60
