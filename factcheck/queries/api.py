"""Read models of the JSON API's lists: keyset pages by id, a fixed number of statements per page.

Each list reads one page of rows (``limit`` + 1, to know whether a next page exists) and the
collections its rows show with one ``selectinload`` statement each, however many rows the page has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.domain.workflow import Status
from factcheck.models import CheckItem, Rating, Source, Verdict
from factcheck.standings import Standing, standings

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeysetPage(Generic[T]):
    """One page of rows and the id to continue after, when there are more."""

    rows: list[T]
    next_after: int | None


def _page(rows: Sequence[T], limit: int, key: int | None) -> tuple[list[T], int | None]:
    shown = list(rows[:limit])
    return shown, (key if len(rows) > limit else None)


@dataclass(frozen=True, slots=True)
class ItemFilters:
    """What the item list is narrowed to; None leaves a filter out."""

    status: Status | None = None
    claimant_id: int | None = None
    article_id: int | None = None
    rating: str | None = None
    updated_since: dt.datetime | None = None


def published_rating(item: CheckItem) -> Rating | None:
    """The rating readers see: the current verdict's final rating, while it is published and not closed."""
    for verdict in reversed(item.verdicts):
        if verdict.published_at is not None and verdict.closed_at is None:
            return verdict.final_rating
    return None


@dataclass(frozen=True, slots=True)
class ItemListRow:
    """One item of the API's list, with the rating of its published verdict."""

    item: CheckItem
    rating: Rating | None


def item_list(session: Session, filters: ItemFilters, *, after: int | None = None,
              limit: int = 50) -> KeysetPage[ItemListRow]:
    """Items by id, after ``after``, narrowed by ``filters``: two statements per page."""
    statement = (select(CheckItem).order_by(CheckItem.id).limit(limit + 1)
                 .options(joinedload(CheckItem.claimant),
                          selectinload(CheckItem.verdicts).joinedload(Verdict.final_rating)))
    if after is not None:
        statement = statement.where(CheckItem.id > after)
    if filters.status is not None:
        statement = statement.where(CheckItem.status == filters.status)
    if filters.claimant_id is not None:
        statement = statement.where(CheckItem.claimant_id == filters.claimant_id)
    if filters.article_id is not None:
        statement = statement.where(CheckItem.article_id == filters.article_id)
    if filters.updated_since is not None:
        statement = statement.where(CheckItem.updated_at >= filters.updated_since)
    if filters.rating:
        statement = statement.where(exists(
            select(Verdict.id).join(Rating, Rating.id == Verdict.final_rating_id)
            .where(Verdict.item_id == CheckItem.id, Verdict.published_at.is_not(None), Verdict.closed_at.is_(None),
                   Rating.key == filters.rating)))
    items = session.scalars(statement).unique().all()
    shown, next_after = _page(items, limit, items[limit - 1].id if len(items) > limit else None)
    return KeysetPage([ItemListRow(i, published_rating(i)) for i in shown], next_after)


def source_list_page(session: Session, *, after: int | None = None, limit: int = 50,
                     kind: str | None = None) -> KeysetPage[Standing]:
    """Sources not merged away, by id, each with its record and score: three statements per page."""
    statement = (select(Source).where(Source.merged_into_id.is_(None)).order_by(Source.id).limit(limit + 1))
    if after is not None:
        statement = statement.where(Source.id > after)
    if kind is not None:
        statement = statement.where(Source.kind == kind)
    sources = session.scalars(statement).all()
    shown, next_after = _page(sources, limit, sources[limit - 1].id if len(sources) > limit else None)
    by_id = standings(session, shown)
    return KeysetPage([by_id[s.id] for s in shown], next_after)
