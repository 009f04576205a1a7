"""The database itself refuses to change or delete audit events."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from tests.factories import gen_item


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'forged' WHERE id = :id",
    "DELETE FROM audit_events WHERE id = :id",
])
def test_audit_events_cannot_be_updated_or_deleted(session, statement):
    item = gen_item(session)
    session.flush()
    event_id = session.execute(text("SELECT max(id) FROM audit_events WHERE item_id = :i"), {"i": item.id}).scalar()
    nested = session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(text(statement), {"id": event_id})
    nested.rollback()
    assert session.execute(text("SELECT action FROM audit_events WHERE id = :id"), {"id": event_id}).scalar() == "create"
