"""Read models of the source pages: the list sorted by score or volume, and one source's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from factcheck.domain import credibility as cred
from factcheck.domain.workflow import Capacity, Status
from factcheck.models import Article, ChainLink, CheckItem, Evidence, Rating, Source, SourceAlias, SourceRecord, Verdict
from factcheck.standings import CAPACITIES, Standing, domain_quality, standings

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


def source_list(session: Session, *, sort: str = "score", page: int = 1, query: str = "") -> SourcePage:
    """Sources (not merged away) sorted by score or volume, one page of ``PAGE_SIZE`` with their records.

    Every source's posterior mean comes from one aggregate query over SourceRecord (its counts per
    capacity and truth value, plus the shipped domain ratings), through the same domain function
    as the scores shown; intervals and records are computed for the shown page only.
    """
    sort = sort if sort in SORTS else "score"
    page = max(1, page)
    statement = (
        select(Source.id, Source.name, Source.domain, Source.prior_alpha, Source.prior_beta,
               SourceRecord.capacity, Rating.truth_value, func.coalesce(func.sum(SourceRecord.count), 0))
        .outerjoin(SourceRecord, SourceRecord.source_id == Source.id)
        .outerjoin(Rating, Rating.id == SourceRecord.rating_id)
        .where(Source.merged_into_id.is_(None))
        .group_by(Source.id, Source.name, Source.domain, Source.prior_alpha, Source.prior_beta,
                  SourceRecord.capacity, Rating.truth_value)
    )
    query = (query or "").strip()
    if query:
        statement = statement.where(Source.name.ilike(f"%{_escape_like(query)}%", escape="\\"))
    rows: dict[int, _ListRow] = {}
    for source_id, name, domain, prior_alpha, prior_beta, capacity, truth, count in session.execute(statement):
        row = rows.get(source_id)
        if row is None:
            row = rows[source_id] = _ListRow(source_id, name, domain, prior_alpha, prior_beta)
        row.volume += int(count)
        if capacity is not None:
            row.counts[capacity].append((truth, int(count)))
    ordered = list(rows.values())
    if sort == "volume":
        ordered.sort(key=lambda r: (-r.volume, r.name.lower()))
    elif sort == "name":
        ordered.sort(key=lambda r: (r.name.lower(), r.id))
    else:
        sign = -1 if sort == "score" else 1
        ordered.sort(key=lambda r: (sign * r.mean(), -r.volume, r.name.lower()))
    shown_ids = [r.id for r in ordered[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    sources = session.scalars(select(Source).where(Source.id.in_(shown_ids))).all() if shown_ids else []
    by_id = standings(session, sources)
    return SourcePage([by_id[i] for i in shown_ids], sort, page, len(ordered), query)


@dataclass(slots=True)
class _ListRow:
    """One source of the list while it is sorted: its prior and its record's (truth value, count) pairs."""

    id: int
    name: str
    domain: str | None
    prior_alpha: float | None
    prior_beta: float | None
    volume: int = 0
    counts: dict[str, list[tuple[float | None, int]]] = field(
        default_factory=lambda: {capacity: [] for capacity in CAPACITIES})

    def mean(self) -> float:
        """The posterior mean, by the domain's one update rule (``credibility.posterior``)."""
        prior = cred.choose_prior((self.prior_alpha, self.prior_beta), domain_quality(self.domain))
        return cred.posterior(prior, self.counts[Capacity.CLAIMANT], self.counts[Capacity.RELAY]).mean


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class SourceItem:
    """An item the source appears in, and how."""

    item: CheckItem
    role: str
    rating: Rating | None


@dataclass(frozen=True, slots=True)
class SourceDetail:
    """Everything the source page shows."""

    source: Source
    standing: Standing
    domain_pc1: float | None
    merged_into: Source | None
    items: list[SourceItem]
    items_total: int


def source_detail(session: Session, source: Source, *, item_limit: int = 100) -> SourceDetail:
    """The source's page: aliases, prior, record per rating, score, and the items it appears in."""
    in_chain = select(ChainLink.item_id).where(ChainLink.source_id == source.id)
    condition = (CheckItem.claimant_id == source.id) | CheckItem.id.in_(in_chain)
    total = session.scalar(select(func.count()).select_from(CheckItem).where(condition)) or 0
    items = session.scalars(
        select(CheckItem).where(condition).order_by(CheckItem.id.desc()).limit(item_limit)
        .options(selectinload(CheckItem.verdicts).selectinload(Verdict.final_rating),
                 selectinload(CheckItem.chain))
    ).all()
    rows = []
    for item in items:
        role = "claimant" if item.claimant_id == source.id else next(
            (link.verb for link in item.chain if link.source_id == source.id), "relay")
        verdict = item.current_verdict
        rating = verdict.final_rating if verdict is not None and verdict.published_at and not verdict.closed_at else None
        rows.append(SourceItem(item, role, rating))
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
