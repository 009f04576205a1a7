"""Read models of the source pages: the list sorted by score or volume, and one source's page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from factcheck.domain import credibility as cred
from factcheck.domain.workflow import Capacity
from factcheck.models import ChainLink, CheckItem, Rating, Source, SourceRecord, Verdict
from factcheck.services.credibility import Standing, domain_quality, standings

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

    The posterior mean of every source comes from one aggregate query over SourceRecord (plus the
    shipped domain ratings); intervals and records are computed for the shown page only.
    """
    sort = sort if sort in SORTS else "score"
    page = max(1, page)
    weight = case((SourceRecord.capacity == Capacity.RELAY, cred.RELAY_WEIGHT), else_=1.0)
    truth_alpha = func.coalesce(func.sum(SourceRecord.count * weight * Rating.truth_value), 0.0)
    truth_beta = func.coalesce(func.sum(SourceRecord.count * weight * (1.0 - Rating.truth_value)), 0.0)
    volume = func.coalesce(func.sum(SourceRecord.count), 0)
    statement = (
        select(Source.id, Source.name, Source.domain, Source.prior_alpha, Source.prior_beta,
               truth_alpha, truth_beta, volume)
        .outerjoin(SourceRecord, SourceRecord.source_id == Source.id)
        .outerjoin(Rating, Rating.id == SourceRecord.rating_id)
        .where(Source.merged_into_id.is_(None))
        .group_by(Source.id, Source.name, Source.domain, Source.prior_alpha, Source.prior_beta)
    )
    query = (query or "").strip()
    if query:
        statement = statement.where(Source.name.ilike(f"%{_escape_like(query)}%", escape="\\"))
    rows = session.execute(statement).all()

    def mean(row) -> float:  # type: ignore[no-untyped-def]
        prior = cred.choose_prior((row.prior_alpha, row.prior_beta), domain_quality(row.domain))
        a, b = prior.alpha + float(row[5]), prior.beta + float(row[6])
        return a / (a + b)

    if sort == "volume":
        rows.sort(key=lambda r: (-int(r[7]), r.name.lower()))
    elif sort == "name":
        rows.sort(key=lambda r: (r.name.lower(), r.id))
    else:
        sign = -1 if sort == "score" else 1
        rows.sort(key=lambda r: (sign * mean(r), -int(r[7]), r.name.lower()))
    shown_ids = [r.id for r in rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    sources = session.scalars(select(Source).where(Source.id.in_(shown_ids))).all() if shown_ids else []
    by_id = standings(session, sources)
    return SourcePage([by_id[i] for i in shown_ids], sort, page, len(rows), query)


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
