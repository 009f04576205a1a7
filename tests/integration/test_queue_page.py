"""The queue page's read model: who sees what, in which order, and a fixed number of SQL statements."""

from __future__ import annotations

import datetime as dt

from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Status
from factcheck.models import utcnow
from factcheck.queries.queue import QueueFilters, queue_page
from factcheck.services.items import vote_on_verdict
from tests.factories import gen_item_in, gen_user
from tests.helpers import recorded_statements, sign_in


def test_the_queue_shows_verdicts_not_written_by_the_reviewer(session):
    reviewer_checker = gen_user(session, Role.CHECKER, Role.REVIEWER)
    mine = gen_item_in(session, Status.VERDICT, checker=reviewer_checker)
    theirs = gen_item_in(session, Status.VERDICT)
    gen_item_in(session, Status.EVIDENCE)
    ids = [r.id for r in queue_page(session, reviewer_checker).rows]
    assert theirs.id in ids and mine.id not in ids


def test_the_queue_orders_by_priority_then_waiting_time(session):
    reviewer = gen_user(session, Role.REVIEWER)
    old, new, urgent = (gen_item_in(session, Status.VERDICT) for _ in range(3))
    old.status_changed_at = utcnow() - dt.timedelta(days=4)
    urgent.priority = 5
    session.flush()
    rows = queue_page(session, reviewer).rows
    assert [r.id for r in rows][:3] == [urgent.id, old.id, new.id]
    assert rows[1].age_class == "age-old" and rows[2].age_class == "age-fresh"


def test_a_panel_reviewer_who_voted_no_longer_sees_the_item(session):
    panel = Policy(review_mode=ReviewMode.PANEL)
    item = gen_item_in(session, Status.VERDICT)
    first, second = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
    vote_on_verdict(session, item.id, first, decision=Decision.APPROVE, policy=panel)
    assert item.id not in [r.id for r in queue_page(session, first).rows]
    row = next(r for r in queue_page(session, second).rows if r.id == item.id)
    assert row.votes == 1


def test_filters_narrow_the_queue_by_rating_claimant_and_age(session):
    reviewer = gen_user(session, Role.REVIEWER)
    false_item = gen_item_in(session, Status.VERDICT, rating="false")
    true_item = gen_item_in(session, Status.VERDICT, rating="true")
    true_item.status_changed_at = utcnow() - dt.timedelta(days=2)
    session.flush()
    by_rating = queue_page(session, reviewer, QueueFilters(rating="true"))
    assert [r.id for r in by_rating.rows] == [true_item.id] and by_rating.total == 1
    by_age = queue_page(session, reviewer, QueueFilters(older_than_hours=24))
    assert [r.id for r in by_age.rows] == [true_item.id]
    claimant = false_item.claimant.name
    assert [r.id for r in queue_page(session, reviewer, QueueFilters(claimant=claimant[-7:])).rows] == [false_item.id]
    assert queue_page(session, reviewer, QueueFilters(claimant="%")).rows == []


def test_keyset_pages_cover_the_queue_once(session):
    reviewer = gen_user(session, Role.REVIEWER)
    checker = gen_user(session, Role.CHECKER)
    items = [gen_item_in(session, Status.VERDICT, checker=checker) for _ in range(7)]
    seen, cursor = [], None
    for _ in range(5):
        page = queue_page(session, reviewer, cursor=cursor, limit=3)
        seen += [r.id for r in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(i.id for i in items)


def _fill(session, n: int) -> None:
    checker = gen_user(session, Role.CHECKER)
    for _ in range(n):
        gen_item_in(session, Status.VERDICT, checker=checker)
    session.flush()


def test_the_queue_page_runs_the_same_number_of_statements_for_5_or_60_items(client, session, database):
    reviewer = gen_user(session, Role.REVIEWER)
    _fill(session, 5)
    sign_in(client, reviewer.email)
    client.get("/queue")  # warm caches (the first request compiles statements)
    with recorded_statements(database.engine) as few:
        assert client.get("/queue").status_code == 200
    _fill(session, 55)
    with recorded_statements(database.engine) as many:
        page = client.get("/queue")
    assert page.status_code == 200 and "Next page" in page.get_data(as_text=True)
    assert len(many) == len(few), f"{len(few)} statements for 5 items, {len(many)} for 60"
    assert len(few) <= 8  # user, roles, rows, counts, ratings (+ the test harness's savepoints)


def test_the_header_count_stops_at_the_cap_on_a_long_queue(session, monkeypatch):
    import factcheck.queries.queue as queue_queries

    monkeypatch.setattr(queue_queries, "COUNT_CAP", 2)
    monkeypatch.setattr(queue_queries, "_STATEMENTS", {})
    reviewer = gen_user(session, Role.REVIEWER)
    _fill(session, 3)
    page = queue_page(session, reviewer)
    assert (page.total, page.is_capped, len(page.rows)) == (2, True, 3)


def test_the_queue_statement_carries_its_page_size_written_in(session):
    """The page size is written into the statement, not bound: PostgreSQL's plan of the prepared statement,
    made once for every reviewer, then knows how few rows are wanted (bound, it could not, and planned the
    statement again on every view: 6 ms at a million items)."""
    import re

    import pytest

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's prepared statements; SQLite binds the page size")
    reviewer = gen_user(session, Role.REVIEWER)
    gen_item_in(session, Status.VERDICT)
    with recorded_statements(session.get_bind()) as statements:
        queue_page(session, reviewer, limit=7)
    rows_statement = next(s for s in statements if "claim_text" in s)
    assert re.search(r"LIMIT 8\b", rows_statement)  # a row more than the page says whether it goes on
