"""The API's per-token request counts in Redis (``FACTCHECK_REDIS_URL``): shared by every worker, exact under
concurrent requests, and committing nothing, so the pages kept under the database's version stay kept.

Runs against the Redis CI runs (``FACTCHECK_TEST_REDIS_URL``, default 127.0.0.1:6379); skipped without one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.accounts import TokenScope
from factcheck.domain.workflow import Role, Status
from factcheck.models import Throttle
from factcheck.services import tokens as token_service
from factcheck.services.throttle import RedisCounts
from factcheck.services.tokens import create_token
from tests.conftest import TEST_SECRET, migrated_sqlite_url
from tests.factories import gen_item_in, gen_user
from tests.helpers import recorded_statements
from tests.job_queues import REDIS_URL, redis_or_skip


@pytest.fixture
def redis_name() -> Iterator[str]:
    """A name of this test's own for its keys in Redis, whose keys are deleted afterwards."""
    redis_or_skip()
    import redis

    name = f"factcheck-test-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def _app(url: str, name: str, **settings: object) -> Flask:
    return create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True,
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "REDIS_URL": REDIS_URL, "JOBS_NAME": name,
                       "API_RATE_LIMIT": 3, "API_RATE_WINDOW_SECONDS": 3600, **settings})


@pytest.fixture
def desk(tmp_path: Path, redis_name: str) -> Iterator[tuple[Flask, str, int]]:
    """An app counting in Redis, on an SQLite database of its own: a published verdict (its item's id) and a
    checker's read token."""
    app = _app(migrated_sqlite_url(tmp_path / "desk.sqlite3"), redis_name)
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        item_id = gen_item_in(session, Status.PUBLISHED).id
        _, secret = create_token(session, gen_user(session, Role.CHECKER), name="a feed", scope=TokenScope.READ)
    try:
        yield app, secret, item_id
    finally:
        app.extensions["factcheck.db"].dispose()


def _throttle_rows(app: Flask) -> int:
    with session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        return session.scalar(select(func.count()).select_from(Throttle)) or 0


def test_concurrent_hits_are_each_counted_once_and_the_window_expires(redis_name: str) -> None:
    import redis

    counts = RedisCounts(redis.Redis.from_url(REDIS_URL), f"{redis_name}:throttle")
    start = threading.Barrier(24)

    def request(_: int) -> int | None:
        start.wait()  # all 24 threads hit at once
        return counts.hit("api:7", 10, 3600)  # (an hour: no slowness of the machine ends the window mid-test)

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(request, range(24)))
    assert answers.count(None) == 10  # exactly the limit let through, however the hits interleaved
    assert all(wait is not None and 1 <= wait <= 3600 for wait in answers if wait is not None)
    client = redis.Redis.from_url(REDIS_URL)
    assert int(client.get(f"{redis_name}:throttle:api:7")) == 24
    assert 0 < client.ttl(f"{redis_name}:throttle:api:7") <= 3600  # the window ends: the count is never kept for good
    assert counts.hit("api:8", 10, 3600) is None  # another key counts on its own


def test_two_workers_share_a_tokens_count(tmp_path: Path, redis_name: str) -> None:
    url = migrated_sqlite_url(tmp_path / "shared.sqlite3")
    first, second = _app(url, redis_name), _app(url, redis_name)  # two workers: nothing shared but Redis
    with first.app_context(), session_scope(first.extensions["factcheck.db"].sessionmaker) as session:
        _, secret = create_token(session, gen_user(session, Role.CHECKER), name="a feed", scope=TokenScope.READ)
    headers = {"Authorization": f"Bearer {secret}"}
    try:
        statuses = [app.test_client().get("/api/v1/ratings", headers=headers).status_code
                    for app in (first, second, first, second)]
        assert statuses == [200, 200, 200, 429]
        limited = second.test_client().get("/api/v1/ratings", headers=headers)
        assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 3600
        assert _throttle_rows(first) == 0  # counted in Redis, not in the database
    finally:
        for app in (first, second):
            app.extensions["factcheck.db"].dispose()


