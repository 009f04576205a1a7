"""Review-next leases: each item goes to one reviewer at a time, across threads, processes and databases.

The concurrency test needs real commits from many connections, so it builds its own database
(a fresh SQLite file, or a new PostgreSQL database dropped afterwards) instead of the shared one.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from sqlalchemy import insert, select, text

from factcheck.db import Database, write_intent
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Status
from factcheck.models import AuditEvent, CheckItem, Rating, User, Verdict, utcnow
from factcheck.services.queue import claim_next_for_review, release_lease, review_verdict
from tests.conftest import BACKENDS, migrated_sqlite_url
from tests.factories import seen_key, gen_item_in, gen_user
from tests.pg_schema import private_schema_database

THREADS = 8
ITEMS = 200


def test_review_next_leases_the_top_item_and_records_it(session):
    reviewer = gen_user(session, Role.REVIEWER)
    low, high = gen_item_in(session, Status.VERDICT), gen_item_in(session, Status.VERDICT)
    high.priority = 3
    session.flush()
    now = utcnow()
    claimed = claim_next_for_review(session, reviewer, now, 15)
    assert claimed.id == high.id and claimed.lease_user_id == reviewer.id
    assert claimed.lease_expires_at == now.replace(microsecond=now.microsecond) + dt.timedelta(minutes=15)
    assert claimed.status is Status.VERDICT
    event = session.scalars(select(AuditEvent).where(AuditEvent.item_id == high.id)
                            .order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.from_status, event.to_status, event.actor_id) == ("lease", None, None, reviewer.id)
    assert claim_next_for_review(session, gen_user(session, Role.REVIEWER), now, 15).id == low.id


def test_a_lease_does_not_count_as_an_edit(session):
    item = gen_item_in(session, Status.VERDICT)
    version = item.version
    claim_next_for_review(session, gen_user(session, Role.REVIEWER), utcnow(), 15)
    assert session.get(CheckItem, item.id, populate_existing=True).version == version


def test_an_expired_lease_frees_the_item(session):
    item = gen_item_in(session, Status.VERDICT)
    first, second = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    now = utcnow()
    assert claim_next_for_review(session, first, now, 15).id == item.id
    assert claim_next_for_review(session, second, now + dt.timedelta(minutes=5), 15) is None
    assert claim_next_for_review(session, second, now + dt.timedelta(minutes=16), 15).id == item.id


def test_nobody_is_offered_their_own_verdict(session):
    both = gen_user(session, Role.CHECKER, Role.REVIEWER)
    gen_item_in(session, Status.VERDICT, checker=both)
    assert claim_next_for_review(session, both, utcnow(), 15) is None


def test_voting_from_the_queue_ends_the_lease_in_panel_mode(session):
    panel = Policy(review_mode=ReviewMode.PANEL)
    item = gen_item_in(session, Status.VERDICT)
    first, second = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, first, utcnow(), 15)
    review_verdict(session, item.id, first, seen=seen_key(session, item.id), decision=Decision.APPROVE, policy=panel)
    assert session.get(CheckItem, item.id, populate_existing=True).lease_user_id is None
    assert claim_next_for_review(session, second, utcnow(), 15).id == item.id


def test_a_reviewer_can_give_a_lease_back(session):
    item = gen_item_in(session, Status.VERDICT)
    reviewer = gen_user(session, Role.REVIEWER)
    claim_next_for_review(session, reviewer, utcnow(), 15)
    assert release_lease(session, item.id, reviewer) is True
    assert release_lease(session, item.id, reviewer) is False
    assert claim_next_for_review(session, gen_user(session, Role.REVIEWER), utcnow(), 15).id == item.id


# --- many reviewers at once, with real commits ------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def own_database(request, tmp_path):
    """A migrated database of its own: a new SQLite file, or a new schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        url = migrated_sqlite_url(tmp_path / "queue.sqlite3")
        db = Database(url, pool_size=THREADS + 2)
        yield db
        db.dispose()
        return
    with private_schema_database(pool_size=THREADS + 2) as db:
        yield db


def _bulk_verdicts(db: Database, n: int) -> tuple[list[int], int]:
    """``n`` items in verdict with a proposed verdict each, inserted in bulk; returns their ids and the author."""
    with db.sessionmaker() as session:
        author = gen_user(session, Role.CHECKER)
        rating_id = session.scalar(select(Rating.id).where(Rating.key == "false"))
        now = utcnow()
        rows = [{"claim_text": f"Claim {i}", "status": Status.VERDICT, "priority": float(i % 7), "assignee_id": author.id,
                 "hedges": [], "dates": [], "checkworthiness": 0.5, "origin": "manual", "status_changed_at": now,
                 "created_at": now, "updated_at": now, "version": 1} for i in range(n)]
        ids = list(session.scalars(insert(CheckItem).returning(CheckItem.id), rows))
        session.execute(insert(Verdict), [{"item_id": i, "rating_id": rating_id, "summary": "s", "rationale": "r",
                                            "author_id": author.id, "created_at": now} for i in ids])
        session.commit()
        return ids, author.id


