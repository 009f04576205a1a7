"""Hedges with the span of the words that hedge (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract


def hedges(text: str) -> list[list[tuple[str, str]]]:
    return [[(h.label, text[h.start:h.end]) for h in a.hedge_spans] for a in extract(text).assertions]


def test_every_hedge_label_has_a_span_with_the_words_that_hedge():
    text = "The minister allegedly told the board that the port may close, according to unnamed officials."
    (spans,) = hedges(text)
    assert spans == [("allegedly", "allegedly"), ("anonymous sources", "unnamed officials"), ("may", "may")]
    (assertion,) = extract(text).assertions
    assert [h.label for h in assertion.hedge_spans] == list(assertion.hedges)
    assert assertion.to_dict()["hedge_spans"][0] == {"label": "allegedly", "start": 13, "end": 22}


def test_reports_as_a_noun_hedge_and_reports_as_a_verb_do_not():
    assert ("reports", "denied reports") in hedges(
        "The governor denied reports that the bridge had been sold to a private firm.")[0]
    assert all(label != "reports" for label, _ in hedges(
        "The Daily Courier reports that the bridge had been sold to a private firm.")[0])


def test_an_unnamed_person_as_the_source_is_an_anonymous_source_at_its_own_words():
    text = "Several crew members said the captain ignored the storm warnings for two days."
    assert hedges(text) == [[("anonymous sources", "Several crew members")]]


def test_a_they_standing_for_unnamed_insiders_carries_the_hedge_at_the_pronoun():
    text = ("The director shouted at volunteers, according to festival insiders. "
            "They said he rated the volunteers by their looks.")
    assert hedges(text)[1] == [("anonymous sources", "They")]


def test_material_received_anonymously_and_claims_not_independently_verified_are_hedged():
    text = ("The Daily Courier reported that it had received anonymously the first pages of the contract, "
            "which could not be independently verified.")
    assert [label for label, _ in hedges(text)[0]] == ["anonymous sources", "unconfirmed"]


def test_the_month_may_is_no_hedge_but_the_modal_is():
    assert hedges("The mayor said on May 4 that the budget was balanced.") == [[]]
    assert hedges("The mayor said the budget may be balanced next year.")[0] == [("may", "may")]
