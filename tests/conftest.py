"""Shared fixtures: a migrated database per backend, a rolled-back session per test, the app and client.

Integration and e2e tests run on SQLite always, and on PostgreSQL too when
FACTCHECK_TEST_DATABASE_URL points at one (CI sets it). Under pytest-xdist each worker runs on a
PostgreSQL database of its own, named after the configured one plus the worker id
(``test`` → ``test_gw0``), created when the worker starts and dropped when it ends.

Rows that many tests start from (the e2e ``world``) are built once and kept in an open
transaction; each test that asks for them runs inside a SAVEPOINT that is rolled back (see
``shared_rows``), so it starts from the same rows and leaves nothing behind.
"""

from __future__ import annotations

import atexit
import copy
import dataclasses
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Config, Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import Connection, RootTransaction, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from factcheck import migrate
from factcheck.app import create_app
from factcheck.db import Database
from factcheck.domain.workflow import Policy

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
#: The xdist worker running this process ("gw0", "gw1", …), or "" without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
CONFIGURED_PG_URL = os.environ.get("FACTCHECK_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if CONFIGURED_PG_URL else [])
TEST_SECRET = "a-test-secret-key-that-is-long-enough"
T = TypeVar("T")


def database_url_named(url: str, name: str) -> str:
    """``url`` with its database replaced by ``name`` (the password kept)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _worker_url(url: str) -> str:
    """This process's PostgreSQL test database: the configured one, plus the xdist worker id."""
    if not url or not WORKER:
        return url
    return database_url_named(url, f"{make_url(url).database}_{WORKER}")


#: The PostgreSQL test database of this process (its public schema is reset by the session fixture).
PG_URL = _worker_url(CONFIGURED_PG_URL)


def scratch_database_name(label: str) -> str:
    """A name for a PostgreSQL database a test creates and drops itself: the test database's name
    plus ``label``, so parallel workers (and other checkouts using other test databases) never share one."""
    return f"{make_url(PG_URL).database}_{label}"


def _server_url(url: str) -> str:
    """The maintenance database of ``url``'s server, for CREATE and DROP DATABASE."""
    return database_url_named(url, "postgres")


def create_postgres_database(url: str) -> bool:
    """Create ``url``'s database unless it exists; True when it was created here."""
    name = make_url(url).database
    server = Database(_server_url(url), isolation_level="AUTOCOMMIT")
    try:
        with server.engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first():
                return False
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        server.dispose()


def drop_postgres_database(url: str) -> None:
    """Drop ``url``'s database, closing any connection still open to it."""
    server = Database(_server_url(url), isolation_level="AUTOCOMMIT")
    try:
        with server.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        server.dispose()


@contextmanager
def scratch_schema(label: str) -> Iterator[str]:
    """The URL of a new, empty schema in the PostgreSQL test database, dropped afterwards: for tests
    whose requests must really commit, so they leave nothing behind for the tests after them."""
    schema = f"{label}_{uuid.uuid4().hex[:10]}"
    server = Database(PG_URL)
    try:
        with server.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
                hide_password=False)
        finally:
            with server.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        server.dispose()


@pytest.fixture(scope="session", autouse=True)
def _worker_postgres_database() -> Iterator[None]:
    """The PostgreSQL test database, created if missing; under xdist, this worker's own, dropped at the end."""
    if PG_URL:
        create_postgres_database(PG_URL)
    yield
    release_shared_rows()
    if PG_URL:
        from tests.pg_schema import drop_migrated_schemas

        drop_migrated_schemas()
    if PG_URL and WORKER:
        drop_postgres_database(PG_URL)


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


#: The SQLite file this process migrated to head once, copied for every test that wants a migrated file.
_sqlite_template: Path | None = None


