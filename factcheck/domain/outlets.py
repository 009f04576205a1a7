"""Outlets' quality ratings: Lin et al. (2023) pc1 per web domain, shipped in ``factcheck/data``.

Standard library only: the models need a new outlet's prior (its stored score starts there), the
standings and pages need it too.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from factcheck.domain.credibility import Prior, choose_prior
from factcheck.domain.names import domain_key


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


def source_prior(alpha: float | None, beta: float | None, domain: str | None) -> Prior:
    """A source's prior: editorial (α, β) when set, else its domain's quality rating, else uniform."""
    return choose_prior((alpha, beta), domain_quality(domain))
