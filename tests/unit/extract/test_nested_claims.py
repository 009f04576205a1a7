"""Claims named inside other reports become their own assertions, without overlapping (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract


def items(text: str) -> list[tuple[str, list[str]]]:
    return [(a.text, [link.name for link in a.chain]) for a in extract(text).assertions]


def test_a_claim_named_in_an_adverbial_opening_the_reported_clause_is_split_off_before_it():
    text = ("The Daily Courier reported that despite Mayor Jane Roe's repeated claims that the budget is "
            "balanced, the city is borrowing heavily to pay its staff.")
    assert items(text) == [
        ("The Daily Courier reported that despite Mayor Jane Roe's repeated claims that the budget is balanced",
         ["Jane Roe", "Daily Courier"]),
        ("the city is borrowing heavily to pay its staff.", ["Daily Courier"]),
    ]


def test_a_claim_named_at_the_end_of_a_report_is_split_off_after_it():
    text = "The minister said the plant would reopen next month, despite the Workers Union's claim that it was unsafe."
    assert items(text) == [
        ("The minister said the plant would reopen next month", ["minister"]),
        ("despite the Workers Union's claim that it was unsafe.", ["Workers Union", "minister"]),
    ]


def test_two_reports_in_one_sentence_give_two_items_that_do_not_overlap():
    text = "The mayor said the bridge is safe; the engineers' union said that it needs urgent repairs."
    result = extract(text).assertions
    assert len(result) == 2
    assert result[0].end <= result[1].start
    assert [a.claimant.name for a in result] == ["mayor", "engineers' union"]


def test_a_named_claim_in_the_middle_of_a_report_stays_one_assertion():
    text = ("The Daily Courier reported that the city, despite Mayor Jane Roe's claims that the budget is "
            "balanced, is borrowing heavily.")
    assert len(extract(text).assertions) == 1
