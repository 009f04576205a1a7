"""The migration that leaves room in the term counts' pages (PostgreSQL) gives it to the counts already stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from factcheck import migrate
from factcheck.db import Database
from tests.conftest import BACKENDS, fresh_database_url

#: The migration, and the one before it.
ROOM, BEFORE_ROOM = "c7d3e9f0a1b2", "b8e4f1a2c3d5"
#: Enough counts to fill a few hundred pages.
COUNTS = 40_000


@pytest.fixture
def empty_postgresql(tmp_path):
    if "postgresql" not in BACKENDS:
        pytest.skip("no PostgreSQL test database configured (FACTCHECK_TEST_DATABASE_URL)")
    db = Database(fresh_database_url("postgresql", tmp_path))
    yield db
    db.dispose()
    from tests.conftest import PG_URL
    migrate.upgrade(PG_URL)  # leave the shared test database migrated, as the session fixture expects


def _pages_and_fillfactor(db: Database) -> tuple[int, list[str] | None]:
    with db.engine.connect() as conn:
        return (int(conn.scalar(text("SELECT pg_relation_size('public.check_items_fts_counts') / 8192"))),
                # Other tests keep migrated copies in schemas of their own: this one's table, by its schema.
                conn.scalar(text("SELECT reloptions FROM pg_class "
                                 "WHERE oid = 'public.check_items_fts_counts'::regclass")))


def test_the_counts_stored_before_the_migration_get_half_of_each_page_free(empty_postgresql) -> None:
    db = empty_postgresql
    migrate.upgrade(db.url, BEFORE_ROOM)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO check_items_fts_counts(token, documents) "
                          "SELECT 'word' || n, n % 50 FROM generate_series(1, :n) AS n"), {"n": COUNTS})
        expected = conn.execute(text("SELECT token, documents FROM check_items_fts_counts ORDER BY token")).all()
    full, _ = _pages_and_fillfactor(db)
    migrate.upgrade(db.url, ROOM)
    pages, options = _pages_and_fillfactor(db)
    assert options == ["fillfactor=50"]
    # Setting the fill factor alone would leave the pages written before as full as they were.
    assert pages >= 1.9 * full, (full, pages)
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT token, documents FROM check_items_fts_counts ORDER BY token")).all()
    assert stored == expected
    migrate.downgrade(db.url, BEFORE_ROOM)
    assert _pages_and_fillfactor(db)[1] is None
