"""A migrated PostgreSQL schema of its own, inside the test database, for tests that really commit.

Concurrency tests need many connections that commit, so they cannot share the rolled-back
connection of the other tests. Each gets a migrated schema in the database
FACTCHECK_TEST_DATABASE_URL names (its connections put that schema first on their search path):
no other database is created, and the shared ``public`` schema is left alone.

Migrating a schema costs more than most tests, so each process migrates one schema once and
hands it from test to test, put back to what the migrations left before each hand-over: every
table emptied and refilled with the rows the migrations wrote (the ratings), every sequence set
back. A schema that cannot be put back (a test left a lock on it) is dropped and a new one migrated.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from factcheck import migrate
from factcheck.db import Database
from tests.conftest import PG_URL


def _schema_url(schema: str) -> str:
    """PG_URL with ``schema`` first on the search path of every connection."""
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _quoted(schema: str, name: str) -> str:
    return f'"{schema}"."{name}"'


@dataclass
class _MigratedSchema:
    """A schema migrated to head, with a copy of what the migrations wrote, to put it back from."""

    name: str
    tables: list[str]
    filled: list[str]
    sequences: dict[str, int | None]

    @property
    def pristine(self) -> str:
        return f"{self.name}_pristine"

    @classmethod
    def create(cls, admin: Database) -> _MigratedSchema:
        name = f"migrated_{uuid.uuid4().hex[:10]}"
        with admin.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        migrate.upgrade(_schema_url(name))
        with admin.engine.begin() as conn:
            tables = list(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"),
                                       {"s": name}))
            conn.execute(text(f'CREATE SCHEMA "{name}_pristine"'))
            filled = []
            for table in tables:
                if conn.scalar(text(f"SELECT EXISTS (SELECT 1 FROM {_quoted(name, table)})")):
                    conn.execute(text(f"CREATE TABLE {_quoted(name + '_pristine', table)} AS "
                                      f"TABLE {_quoted(name, table)}"))
                    filled.append(table)
            sequences = {row.sequencename: row.last_value for row in conn.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = :s"), {"s": name})}
        return cls(name, tables, filled, sequences)

    def put_back(self, conn: Connection) -> None:
        """Every table as the migrations left it (in one transaction on ``conn``)."""
        # A test that left a connection holding a lock must not hang the run: give up and start afresh.
        conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        # Replica mode skips triggers (the audit log's append-only guard) and foreign-key checks while the
        # rows the migrations wrote are copied back in.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("TRUNCATE " + ", ".join(_quoted(self.name, t) for t in self.tables)
                          + " RESTART IDENTITY"))
        for table in self.filled:
            conn.execute(text(f"INSERT INTO {_quoted(self.name, table)} SELECT * FROM {_quoted(self.pristine, table)}"))
        for sequence, last_value in self.sequences.items():
            if last_value is not None:
                conn.execute(text("SELECT setval(:seq, :value, true)"),
                             {"seq": _quoted(self.name, sequence), "value": last_value})

    def drop(self, admin: Database) -> None:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.pristine}" CASCADE'))


#: The schema this process migrated, free to hand to the next test (None while a test holds it).
_free: _MigratedSchema | None = None


@contextmanager
def migrated_schema_url() -> Iterator[str]:
    """The URL of a schema of the PostgreSQL test database as the migrations leave a new one.

    The test may commit there from as many connections as it likes, but must close them all
    before the block ends (dispose its engines).
    """
    global _free
    assert PG_URL, "FACTCHECK_TEST_DATABASE_URL must point at PostgreSQL"
    admin = Database(PG_URL)
    try:
        schema, _free = _free, None
        if schema is None:
            schema = _MigratedSchema.create(admin)
        try:
            yield _schema_url(schema.name)
        finally:
            try:
                with admin.engine.begin() as conn:
                    schema.put_back(conn)
            except DBAPIError:
                schema.drop(admin)
            else:
                if _free is None:
                    _free = schema
                else:  # a nested block made another one meanwhile; one kept is enough
                    schema.drop(admin)
    finally:
        admin.dispose()


def drop_migrated_schemas() -> None:
    """Drop the schema kept for the next test (at the end of the run)."""
    global _free
    schema, _free = _free, None
    if schema is not None:
        admin = Database(PG_URL)
        try:
            schema.drop(admin)
        finally:
            admin.dispose()


@contextmanager
def private_schema_database(pool_size: int = 10) -> Iterator[Database]:
    """A ``Database`` on a migrated schema of the PostgreSQL test database of its own, as new."""
    with migrated_schema_url() as url:
        db = Database(url, pool_size=pool_size)
        try:
            yield db
        finally:
            db.dispose()


def behind_first(db: Database, first: Session, second: Callable[[Session], object]) -> object:
    """Run ``second`` in a transaction of its own on another thread while ``first`` holds its uncommitted
    writes; assert that it waits for ``first`` (a state read from ``pg_blocking_pids``, not a delay), commit
    ``first``, and return what ``second`` returned or raised (its transaction committed when it returned).

    ``first`` is rolled back and closed if the wait is not seen, so that the second transaction, and the
    schema's cleanup after the test, can go on.
    """
    first_pid = first.scalar(text("SELECT pg_backend_pid()"))
    outcome: list[object] = []

    def run() -> None:
        try:
            with Session(db.engine) as session:
                session.execute(text("SET LOCAL lock_timeout = '60s'"))  # a wait that never ends fails
                outcome.append(second(session))
                session.commit()
        except BaseException as exc:  # returned to the test; a thread cannot fail the test itself
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        with db.engine.connect() as watcher:
            waiting = 0
            for _ in range(60_000):
                waiting = watcher.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                    {"pid": first_pid})
                if waiting or not thread.is_alive():
                    break
                watcher.rollback()
                threading.Event().wait(0.005)
            assert waiting == 1, "the second transaction never waited for the first one"
    except BaseException:
        first.rollback()
        first.close()
        thread.join(timeout=120)
        raise
    first.commit()
    first.close()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert len(outcome) == 1, outcome
    return outcome[0]
