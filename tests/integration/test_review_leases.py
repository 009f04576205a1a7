"""Review-next leases belong to one reviewer: they get their reserved item back, hold a bounded
number of them, and nobody else votes on an item while its lease lasts.

The first tests run on SQLite and PostgreSQL in the rolled-back test session; the last ones commit
from many threads at once and run on PostgreSQL in a schema of their own.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from factcheck.db import write_intent
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Status
from factcheck.models import AuditEvent, CheckItem, User, Vote, utcnow
from factcheck.services.items import vote_on_verdict
from factcheck.services.leases import LeaseHeld, TooManyLeases
from factcheck.services.queue import claim_next_for_review, release_lease, review_verdict
from factcheck.web.refusals import status_for
from tests.conftest import PG_URL
from tests.factories import seen_key, gen_item_in, gen_user


def _live_leases(session, reviewer: User) -> int:
    now = utcnow()
    return session.scalar(select(func.count(CheckItem.id)).where(
        CheckItem.lease_user_id == reviewer.id, CheckItem.lease_expires_at > now)) or 0


def _lease_events(session, item_id: int) -> int:
    return session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.item_id == item_id, AuditEvent.action == "lease")) or 0


# --- your own reserved item comes back ------------------------------------------------------------


def test_review_next_gives_a_reviewer_back_the_item_they_reserved(session):
    item = gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    now = utcnow()
    assert claim_next_for_review(session, reviewer, now, 15).id == item.id
    again = claim_next_for_review(session, reviewer, now + dt.timedelta(minutes=1), 15)
    assert again is not None and again.id == item.id, "their own lease must not hide the item from them"
    assert _lease_events(session, item.id) == 1, "giving the item back is not a second lease"
    assert again.lease_expires_at == now + dt.timedelta(minutes=15)


def test_the_reserved_item_comes_before_a_new_one(session):
    reserved, waiting = gen_item_in(session, Status.VERDICT), gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    assert claim_next_for_review(session, reviewer, utcnow(), 15).id == reserved.id
    waiting.priority = 5  # now the top of the queue
    session.flush()
    assert claim_next_for_review(session, reviewer, utcnow(), 15).id == reserved.id
    assert _live_leases(session, reviewer) == 1


def test_an_expired_lease_is_not_given_back_but_the_item_can_be_claimed_again(session):
    item = gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    then = utcnow() - dt.timedelta(minutes=30)
    claim_next_for_review(session, reviewer, then, 15)
    claimed = claim_next_for_review(session, reviewer, utcnow(), 15)
    assert claimed.id == item.id and claimed.lease_expires_at > utcnow()
    assert _lease_events(session, item.id) == 2


def test_a_given_back_item_is_no_longer_reserved(session):
    item = gen_item_in(session, Status.VERDICT)
    reviewer, other = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, reviewer, utcnow(), 15)
    assert release_lease(session, item.id, reviewer) is True
    assert _live_leases(session, reviewer) == 0
    assert claim_next_for_review(session, other, utcnow(), 15).id == item.id


# --- at most N leases per reviewer ----------------------------------------------------------------


def test_leaving_an_item_claims_a_new_one_until_the_limit_then_takes_turns(session):
    items = [gen_item_in(session, Status.VERDICT) for _ in range(5)]
    reviewer, other = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    now = utcnow()
    seen = [claim_next_for_review(session, reviewer, now, 15, max_leases=3).id]
    for minute in range(1, 7):
        later = now + dt.timedelta(minutes=minute)
        seen.append(claim_next_for_review(session, reviewer, later, 15, max_leases=3, skip_item_id=seen[-1]).id)
    first_three = seen[:3]
    assert len(set(first_three)) == 3, "leaving an item gives a new one while under the limit"
    assert seen[3:] == [*first_three, first_three[0]], "then the reserved ones in turn"
    assert _live_leases(session, reviewer) == 3
    assert claim_next_for_review(session, other, now, 15).id in {i.id for i in items} - set(first_three)


def test_a_reviewer_at_the_limit_with_nothing_else_reserved_is_told_so(session):
    gen_item_in(session, Status.VERDICT), gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    first = claim_next_for_review(session, reviewer, utcnow(), 15, max_leases=1)
    with pytest.raises(TooManyLeases, match="1 reserved verdict at a time"):
        claim_next_for_review(session, reviewer, utcnow(), 15, max_leases=1, skip_item_id=first.id)
    assert _live_leases(session, reviewer) == 1


def test_leaving_the_only_item_says_nothing_else_is_waiting(session):
    item = gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, reviewer, utcnow(), 15)
    assert claim_next_for_review(session, reviewer, utcnow(), 15, skip_item_id=item.id) is None
    assert _live_leases(session, reviewer) == 1


# --- votes on someone else's lease ----------------------------------------------------------------


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.RETURN])
def test_a_vote_from_the_queue_on_an_item_leased_to_another_reviewer_is_refused(session, policy, decision):
    item = gen_item_in(session, Status.VERDICT)
    holder, other = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, holder, utcnow(), 15)
    with pytest.raises(LeaseHeld, match="Another reviewer reserved item") as refused:
        review_verdict(session, item.id, other, seen=seen_key(session, item.id), decision=decision, policy=policy, comment="Cite the source.")
    assert status_for(refused.value) == 409
    fresh = session.get(CheckItem, item.id, populate_existing=True)
    assert fresh.status is Status.VERDICT and fresh.lease_user_id == holder.id
    assert session.scalar(select(func.count(Vote.id)).where(Vote.reviewer_id == other.id)) == 0


def test_a_vote_outside_the_queue_on_an_item_leased_to_another_reviewer_is_refused(session, policy):
    item = gen_item_in(session, Status.VERDICT)
    holder, other = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, holder, utcnow(), 15)
    with pytest.raises(LeaseHeld):
        vote_on_verdict(session, item.id, other, decision=Decision.APPROVE, policy=policy)
    assert session.get(CheckItem, item.id, populate_existing=True).status is Status.VERDICT


def test_the_lease_holder_votes_and_others_may_vote_once_the_lease_has_expired(session):
    panel = Policy(review_mode=ReviewMode.PANEL)
    item = gen_item_in(session, Status.VERDICT)
    holder, late, other = (gen_user(session, Role.REVIEWER) for _ in range(3))
    claim_next_for_review(session, holder, utcnow(), 15)
    review_verdict(session, item.id, holder, seen=seen_key(session, item.id), decision=Decision.APPROVE, policy=panel)
    claim_next_for_review(session, late, utcnow() - dt.timedelta(minutes=20), 15)  # expired five minutes ago
    vote = review_verdict(session, item.id, other, seen=seen_key(session, item.id), decision=Decision.APPROVE, policy=panel)
    assert vote.reviewer_id == other.id


# --- one reviewer, many presses at once (PostgreSQL) ----------------------------------------------

PRESSES = 6
MAX_LEASES = 3


@pytest.fixture
def pg_database():
    """A migrated schema of its own in the PostgreSQL test database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=PRESSES + 2) as db:
        yield db


