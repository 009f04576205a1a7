"""Engines and sessions: SQLite (WAL, foreign keys, write-intent BEGIN) or PostgreSQL."""

from __future__ import annotations

import contextvars
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Executable, Text, create_engine, event, literal_column
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

#: Whether the current unit of work may write. On SQLite a writing transaction starts with
#: BEGIN IMMEDIATE so two writers queue on the lock instead of failing with a stale snapshot;
#: reads (GET requests) use a plain BEGIN and never block writers.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def is_sqlite(url: str) -> bool:
    """True for SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def create_db_engine(url: str, **kwargs: object) -> Engine:
    """An engine configured for our needs on either database."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            _create_private_file(Path(database))
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _configure_postgresql(engine)
    return engine


#: Statements that cannot change what a transaction leaves behind: a transaction of only these ends alike
#: by COMMIT or ROLLBACK (row and advisory locks are released, ``SET LOCAL`` undone, either way; SQLite's
#: BEGIN IMMEDIATE takes the write lock and writes nothing). The rule is the statement's first word: a
#: SELECT calling a function that writes, or ``set_config`` of a session setting, would count as reading
#: (the app sends none); writes through the driver's own cursor are not seen at all (mark them: ``note_write``).
_READING = ("SELECT", "SET LOCAL ", "PRAGMA DATA_VERSION", "BEGIN")
#: A ``WITH`` statement reads unless one of its parts changes rows.
_CHANGES_ROWS = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
#: ``Connection.info`` key: the transaction on this connection sent something other than ``_READING``.
_WROTE = "factcheck.wrote"
#: ``Connection.info`` key: the transaction on this connection has sent a statement (read on PostgreSQL only).
_SENT = "factcheck.sent"


def _reads_only(statement: str) -> bool:
    """Whether ``statement`` cannot change what its transaction leaves behind (see ``_READING``)."""
    head = statement[:40].lstrip()[:19].upper()  # (not the whole text copied for every statement)
    if head.startswith(_READING):
        return True
    return head.startswith("WITH") and _CHANGES_ROWS.search(statement) is None


def note_write(connection: Connection) -> None:
    """Mark ``connection``'s transaction as one that wrote, for writes sent through the driver's own cursor
    (a COPY), which the engine does not see: it is then rolled back, never committed, when not committed."""
    connection.info[_WROTE] = True


#: ``Connection.info`` key (SQLite): the connection's ``PRAGMA data_version`` when ``data_version`` last read it.
_SEEN = "factcheck.data_version"
#: ``Connection.info`` key (SQLite): this process's count of commits (``_Commits``) when the connection's transaction
#: began, before any statement of it (``data_version``).
_BEGUN_AT = "factcheck.begun_at"
#: ``Connection.info`` key (PostgreSQL): the snapshot an earlier statement of this transaction read with its rows
#: (``note_data_version``); dropped when the transaction ends.
_VERSION = "factcheck.version"
#: What ``data_version`` reads on PostgreSQL: the current snapshot, as text (its own statement, or a column of a
#: transaction's first statement: ``data_version_column``).
_SNAPSHOT = "pg_current_snapshot()::text"


def data_version_column(connection: Connection) -> ColumnElement[str] | None:
    """What ``data_version`` reads on PostgreSQL, as a column a transaction's first statement may read with its
    rows (a request's, the user's: ``note_data_version`` then spares ``data_version`` a statement of its own);
    None on SQLite, whose version is not read by a statement, and once the transaction has sent a statement."""
    if connection.dialect.name != "postgresql" or connection.info.get(_SENT):
        return None  # (after another statement of the transaction, which may have read older rows than it names)
    return literal_column(_SNAPSHOT, Text)


def note_data_version(connection: Connection, value: str) -> None:
    """Note ``value``, read by ``data_version_column`` in this transaction, as what ``data_version`` returns in
    it. Under READ COMMITTED every later statement of the transaction sees what was committed then or later:
    a page read after it is no older than that snapshot, just as after ``data_version``'s own statement."""
    connection.info[_VERSION] = value


