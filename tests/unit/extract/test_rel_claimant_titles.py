"""A denial of "the president's claims" answers the president's claim, not the nearest one (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from tests.unit.extract.test_relations import find, linked

_ARTICLE = (
    "As President Halvorsen prepares to veto the harbour bill, the opposition promised to override him. "
    "The presidential palace has said it believes the bill could bring retaliation from neighbouring states. "
    "\"If the president's veto were overridden, our fishing fleet would be at risk in foreign courts,\" "
    "the fisheries minister, Tomas Brenner, said. "
    "Families of the sailors say the president's claims about what a veto would prevent are unfounded. "
)


def test_the_presidents_claims_answer_the_claim_made_for_the_president_not_a_nearer_one_mentioning_him():
    result = extract(_ARTICLE)
    assert linked(result, "the president's claims", "could bring retaliation")
    assert not linked(result, "the president's claims", "fishing fleet")


def test_the_person_named_with_the_title_before_is_the_claimant_meant():
    text = ("Prime Minister Arlen Voss said the new tax would fund twelve hospitals. "
            "Finance officials said the tax would raise less than planned. "
            "Union leaders rejected the prime minister's claims about the tax.")
    result = extract(text)
    assert linked(result, "rejected the prime minister's claims", "twelve hospitals")
    assert not linked(result, "rejected the prime minister's claims", "raise less than planned")


def test_a_rebuttal_right_after_one_of_the_same_claimants_claims_answers_the_same_claim():
    text = _ARTICLE + ("\"The president's rationales for the veto don't hold weight. They are wrong,\" "
                       "said a sailor's widow.")
    result = extract(text)
    first = find(result, "the president's claims")
    second = find(result, "rationales for the veto")
    target = find(result, "could bring retaliation")
    assert any(r.type == "denies" and r.target == target.id for r in first.relations)
    assert any(r.type == "denies" and r.target == target.id for r in second.relations)


def test_a_negation_in_the_sentence_before_does_not_turn_a_verdict_round():
    text = ("The ministry said exports rose by a third last year. "
            "\"We have not seen the data. It is wrong,\" said a trade economist.")
    assert linked(extract(text), "It is wrong", "exports rose by a third")


def test_saying_a_claim_holds_weight_denies_nothing():
    text = ("The ministry said exports rose by a third last year. "
            "An economist said the ministry's figures hold weight with investors.")
    result = extract(text)
    assert not linked(result, "hold weight", "exports rose by a third")


def test_a_vice_president_does_not_hold_the_presidents_title():
    text = ("Vice President Dana Kerrow said the harbour would reopen in spring. "
            "President Halvorsen said the harbour bill would bring retaliation from neighbouring states. "
            "Vice President Dana Kerrow said the dredging would cost twice the estimate. "
            "Fishermen rejected the president's claims about the harbour bill.")
    result = extract(text)
    assert linked(result, "rejected the president's claims", "bring retaliation")
    assert not linked(result, "rejected the president's claims", "dredging would cost")
