"""The credibility math, checked against values computed by hand."""

from __future__ import annotations

import math

import pytest

from factcheck.domain import credibility as cred


def close(a: float, b: float, tol: float = 1e-6) -> bool:
    return math.isclose(a, b, abs_tol=tol)


def test_the_uniform_beta_has_the_interval_from_five_to_ninety_five_percent() -> None:
    low, high = cred.credible_interval(1, 1)
    assert close(low, 0.05) and close(high, 0.95)


def test_beta_two_two_quantiles_solve_the_cubic_cdf() -> None:
    # CDF of Beta(2, 2) is 3x² − 2x³; its 5% quantile solves 3x² − 2x³ = 0.05: x = 0.135350…
    low, high = cred.credible_interval(2, 2)
    assert close(3 * low**2 - 2 * low**3, 0.05, 1e-9)
    assert close(low, 0.1353504, 1e-6) and close(high, 1 - low, 1e-9)


def test_beta_one_b_quantiles_have_a_closed_form() -> None:
    # Beta(1, b): CDF 1 − (1 − x)^b, so the q quantile is 1 − (1 − q)^(1/b).
    for b in (2, 5, 40, 300):
        assert close(cred.beta_ppf(0.95, 1, b), 1 - 0.05 ** (1 / b), 1e-9)


def test_betainc_matches_the_binomial_identity() -> None:
    # I_x(a, n−a+1) = P(Binomial(n, x) ≥ a): for a = 2, n = 4, x = 0.4 → 1 − 0.6⁴ − 4·0.4·0.6³ = 0.5248
    assert close(cred.betainc(2, 3, 0.4), 0.5248, 1e-12)


def test_the_median_of_beta_two_five_is_the_known_value() -> None:
    assert close(cred.beta_ppf(0.5, 2, 5), 0.26445, 1e-5)


def test_a_quantile_outside_zero_and_one_is_refused() -> None:
    with pytest.raises(ValueError):
        cred.beta_ppf(1.5, 1, 1)


def test_truth_values_are_fractional_evidence_and_unverifiable_counts_for_nothing() -> None:
    # two True (1.0), one Half True (0.5), one Unverifiable: α = 1 + 2 + 0.5, β = 1 + 0 + 0.5
    score = cred.score(cred.UNIFORM, claimant=[(1.0, 2), (0.5, 1), (None, 1)])
    assert (score.alpha, score.beta) == (3.5, 1.5)
    assert close(score.mean, 0.7) and score.claimant_n == 3


def test_relayed_claims_count_with_half_the_weight() -> None:
    score = cred.score(cred.UNIFORM, relay=[(0.0, 4)])
    assert (score.alpha, score.beta) == (1.0, 3.0) and score.relay_n == 4
    assert close(score.mean, 0.25)


def test_the_worked_example_of_the_docs() -> None:
    # An outlet rated pc1 = 0.8: prior Beta(8, 2). As claimant: 3 False, 1 Mostly True (0.8);
    # as relay: 2 True. α = 8 + 0.8 + 0.5·2 = 9.8, β = 2 + 3 + 0.2 = 5.2, mean 9.8 / 15 = 0.6533.
    score = cred.score(cred.domain_prior(0.8), claimant=[(0.0, 3), (0.8, 1)], relay=[(1.0, 2)])
    assert close(score.alpha, 9.8) and close(score.beta, 5.2)
    assert close(score.mean, 0.653333, 1e-6)
    assert score.low < score.mean < score.high


def test_the_domain_prior_has_the_documented_strength_and_stays_positive_for_perfect_ratings() -> None:
    prior = cred.domain_prior(0.8)
    assert close(prior.alpha, 8.0) and close(prior.beta, 2.0) and prior.origin == "domain"
    perfect = cred.domain_prior(1.0)
    assert perfect.beta > 0 and close(perfect.mean, 0.98)


def test_an_editorial_prior_wins_over_the_domain_rating_which_wins_over_uniform() -> None:
    assert cred.choose_prior((2.0, 8.0), 0.9).origin == "editorial"
    assert cred.choose_prior((None, None), 0.9).origin == "domain"
    assert cred.choose_prior((None, None), None) == cred.UNIFORM


def test_each_hedge_and_unnamed_link_discounts_the_prior_of_being_true() -> None:
    assert close(cred.item_prior_true(0.6, 0, 0), 0.6)
    assert close(cred.item_prior_true(0.6, 1, 0), 0.6 * 0.85)
    assert close(cred.item_prior_true(0.6, 2, 1), 0.6 * 0.85**2 * 0.8)
    assert close(cred.item_prior_true(None, 0, 0), 0.5)


def test_priority_weighs_checkworthiness_doubt_and_matches() -> None:
    # 0.5·0.9 + 0.3·(1 − 0.2) + 0.2·1.0 = 0.45 + 0.24 + 0.2 = 0.89
    assert close(cred.priority(0.9, 0.2, 1.0), 0.89)
    assert cred.priority(0.9, 0.2, 1.0) > cred.priority(0.9, 0.8, 1.0) > cred.priority(0.9, 0.8, 0.0)
    assert cred.priority(5.0, -1.0, 3.0) == 1.0  # inputs are clamped into 0 … 1