class _Commits:
    """How many transactions that wrote this process has committed through an engine, and how many
    commits of other connections it has noticed (SQLite's ``data_version``)."""

    def __init__(self) -> None:
        self.generation = 0
        self._lock = threading.Lock()

    def happened(self) -> None:
        with self._lock:
            self.generation += 1


_COMMITS: weakref.WeakKeyDictionary[Engine, _Commits] = weakref.WeakKeyDictionary()


def data_version(connection: Connection) -> str | None:
    """A value that changes whenever what ``connection`` reads may have changed: a page made after reading it
    shows what was committed then or later, so pages kept under it (``web.readercache``) are never stale.
    None when the connection's transaction has written (it reads its own changes, which no version names),
    and on SQLite when the connection has just noticed another's commit (its snapshot may be either side of it).

    PostgreSQL: the current snapshot (which transactions have committed, as ``xmin:xmax:running``): it moves
    at every commit of a transaction that wrote, in any database of the server. SQLite: a count this
    process keeps, moved after each of its commits that wrote and whenever a connection's
    ``PRAGMA data_version`` (which moves when *another* connection commits) is not what it was.
    """
    if connection.info.get(_WROTE):
        return None
    if connection.dialect.name == "postgresql":
        noted = connection.info.get(_VERSION)
        if noted is not None:
            return str(noted)
        return str(connection.exec_driver_sql(f"SELECT {_SNAPSHOT}").scalar())
    engine = connection.engine
    commits = _COMMITS.get(getattr(engine, "_proxied", engine))  # (an engine with other execution options)
    if commits is None:
        return None
    seen = connection.exec_driver_sql("PRAGMA data_version").scalar()  # (begins the transaction if need be)
    if connection.info.get(_SEEN) != seen:
        connection.info[_SEEN] = seen
        commits.happened()
        return None  # this request's snapshot may be older or newer than any count: its page is not kept
    # The count when the transaction began, before its first statement took its snapshot: a commit of this
    # process after that moves the count past this version (a page made now is kept under a version no later
    # request asks for), and another connection's commit before it shows in the PRAGMA. (The count now would
    # not do: a commit of another thread between the snapshot and now moves the count but not the PRAGMA,
    # which stays as it was inside the transaction, so an older page would be kept under the newer count.)
    generation = connection.info.get(_BEGUN_AT)
    return None if generation is None else f"{id(commits)}.{generation}"


def _track_writes(engine: Engine, *, end_reads_with_commit: bool) -> None:
    """Note which transactions wrote (any statement but ``_READING``), count their commits (``data_version``),
    and with ``end_reads_with_commit`` end a transaction that only read with COMMIT rather than ROLLBACK.

    The last is for psycopg, which prepares a statement on the server once a connection has run it
    five times: PostgreSQL then parses it no more and, where one plan suits every value, plans it no
    more (the reviewer queue's statement took 6 ms to plan at a million items, 1 ms to run). But
    psycopg forgets every prepared statement at a ROLLBACK (one might have undone a change of the
    schema), and every page's transaction ended so, as nothing it reads is to be kept: no statement
    stayed prepared from one request to the next. A transaction that sent nothing but reads has
    nothing to undo, so its end is a COMMIT; any other (a write, a savepoint, a failed statement)
    is rolled back as before.
    """
    dialect = engine.dialect
    rollback = dialect.do_rollback
    commit = dialect.do_commit
    commits = _COMMITS.setdefault(engine, _Commits())

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        conn.info[_SENT] = True
        if not _reads_only(statement):
            conn.info[_WROTE] = True

    def _wrote(dbapi_connection: Any) -> bool:
        notes = _pool_info(dbapi_connection)
        if notes is None:
            return True  # a connection outside the pool: as if it wrote
        notes.pop(_SENT, None)
        notes.pop(_VERSION, None)  # the transaction ends: a snapshot noted in it names no later one
        notes.pop(_BEGUN_AT, None)  # (and the next one notes its own count as it begins)
        return bool(notes.pop(_WROTE, False))

    def do_rollback(dbapi_connection: Any) -> None:
        wrote = _wrote(dbapi_connection)
        # (A failed statement leaves the transaction INERROR: that one is rolled back too.)
        if end_reads_with_commit and not wrote and _in_transaction(dbapi_connection.dbapi_connection):
            commit(dbapi_connection)
        else:
            rollback(dbapi_connection)

    def do_commit(dbapi_connection: Any) -> None:
        wrote = _wrote(dbapi_connection)
        commit(dbapi_connection)
        if wrote:
            commits.happened()  # after the commit: a page read before it is kept under the count before

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]  # this engine's dialect only
    dialect.do_commit = do_commit  # type: ignore[method-assign]  # likewise


