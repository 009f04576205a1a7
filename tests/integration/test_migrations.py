"""Alembic is the schema authority: up, down, up again, and no drift from the models."""

from __future__ import annotations

from sqlalchemy import inspect, text

from factcheck import migrate
from factcheck.db import Database


def _tables(db: Database) -> set[str]:
    return {t for t in inspect(db.engine).get_table_names() if not t.startswith(("check_items_fts", "articles_fts", "sources_fts"))}


def test_an_empty_database_migrates_to_head_down_to_base_and_up_again(empty_db):
    migrate.upgrade(empty_db.url)
    with empty_db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert conn.execute(text("SELECT count(*) FROM ratings")).scalar() == 8
    assert {"users", "check_items", "audit_events", "verdicts", "votes"} <= _tables(empty_db)
    migrate.downgrade(empty_db.url, "base")
    empty_db.dispose()
    assert _tables(empty_db) <= {"alembic_version"}
    migrate.upgrade(empty_db.url)
    empty_db.dispose()
    with empty_db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert migrate.drift(conn) == []


def test_the_models_and_the_migrations_agree(database):
    with database.engine.connect() as conn:
        assert migrate.drift(conn) == []


def test_the_drift_check_notices_a_column_the_migrations_lack(database):
    from sqlalchemy import Column, Integer

    from factcheck.models import Source

    column = Column("not_migrated", Integer)
    Source.__table__.append_column(column)
    try:
        with database.engine.connect() as conn:
            diffs = migrate.drift(conn)
    finally:
        Source.__table__._columns.remove(column)
    assert any(d[0] == "add_column" and d[3].name == "not_migrated" for d in diffs)