def _migrated_sqlite_template() -> Path:
    """A SQLite file migrated to head, made on first use and kept (read-only) until the process ends."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="factcheck-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "migrated.sqlite3"
        migrate.upgrade(f"sqlite:///{template}")
        # Everything in the one file: no write-ahead log left beside it for a copy to miss.
        with sqlite3.connect(template) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        wal = template.with_name(template.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, "the migrated template kept a write-ahead log"
        template.chmod(0o444)
        _sqlite_template = template
    return _sqlite_template


def migrated_sqlite_url(path: Path) -> str:
    """The URL of a new SQLite file at ``path``, migrated to head.

    Alembic runs once per process; each caller gets a byte-for-byte copy of that migrated file,
    which is what running the migrations on a new file gives, without their cost.
    """
    assert not path.exists(), f"{path} exists already"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_migrated_sqlite_template(), path)
    return f"sqlite:///{path}"


def fresh_database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of ``backend``: a new SQLite file, or the reset PostgreSQL test database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'factcheck-test.sqlite3'}"
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, unmigrated database of each backend, for tests of the migrations themselves."""
    db = Database(fresh_database_url(request.param, tmp_path))
    yield db
    db.dispose()
    if request.param == "postgresql":
        migrate.upgrade(PG_URL)  # leave the shared test database migrated, as the session fixture expects


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database migrated to head once per test session and backend."""
    if request.param == "sqlite":
        url = migrated_sqlite_url(tmp_path_factory.mktemp(request.param) / "factcheck-test.sqlite3")
    else:
        url = fresh_database_url(request.param, tmp_path_factory.mktemp(request.param))
        migrate.upgrade(url)
    db = Database(url)
    yield db
    if _shared is not None and _shared.database is db:
        release_shared_rows()
    _apps.pop(db, None)
    db.dispose()


# --- rows built once, shared by many tests -----------------------------------------------------------------

#: How to build each kind of shared rows, by the name of its fixture (see ``shared_rows``).
SHARED_BUILDERS: dict[str, Callable[[Session], Any]] = {}


@dataclass
class _SharedRows:
    """Rows built by one builder, kept in an open transaction on a connection of their own."""

    name: str
    database: Database
    connection: Connection
    transaction: RootTransaction
    value: Any


#: The shared rows alive now, if any: one set at a time, rolled back as soon as a test wants other rows.
_shared: _SharedRows | None = None


def shared_rows(build: Callable[[Session], T]) -> Any:
    """A fixture named after ``build`` whose rows are built once and shared by consecutive tests.

    ``build(session)`` writes the rows and returns plain values (ids, not ORM objects: each test has
    its own session). The rows stay in an open transaction; every test that uses the fixture runs
    in a SAVEPOINT inside it (its ``connection``), rolled back afterwards, so each test starts from
    the same rows and leaves nothing behind. Before any test that does not use them, the
    transaction is rolled back, so other tests never see them.
    """
    name = build.__name__
    SHARED_BUILDERS[name] = build

    @pytest.fixture(name=name)
    def fixture(connection: Connection) -> T:
        assert _shared is not None and _shared.name == name and _shared.connection is connection
        return _shared.value

    fixture.__doc__ = build.__doc__
    return fixture


def release_shared_rows() -> None:
    """Roll back the shared rows, if any are alive."""
    global _shared
    shared, _shared = _shared, None
    if shared is not None:
        try:
            if shared.transaction.is_active:
                shared.transaction.rollback()
        finally:
            shared.connection.close()


def _shared_rows_on(name: str, database: Database) -> _SharedRows:
    """The rows of builder ``name`` in ``database``: those alive now, or built afresh."""
    global _shared
    if _shared is not None and (_shared.name, _shared.database) == (name, database) and _shared.transaction.is_active:
        return _shared
    release_shared_rows()
    conn = database.engine.connect()
    transaction = conn.begin()
    try:
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
            value = SHARED_BUILDERS[name](session)
            session.commit()  # releases the builder's savepoint; the rows stay in the open transaction
    except BaseException:
        transaction.rollback()
        conn.close()
        raise
    _shared = _SharedRows(name, database, conn, transaction, value)
    return _shared


@shared_rows
def report_world_rows(session: Session) -> dict[str, int]:
    """The report world (``build_world`` in tests/integration/test_reports_queries.py), built once: its rows' ids."""
    from tests.integration.test_reports_queries import build_world

    world = build_world(session)
    return {field.name: getattr(world, field.name).id for field in dataclasses.fields(world)}


