"""Credibility standings of sources: their prior, their record (from SourceRecord) and their Beta score.

A read model below both services (priority needs the claimant's score) and queries (pages show it).

Scores are read from the incrementally kept ``source_records`` counts, never by recounting items,
so a page with fifty sources costs one query for all their records.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain import credibility as cred
from factcheck.domain.names import domain_key
from factcheck.domain.workflow import Capacity
from factcheck.models import Rating, Source, SourceRecord

CAPACITIES = (Capacity.CLAIMANT, Capacity.RELAY)


@lru_cache(maxsize=1)
def domain_ratings() -> dict[str, float]:
    """Lin et al. (2023) pc1 per domain, from the shipped ``factcheck/data/domain_pc1.csv``."""
    ratings: dict[str, float] = {}
    with resources.files("factcheck.data").joinpath("domain_pc1.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                raw, value = row["domain"].strip(), float(row["pc1"])
            except (KeyError, ValueError, AttributeError):
                continue  # a malformed line in shipped data must not break every page
            key = domain_key(raw)
            # A few rows rate a section ("theguardian.com/observer"); the whole domain's own row wins.
            if "/" not in raw or key not in ratings:
                ratings[key] = value
    return ratings


def domain_quality(domain: str | None) -> float | None:
    """The pc1 rating of ``domain`` (or of its parent domain: "edition.cnn.com" → "cnn.com"), if rated."""
    if not domain:
        return None
    key = domain_key(domain)
    ratings = domain_ratings()
    parts = key.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in ratings:
            return ratings[candidate]
    return None


def prior_for(source: Source) -> cred.Prior:
    """The source's prior: editorial, else its domain's quality rating, else uniform."""
    return cred.choose_prior((source.prior_alpha, source.prior_beta), domain_quality(source.domain))


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


def standings(session: Session, sources: Iterable[Source]) -> dict[int, Standing]:
    """Each source's record and score, read from SourceRecord in one query."""
    by_id = {s.id: s for s in sources}
    if not by_id:
        return {}
    ratings = session.scalars(select(Rating).order_by(Rating.position)).all()
    counts: dict[int, dict[str, dict[str, int]]] = {sid: {c: {} for c in CAPACITIES} for sid in by_id}
    rows = session.execute(
        select(SourceRecord.source_id, SourceRecord.capacity, Rating.key, SourceRecord.count)
        .join(Rating, Rating.id == SourceRecord.rating_id)
        .where(SourceRecord.source_id.in_(list(by_id)), SourceRecord.count > 0)
    ).all()
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
        lines = [RecordLine(r, record["claimant"].get(r.key, 0), record["relay"].get(r.key, 0)) for r in ratings]
        result[source_id] = Standing(source, score, record, lines)
    return result


def standing(session: Session, source: Source) -> Standing:
    """One source's record and score."""
    return standings(session, [source])[source.id]
