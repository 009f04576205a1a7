"""Read models of the source pages: the list sorted by score or volume, and one source's page."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, inspect, select, union
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.domain.workflow import Status
from factcheck.models import Article, ChainLink, CheckItem, Evidence, Rating, Source, SourceAlias, Verdict
from factcheck.queries import row_limit
from factcheck.db import rows_of
from factcheck.queries.verdicts import RatingView
from factcheck.standings import Standing, domain_quality, standings

#: Sort orders of the list: score (best first), score_asc (worst first), volume, name.
SORTS = ("score", "score_asc", "volume", "name")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class SourcePage:
    """One page of the source list."""

    rows: list[Standing]
    sort: str
    page: int
    total: int
    query: str

    @property
    def pages(self) -> int:
        """How many pages there are."""
        return max(1, -(-self.total // PAGE_SIZE))


#: Each sort order's keys, every one ending in the id so pages never overlap. The score orders walk
#: ``ix_sources_standing`` one way or the other, volume ``ix_sources_record_total``.
_ORDERS = {
    "score": (Source.standing_mean.desc(), Source.record_total.desc(), Source.id.desc()),
    "score_asc": (Source.standing_mean.asc(), Source.record_total.asc(), Source.id.asc()),
    "volume": (Source.record_total.desc(), Source.id.desc()),
    "name": (func.lower(Source.name), Source.id),
}


def source_list(session: Session, *, sort: str = "score", page: int = 1, query: str = "") -> SourcePage:
    """Sources (not merged away) sorted by score or volume, one page of ``PAGE_SIZE`` with their records.

    The list sorts by each source's stored score mean and record total (kept by the services that
    change a record or a prior, ``services.sources.refresh_standings``), so a page reads fifty rows
    through an index; the scores, intervals and records shown are computed for those fifty from
    their records, by the same rule.
    """
    sort = sort if sort in SORTS else "score"
    page = max(1, page)
    query = (query or "").strip()
    count_statement, rows_statement = _source_list_statements(sort, bool(query))
    search = {"pattern": f"%{_escape_like(query)}%"} if query else {}
    total = rows_of(session, count_statement, search).scalar() or 0
    sources = session.scalars(rows_statement, {**search, "offset": (page - 1) * PAGE_SIZE, "limit": PAGE_SIZE}).all()
    by_id = standings(session, sources, lines=False)  # the list shows no record per rating
    return SourcePage([by_id[s.id] for s in sources], sort, page, total, query)


@functools.cache
def _source_list_statements(sort: str, searching: bool) -> tuple[Any, Any]:
    """The list's count and page statements for one sort order, with or without a search by name (its
    ``pattern``), built once: building them cost a tenth of the page."""
    conditions = [Source.merged_into_id.is_(None)]
    if searching:
        conditions.append(Source.name.ilike(bindparam("pattern"), escape="\\"))
    count = select(func.count()).select_from(Source).where(*conditions)
    rows = (select(Source).where(*conditions).order_by(*_ORDERS[sort])
            .offset(row_limit("offset")).limit(row_limit()))
    return count, rows


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class SourceItem:
    """An item the source appears in, and how: as its claimant or by the verb of its link in the chain;
    ``rating`` is the item's published verdict's (None unless its latest verdict is published and not
    reopened), ``rated_by`` that verdict's fact-checker when it was imported."""

    item_id: int
    claim_text: str
    status: Status
    role: str
    rating: RatingView | None
    rated_by: str | None


@dataclass(frozen=True, slots=True)
class SourceDetail:
    """Everything the source page shows."""

    source: Source
    standing: Standing
    domain_pc1: float | None
    merged_into: Source | None
    items: list[SourceItem]
    items_total: int


def _appears_in() -> Any:
    # The source's items as one UNION of two index lookups: "claimant = source OR id IN (chain)" made
    # PostgreSQL read every item to test the OR (3 s a page at 1,000,000 items).
    return union(select(CheckItem.id.label("item_id")).where(CheckItem.claimant_id == bindparam("source_id")),
                 select(ChainLink.item_id).where(ChainLink.source_id == bindparam("source_id"))).subquery()


