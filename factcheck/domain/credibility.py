"""Track-record math: a Beta posterior over the truth of a source's claims, and an item's priority.

Standard library only. ``docs/credibility.md`` explains every formula here with a worked example.

A source's credibility is a Beta(α, β) distribution over "the chance that its next checked claim is
true". It starts from a prior (an editorial one, a domain-quality rating for outlets, or uniform)
and each published verdict adds its rating's truth value t to α and 1 − t to β; a verdict on a claim
the source only relayed counts with weight ``RELAY_WEIGHT``. Ratings without a truth value
(Unverifiable) count for nothing.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: How many verdicts a domain-quality rating is worth: α = pc1·k, β = (1 − pc1)·k.
DOMAIN_PRIOR_STRENGTH = 10.0
#: An editorial prior's mean and strength (in verdicts) lie in these ranges, and so its pseudo-counts lie within
#: (0, ``PRIOR_STRENGTH_LIMITS[1]``]: a stronger prior would drown any record (and its interval cannot be computed).
PRIOR_MEAN_LIMITS = (0.01, 0.99)
PRIOR_STRENGTH_LIMITS = (0.1, 1000.0)
#: pc1 is clamped into this range so that both pseudo-counts stay positive (reuters.com has pc1 = 1).
DOMAIN_PC1_BOUNDS = (0.02, 0.98)
#: A verdict on a claim the source passed on (rather than originated) counts this much.
RELAY_WEIGHT = 0.5
#: The mass of the credible interval shown with every score.
INTERVAL_MASS = 0.90
#: Each hedge ("allegedly", "off the record", "may") multiplies an item's prior of being true by this.
HEDGE_DISCOUNT = 0.85
#: Each unnamed link in the chain ("sources said", "Russian media") multiplies it by this.
UNNAMED_DISCOUNT = 0.80
#: Priority weights: check-worthiness, doubt (1 − prior of being true), and matches with earlier items.
PRIORITY_WEIGHTS = (0.5, 0.3, 0.2)
#: Each reader who asks for a claim to be checked closes this share of the gap between its priority and 1.
READER_STEP = 0.25


def beta_mean(alpha: float, beta: float) -> float:
    """The mean α / (α + β) of Beta(α, β): the chance the next checked claim is true."""
    return alpha / (alpha + beta)


@dataclass(frozen=True, slots=True)
class Prior:
    """Beta pseudo-counts and where they came from: "editorial", "domain" or "uniform"."""

    alpha: float
    beta: float
    origin: str = "uniform"

    @classmethod
    def from_mean(cls, mean: float, strength: float, origin: str = "editorial") -> Prior:
        """The prior with this ``mean`` worth ``strength`` verdicts: α = mean·k, β = (1 − mean)·k."""
        return cls(mean * strength, (1.0 - mean) * strength, origin)

    @property
    def mean(self) -> float:
        """The prior's mean."""
        return beta_mean(self.alpha, self.beta)

    @property
    def strength(self) -> float:
        """How many verdicts the prior is worth: α + β."""
        return self.alpha + self.beta


UNIFORM = Prior(1.0, 1.0, "uniform")


def domain_prior(pc1: float, strength: float = DOMAIN_PRIOR_STRENGTH) -> Prior:
    """The prior for an outlet whose domain has Lin et al.'s quality rating ``pc1`` (0 worst … 1 best)."""
    low, high = DOMAIN_PC1_BOUNDS
    p = min(high, max(low, pc1))
    return Prior.from_mean(p, strength, "domain")


def choose_prior(editorial: tuple[float | None, float | None], pc1: float | None) -> Prior:
    """The editorial prior when set, else the domain prior when the domain is rated, else uniform."""
    alpha, beta = editorial
    if alpha is not None and beta is not None and alpha > 0 and beta > 0:
        return Prior(float(alpha), float(beta), "editorial")
    if pc1 is not None:
        return domain_prior(pc1)
    return UNIFORM


@dataclass(frozen=True, slots=True)
class Posterior:
    """A source's Beta posterior: its pseudo-counts and the verdicts behind them."""

    alpha: float
    beta: float
    prior: Prior
    #: Verdicts with a truth value that counted, as claimant and as relay.
    claimant_n: int
    relay_n: int

    @property
    def mean(self) -> float:
        """The posterior mean: the chance the source's next checked claim is true."""
        return beta_mean(self.alpha, self.beta)

    @property
    def n(self) -> int:
        """All verdicts that counted."""
        return self.claimant_n + self.relay_n


@dataclass(frozen=True, slots=True)
class Score(Posterior):
    """A posterior with its equal-tailed credible interval [low, high]."""

    low: float
    high: float


