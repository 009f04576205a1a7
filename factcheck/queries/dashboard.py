"""The editors' dashboard: where the desk's work stands, in a handful of grouped queries.

Every figure comes from one grouped query (or a bounded one), so the page costs the same with a
hundred items or a hundred thousand: counts per state and publications per week (both stored, kept
by triggers), publications this week, the median time from claim to publication of the latest 500 items published (from the audit trail:
the item's creation to its first publication), and the verdicts that have waited longest for a reviewer. From the public claim
inbox: readers' submissions per day, the median time from a submission to the verdict that
answered it, and the claims most readers asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, bindparam, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import Session, aliased

from factcheck.domain.workflow import CREATING_ACTIONS, Action, Status
from factcheck.models import (
    AuditEvent,
    CheckItem,
    PublicationCount,
    ReaderSubmission,
    Source,
    StatusCount,
    User,
    Verdict,
    utcnow,
)
from factcheck.queries import row_limit
from factcheck.db import rows_of
from factcheck.queries.verdicts import RatingView, rating_views

#: How many weeks the publication chart covers, and how many waiting verdicts the page lists.
CHART_WEEKS = 12
OLDEST_WAITING = 10
#: How many of the latest first publications the median time to publish covers.
MEDIAN_SAMPLE = 500
#: How many days the readers' submissions chart covers, and how many most-requested claims are listed.
SUBMISSION_DAYS = 14
TOP_REQUESTED = 10


@dataclass(frozen=True, slots=True)
class Waiting:
    """A proposed verdict waiting for review."""

    item_id: int
    claim: str
    claimant: str | None
    rating: RatingView | None
    author: str | None
    waiting_since: dt.datetime


@dataclass(frozen=True, slots=True)
class Week:
    """Publications in one week (Monday to Sunday, UTC)."""

    starts_on: dt.date
    published: int


@dataclass(frozen=True, slots=True)
class Day:
    """Readers' submissions on one day (UTC)."""

    day: dt.date
    submissions: int


@dataclass(frozen=True, slots=True)
class Requested:
    """A claim readers asked for, with how many asked."""

    item_id: int
    claim: str
    status: Status
    readers: int


@dataclass(frozen=True, slots=True)
class ReaderFigures:
    """The public claim inbox at a glance."""

    days: list[Day]
    median_to_verdict: dt.timedelta | None
    answered: int
    top_requested: list[Requested]

    @property
    def total(self) -> int:
        """Submissions in the chart's days."""
        return sum(d.submissions for d in self.days)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard shows."""

    counts: dict[Status, int]
    published_this_week: int
    median_to_publish: dt.timedelta | None
    measured_items: int
    oldest_waiting: list[Waiting]
    weeks: list[Week]
    readers: ReaderFigures

    @property
    def total(self) -> int:
        """All check items."""
        return sum(self.counts.values())


def week_start(moment: dt.datetime) -> dt.datetime:
    """Monday 00:00 UTC of the week holding ``moment``."""
    day = moment.astimezone(dt.UTC).date()
    monday = day - dt.timedelta(days=day.weekday())
    return dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)


class _Seconds(FunctionElement[float]):
    """Seconds from the first timestamp to the second, computed by the database: reading hundreds of pairs
    as datetimes cost the dashboard more than the rest of its statements together."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(_Seconds, "sqlite")
