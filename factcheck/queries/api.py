"""Read models of the JSON API's lists: keyset pages by id, a fixed number of statements per page.

Each list reads one page of rows (``limit`` + 1, to know whether a next page exists) and what its
rows show with a fixed number of statements, however many rows the page has. The item list reads
rows, not ORM objects, in one statement built once per combination of filters.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.workflow import SourceKind, Status
from factcheck.models import CheckItem, Rating, Source, Verdict
from factcheck.queries import row_limit
from factcheck.db import rows_of
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
    """One item of the API's list as read (a row, not an ORM object), with its published rating."""

    id: int
    status: Status
    claim_text: str
    restatement: str | None
    claimant_id: int | None
    claimant_name: str | None
    claimant_kind: SourceKind | None
    article_id: int | None
    priority: float
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    rating_key: str | None
    rating_label: str | None


_Published = aliased(Verdict)
_latest = aliased(Verdict)
#: The list's columns: the item, its claimant, and the final rating of its latest published verdict
#: that is not closed (``published_rating``'s rule, as a correlated subquery on ``verdicts.item_id``).
_ITEM_ROWS = (
    select(CheckItem.id, CheckItem.status, CheckItem.claim_text, CheckItem.restatement,
           Source.id, Source.name, Source.kind, CheckItem.article_id, CheckItem.priority, CheckItem.version,
           CheckItem.created_at, CheckItem.updated_at, Rating.key, Rating.label)
    .outerjoin(Source, Source.id == CheckItem.claimant_id)
    .outerjoin(_Published, _Published.id == select(func.max(_latest.id))
               .where(_latest.item_id == CheckItem.id, _latest.published_at.is_not(None), _latest.closed_at.is_(None))
               .correlate(CheckItem).scalar_subquery())
    .outerjoin(Rating, Rating.id == _Published.final_rating_id)
    .order_by(CheckItem.id).limit(row_limit())
)
_RATED = exists(
    select(Verdict.id).join(Rating, Rating.id == Verdict.final_rating_id)
    .where(Verdict.item_id == CheckItem.id, Verdict.published_at.is_not(None), Verdict.closed_at.is_(None),
           Rating.key == bindparam("rating")))
#: (condition, parameter) of each filter, in the order of the key of ``_item_statement``.
_ITEM_FILTERS = (
    (CheckItem.id > bindparam("after"), "after"),
    (CheckItem.status == bindparam("status"), "status"),
    (CheckItem.claimant_id == bindparam("claimant_id"), "claimant_id"),
    (CheckItem.article_id == bindparam("article_id"), "article_id"),
    (CheckItem.updated_at >= bindparam("updated_since"), "updated_since"),
    (_RATED, "rating"),
)
_item_statements: dict[tuple[bool, ...], Select] = {}


def _item_statement(used: tuple[bool, ...]) -> Select:
    """The list's statement with the filters ``used`` (built once per combination, with parameters)."""
    statement = _item_statements.get(used)
    if statement is None:
        statement = _ITEM_ROWS.where(*(c for (c, _), on in zip(_ITEM_FILTERS, used, strict=True) if on))
        _item_statements[used] = statement
    return statement


def item_list(session: Session, filters: ItemFilters, *, after: int | None = None,
              limit: int = 50) -> KeysetPage[ItemListRow]:
    """Items by id, after ``after``, narrowed by ``filters``: one statement per page."""
    values: dict[str, Any] = {"after": after, "status": filters.status, "claimant_id": filters.claimant_id,
                              "article_id": filters.article_id, "updated_since": filters.updated_since,
                              "rating": filters.rating or None}
    used = tuple(values[name] is not None for _, name in _ITEM_FILTERS)
    params = {name: value for name, value in values.items() if value is not None}
    rows = rows_of(session, _item_statement(used), {**params, "limit": limit + 1}).all()
    shown, next_after = _page(rows, limit, rows[limit - 1][0] if len(rows) > limit else None)
    return KeysetPage([ItemListRow(*r) for r in shown], next_after)


@functools.cache
def _source_statement(after: bool, kind: bool) -> Select[Source]:
    """The sources' page, from ``after`` and of one ``kind`` when those are given (built once per shape)."""
    statement = select(Source).where(Source.merged_into_id.is_(None)).order_by(Source.id).limit(row_limit())
    if after:
        statement = statement.where(Source.id > bindparam("after"))
    if kind:
        statement = statement.where(Source.kind == bindparam("kind"))
    return statement


def source_list_page(session: Session, *, after: int | None = None, limit: int = 50,
                     kind: str | None = None) -> KeysetPage[Standing]:
    """Sources not merged away, by id, each with its record and score: three statements per page."""
    params: dict[str, Any] = {"limit": limit + 1, "after": after, "kind": kind}
    sources = session.scalars(_source_statement(after is not None, kind is not None), params).all()
    shown, next_after = _page(sources, limit, sources[limit - 1].id if len(sources) > limit else None)
    by_id = standings(session, shown, lines=False)  # the list shows no record per rating
    return KeysetPage([by_id[s.id] for s in shown], next_after)