def _in_transaction(psycopg_connection: Any) -> bool:
    """Whether a psycopg connection is in a transaction that has not failed."""
    from psycopg.pq import TransactionStatus

    return bool(psycopg_connection.info.transaction_status == TransactionStatus.INTRANS)


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # No JIT: a page's statements run in a millisecond or two, and compiling one whose estimate
        # passes jit_above_cost took 20-35 ms (the queue's capped count at a million items).
        cursor = dbapi_connection.cursor()
        cursor.execute("SET jit = off")
        cursor.close()
        dbapi_connection.commit()  # a SET in a rolled-back transaction would be undone

    _track_writes(engine, end_reads_with_commit=True)
    _write_limits_in(engine)


def _write_limits_in(engine: Engine) -> None:
    """Write every LIMIT and OFFSET into the statement's text instead of binding it.

    A prepared statement is planned once for any values (its generic plan) only when PostgreSQL
    judges that plan as good as one made for the values at hand; with the row count bound, the
    generic plan cannot know how few rows are wanted, is costed as if all were, and is never chosen:
    the statement is planned again on every execution (the reviewer queue's: 6 ms a view at a
    million items, against 1 ms to run). Written in, each page size is a statement of its own,
    planned once.
    """
    base = engine.dialect.statement_compiler

    class WrittenLimits(base):  # type: ignore[misc,valid-type]  # the dialect's own compiler class, known at run time
        def limit_clause(self, select: Any, **kw: Any) -> str:
            return str(super().limit_clause(select, **{**kw, "literal_execute": True}))

    engine.dialect.statement_compiler = WrittenLimits


def _pool_info(dbapi_connection: Any) -> dict[str, Any] | None:
    """The pool's ``info`` of a checked-out connection (what ``Connection.info`` is), None for any other."""
    try:
        info = dbapi_connection.info
    except NotImplementedError:  # the engine's first connection, before the pool holds it
        return None
    return info if isinstance(info, dict) else None


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable and writable by its owner only (0600), unless it exists.

    It holds password hashes and session tokens' hashes. SQLite gives its -wal and -shm files the
    database file's permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the pysqlite driver so SAVEPOINTs and BEGIN IMMEDIATE work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    _track_writes(engine, end_reads_with_commit=False)
    commits = _COMMITS[engine]

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info[_BEGUN_AT] = commits.generation  # (read before BEGIN: the snapshot comes later still)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render after committing)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def rows_of(session: Session, statement: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The rows of a prebuilt statement of columns, run on the session's connection: the same
    transaction and rows as ``session.execute``, without the ORM's work around each statement (a
    page of cards runs nine; that work cost more than some of them). Pending changes are flushed
    first, as ``session.execute`` would. Returns the statement's ``Result`` (rows read by position)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work for commands: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _forget_connections_in_child(engine_ref: weakref.ref[Engine]) -> None:
    engine = engine_ref()
    if engine is not None:
        # close=False: the parent still owns those connections; the child only drops its copies.
        engine.dispose(close=False)


class Database:
    """One database for the application: its URL, engine and session factory.

    A process forked after the engine was made (gunicorn ``--preload``, a huey process worker) starts
    with an empty pool: connections are never shared across a fork.
    """

    def __init__(self, url: str, **engine_kwargs: object) -> None:
        self.url = url
        self.engine = create_db_engine(url, **engine_kwargs)
        self.sessionmaker = make_sessionmaker(self.engine)
        os.register_at_fork(after_in_child=lambda ref=weakref.ref(self.engine): _forget_connections_in_child(ref))

    @property
    def is_sqlite(self) -> bool:
        """True when the database is SQLite."""
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
