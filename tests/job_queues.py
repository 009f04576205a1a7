"""A job queue of a test's own, on either backend (SQLite file or the Redis CI runs), emptied afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask
import pytest

from factcheck import jobs

REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
#: The backends a queue test runs on (the ``params`` of its fixture).
QUEUE_BACKENDS = ["sqlite-queue", "redis-queue"]


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); CI runs one")


@contextmanager
def own_queue(app: flask.Flask, backend: str, tmp_path: Path) -> Iterator[flask.Flask]:
    """``app`` with a queue of its own on ``backend`` (one of ``QUEUE_BACKENDS``), flushed afterwards."""
    if backend == "redis-queue":
        redis_or_skip()
        app.config["REDIS_URL"] = REDIS_URL
    else:
        app.config["JOBS_PATH"] = str(tmp_path / "jobs.sqlite3")
    app.config["JOBS_NAME"] = f"factcheck-test-{uuid.uuid4().hex}"
    app.extensions.pop("factcheck.jobs", None)
    try:
        yield app
    finally:
        jobs.queue(app).flush()
        app.extensions.pop("factcheck.jobs", None)
