"""Read model for the reviewer queue: verdicts waiting for review that the viewer may review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.workflow import Status
from factcheck.facts import queue_order, reviewable_by
from factcheck.models import Article, CheckItem, Rating, Source, User, Verdict, Vote, utcnow
from factcheck.queries import (
    COUNT_CAP,
    CURSOR_PARAMETERS,
    after_work_position,
    capped_rows,
    capped_total,
    cursor_parameters,
    decode_cursor,
    encode_cursor,
    row_limit,
)
from factcheck.db import rows_of
from factcheck.queries.verdicts import RatingChip

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

    @property
    def rating(self) -> RatingChip | None:
        """The proposed rating as a chip (``rating_chip`` in the queue's template)."""
        return RatingChip.of(self.rating_label, self.rating_colour)


@dataclass(frozen=True, slots=True)
class QueuePage:
    """A page of the queue, the cursor of the next page and the counts by age."""

    rows: list[QueueRow]
    next_cursor: str | None
    total: int
    waiting: int
    old: int
    #: True when there are more than COUNT_CAP: ``total`` is then a lower bound and the age counts are omitted.
    is_capped: bool = False


def age_class(changed_at: dt.datetime, now: dt.datetime) -> str:
    """The CSS class of a row by how long it has waited."""
    waited = now - changed_at
    return "age-old" if waited >= AGE_OLD else "age-waiting" if waited >= AGE_WAITING else "age-fresh"


def _statements(shape: tuple[bool, ...]) -> tuple[Any, Any]:
    """The page's two statements for one combination of filters, with bound parameters.

    Built once per shape and kept: constructing these expressions costs more than running them,
    and the compiled-SQL cache needs the same statement shape anyway.
    """
    has_article, has_age, has_rating, has_claimant, has_cursor = shape
    author, holder, claimant = aliased(User), aliased(User), aliased(Source)
    verdict = aliased(Verdict)
    now = bindparam("now", type_=CheckItem.status_changed_at.type)
    votes = (select(func.count(Vote.id)).where(Vote.verdict_id == verdict.id)
             .correlate(verdict).scalar_subquery())
    conditions = [reviewable_by(bindparam("reviewer_id"), bindparam("approvals_needed"))]
    if has_article:
        conditions.append(CheckItem.article_id == bindparam("article_id"))
    if has_age:
        conditions.append(CheckItem.status_changed_at <= bindparam("older_than", type_=CheckItem.status_changed_at.type))
    if has_rating:
        conditions.append(Rating.key == bindparam("rating"))
    if has_claimant:
        conditions.append(claimant.name.ilike(bindparam("claimant"), escape="\\"))
    base = (select(CheckItem.id)
            .join(verdict, and_(verdict.item_id == CheckItem.id, verdict.closed_at.is_(None),
                                verdict.published_at.is_(None)))
            .join(Rating, Rating.id == verdict.rating_id)
            .outerjoin(claimant, claimant.id == CheckItem.claimant_id))
    page_conditions = list(conditions)
    if has_cursor:
        page_conditions.append(after_work_position())
    rows = (
        base.with_only_columns(
            CheckItem.id, CheckItem.claim_text, CheckItem.priority, CheckItem.status_changed_at, claimant.name,
            CheckItem.article_id, Article.title, Rating.label, Rating.colour, verdict.summary, author.display_name,
            votes, holder.display_name, CheckItem.lease_expires_at, maintain_column_froms=True)
        .outerjoin(Article, Article.id == CheckItem.article_id)
        .outerjoin(author, author.id == verdict.author_id)
        .outerjoin(holder, and_(holder.id == CheckItem.lease_user_id, CheckItem.lease_expires_at > now))
        .where(*page_conditions).order_by(*queue_order()).limit(row_limit())
    )
    # In the work order, as the rows: the count then walks the same index and stops at the cap (in
    # no order PostgreSQL read every waiting verdict's entry of another index first: 50 ms at 50,000).
    capped = capped_rows(base.with_only_columns(CheckItem.status_changed_at.label("changed_at"),
                                                maintain_column_froms=True).where(*conditions)
                         .order_by(*queue_order()), COUNT_CAP)
    waiting_since = bindparam("waiting_since", type_=CheckItem.status_changed_at.type)
    old_since = bindparam("old_since", type_=CheckItem.status_changed_at.type)
    counts = select(
        func.count(),
        func.coalesce(func.sum(case((capped.c.changed_at <= waiting_since, 1), else_=0)), 0),
        func.coalesce(func.sum(case((capped.c.changed_at <= old_since, 1), else_=0)), 0),
    ).select_from(capped)
    return rows, counts


_STATEMENTS: dict[tuple[bool, ...], tuple] = {}


def queue_page(session: Session, reviewer: User, filters: QueueFilters | None = None, *,
               cursor: str | None = None, limit: int = 50, now: dt.datetime | None = None,
               approvals_needed: int | None = None) -> QueuePage:
    """One page of the queue for ``reviewer`` in two queries, however long the queue is.

    A panel that has all its ``approvals_needed`` votes without a majority waits for an editor,
    so it is not in the reviewers' queue.
    """
    now = now or utcnow()
    filters = filters or QueueFilters()
    position = decode_cursor(cursor)
    shape = (filters.article_id is not None, bool(filters.older_than_hours), bool(filters.rating),
             bool(filters.claimant), position is not None)
    if shape not in _STATEMENTS:
        _STATEMENTS[shape] = _statements(shape)
    rows_statement, counts_statement = _STATEMENTS[shape]
    # No panel given: no item is ever "complete" (the statement is cached, so the bound value says so).
    needed = approvals_needed if approvals_needed is not None else 2**31 - 1
    params: dict[str, object] = {"reviewer_id": reviewer.id, "now": now, "approvals_needed": needed}
    if filters.article_id is not None:
        params["article_id"] = filters.article_id
    if filters.older_than_hours:
        params["older_than"] = now - dt.timedelta(hours=filters.older_than_hours)
    if filters.rating:
        params["rating"] = filters.rating
    if filters.claimant:
        params["claimant"] = f"%{_like(filters.claimant)}%"
    if position is not None:
        params.update(cursor_parameters(position))
    rows = rows_of(session, rows_statement, {**params, "limit": limit + 1}).all()
    count_params = {k: v for k, v in params.items() if k != "now" and k not in CURSOR_PARAMETERS}
    counts = rows_of(session, counts_statement, {**count_params, "waiting_since": now - AGE_WAITING,
                                                "old_since": now - AGE_OLD}).one()
    total, is_capped = capped_total(counts[0], COUNT_CAP)
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
    if is_capped:
        return QueuePage(result, next_cursor, total, 0, 0, is_capped=True)
    return QueuePage(result, next_cursor, total, counts[1], counts[2])


def _like(text: str) -> str:
    """``text`` with LIKE wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["AGE_FILTERS", "QueueFilters", "QueuePage", "QueueRow", "queue_page", "Status"]