def _press_review_next_at_once(db, reviewer_id: int, skip_item_id: int | None) -> list[int]:
    """PRESSES threads press Review next for one reviewer at the same moment; the item ids they got."""
    got: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(PRESSES)

    def press() -> None:
        token = write_intent.set(True)
        try:
            with db.sessionmaker() as session:
                reviewer = session.get(User, reviewer_id)
                session.commit()
                start.wait()
                item = claim_next_for_review(session, reviewer, utcnow(), 15, max_leases=MAX_LEASES,
                                             skip_item_id=skip_item_id)
                session.commit()
                if item is not None:
                    got.append(item.id)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
            start.abort()  # the others stop waiting for a thread that failed
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=press) for _ in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    return got


@pytest.mark.postgres
@pytest.mark.parametrize("leaving_an_item", [False, True], ids=["from-the-queue", "from-a-review-page"])
def test_one_reviewer_pressing_review_next_from_six_threads_never_holds_more_than_the_limit(pg_database,
                                                                                           leaving_an_item):
    db = pg_database
    with db.sessionmaker() as session:
        for _ in range(PRESSES + 2):
            gen_item_in(session, Status.VERDICT)
        reviewer = gen_user(session, Role.REVIEWER)
        session.commit()
        skip = claim_next_for_review(session, reviewer, utcnow(), 15).id if leaving_an_item else None
        session.commit()
        reviewer_id = reviewer.id
    got = _press_review_next_at_once(db, reviewer_id, skip)
    with db.sessionmaker() as session:
        held = set(session.scalars(select(CheckItem.id).where(
            CheckItem.lease_user_id == reviewer_id, CheckItem.lease_expires_at > utcnow())))
        lease_events = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "lease"))
    assert len(got) == PRESSES, "every press opened an item"
    assert set(got) <= held
    if leaving_an_item:
        assert len(held) == MAX_LEASES and lease_events == MAX_LEASES
    else:
        assert len(held) == 1 and lease_events == 1, "every press gave back the one reserved item"