@pytest.fixture
def report_world(session: Session, report_world_rows: dict[str, int]) -> Any:
    """The report world, shared by the tests that start from it (each in a rolled-back savepoint): an article
    with a published item, a draft under review and an unchecked item; its checker, reviewer and editor."""
    from factcheck import models
    from tests.integration.test_reports_queries import World

    rows = {field.name: session.get(getattr(models, str(field.type)), report_world_rows[field.name])
            for field in dataclasses.fields(World)}
    assert all(rows.values()), "the shared report world lost rows"
    return World(**rows)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a test that uses no shared rows, roll back any that are alive (it must not see them,
    and on SQLite their open transaction would hold the write lock)."""
    if not any(name in SHARED_BUILDERS for name in getattr(item, "fixturenames", ())):
        release_shared_rows()


@pytest.fixture
def connection(request: pytest.FixtureRequest, database: Database) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test.

    For a test that uses shared rows, it is their connection, inside a SAVEPOINT rolled back after the test.
    """
    wanted = [name for name in request.fixturenames if name in SHARED_BUILDERS]
    assert len(wanted) <= 1, f"a test can start from one set of shared rows, not {wanted}"
    if wanted:
        shared = _shared_rows_on(wanted[0], database)
        savepoint = shared.connection.begin_nested()
        yield shared.connection
        if savepoint.is_active:
            savepoint.rollback()
        if not shared.transaction.is_active:  # the test ended the whole transaction: build afresh next time
            release_shared_rows()
        return
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


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the whole run, shared by every test app.

    Each test builds a new app, whose Jinja environment would otherwise compile every template it
    renders again. Jinja checks each entry against the template's source, so an edit still counts.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def make_test_app(database: Database, factory: sessionmaker[Session] | None = None, **config: object) -> Flask:
    """An app on ``database``; with ``factory`` its requests share the test's rolled-back connection."""
    settings = {
        "DATABASE_URL": database.url,
        "SECRET_KEY": TEST_SECRET,
        "TESTING": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "factcheck.test",
        # The desk's own address (links in mails; reset links are written on nothing else).
        "BASE_URL": "http://factcheck.test",
        # Accounts of every role sign in with a password alone unless a test asks for a second factor.
        "REQUIRE_2FA": "",
    }
    settings.update(config)
    app = create_app(settings)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    if factory is not None:
        app.extensions["factcheck.db"].dispose()
        app.extensions["factcheck.db"].sessionmaker = factory
    return app


def _identities(value: object) -> object:
    """``value`` with every object other than a dict, list or tuple replaced by its identity.

    The app's config counts as one object (it is put back after each test, its values copied anew),
    and empty entries are left out: Flask's registries are defaultdicts, which a mere lookup (an
    error page looking for its handler) fills with empty ones that change nothing.
    """
    if isinstance(value, Config):
        return id(value)
    if isinstance(value, dict):
        shape = {key: _identities(item) for key, item in value.items()}
        return {key: item for key, item in shape.items()
                if not (isinstance(value[key], dict | list | tuple) and item in ({}, []))}
    if isinstance(value, list | tuple):
        return [_identities(item) for item in value]
    return id(value)


def _app_shape(app: Flask) -> object:
    """Everything a test could change on an app besides its config (restored after each test).

    Compared after each test: an app a test changed (a route or handler added, an attribute,
    extension or template helper replaced) is not handed to the next test.
    """
    return _identities({
        # Flask sets these two itself on first use.
        "attributes": {name: value for name, value in vars(app).items()
                       if name not in {"_got_first_request", "jinja_loader"}},
        "contents": [app.view_functions, app.blueprints, app.extensions, app.error_handler_spec,
                     app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                     app.teardown_appcontext_funcs, app.url_value_preprocessors, app.url_default_functions,
                     app.template_context_processors, app.url_build_error_handlers, app.url_map.converters,
                     app.jinja_env.globals, app.jinja_env.filters, app.jinja_env.tests],
        "rules": list(app.url_map.iter_rules()),
    })


@dataclass
class _ReusedApp:
    """An app built once per database and handed to test after test."""

    app: Flask
    config: dict[str, Any]
    shape: object


#: The app of each database, while no test has changed it.
_apps: dict[Database, _ReusedApp] = {}


@pytest.fixture
def app(database: Database, session_factory: sessionmaker[Session]) -> Iterator[Flask]:
    """The app, sharing the test's connection so requests see and roll back with the test.

    Building an app (its URL map, its templates) costs more than most tests, so one app per
    database serves test after test: each test gets it as new, with the settings of
    ``make_test_app`` and its own connection, and may change its config, which is put back
    afterwards. A test that changes anything else on it gets it last: the next test gets a new app.
    """
    reused = _apps.get(database)
    if reused is None:
        built = make_test_app(database)
        reused = _apps[database] = _ReusedApp(built, copy.deepcopy(dict(built.config)), _app_shape(built))
    app = reused.app
    app.extensions["factcheck.db"].sessionmaker = session_factory
    app._got_first_request = False  # like a new app: setup methods (app.route, …) are allowed again
    yield app
    if _app_shape(app) != reused.shape:
        del _apps[database]
    else:
        app.config.clear()
        app.config.update(copy.deepcopy(reused.config))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (CSRF on: tests post real tokens)."""
    return app.test_client()
