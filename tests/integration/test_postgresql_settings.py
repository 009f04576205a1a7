"""The app's PostgreSQL connections: without JIT (compiling a page's statement cost more than running it), statements
kept prepared, limits written in, the version a statement read with its rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from factcheck.db import create_db_engine, data_version, data_version_column, note_data_version
from tests.conftest import PG_URL
from tests.helpers import recorded_statements


def test_every_pooled_postgresql_connection_has_jit_off_even_after_a_rollback() -> None:
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    engine = create_db_engine(PG_URL, pool_size=2)
    try:
        with engine.connect() as first, engine.connect() as second:
            assert first.scalar(text("SHOW jit")) == second.scalar(text("SHOW jit")) == "off"
            first.rollback()
        with engine.connect() as again:  # back from the pool, its transaction rolled back
            assert again.scalar(text("SHOW jit")) == "off"
    finally:
        engine.dispose()


def _engine():  # type: ignore[no-untyped-def]
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    return create_db_engine(PG_URL, pool_size=1, max_overflow=0)


def _prepared(connection) -> int:  # type: ignore[no-untyped-def]
    return int(connection.scalar(text("SELECT count(*) FROM pg_prepared_statements")))


def test_statements_stay_prepared_across_transactions_that_only_read() -> None:
    """psycopg prepares a statement run five times on a connection; a page's transaction that only read ends
    (closing rolls back) without making it forget them, so the sixth request's statement is not parsed again."""
    engine = _engine()
    try:
        for n in range(7):
            with engine.connect() as connection:  # each a request: one transaction, closed without a commit
                assert connection.scalar(text("SELECT :n + 1"), {"n": n}) == n + 1
                connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))  # search does this
                # Search's statements begin with WITH and only read.
                assert connection.scalar(text("WITH page AS (SELECT :n AS k) SELECT k FROM page"), {"n": n}) == n
        with engine.connect() as connection:
            assert _prepared(connection) >= 1
            assert connection.scalar(text("SHOW plan_cache_mode")) == "auto"  # the SET LOCAL ended with its transaction
    finally:
        engine.dispose()


def test_a_transaction_that_wrote_and_was_not_committed_is_rolled_back() -> None:
    engine = _engine()
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE IF NOT EXISTS keep_prepared_probe (n integer)"))
            connection.commit()
        # A plain INSERT, one inside a WITH (the statement's text begins with a word that reads), an UPDATE.
        writes = [
            "INSERT INTO keep_prepared_probe VALUES (1)",
            "WITH made AS (INSERT INTO keep_prepared_probe VALUES (2) RETURNING n) SELECT n FROM made",
            "UPDATE keep_prepared_probe SET n = 3",
        ]
        for write in writes:
            with engine.connect() as connection:
                for _ in range(6):  # prepared after five runs
                    connection.execute(text("SELECT 1"))
                connection.execute(text(write))
            with engine.connect() as connection:
                assert connection.scalar(text("SELECT count(*) FROM keep_prepared_probe")) == 0
                assert _prepared(connection) == 0  # a rollback: psycopg forgot them, as it does
    finally:
        with engine.connect() as connection:
            connection.execute(text("DROP TABLE IF EXISTS keep_prepared_probe"))
            connection.commit()
        engine.dispose()


def test_a_failed_statement_leaves_a_connection_the_pool_can_use_again() -> None:
    engine = _engine()
    try:
        with engine.connect() as connection:
            with pytest.raises(Exception, match="division by zero"):
                connection.execute(text("SELECT 1 / 0"))
        with engine.connect() as connection:  # the same connection, its failed transaction rolled back
            assert connection.scalar(text("SELECT 2")) == 2
    finally:
        engine.dispose()


def test_limits_and_offsets_are_written_into_the_statement() -> None:
    """A prepared statement's plan for any values (generic) knows how few rows are wanted only if the row
    count is in its text; bound, PostgreSQL planned such statements again on every execution."""
    from sqlalchemy import Integer, bindparam, column, func, select

    from tests.helpers import recorded_statements

    engine = _engine()
    numbers = select(column("n")).select_from(func.generate_series(1, 100).alias("n"))
    try:
        with engine.connect() as connection, recorded_statements(engine) as sent:
            assert connection.scalars(numbers.order_by(column("n")).limit(3).offset(5)).all() == [6, 7, 8]
            page = numbers.order_by(column("n").desc()).limit(bindparam("size", type_=Integer))
            assert connection.scalars(page, {"size": 2}).all() == [100, 99]
        assert "LIMIT 3 OFFSET 5" in " ".join(sent[0].split())
        assert "LIMIT 2" in " ".join(sent[1].split())
    finally:
        engine.dispose()


def test_a_version_read_with_a_statements_rows_stands_until_its_transaction_ends_or_writes() -> None:
    """``db.note_data_version``: the snapshot a request's first statement read (the user's row) is its version, so
    ``data_version`` sends no statement of its own; never in a later transaction, nor once this one wrote."""
    engine = _engine()
    try:
        with engine.connect() as connection:
            column = data_version_column(connection)
            assert column is not None
            read = connection.scalar(select(column))
            # Only a transaction's first statement may read it: an earlier one may have read older rows.
            assert data_version_column(connection) is None
            note_data_version(connection, read)
            with recorded_statements(engine) as sent:
                assert data_version(connection) == read
            assert sent == []
            connection.commit()
            assert data_version_column(connection) is not None  # a new transaction
            for end in (connection.commit, connection.rollback):
                note_data_version(connection, connection.scalar(text("SELECT 'noted'")))  # read in this transaction
                assert data_version(connection) == "noted"
                end()
                with recorded_statements(engine) as sent:
                    assert data_version(connection) != "noted"  # the transaction's own snapshot, read again
                assert len(sent) == 1 and "pg_current_snapshot" in sent[0]
            connection.execute(text("CREATE TEMPORARY TABLE version_probe (n integer)"))
            note_data_version(connection, "noted")
            assert data_version(connection) is None  # it wrote: it reads its own changes, which no version names
            connection.rollback()
    finally:
        engine.dispose()
