"""The Beta posterior has one home: ``credibility.posterior``; scores, priors and the source list use it."""

from __future__ import annotations

import pytest

from factcheck.domain import credibility as cred


def test_the_posterior_adds_truth_values_and_weighs_relays() -> None:
    post = cred.posterior(cred.UNIFORM, [(1.0, 2), (0.0, 1), (None, 4)], [(0.0, 2), (0.5, 0)])
    assert (post.alpha, post.beta) == (3.0, 1.0 + 1.0 + 2 * cred.RELAY_WEIGHT)
    assert (post.claimant_n, post.relay_n, post.n) == (3, 2, 5)
    assert post.mean == pytest.approx(3.0 / 6.0)


def test_a_score_is_the_posterior_with_its_interval() -> None:
    prior = cred.Prior.from_mean(0.7, 10.0)
    pairs = ([(1.0, 3), (0.25, 2)], [(0.0, 4)])
    post = cred.posterior(prior, *pairs)
    score = cred.score(prior, *pairs)
    assert (score.alpha, score.beta, score.claimant_n, score.relay_n) == (post.alpha, post.beta, 5, 4)
    assert score.mean == post.mean == cred.beta_mean(post.alpha, post.beta)
    assert (score.low, score.high) == cred.credible_interval(post.alpha, post.beta)
    assert score.low < score.mean < score.high


def test_a_prior_from_a_mean_and_a_strength_gives_them_back() -> None:
    prior = cred.Prior.from_mean(0.25, 8.0)
    assert (prior.alpha, prior.beta, prior.origin) == (2.0, 6.0, "editorial")
    assert prior.mean == 0.25 and prior.strength == 8.0
    assert cred.domain_prior(0.6) == cred.Prior.from_mean(0.6, cred.DOMAIN_PRIOR_STRENGTH, "domain")


def test_the_mean_of_beta_is_alpha_over_the_sum() -> None:
    assert cred.beta_mean(1.0, 3.0) == 0.25
    assert cred.UNIFORM.mean == 0.5