def _seconds_sqlite(element: _Seconds, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(_Seconds, "postgresql")
def _seconds_postgresql(element: _Seconds, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


class _UtcDay(FunctionElement[str]):
    """A timestamp's day in UTC, as text (YYYY-MM-DD), computed by the database."""

    name = "utc_day"
    inherit_cache = True


@compiles(_UtcDay, "sqlite")
def _utc_day_sqlite(element: _UtcDay, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # stored in UTC, without the zone


@compiles(_UtcDay, "postgresql")
def _utc_day_postgresql(element: _UtcDay, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def _median_seconds(seconds: list[float]) -> tuple[dt.timedelta | None, int]:
    """The median of durations in seconds, to the second, and how many there were."""
    if not seconds:
        return None, 0
    return dt.timedelta(seconds=round(statistics.median(seconds))), len(seconds)


#: The stored counts per status (kept by triggers; see ``models.StatusCount``), summed: a few rows
#: whatever the number of items.
_COUNTS_BY_STATUS = select(StatusCount.status, func.sum(StatusCount.items)).group_by(StatusCount.status)


def counts_by_status(session: Session) -> dict[Status, int]:
    """Items per status, every status present (zero when none), from the stored counts."""
    rows = dict(rows_of(session, _COUNTS_BY_STATUS).all())
    return {status: int(rows.get(status.value) or 0) for status in Status}


@functools.cache
def _claim_to_published_statement(*, sampled: bool) -> Any:
    """(created, first published) of every item published, or with ``sampled`` of the latest
    ``sample`` first publications (built once: building it cost a third of running it)."""
    publish = Action.PUBLISH.value
    earlier = aliased(AuditEvent)
    first_publications = (
        select(AuditEvent.item_id, AuditEvent.created_at.label("at"))
        .where(AuditEvent.action == publish,
               ~select(earlier.id).where(earlier.item_id == AuditEvent.item_id, earlier.action == publish,
                                         earlier.id < AuditEvent.id).exists())
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if sampled:
        first_publications = first_publications.limit(row_limit("sample"))
    published = first_publications.subquery()
    # The creation of each, looked up by item (a correlated subquery: the publications are read once;
    # joined to a grouped subquery of creations they were read twice).
    creation = aliased(AuditEvent)
    created = (select(func.min(creation.created_at))
               .where(creation.item_id == published.c.item_id, creation.entity == "item",
                      creation.action.in_(sorted(CREATING_ACTIONS)))
               .scalar_subquery())
    return select(_Seconds(created, published.c.at))


def median_claim_to_published(session: Session, sample: int | None = None) -> tuple[dt.timedelta | None, int]:
    """The median time from an item's creation to its first publication, and how many items it covers.

    With ``sample``, only the latest ``sample`` first publications count (the dashboard's figure):
    they are read backwards through the (action, time) index and their creations by item, so the
    page costs the same on a desk with years of publications behind it.
    """
    if sample is None:
        seconds = rows_of(session, _claim_to_published_statement(sampled=False)).scalars().all()
    else:
        seconds = rows_of(session, _claim_to_published_statement(sampled=True), {"sample": sample}).scalars().all()
    # An item without a creation event (none should lack one) is left out of the median.
    return _median_seconds([float(value) for value in seconds if value is not None])


#: Publications per day from a first day on, from the stored counts (kept by a trigger; see
#: ``models.PublicationCount``): a row or two a day whatever the number of publications.
_PUBLICATIONS_BY_DAY = (select(PublicationCount.day, func.sum(PublicationCount.publications))
                        .where(PublicationCount.day >= bindparam("first", type_=PublicationCount.day.type))
                        .group_by(PublicationCount.day))


def publications_per_week(session: Session, now: dt.datetime, weeks: int = CHART_WEEKS) -> list[Week]:
    """Publications (first ones and republications after a correction) per week, oldest week first.

    One statement: the stored counts per day of the chart's weeks, added up by week here.
    """
    first = (week_start(now) - dt.timedelta(weeks=weeks - 1)).date()
    counts = [0] * weeks
    for day, published in rows_of(session, _PUBLICATIONS_BY_DAY, {"first": first}):
        if isinstance(day, str):  # an aggregate's group key may come back untyped on SQLite
            day = dt.date.fromisoformat(day)
        index = (day - first).days // 7
        if 0 <= index < weeks:
            counts[index] += int(published or 0)
    return [Week(first + dt.timedelta(weeks=i), counts[i]) for i in range(weeks)]


_Claimant = aliased(Source)
_Author = aliased(User)
_latest_verdict = aliased(Verdict)
#: The verdicts waiting longest, with what the page shows of them, in one statement: the item's
#: latest verdict, its claimant and its author.
_OLDEST_WAITING = (
    select(CheckItem.id, CheckItem.restatement, CheckItem.claim_text, _Claimant.name, Verdict.rating_id,
           _Author.display_name, CheckItem.status_changed_at)
    .outerjoin(_Claimant, _Claimant.id == CheckItem.claimant_id)
    .outerjoin(Verdict, Verdict.id == select(func.max(_latest_verdict.id))
               .where(_latest_verdict.item_id == CheckItem.id).correlate(CheckItem).scalar_subquery())
    .outerjoin(_Author, _Author.id == Verdict.author_id)
    .where(CheckItem.status == Status.VERDICT)
    .order_by(CheckItem.status_changed_at, CheckItem.id).limit(row_limit())
)


def oldest_waiting(session: Session, limit: int = OLDEST_WAITING) -> list[Waiting]:
    """The verdicts that have waited longest for review (two statements: the rows and the scale)."""
    rows = rows_of(session, _OLDEST_WAITING, {"limit": limit}).all()
    ratings = rating_views(session)
    return [Waiting(item_id=r[0], claim=r[1] or r[2], claimant=r[3],
                    rating=ratings.get(r[4]) if r[4] is not None else None, author=r[5], waiting_since=r[6])
            for r in rows]


#: Readers' submissions per UTC day from a moment on, counted by the database.
_SUBMISSIONS_BY_DAY = (select(_UtcDay(ReaderSubmission.created_at).label("day"), func.count())
                       .where(ReaderSubmission.created_at >= bindparam("start", type_=ReaderSubmission.created_at.type))
                       .group_by("day"))


def submissions_per_day(session: Session, now: dt.datetime, days: int = SUBMISSION_DAYS) -> list[Day]:
    """Readers' submissions per day (UTC) over the last ``days`` days, today last."""
    today = now.astimezone(dt.UTC).date()
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    buckets = [0] * days
    for day, count in rows_of(session, _SUBMISSIONS_BY_DAY, {"start": start}):
        index = (dt.date.fromisoformat(day) - first).days
        if 0 <= index < days:
            buckets[index] += count
    return [Day(first + dt.timedelta(days=i), n) for i, n in enumerate(buckets)]


def median_submission_to_verdict(session: Session, sample: int = MEDIAN_SAMPLE) -> tuple[dt.timedelta | None, int]:
    """The median time from a reader's submission to the publication that answered it, over the latest
    ``sample`` answered, and how many it covers (the page costs the same however many readers wrote in).

    Submissions answered on screen (the verdict existed already) took no time and are left out.
    """
    seconds = rows_of(session, _SUBMISSION_TO_VERDICT, {"sample": sample}).scalars().all()
    return _median_seconds([float(value) for value in seconds if value is not None])


#: Seconds from submission to answer of the latest ``sample`` answered submissions (not answered on screen),
#: read backwards through the index on ``answered_at``.
_SUBMISSION_TO_VERDICT = (select(_Seconds(ReaderSubmission.created_at, ReaderSubmission.answered_at))
                          .where(ReaderSubmission.answered_at.is_not(None), ReaderSubmission.answered_on_screen.is_(False))
                          .order_by(ReaderSubmission.answered_at.desc(), ReaderSubmission.id.desc())
                          .limit(row_limit("sample")))


#: The claims most readers asked for (built once: building it cost more than running it).
_TOP_REQUESTED = (select(CheckItem.id, CheckItem.restatement, CheckItem.claim_text, CheckItem.status,
                         CheckItem.reader_requests)
                  .where(CheckItem.reader_requests > 0)
                  .order_by(CheckItem.reader_requests.desc(), CheckItem.id).limit(row_limit()))


def top_requested(session: Session, limit: int = TOP_REQUESTED) -> list[Requested]:
    """The claims most readers asked for, most asked first (one query)."""
    rows = rows_of(session, _TOP_REQUESTED, {"limit": limit}).all()
    return [Requested(r[0], r[1] or r[2], Status(r[3]), r[4]) for r in rows]


def reader_figures(session: Session, now: dt.datetime) -> ReaderFigures:
    """The public claim inbox's figures, in three statements."""
    median, answered = median_submission_to_verdict(session)
    return ReaderFigures(submissions_per_day(session, now), median, answered, top_requested(session))


def dashboard(session: Session, now: dt.datetime | None = None) -> Dashboard:
    """All the dashboard's figures as of ``now``."""
    now = now or utcnow()
    weeks = publications_per_week(session, now)
    median, measured = median_claim_to_published(session, sample=MEDIAN_SAMPLE)
    return Dashboard(
        counts=counts_by_status(session),
        published_this_week=weeks[-1].published,
        median_to_publish=median,
        measured_items=measured,
        oldest_waiting=oldest_waiting(session),
        weeks=weeks,
        readers=reader_figures(session, now),
    )


def duration_text(value: dt.timedelta | None) -> str:
    """A duration for people: "3 d 4 h", "5 h 10 min", "12 min"; "—" when unknown."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