def test_eight_reviewers_pressing_review_next_never_get_the_same_item(own_database):
    """Eight reviewers press "Review next" together, round after round, until the queue is empty.

    A barrier starts every round, so in each round all eight claim at once however the threads are
    scheduled, and each reviewer claims exactly one item per round: ITEMS / THREADS rounds empty
    the queue and the round after finds nothing for anybody. No clock is involved: a thread that
    fails, or finds the queue empty too early, breaks the barrier so the others stop instead of waiting.
    """
    db = own_database
    ids, _ = _bulk_verdicts(db, ITEMS)
    with db.sessionmaker() as session:
        reviewer_ids = [gen_user(session, Role.REVIEWER).id for _ in range(THREADS)]
        session.commit()
    assert ITEMS % THREADS == 0
    rounds = ITEMS // THREADS
    claims: list[list[int]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []
    next_round = threading.Barrier(THREADS)

    def reviewer_thread(index: int) -> None:
        token = write_intent.set(True)
        try:
            for round_number in range(rounds + 1):
                next_round.wait()
                with db.sessionmaker() as session:
                    reviewer = session.get(User, reviewer_ids[index])
                    item = claim_next_for_review(session, reviewer, utcnow(), 15)
                    session.commit()
                if item is None:
                    if round_number < rounds:
                        raise AssertionError(f"reviewer {index} found the queue empty in round {round_number + 1}")
                    return
                claims[index].append(item.id)
                # Review it, as a reviewer does: Review next gives a reviewer their reserved item
                # back until they vote on it.
                with db.sessionmaker() as session:
                    reviewer = session.get(User, reviewer_ids[index])
                    review_verdict(session, item.id, reviewer, seen=seen_key(session, item.id), decision=Decision.APPROVE, policy=Policy())
                    session.commit()
        except threading.BrokenBarrierError:
            pass  # another reviewer failed; its error is reported below
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
            next_round.abort()
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=reviewer_thread, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # every thread ends: its loop is bounded and a failure breaks the barrier
    assert not errors, errors
    claimed = Counter(i for per_thread in claims for i in per_thread)
    assert sorted(claimed) == sorted(ids), "every item is claimed"
    assert max(claimed.values()) == 1, "no item is claimed twice"
    assert [len(per_thread) for per_thread in claims] == [rounds] * THREADS, \
        "every reviewer claimed one item in every round: they really ran side by side"
    with db.sessionmaker() as session:
        leases = session.scalar(select(text("count(*)")).select_from(AuditEvent).where(AuditEvent.action == "lease"))
        assert leases == ITEMS


def test_a_lease_taken_between_choosing_and_claiming_is_never_overwritten_on_sqlite(session):
    """SQLite's claim is one conditional UPDATE: a lease another process writes just before it is kept.

    The other process is simulated by writing its lease on the top candidate right before the
    claim's UPDATE runs; a select-then-update claim would overwrite that lease.
    """
    from sqlalchemy import event

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL claims with row locks (SKIP LOCKED); this race is SQLite's")
    top, second = gen_item_in(session, Status.VERDICT), gen_item_in(session, Status.VERDICT)
    top.priority, second.priority = 0.9, 0.1
    session.flush()
    claimer, other = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    connection = session.connection()
    fired = []

    def other_process_leases_the_top_item(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.lstrip().upper().startswith("UPDATE CHECK_ITEMS SET LEASE_USER_ID"):
            fired.append(True)
            cursor.execute("UPDATE check_items SET lease_user_id = ?, lease_expires_at = ? WHERE id = ?",
                           (other.id, "2999-01-01 00:00:00.000000", top.id))

    event.listen(connection, "before_cursor_execute", other_process_leases_the_top_item)
    try:
        claimed = claim_next_for_review(session, claimer, utcnow(), 15)
    finally:
        event.remove(connection, "before_cursor_execute", other_process_leases_the_top_item)
    assert fired, "the claim ran no UPDATE"
    assert claimed.id == second.id
    assert session.get(CheckItem, top.id, populate_existing=True).lease_user_id == other.id
