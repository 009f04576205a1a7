"""Credibility standings of sources: their prior, their record (from SourceRecord) and their Beta score.

A read model below both services (priority needs the claimant's score) and queries (pages show it).

Scores are read from the incrementally kept ``source_records`` counts, never by recounting items,
so a page with fifty sources costs one query for all their records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from factcheck.domain import credibility as cred
from factcheck.domain.outlets import domain_quality, domain_ratings, source_prior
from factcheck.domain.workflow import Capacity
from factcheck.models import Rating, Source, SourceRecord

__all__ = ["CAPACITIES", "RecordLine", "Standing", "domain_quality", "domain_ratings", "prior_for", "standing",
           "standings"]

CAPACITIES = (Capacity.CLAIMANT, Capacity.RELAY)


def prior_for(source: Source) -> cred.Prior:
    """The source's prior: editorial, else its domain's quality rating, else uniform."""
    return source_prior(source.prior_alpha, source.prior_beta, source.domain)


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One rating of a source's record: how often as claimant and as relay."""

    rating: Rating
    claimant: int
    relay: int


@dataclass(slots=True)
class Standing:
    """A source with its record per rating and its score."""

    source: Source
    score: cred.Score
    #: rating key → count, per capacity.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: list[RecordLine] = field(default_factory=list)

    @property
    def published(self) -> int:
        """Published verdicts in the record, whatever their rating."""
        return sum(sum(c.values()) for c in self.counts.values())

    @property
    def claimant_total(self) -> int:
        """Published verdicts on claims the source originated."""
        return sum(self.counts.get("claimant", {}).values())

    @property
    def relay_total(self) -> int:
        """Published verdicts on claims the source passed on."""
        return sum(self.counts.get("relay", {}).values())


#: The scale, and the records of some sources (built once: building them cost more than running them).
_RATINGS = select(Rating).order_by(Rating.position)
_RECORDS = (
    select(SourceRecord.source_id, SourceRecord.capacity, Rating.key, SourceRecord.count)
    .join(Rating, Rating.id == SourceRecord.rating_id)
    .where(SourceRecord.source_id.in_(bindparam("ids", expanding=True)), SourceRecord.count > 0)
)


def standings(session: Session, sources: Iterable[Source], *, lines: bool = True) -> dict[int, Standing]:
    """Each source's record and score, read from SourceRecord in one query.

    Without ``lines`` the standings carry no record per rating (``Standing.lines`` empty; the counts,
    totals and score are all there): for lists, which show none.
    """
    by_id = {s.id: s for s in sources}
    if not by_id:
        return {}
    ratings = session.scalars(_RATINGS).all()
    counts: dict[int, dict[str, dict[str, int]]] = {sid: {c: {} for c in CAPACITIES} for sid in by_id}
    rows = session.execute(_RECORDS, {"ids": list(by_id)}).all()
    for source_id, capacity, key, count in rows:
        counts[source_id][capacity][key] = count
    truth = {r.key: r.truth_value for r in ratings}
    result = {}
    for source_id, source in by_id.items():
        record = counts[source_id]
        score = cred.score(
            prior_for(source),
            cred.counts_by_truth(record["claimant"], truth),
            cred.counts_by_truth(record["relay"], truth),
        )
        per_rating = [RecordLine(r, record["claimant"].get(r.key, 0), record["relay"].get(r.key, 0))
                      for r in ratings] if lines else []
        result[source_id] = Standing(source, score, record, per_rating)
    return result


def standing(session: Session, source: Source) -> Standing:
    """One source's record and score."""
    return standings(session, [source])[source.id]
