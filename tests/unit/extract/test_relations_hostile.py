"""Long runs of denials and hedges keep every relation valid and within the look-back."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.relations import _STANCE_LOOKBACK


def _number(assertion_id: str) -> int:
    return int(assertion_id[1:])


def test_a_long_run_of_denials_links_each_to_a_claim_within_the_look_back():
    text = ("Officials said the plant closed. They said the charges were false. "
            "The ministry called the charges invented. ") * 200
    result = extract(text)
    denials = [(a, r) for a in result.assertions for r in a.relations if r.type == "denies"]
    assert len(denials) >= 200
    for assertion, relation in denials:
        assert 0 < _number(assertion.id) - _number(relation.target) <= _STANCE_LOOKBACK


def test_a_long_run_of_hedges_gives_every_assertion_spans_inside_itself():
    text = "The minister said the port could close if it rained, reportedly, and the alleged deal may fail. " * 300
    result = extract(text)
    assert len(result.assertions) == 300
    for assertion in result.assertions:
        assert set(assertion.hedges) == {"allegedly", "reportedly", "may", "could"}
        for hedge in assertion.hedge_spans:
            assert assertion.start <= hedge.start < hedge.end <= assertion.end
