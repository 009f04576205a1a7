"""Read model for the reviewer queue: verdicts waiting for review that the viewer may review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.workflow import Status
from factcheck.models import Article, CheckItem, Rating, Source, User, Verdict, Vote, utcnow
from factcheck.queries import after_cursor, decode_cursor, encode_cursor
from factcheck.services.queue import queue_order, reviewable_by

#: Waiting times that change a row's colour: under a day fresh, up to three days waiting, then old.
AGE_WAITING = dt.timedelta(days=1)
AGE_OLD = dt.timedelta(days=3)
#: The "older than" choices of the age filter, in hours.
AGE_FILTERS = {"": None, "24": 24, "72": 72, "168": 168}


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the reviewer narrowed the queue to."""

    article_id: int | None = None
    claimant: str | None = None
    rating: str | None = None
    older_than_hours: int | None = None

    @property
    def is_active(self) -> bool:
        """True when any filter is set."""
        return any(v not in (None, "") for v in (self.article_id, self.claimant, self.rating,
                                                  self.older_than_hours))

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the next-page link)."""
        args = {"article": self.article_id, "claimant": self.claimant, "rating": self.rating,
                "age": self.older_than_hours}
        return {k: str(v) for k, v in args.items() if v not in (None, "")}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One verdict waiting for review."""

    id: int
    claim_text: str
    priority: float
    status_changed_at: dt.datetime
    claimant: str | None
    article_id: int | None
    article_title: str | None
    rating_label: str
    rating_colour: str
    summary: str
    author: str | None
    votes: int
    lease_holder: str | None
    lease_expires_at: dt.datetime | None
    age_class: str


@dataclass(frozen=True, slots=True)
class QueuePage:
    """A page of the queue, the cursor of the next page and the counts by age."""

    rows: list[QueueRow]
    next_cursor: str | None
    total: int
    waiting: int
    old: int


def age_class(changed_at: dt.datetime, now: dt.datetime) -> str:
    """The CSS class of a row by how long it has waited."""
    waited = now - changed_at
    return "age-old" if waited >= AGE_OLD else "age-waiting" if waited >= AGE_WAITING else "age-fresh"


def queue_page(session: Session, reviewer: User, filters: QueueFilters | None = None, *,
               cursor: str | None = None, limit: int = 50, now: dt.datetime | None = None) -> QueuePage:
    """One page of the queue for ``reviewer`` in two queries, however long the queue is."""
    now = now or utcnow()
    filters = filters or QueueFilters()
    author, holder, claimant = aliased(User), aliased(User), aliased(Source)
    verdict = aliased(Verdict)
    votes = (select(func.count(Vote.id)).where(Vote.verdict_id == verdict.id)
             .correlate(verdict).scalar_subquery())
    conditions = [reviewable_by(reviewer)]
    if filters.article_id is not None:
        conditions.append(CheckItem.article_id == filters.article_id)
    if filters.older_than_hours:
        conditions.append(CheckItem.status_changed_at <= now - dt.timedelta(hours=filters.older_than_hours))
    base = (select(CheckItem.id)
            .join(verdict, and_(verdict.item_id == CheckItem.id, verdict.closed_at.is_(None),
                                verdict.published_at.is_(None)))
            .join(Rating, Rating.id == verdict.rating_id)
            .outerjoin(claimant, claimant.id == CheckItem.claimant_id))
    if filters.rating:
        conditions.append(Rating.key == filters.rating)
    if filters.claimant:
        conditions.append(claimant.name.ilike(f"%{_like(filters.claimant)}%", escape="\\"))
    page_conditions = list(conditions)
    position = decode_cursor(cursor)
    if position is not None:
        page_conditions.append(after_cursor((CheckItem.priority, CheckItem.status_changed_at, CheckItem.id),
                                            position))
    rows = session.execute(
        base.with_only_columns(
            CheckItem.id, CheckItem.claim_text, CheckItem.priority, CheckItem.status_changed_at, claimant.name,
            CheckItem.article_id, Article.title, Rating.label, Rating.colour, verdict.summary, author.display_name,
            votes, holder.display_name, CheckItem.lease_expires_at, maintain_column_froms=True)
        .outerjoin(Article, Article.id == CheckItem.article_id)
        .outerjoin(author, author.id == verdict.author_id)
        .outerjoin(holder, and_(holder.id == CheckItem.lease_user_id, CheckItem.lease_expires_at > now))
        .where(*page_conditions).order_by(*queue_order()).limit(limit + 1)
    ).all()
    counts = session.execute(
        base.with_only_columns(
            func.count(CheckItem.id),
            func.coalesce(func.sum(case((CheckItem.status_changed_at <= now - AGE_WAITING, 1), else_=0)), 0),
            func.coalesce(func.sum(case((CheckItem.status_changed_at <= now - AGE_OLD, 1), else_=0)), 0),
            maintain_column_froms=True,
        ).where(*conditions)
    ).one()
    result = [
        QueueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11] or 0, r[12],
                 r[13] if r[12] else None, age_class(r[3], now))
        for r in rows
    ]
    next_cursor = None
    if len(result) > limit:
        result = result[:limit]
        last = result[-1]
        next_cursor = encode_cursor(last.priority, last.status_changed_at, last.id)
    return QueuePage(result, next_cursor, counts[0], counts[1], counts[2])


def queue_count(session: Session, reviewer: User) -> int:
    """How many verdicts wait for ``reviewer`` (for the navigation badge)."""
    return session.scalar(select(func.count(CheckItem.id)).where(reviewable_by(reviewer))) or 0


def _like(text: str) -> str:
    """``text`` with LIKE wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["AGE_FILTERS", "QueueFilters", "QueuePage", "QueueRow", "queue_page", "queue_count", "Status"]
