"""Credibility standings of sources: their prior, their record (from SourceRecord) and their Beta score.

A read model below both services (priority needs the claimant's score) and queries (pages show it).

Scores are read from the incrementally kept ``source_records`` counts, never by recounting items,
so a page with fifty sources costs one query for all their records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from itertools import chain
from typing import Any, TypeVar, cast

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session

from factcheck.db import rows_of
from factcheck.domain import credibility as cred
from factcheck.domain.outlets import domain_quality, domain_ratings, source_prior
from factcheck.domain.workflow import Capacity
from factcheck.models import Rating, Source, SourceRecord

__all__ = ["CAPACITIES", "RecordLine", "Standing", "domain_quality", "domain_ratings", "for_transaction",
           "held_rating_scale", "prior_for", "rating_scale", "standing", "standings"]

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
_RATINGS = select(Rating).order_by(Rating.position, Rating.id)
_RECORDS = (
    select(SourceRecord.source_id, SourceRecord.capacity, Rating.key, SourceRecord.count)
    .join(Rating, Rating.id == SourceRecord.rating_id)
    .where(SourceRecord.source_id.in_(bindparam("ids", expanding=True)), SourceRecord.count > 0)
)
#: Where a session keeps what it read once for its transaction (``for_transaction``), by name.
_KEPT = "factcheck.kept_for_transaction"

T = TypeVar("T")
#: The name ``rating_scale`` keeps the scale under.
_RATING_SCALE = "rating scale"


def for_transaction(session: Session, name: str, read: Callable[[Session], T]) -> T:
    """``read(session)``, read once while the session's transaction lasts and kept under ``name``.

    For what a page asks for from several places and what hardly ever changes (the rating scale):
    everything kept is forgotten when the transaction ends (commit, rollback, a savepoint's end)
    and after a flush that changed a rating, so the next ask reads it again.
    """
    kept: dict[str, Any] = session.info.setdefault(_KEPT, {})
    if name not in kept:
        kept[name] = read(session)
    return cast(T, kept[name])


def rating_scale(session: Session) -> tuple[Rating, ...]:
    """Every rating of the desk's scale, inactive ones too (older verdicts use them), in order: read once
    a transaction (``for_transaction``), as a page asks for it from several places (its verdicts'
    ratings, the sources' scores, the rating choices). Holding the ratings also keeps them in the
    session, so a verdict's rating is then found there without a statement."""
    scale = held_rating_scale(session)
    if scale is None:
        session.info.get(_KEPT, {}).pop(_RATING_SCALE, None)
        scale = for_transaction(session, _RATING_SCALE, lambda s: tuple(s.scalars(_RATINGS)))
    return scale


def held_rating_scale(session: Session) -> tuple[Rating, ...] | None:
    """The scale ``rating_scale`` read in the session's transaction, or None: not read yet, or its ratings
    expired (``Session.expire_all``), when each would be refreshed on its own."""
    scale: tuple[Rating, ...] | None = session.info.get(_KEPT, {}).get(_RATING_SCALE)
    if scale is None or any(inspect(rating).expired for rating in scale):
        return None
    return scale


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, _transaction: Any) -> None:
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_flush")
def _forget_after_rating_change(session: Session, _context: Any) -> None:
    if _KEPT in session.info and any(isinstance(o, Rating) for o in chain(session.new, session.dirty,
                                                                         session.deleted)):
        del session.info[_KEPT]


def standings(session: Session, sources: Iterable[Source], *, lines: bool = True) -> dict[int, Standing]:
    """Each source's record and score, read from SourceRecord in one query.

    Without ``lines`` the standings carry no record per rating (``Standing.lines`` empty; the counts,
    totals and score are all there): for lists, which show none.
    """
    by_id = {s.id: s for s in sources}
    if not by_id:
        return {}
    ratings = rating_scale(session)
    counts: dict[int, dict[str, dict[str, int]]] = {sid: {c: {} for c in CAPACITIES} for sid in by_id}
    rows = rows_of(session, _RECORDS, {"ids": list(by_id)}).all()
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