def test_an_api_request_commits_nothing_and_a_kept_page_stays_kept(desk: tuple[Flask, str, int],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    app, secret, item_id = desk
    # A token's use is noted at most once a minute; a day here, so that a slow machine cannot make it due again.
    monkeypatch.setattr(token_service, "USE_NOTED_EVERY", dt.timedelta(days=1))
    api, token = app.test_client(), {"Authorization": f"Bearer {secret}"}
    # A token's first request notes when it was last used (a write, at most once a minute): that one commits.
    assert api.get("/api/v1/ratings", headers=token).status_code == 200
    reader = app.test_client()
    reader.get(f"/verdicts/{item_id}")  # the connection notices the database as it is (not kept yet)
    page = reader.get(f"/verdicts/{item_id}")
    assert page.status_code == 200
    assert [api.get("/api/v1/ratings", headers=token).status_code for _ in range(2)] == [200, 200]
    with recorded_statements(app.extensions["factcheck.db"].engine) as sent:
        again = reader.get(f"/verdicts/{item_id}")
    assert again.get_data() == page.get_data()
    asked = [statement for statement in sent if statement != "BEGIN"]
    assert len(asked) == 1 and "data_version" in asked[0], sent  # served as kept: only the version was read


def test_without_redis_the_database_counts_and_each_request_commits(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": migrated_sqlite_url(tmp_path / "plain.sqlite3"), "SECRET_KEY": TEST_SECRET,
                      "TESTING": True, "REDIS_URL": "", "API_RATE_LIMIT": 2})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        _, secret = create_token(session, gen_user(session, Role.CHECKER), name="a feed", scope=TokenScope.READ)
    try:
        statuses = [app.test_client().get("/api/v1/ratings", headers={"Authorization": f"Bearer {secret}"}).status_code
                    for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert _throttle_rows(app) == 1
    finally:
        app.extensions["factcheck.db"].dispose()


def test_while_redis_cannot_be_reached_the_database_counts(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A Redis socket that does not exist: every connection fails at once (no port another process could take).
    down = f"unix://{tmp_path / 'no-redis' / 'redis.sock'}"
    app = create_app({"DATABASE_URL": migrated_sqlite_url(tmp_path / "down.sqlite3"), "SECRET_KEY": TEST_SECRET,
                      "TESTING": True, "REDIS_URL": down, "API_RATE_LIMIT": 2})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        _, secret = create_token(session, gen_user(session, Role.CHECKER), name="a feed", scope=TokenScope.READ)
    try:
        with caplog.at_level(logging.WARNING, logger="factcheck.api"):
            statuses = [app.test_client().get("/api/v1/ratings", headers={"Authorization": f"Bearer {secret}"})
                        .status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # still limited: nothing is let through unchecked
        assert _throttle_rows(app) == 1
        assert "event=api_count_fallback" in caplog.text
    finally:
        app.extensions["factcheck.db"].dispose()


def test_a_made_up_token_is_refused_without_waiting_for_the_write_lock(tmp_path: Path) -> None:
    """Anybody may send a token of the right shape: its look-up reads, so while another connection holds
    SQLite's write lock (a long save) it is refused at once with 401 instead of queuing behind the writers
    (and getting 503 after the lock's timeout). A live token is still counted."""
    import sqlite3

    url = migrated_sqlite_url(tmp_path / "desk.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "API_RATE_LIMIT": 3,
                      "API_RATE_WINDOW_SECONDS": 3600})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        gen_item_in(session, Status.PUBLISHED)
        _, secret = create_token(session, gen_user(session, Role.CHECKER), name="a feed", scope=TokenScope.READ)
    client = app.test_client()
    writer = sqlite3.connect(str(tmp_path / "desk.sqlite3"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process's save holds the write lock
        for made_up in ("fc_" + "x" * 40, "fc_" + uuid.uuid4().hex):
            refused = client.get("/api/v1/verdicts", headers={"Authorization": f"Bearer {made_up}"})
            assert refused.status_code == 401 and refused.is_json
        writer.execute("ROLLBACK")
        assert client.get("/api/v1/verdicts", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        assert _throttle_rows(app) == 1  # the live token's request, counted
    finally:
        writer.close()
        app.extensions["factcheck.db"].dispose()
