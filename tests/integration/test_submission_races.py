"""Two readers asking about the same claim at the same moment, on PostgreSQL with real threads and commits:
both are counted ("asked by 2 readers"), neither overwrites the other.

Both sends are held at a barrier after they matched the claim to the same item and before they count
themselves on it, so both really pass the match before either commits, on every run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from factcheck.db import Database
from factcheck.domain.workflow import AuditAction
from factcheck.models import AuditEvent, CheckItem, ReaderSubmission
from factcheck.services import submissions as submission_service
from tests.conftest import PG_URL
from tests.factories import gen_item
from tests.integration.test_races import Gate, held_at, side_by_side
from tests.pg_schema import migrated_schema_url

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")]


def test_two_readers_asking_at_once_are_both_counted(monkeypatch):
    with migrated_schema_url() as url:
        db = Database(url)
        try:
            with db.sessionmaker() as session:
                item_id = gen_item(session, "The mayor banned bicycles from every bridge in town.").id
                session.commit()
            gate = Gate(2)
            monkeypatch.setattr(submission_service, "_count_reader", held_at(gate, submission_service._count_reader))

            def send(words: str) -> Callable[[], int]:
                def run() -> int:
                    with db.sessionmaker() as session:
                        done = submission_service.submit_claim(session, claim_text=words)
                        session.commit()
                        return done.item.id
                return run

            landed = side_by_side(gate, send("Did the mayor ban bicycles from every bridge in town?"),
                                  send("the mayor banned bicycles from every bridge in town, true?"))
            assert landed == [item_id, item_id]
            with db.sessionmaker() as session:
                assert session.get(CheckItem, item_id).reader_requests == 2
                assert len(session.scalars(select(ReaderSubmission.id)).all()) == 2
                because = sorted(e.payload["because"] for e in session.scalars(
                    select(AuditEvent).where(AuditEvent.item_id == item_id, AuditEvent.action == AuditAction.PRIORITY)))
                assert because == ["asked by 1 reader", "asked by 2 readers"]
        finally:
            db.dispose()
