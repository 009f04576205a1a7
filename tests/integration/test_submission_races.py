"""Readers asking about a claim at the moment somebody else acts on it, on PostgreSQL with real transactions:
the second waits for the first (seen in ``pg_blocking_pids``, no clock) and then follows what it made.

- Two readers asking about one item are both counted ("asked by 2 readers"), neither overwrites the other.
- Two readers sending the same new claim make one item, asked by both.
- A reader asking while the item's verdict is published is shown the verdict; while it is dismissed, gets a new
  item (a request never waits on a dismissed item, nor goes unanswered on a published one).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db import Database
from factcheck.domain.workflow import AuditAction, Decision, Policy, Role, Status
from factcheck.models import AuditEvent, CheckItem, ReaderSubmission, User
from factcheck.services import items as item_service
from factcheck.services import submissions as submission_service
from tests.conftest import PG_URL
from tests.factories import gen_item, gen_item_in, gen_user
from tests.pg_schema import behind_first, private_schema_database

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")]

SEA = "Is it true that the sea level rose by 20 cm since 1900?"


def _sent(words: str, email: str | None = None):  # type: ignore[no-untyped-def]
    def send(session: Session) -> int:
        return submission_service.submit_claim(session, claim_text=words, email=email).item.id
    return send


def test_two_readers_asking_at_once_are_both_counted() -> None:
    with private_schema_database() as db:
        with Session(db.engine) as session:
            item_id = gen_item(session, "The mayor banned bicycles from every bridge in town.").id
            session.commit()
        first = Session(db.engine)
        assert _sent("Did the mayor ban bicycles from every bridge in town?")(first) == item_id
        assert behind_first(db, first, _sent("the mayor banned bicycles from every bridge in town, true?")) == item_id
        with Session(db.engine) as session:
            assert session.get(CheckItem, item_id).reader_requests == 2
            assert len(session.scalars(select(ReaderSubmission.id)).all()) == 2
            because = sorted(e.payload["because"] for e in session.scalars(
                select(AuditEvent).where(AuditEvent.item_id == item_id, AuditEvent.action == AuditAction.PRIORITY)))
            assert because == ["asked by 1 reader", "asked by 2 readers"]


def test_two_readers_sending_the_same_new_claim_at_once_make_one_item() -> None:
    claim = "The council sold the old lighthouse to a hotel chain for one euro."
    with private_schema_database() as db:
        first = Session(db.engine)
        made = _sent(claim)(first)
        assert behind_first(db, first, _sent(claim)) == made
        with Session(db.engine) as session:
            assert session.scalars(select(CheckItem.id)).all() == [made]
            assert session.get(CheckItem, made).reader_requests == 2


def test_a_reader_asking_while_the_verdict_is_published_is_shown_it() -> None:
    with private_schema_database() as db:
        with Session(db.engine) as session:
            item = gen_item_in(session, Status.VERDICT)
            item_id, reviewer_id = item.id, gen_user(session, Role.REVIEWER).id
            session.commit()
        first = Session(db.engine)
        item_service.vote_on_verdict(first, item_id, first.get(User, reviewer_id), decision=Decision.APPROVE,
                                     policy=Policy())
        assert behind_first(db, first, _sent(SEA, "reader@example.org")) == item_id
        with Session(db.engine) as session:
            assert session.get(CheckItem, item_id).status is Status.PUBLISHED
            request = session.scalars(select(ReaderSubmission)).one()
            # Shown the verdict on screen, so answered, and no address kept.
            assert request.answered_on_screen and request.answered_at is not None and request.email is None


def test_a_reader_asking_while_the_item_is_dismissed_gets_a_new_item() -> None:
    with private_schema_database() as db:
        with Session(db.engine) as session:
            item_id = gen_item_in(session, Status.CLAIM).id
            editor_id = gen_user(session, Role.EDITOR).id
            session.commit()
        first = Session(db.engine)
        item_service.dismiss_item(first, item_id, first.get(User, editor_id), "opinion")
        landed = behind_first(db, first, _sent(SEA, "reader@example.org"))
        assert landed != item_id
        with Session(db.engine) as session:
            assert session.get(CheckItem, landed).status is Status.CLAIM
            assert session.scalars(select(ReaderSubmission.item_id)).all() == [landed]
