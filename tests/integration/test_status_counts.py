"""Stored counts per status (``check_items_status_counts``) equal a plain COUNT, on SQLite and PostgreSQL.

The triggers of migration f3c9a7d2e1b4 keep them; every kind of write is checked here: items made
by the services and by bulk Core INSERTs (as ingest and imports write them), moved by the services
and by a plain UPDATE, deleted, and — on PostgreSQL — moved by many transactions at once.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from factcheck import migrate
from factcheck.db import Database
from factcheck.domain.workflow import Origin, Role, Status
from factcheck.models import CheckItem, StatusCount
from factcheck.queries.dashboard import counts_by_status
from factcheck.services import items as item_service
from tests.conftest import PG_URL
from tests.factories import gen_item, gen_item_in, gen_user


def _counted(session: Session) -> dict[Status, int]:
    """Items per status by a plain COUNT of the table, every status present."""
    rows = dict(session.execute(select(CheckItem.status, func.count()).group_by(CheckItem.status)).all())
    return {status: int(rows.get(status, 0)) for status in Status}


def _bulk_rows(n: int, status: Status) -> list[dict]:
    return [{"claim_text": f"Bulk claim {k} about the harbour.", "status": status, "checkworthiness": 0.5,
             "priority": 0.5, "origin": Origin.MANUAL, "hedges": [], "dates": []} for k in range(n)]


def test_stored_counts_follow_inserts_moves_and_deletions(session) -> None:
    before = _counted(session)
    assert counts_by_status(session) == before

    gen_item(session)
    gen_item_in(session, Status.EVIDENCE)
    gen_item_in(session, Status.PUBLISHED)
    dismissed = gen_item_in(session, Status.DISMISSED)
    assert counts_by_status(session) == _counted(session)
    assert counts_by_status(session)[Status.PUBLISHED] == before[Status.PUBLISHED] + 1

    # Bulk Core INSERTs, as ingest writes an article's items: one statement, many rows, two statuses.
    ids = list(session.scalars(insert(CheckItem).returning(CheckItem.id),
                               _bulk_rows(7, Status.CLAIM) + _bulk_rows(3, Status.DISMISSED)))
    assert counts_by_status(session) == _counted(session)

    # A move through the services, and a plain UPDATE of many rows at once (some already there).
    item_service.restore_item(session, dismissed.id, gen_user(session, Role.EDITOR))
    session.flush()
    assert counts_by_status(session) == _counted(session)
    session.execute(update(CheckItem).where(CheckItem.id.in_(ids[:8])).values(status=Status.DISMISSED))
    session.execute(update(CheckItem).where(CheckItem.id.in_(ids)).values(priority=0.9))  # no status change
    assert counts_by_status(session) == _counted(session)

    session.execute(delete(CheckItem).where(CheckItem.id.in_(ids[2:])))
    assert counts_by_status(session) == _counted(session)
    session.expire_all()
    assert counts_by_status(session)[Status.CLAIM] == _counted(session)[Status.CLAIM]


def test_a_rolled_back_change_leaves_the_counts_as_they_were(session) -> None:
    item = gen_item(session)
    session.flush()
    kept = counts_by_status(session)
    savepoint = session.begin_nested()
    session.execute(update(CheckItem).where(CheckItem.id == item.id).values(status=Status.DISMISSED))
    session.execute(insert(CheckItem), _bulk_rows(4, Status.CLAIM))
    assert counts_by_status(session) != kept
    savepoint.rollback()
    assert counts_by_status(session) == kept == _counted(session)


def test_the_migration_counts_the_items_already_stored_and_downgrades(empty_db) -> None:
    migrate.upgrade(empty_db.url, "c7d3e9f0a1b2")
    with Session(empty_db.engine) as session:
        session.execute(insert(CheckItem), _bulk_rows(5, Status.CLAIM) + _bulk_rows(2, Status.PUBLISHED))
        session.commit()
    migrate.upgrade(empty_db.url)
    with Session(empty_db.engine) as session:
        assert counts_by_status(session) == _counted(session)
        assert counts_by_status(session)[Status.CLAIM] == 5
        assert counts_by_status(session)[Status.VERDICT] == 0
        session.execute(insert(CheckItem), _bulk_rows(1, Status.VERDICT))
        assert counts_by_status(session)[Status.VERDICT] == 1
        session.rollback()
    migrate.downgrade(empty_db.url, "c7d3e9f0a1b2")
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM check_items")).scalar() == 7
        conn.execute(text("DELETE FROM check_items"))  # no trigger left to write to a dropped table


# --- PostgreSQL: many transactions at once ----------------------------------------------------------

WRITERS = 8


@pytest.fixture
def pg_database():
    """A migrated schema of its own in the PostgreSQL test database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=WRITERS + 2) as db:
        yield db


