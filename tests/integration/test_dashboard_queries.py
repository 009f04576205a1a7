"""The dashboard's figures: counts per state, time to publish from the audit trail, weekly publications."""

from __future__ import annotations

import datetime as dt
import statistics

from sqlalchemy import select

from factcheck.domain.workflow import Role, Status
from factcheck.models import AuditEvent
from factcheck.queries import dashboard as board
from tests.factories import gen_item, gen_item_in, gen_user
from tests.helpers import recorded_statements
from tests.integration.test_reports_queries import propose


def created_at(session, item) -> dt.datetime:
    return session.scalars(select(AuditEvent.created_at).where(AuditEvent.item_id == item.id,
                                                               AuditEvent.action == "create")).one()


def add_publish_event(session, item, at: dt.datetime) -> None:
    """A publish event at a chosen moment (audit rows may be inserted, never changed)."""
    session.add(AuditEvent(item_id=item.id, entity="item", entity_id=item.id, action="publish",
                           from_status="verdict", to_status="published", created_at=at, payload={}))
    session.flush()


def test_counts_cover_every_state_even_when_it_is_empty(session):
    gen_item(session)
    gen_item_in(session, Status.EVIDENCE)
    gen_item_in(session, Status.PUBLISHED)
    counts = board.counts_by_status(session)
    assert counts[Status.CLAIM] == 1 and counts[Status.EVIDENCE] == 1 and counts[Status.PUBLISHED] == 1
    assert counts[Status.DISMISSED] == 0 and set(counts) == set(Status)


def test_the_median_time_to_publish_runs_from_creation_to_the_first_publication(session):
    items = [gen_item(session) for _ in range(3)]
    for item, hours in zip(items, (1, 2, 10), strict=True):
        start = created_at(session, item)
        add_publish_event(session, item, start + dt.timedelta(hours=hours))
        add_publish_event(session, item, start + dt.timedelta(hours=hours + 50))  # a republication later
    median, measured = board.median_claim_to_published(session)
    assert measured == 3 and median == dt.timedelta(hours=2)


def test_with_nothing_published_the_median_is_unknown(session):
    gen_item(session)
    assert board.median_claim_to_published(session) == (None, 0)


def test_publications_are_counted_per_monday_to_sunday_week(session):
    item = gen_item(session)
    now = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday
    for at in (dt.datetime(2026, 3, 16, 0, 0, tzinfo=dt.UTC),  # this Monday
               dt.datetime(2026, 3, 15, 23, 59, tzinfo=dt.UTC),  # last Sunday
               dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC),
               dt.datetime(2025, 1, 1, tzinfo=dt.UTC)):  # outside the chart
        add_publish_event(session, item, at)
    weeks = board.publications_per_week(session, now, weeks=3)
    assert [(w.starts_on.isoformat(), w.published) for w in weeks] == [
        ("2026-03-02", 0), ("2026-03-09", 2), ("2026-03-16", 1)]


def test_the_oldest_verdicts_waiting_for_review_come_first_with_their_proposed_rating(session):
    checker = gen_user(session, Role.CHECKER)
    first, second = gen_item(session, "First claim waiting."), gen_item(session, "Second claim waiting.")
    propose(session, first, checker, "false")
    propose(session, second, checker, "half-true")
    waiting = board.oldest_waiting(session)
    assert [(w.item_id, w.rating.key, w.author) for w in waiting] == [
        (first.id, "false", checker.display_name), (second.id, "half-true", checker.display_name)]


def test_the_dashboard_takes_a_fixed_number_of_queries_whatever_the_number_of_items(session):
    checker = gen_user(session, Role.CHECKER)
    for n in range(8):
        propose(session, gen_item(session, f"Claim {n} waiting."), checker, "false")
    gen_item_in(session, Status.PUBLISHED)
    session.expire_all()
    with recorded_statements(session.get_bind()) as statements:
        result = board.dashboard(session)
    assert len(result.oldest_waiting) == 8 and result.counts[Status.VERDICT] == 8
    assert result.published_this_week == 1 and result.measured_items == 1
    assert len(statements) <= 13, statements  # 10, and three for the readers' figures


def test_durations_read_in_days_hours_and_minutes():
    assert board.duration_text(dt.timedelta(days=3, hours=4, minutes=5)) == "3 d 4 h"
    assert board.duration_text(dt.timedelta(hours=5, minutes=10)) == "5 h 10 min"
    assert board.duration_text(dt.timedelta(minutes=12)) == "12 min"
    assert board.duration_text(None) == "—"


def test_with_a_sample_the_median_covers_the_latest_first_publications(session):
    items = [gen_item(session) for _ in range(3)]
    start = created_at(session, items[0])
    add_publish_event(session, items[0], start + dt.timedelta(hours=1))
    add_publish_event(session, items[1], start + dt.timedelta(days=20, hours=4))
    add_publish_event(session, items[2], start + dt.timedelta(days=20, hours=8))
    add_publish_event(session, items[0], start + dt.timedelta(days=30))  # the latest event, a republication
    median, measured = board.median_claim_to_published(session, sample=2)
    assert measured == 2  # items 1 and 2: item 0's latest event is not its first publication
    assert median.total_seconds() == round(statistics.median(
        (start + dt.timedelta(days=20, hours=h) - created_at(session, item)).total_seconds()
        for item, h in ((items[1], 4), (items[2], 8))))