def posterior(
    prior: Prior,
    claimant: Iterable[tuple[float | None, int]] = (),
    relay: Iterable[tuple[float | None, int]] = (),
    *,
    relay_weight: float = RELAY_WEIGHT,
) -> Posterior:
    """The Beta posterior from ``prior`` and (truth value, count) pairs as claimant and as relay.

    The one place the update rule lives: each verdict adds its truth value t to α and 1 − t to β,
    a relayed one ``relay_weight`` times that; ratings without a truth value count for nothing.
    """
    alpha, beta = prior.alpha, prior.beta
    counted = []
    for pairs, weight in ((claimant, 1.0), (relay, relay_weight)):
        n = 0
        for truth, count in pairs:
            if truth is None or count <= 0:
                continue
            alpha += weight * truth * count
            beta += weight * (1.0 - truth) * count
            n += count
        counted.append(n)
    return Posterior(alpha, beta, prior, counted[0], counted[1])


def score(
    prior: Prior,
    claimant: Iterable[tuple[float | None, int]] = (),
    relay: Iterable[tuple[float | None, int]] = (),
    *,
    relay_weight: float = RELAY_WEIGHT,
    mass: float = INTERVAL_MASS,
) -> Score:
    """The posterior from ``prior`` and (truth value, count) pairs, with its credible interval."""
    post = posterior(prior, claimant, relay, relay_weight=relay_weight)
    low, high = credible_interval(post.alpha, post.beta, mass)
    return Score(post.alpha, post.beta, prior, post.claimant_n, post.relay_n, low, high)


@functools.lru_cache(maxsize=65_536)
def credible_interval(alpha: float, beta: float, mass: float = INTERVAL_MASS) -> tuple[float, float]:
    """The equal-tailed credible interval of Beta(α, β) holding ``mass``.

    Kept for the last 65,536 (α, β) pairs asked: pages show the same sources again and again, and
    each interval costs two bisections of the incomplete beta function (a few milliseconds).
    """
    tail = (1.0 - mass) / 2.0
    return beta_ppf(tail, alpha, beta), beta_ppf(1.0 - tail, alpha, beta)


# --- the regularized incomplete beta function and its inverse ---------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (modified Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at ``x``."""
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    front = math.exp(log_front)
    # The continued fraction converges fast only on one side of the mean; use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def beta_ppf(q: float, a: float, b: float) -> float:
    """The ``q`` quantile of Beta(a, b), by bisection on ``betainc`` (accurate to about 1e-12)."""
    if not 0.0 <= q <= 1.0:
        raise ValueError("a quantile lies between 0 and 1")
    if q == 0.0:
        return 0.0
    if q == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    # Bisection is slower than Newton but cannot diverge for the very skewed posteriors of
    # sources with hundreds of false verdicts; 60 halvings reach double precision.
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if betainc(a, b, mid) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# --- items: their prior of being true and their priority -----------------------------------


def item_prior_true(claimant_mean: float | None, hedges: int, unnamed_links: int) -> float:
    """An item's prior probability of being true: the claimant's score discounted per hedge and unnamed link.

    An item without a claimant (the article's own voice) starts from 0.5.
    """
    base = 0.5 if claimant_mean is None else claimant_mean
    return base * HEDGE_DISCOUNT ** max(0, hedges) * UNNAMED_DISCOUNT ** max(0, unnamed_links)


def priority(checkworthiness: float, prior_true: float, match: float) -> float:
    """The triage priority in [0, 1]: w₁·check-worthiness + w₂·(1 − prior of being true) + w₃·match.

    ``match`` is the similarity (0 … 1) of the closest earlier item making the same claim: a claim
    that is going round again deserves a quick answer, often from the earlier verdict.
    """
    w_cw, w_doubt, w_match = PRIORITY_WEIGHTS
    value = w_cw * _clamp(checkworthiness) + w_doubt * (1.0 - _clamp(prior_true)) + w_match * _clamp(match)
    return round(value, 4)


def asked_by_readers(priority: float, readers: int) -> float:
    """``priority`` raised for ``readers`` readers asking for the claim: each closes ``READER_STEP`` of
    what is left up to 1, so a claim many readers ask about rises fast but never past the top."""
    if readers <= 0:
        return priority
    value = _clamp(priority)
    return round(value + (1.0 - value) * (1.0 - (1.0 - READER_STEP) ** readers), 4)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def counts_by_truth(rows: Mapping[str, int], truth_values: Mapping[str, float | None]) -> list[tuple[float | None, int]]:
    """(truth value, count) pairs for counts keyed by rating key."""
    return [(truth_values.get(key), count) for key, count in rows.items()]
