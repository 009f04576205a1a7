"""Domain priors from the shipped Lin et al. (2023) ratings, checked against MBFC's classes."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pytest

from factcheck.domain.credibility import domain_prior
from factcheck.domain.workflow import SourceKind
from factcheck.standings import domain_quality, domain_ratings, standing
from factcheck.services.sources import find_or_create_source


def test_the_shipped_ratings_cover_the_lin_et_al_domains() -> None:
    ratings = domain_ratings()
    # 11,520 rows; a few name the same domain with and without "www." and fold into one.
    assert 11_400 < len(ratings) <= 11_520
    assert ratings["reuters.com"] == 1.0
    assert domain_quality("https://www.apnews.com/article/x") > 0.99
    assert domain_quality("edition.cnn.com") != ratings["cnn.com"]  # rated on its own
    assert domain_quality("graphics.reuters.com") < 0.7  # rated on its own too
    assert domain_quality("money.reuters.com") == 1.0  # an unrated subdomain takes its parent's rating
    # The row for the section "theguardian.com/observer" (0.7176) does not override the domain's own.
    assert ratings["theguardian.com"] == pytest.approx(0.74959222370997)
    assert domain_quality("no-such-domain.invalid") is None


def test_an_outlet_with_a_rated_domain_starts_from_its_rating(session) -> None:
    outlet = find_or_create_source(session, "Reuters", SourceKind.OUTLET, domain="reuters.com")
    score = standing(session, outlet).score
    assert score.prior.origin == "domain" and score.prior.mean == pytest.approx(0.98)  # pc1 = 1.0, clamped


def test_domain_priors_keep_the_order_of_mbfc_factual_reporting_classes(shared_data: Path) -> None:
    by_class: dict[str, list[float]] = defaultdict(list)
    with open(shared_data / "idiap-mbfc" / "mbfc.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pc1 = domain_quality(row["source"])
            if pc1 is not None:
                by_class[row["factual_reporting"].strip().lower()].append(domain_prior(pc1).mean)
    assert sum(len(v) for v in by_class.values()) > 4000
    means = [mean(by_class[c]) for c in ("very high", "high", "mixed", "low", "very low")]
    assert means == sorted(means, reverse=True) and len(set(means)) == 5
