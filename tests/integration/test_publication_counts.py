"""Stored publications per day (``publication_counts``) equal a count of the audit trail's publish events."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from factcheck import migrate
from factcheck.models import AuditEvent, PublicationCount
from tests.conftest import PG_URL
from tests.factories import gen_item, written_item

DAYS = [dt.datetime(2026, 3, 15, 23, 59, 59, tzinfo=dt.UTC), dt.datetime(2026, 3, 16, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 16, 13, 30, tzinfo=dt.UTC),
        # the same moment written with another zone: 01:30 on the 17th in UTC
        dt.datetime(2026, 3, 16, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))]


def _stored(session: Session) -> dict[dt.date, int]:
    rows = session.execute(select(PublicationCount.day, func.sum(PublicationCount.publications))
                           .group_by(PublicationCount.day)).all()
    return {(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)): int(n) for d, n in rows if n}


def _counted(session: Session) -> dict[dt.date, int]:
    counted: dict[dt.date, int] = {}
    for at in session.scalars(select(AuditEvent.created_at).where(AuditEvent.action == "publish")):
        day = at.astimezone(dt.UTC).date()
        counted[day] = counted.get(day, 0) + 1
    return counted


def _events(item_id: int, moments: list[dt.datetime], action: str = "publish") -> list[dict]:
    return [{"item_id": item_id, "entity": "item", "entity_id": item_id, "action": action, "from_status": "verdict",
             "to_status": "published", "created_at": at, "payload": {}} for at in moments]


def test_publication_counts_follow_the_audit_trail_one_event_or_many_at_once(session) -> None:
    item = gen_item(session)
    before = _stored(session)
    assert before == _counted(session)
    session.add(AuditEvent(**_events(item.id, [DAYS[0]])[0]))
    session.flush()
    session.execute(insert(AuditEvent), _events(item.id, DAYS) + _events(item.id, DAYS, action="return"))
    stored = _stored(session)
    assert stored == _counted(session)
    assert {d: stored[d] - before.get(d, 0) for d in stored if stored[d] != before.get(d, 0)} == {
        dt.date(2026, 3, 15): 2, dt.date(2026, 3, 16): 2, dt.date(2026, 3, 17): 1}


def test_the_migration_counts_the_publications_already_recorded(empty_db) -> None:
    migrate.upgrade(empty_db.url, "f3c9a7d2e1b4")
    with Session(empty_db.engine) as session:
        item_id = written_item(session)  # the services write for the schema at head, not this older one
        session.execute(insert(AuditEvent), _events(item_id, DAYS))
        session.commit()
    migrate.upgrade(empty_db.url)
    with Session(empty_db.engine) as session:
        assert _stored(session) == _counted(session) == {
            dt.date(2026, 3, 15): 1, dt.date(2026, 3, 16): 2, dt.date(2026, 3, 17): 1}
    migrate.downgrade(empty_db.url, "f3c9a7d2e1b4")
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'publish'")).scalar() == 4


WRITERS = 6


def test_concurrent_publications_are_all_counted_and_folded(request) -> None:
    """Writers released together by a barrier record publications of the same days and commit (one
    rolls back); none waits on another, and the days' rows are folded by the next writer alone."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=WRITERS + 2) as db:
        with Session(db.engine) as session:
            item_id = gen_item(session).id
            session.commit()
        start = threading.Barrier(WRITERS)
        errors: list[BaseException] = []

        def write(n: int) -> None:
            try:
                with Session(db.engine) as session:
                    session.execute(text("SET LOCAL lock_timeout = '10s'"))  # a wait would fail, not hang
                    start.wait(timeout=30)
                    session.execute(insert(AuditEvent), _events(item_id, DAYS[:3]))
                    session.execute(insert(AuditEvent), _events(item_id, DAYS[2:]))
                    session.rollback() if n == 0 else session.commit()
            except BaseException as exc:  # reported below; a thread cannot fail the test itself
                errors.append(exc)
                start.abort()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads) and errors == []
        with Session(db.engine) as session:
            assert _stored(session) == _counted(session)
            assert _stored(session)[dt.date(2026, 3, 16)] == 3 * (WRITERS - 1)
            session.execute(insert(AuditEvent), _events(item_id, DAYS))
            session.commit()
            assert _stored(session) == _counted(session)
            assert session.scalar(select(func.count()).select_from(PublicationCount)) == 3, "one row a day"
