"""Shared fixtures: a migrated database per backend, a rolled-back session per test, the app and client.

Integration and e2e tests run on SQLite always, and on PostgreSQL too when
FACTCHECK_TEST_DATABASE_URL points at one (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session, sessionmaker

from factcheck import migrate
from factcheck.app import create_app
from factcheck.db import Database
from factcheck.domain.workflow import Policy

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PG_URL = os.environ.get("FACTCHECK_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
TEST_SECRET = "a-test-secret-key-that-is-long-enough"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip: the real datasets are there in CI, not in every checkout."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real datasets not available at {SHARED_DATA}")
    return SHARED_DATA


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database (its public schema)."""
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()


def fresh_database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of ``backend``: a new SQLite file, or the reset PostgreSQL test database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'factcheck-test.sqlite3'}"
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database migrated to head once per test session and backend."""
    url = fresh_database_url(request.param, tmp_path_factory.mktemp(request.param))
    migrate.upgrade(url)
    db = Database(url)
    yield db
    db.dispose()


@pytest.fixture
def connection(database: Database) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    conn = database.engine.connect()
    outer = conn.begin()
    yield conn
    if outer.is_active:
        outer.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits only release a savepoint, so each test leaves nothing behind."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for service and query tests."""
    with session_factory() as s:
        yield s


@pytest.fixture
def policy() -> Policy:
    """The desk's default policy."""
    return Policy()


def make_test_app(database: Database, factory: sessionmaker[Session] | None = None, **config: object) -> Flask:
    """An app on ``database``; with ``factory`` its requests share the test's rolled-back connection."""
    settings = {
        "DATABASE_URL": database.url,
        "SECRET_KEY": TEST_SECRET,
        "TESTING": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "factcheck.test",
    }
    settings.update(config)
    app = create_app(settings)
    if factory is not None:
        app.extensions["factcheck.db"].dispose()
        app.extensions["factcheck.db"].sessionmaker = factory
    return app


@pytest.fixture
def app(database: Database, session_factory: sessionmaker[Session]) -> Flask:
    """The app, sharing the test's connection so requests see and roll back with the test."""
    return make_test_app(database, session_factory)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (CSRF on: tests post real tokens)."""
    return app.test_client()