@functools.cache
def _source_item_statements() -> tuple[Any, Any]:
    """The count of the source's items and the rows of the latest ``limit`` of them, each with its
    latest verdict, that verdict's final rating and the verb of the source's first link in its chain
    (built once: building them cost more than running them)."""
    appears_in = _appears_in()
    total = select(func.count()).select_from(appears_in)
    shown = _appears_in()
    latest = aliased(Verdict)
    latest_id = (select(func.max(latest.id)).where(latest.item_id == CheckItem.id)
                 .correlate(CheckItem).scalar_subquery())
    verb = (select(ChainLink.verb).where(ChainLink.item_id == CheckItem.id,
                                         ChainLink.source_id == bindparam("source_id"))
            .order_by(ChainLink.position).limit(1).correlate(CheckItem).scalar_subquery())
    rows = (
        select(CheckItem.id, CheckItem.claim_text, CheckItem.status, CheckItem.claimant_id, verb,
               Verdict.published_at, Verdict.closed_at, Verdict.rated_by,
               Rating.id, Rating.key, Rating.label, Rating.colour, Rating.claimreview_value, Rating.position)
        .select_from(CheckItem)
        .outerjoin(Verdict, Verdict.id == latest_id)
        .outerjoin(Rating, Rating.id == Verdict.final_rating_id)
        .where(CheckItem.id.in_(select(shown.c.item_id)))
        .order_by(CheckItem.id.desc()).limit(row_limit())
    )
    return total, rows


#: A source's names, in the relationship's order.
_ALIASES = select(SourceAlias).where(SourceAlias.source_id == bindparam("source_id")).order_by(SourceAlias.id)


def source_detail(session: Session, source: Source, *, item_limit: int = 100) -> SourceDetail:
    """The source's page: aliases, prior, record per rating, score, and the items it appears in."""
    count_statement, rows_statement = _source_item_statements()
    if "aliases" in inspect(source).unloaded:  # read by a statement built once, not by a lazy load in the template
        set_committed_value(source, "aliases", session.scalars(_ALIASES, {"source_id": source.id}).all())
    total = rows_of(session, count_statement, {"source_id": source.id}).scalar() or 0
    rows = []
    for r in rows_of(session, rows_statement, {"source_id": source.id, "limit": item_limit}):
        role = "claimant" if r[3] == source.id else (r[4] if r[4] is not None else "relay")
        published = r[5] is not None and r[6] is None
        rating = RatingView(r[8], r[9], r[10], r[11], r[12], r[13]) if published and r[8] is not None else None
        rows.append(SourceItem(r[0], r[1], Status(r[2]), role, rating, r[7] if rating is not None else None))
    merged_into = session.get(Source, source.merged_into_id) if source.merged_into_id else None
    return SourceDetail(source, standings(session, [source])[source.id], domain_quality(source.domain),
                        merged_into, rows, total)


@dataclass(frozen=True, slots=True)
class MergePreview:
    """What merging ``merged`` into ``kept`` moves, counted before the editor confirms it."""

    merged: Source
    kept: Source
    aliases: list[str]
    chain_links: int
    claimant_items: int
    evidence: int
    outlet_articles: int
    published_items: int

    @property
    def moves_domain(self) -> bool:
        """The merged source's domain goes to the kept one (which has none)."""
        return bool(self.merged.domain and not self.kept.domain)

    @property
    def moves_prior(self) -> bool:
        """The merged source's editorial prior goes to the kept one (which has none)."""
        return self.merged.prior_alpha is not None and self.kept.prior_alpha is None


def merge_preview(session: Session, merged: Source, kept: Source) -> MergePreview:
    """The names, links, items, evidence and articles that move from ``merged`` to ``kept`` (five statements),
    and the published verdicts recounted in the two records."""
    aliases = list(session.scalars(select(SourceAlias.name).where(SourceAlias.source_id == merged.id)
                                   .order_by(SourceAlias.id)))
    links = session.scalar(select(func.count()).select_from(ChainLink).where(ChainLink.source_id == merged.id)) or 0
    claimant = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.claimant_id == merged.id)) or 0
    evidence = session.scalar(select(func.count()).select_from(Evidence).where(Evidence.source_id == merged.id)) or 0
    articles = session.scalar(select(func.count()).select_from(Article).where(Article.outlet_id == merged.id)) or 0
    ids = [merged.id, kept.id]
    in_chain = select(ChainLink.item_id).where(ChainLink.source_id.in_(ids))
    published = session.scalar(select(func.count()).select_from(CheckItem).where(
        CheckItem.status == Status.PUBLISHED, CheckItem.claimant_id.in_(ids) | CheckItem.id.in_(in_chain))) or 0
    return MergePreview(merged, kept, aliases, links, claimant, evidence, articles, published)
