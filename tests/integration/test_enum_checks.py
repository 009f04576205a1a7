"""Enums stored as text have a named CHECK each, and adding those CHECKs keeps every row and trigger."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import column, insert, table, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from factcheck import migrate
from factcheck.models import AuditEvent, CheckItem, Evidence

BEFORE_CHECKS = "3b7e0c1d9a42"


@pytest.mark.parametrize("statement", [
    "INSERT INTO audit_events (entity, action, created_at, payload) VALUES ('item', 'bogus', '2026-01-01', '{}')",
    "INSERT INTO audit_events (entity, action, created_at, payload) VALUES ('bogus', 'edit', '2026-01-01', '{}')",
    "UPDATE check_items SET origin = 'bogus'",
])
def test_the_database_refuses_a_value_outside_the_enum(session, statement):
    from tests.factories import gen_item

    gen_item(session)
    session.flush()
    with pytest.raises(IntegrityError, match="ck_(audit_events_action|audit_events_entity|check_items_origin)"):
        with session.begin_nested():
            session.execute(text(statement))


def test_adding_the_checks_keeps_rows_triggers_and_converts_unknown_origins(empty_db):
    migrate.upgrade(empty_db.url, BEFORE_CHECKS)
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    with empty_db.engine.begin() as conn:
        # The columns of check_items at that revision (the live model has columns added since).
        items = table("check_items", *(column(name, CheckItem.__table__.c[name].type) for name in (
            "id", "claim_text", "status", "hedges", "dates", "priority", "checkworthiness", "origin",
            "status_changed_at", "created_at", "updated_at", "version")))
        item_id = conn.execute(insert(items).values(
            claim_text="The harbour closed in March.", status="evidence", hedges=[], dates=[], priority=0.5,
            checkworthiness=0.5, origin="manual", status_changed_at=now, created_at=now, updated_at=now, version=1,
        ).returning(items.c.id)).scalar_one()
        conn.execute(text("UPDATE check_items SET origin = 'from-an-old-version' WHERE id = :id"), {"id": item_id})
        conn.execute(insert(Evidence.__table__).values(
            item_id=item_id, title="Port log", stance="refutes", is_anonymous=False, is_off_record=False,
            added_at=now, version=1))
        conn.execute(insert(AuditEvent.__table__).values(
            item_id=item_id, entity="item", entity_id=item_id, action="create", created_at=now, payload={}))
    empty_db.dispose()
    migrate.upgrade(empty_db.url)
    empty_db.dispose()
    with empty_db.engine.begin() as conn:
        assert conn.execute(text("SELECT origin FROM check_items")).scalar_one() == "manual"
        assert conn.execute(text("SELECT count(*) FROM evidence WHERE item_id = :id"), {"id": item_id}).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 1
        if conn.dialect.name == "sqlite":
            # the full-text index still follows edits
            conn.execute(text("UPDATE check_items SET claim_text = 'The ferry stopped in May.'"))
            hits = conn.execute(text("SELECT rowid FROM check_items_fts WHERE check_items_fts MATCH 'ferry'")).all()
            assert [h[0] for h in hits] == [item_id]
    with pytest.raises(DBAPIError, match="append-only"):
        with empty_db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET action = 'edit'"))