def _stored_rows(db: Database) -> int:
    with Session(db.engine) as session:
        return int(session.scalar(select(func.count()).select_from(StatusCount)) or 0)


def test_concurrent_transactions_moving_items_keep_the_counts_exact(pg_database) -> None:
    """Writers released together by a barrier move items both ways, insert and delete, and commit or
    roll back; none waits on another's counts, and the counts equal a COUNT afterwards."""
    db = pg_database
    with Session(db.engine) as session:
        batches = [list(session.scalars(insert(CheckItem).returning(CheckItem.id), _bulk_rows(6, Status.CLAIM)))
                   for _ in range(WRITERS)]
        session.commit()
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int, ids: list[int]) -> None:
        try:
            with Session(db.engine) as session:
                session.execute(text("SET LOCAL lock_timeout = '10s'"))  # a wait would fail, not hang
                start.wait(timeout=30)
                # Half the writers move claim → dismissed → claim, the others the other way first.
                first, second = (Status.DISMISSED, Status.EVIDENCE) if n % 2 else (Status.EVIDENCE, Status.DISMISSED)
                for item_id in ids[:3]:
                    session.execute(update(CheckItem).where(CheckItem.id == item_id).values(status=first))
                session.execute(update(CheckItem).where(CheckItem.id.in_(ids[3:])).values(status=second))
                session.execute(update(CheckItem).where(CheckItem.id == ids[0]).values(status=Status.CLAIM))
                session.execute(insert(CheckItem), _bulk_rows(2, Status.VERDICT))
                session.execute(delete(CheckItem).where(CheckItem.id == ids[5]))
                if n == WRITERS - 1:
                    session.rollback()
                else:
                    session.commit()
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
            start.abort()

    threads = [threading.Thread(target=write, args=(n, ids)) for n, ids in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with Session(db.engine) as session:
        assert counts_by_status(session) == _counted(session)
        assert counts_by_status(session)[Status.VERDICT] == 2 * (WRITERS - 1)
        # One more write, alone: its fold gathers every committed row into one per status.
        session.execute(insert(CheckItem), _bulk_rows(1, Status.CLAIM))
        session.commit()
        assert counts_by_status(session) == _counted(session)
    assert _stored_rows(db) <= len(Status)


def test_a_transaction_that_cannot_fold_still_counts_and_never_waits(pg_database) -> None:
    """While another transaction folds, a writer adds its rows and goes on; so does one at REPEATABLE READ."""
    fold_lock = 0x66637363  # FOLD_LOCK of migration f3c9a7d2e1b4
    db = pg_database
    with db.engine.connect() as other:  # another transaction folding at this moment
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": fold_lock})
        try:
            with Session(db.engine) as session:
                session.execute(text("SET LOCAL lock_timeout = '5s'"))
                session.execute(insert(CheckItem), _bulk_rows(3, Status.CLAIM))
                session.execute(insert(CheckItem), _bulk_rows(2, Status.CLAIM))
                session.commit()
            assert _stored_rows(db) > len(Status), "its rows wait for the next fold"
            with Session(db.engine) as session:
                assert counts_by_status(session)[Status.CLAIM] == 5 == _counted(session)[Status.CLAIM]
        finally:
            other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": fold_lock})
            other.commit()
    with Session(db.engine) as session:
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        session.execute(insert(CheckItem), _bulk_rows(1, Status.EVIDENCE))
        session.commit()
        assert counts_by_status(session) == _counted(session)


# --- a restored backup ------------------------------------------------------------------------------

from tests.integration.test_backup_roundtrip import export_text, restore, rich_world, rich_world_rows, target  # noqa: E402, F401


def test_a_restored_backup_counts_its_items_and_publications_once(session, rich_world_rows, target) -> None:
    """The stored counts are not in the backup: the restored rows are counted by the triggers as they go in."""
    from tests.integration.test_publication_counts import _counted as publications_counted
    from tests.integration.test_publication_counts import _stored as publications_stored

    assert "check_items_status_counts" not in export_text(session.connection())
    restore(target, export_text(session.connection()))
    with Session(target.engine) as restored:
        assert counts_by_status(restored) == _counted(restored) == _counted(session)
        assert sum(counts_by_status(restored).values()) > 0
        assert publications_stored(restored) == publications_counted(restored) == publications_counted(session)
