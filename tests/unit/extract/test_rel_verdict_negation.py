"""A negation turns "hold water" into a verdict only when it stands right before it (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract.relations import _calls_false


def test_a_negation_right_before_hold_water_calls_the_claim_false():
    assert _calls_false("They don't hold water.")
    assert _calls_false("The figures do not hold any weight.")


def test_a_negation_earlier_in_the_sentence_does_not_hide_the_one_before_hold_water():
    assert _calls_false("It is not clear, but they don't hold water.")
    assert _calls_false("No one asked, yet the numbers don't hold weight.")


def test_hold_water_with_a_negation_only_far_before_it_calls_nothing_false():
    assert not _calls_false("It is not clear why, but the figures hold water.")
    assert not _calls_false("The figures hold water.")
