"""A sentence opening with "He"/"She" mentions the person meant, unless the pronoun is a speaker (sentences written for the test)."""

from __future__ import annotations

import pytest

from factcheck.domain.extract.coref import Tracker


def _opening_mentions(second: str) -> list[str]:
    first = "Ruth Amsel met the board on Monday. "
    text = first + second
    tracker = Tracker.for_text(text)
    tracker.scan(text, 0, len(first), 0)
    tracker.scan(text, len(first), len(text), 1)
    return [m.source.name for m in tracker.mentions if m.position == len(first)]


@pytest.mark.parametrize("opening", [
    "She said the board would meet again.",
    "She added that the board would meet again.",
    "She stated the board would meet again.",
    "She claimed the board would meet again.",
    "She later told reporters the board would meet again.",
    "She notes that the board will meet again.",
])
def test_a_pronoun_speaking_with_any_reporting_verb_is_no_mention_of_its_own(opening):
    assert _opening_mentions(opening) == []


@pytest.mark.parametrize("opening", [
    "She has faced criticism since the meeting.",
    "She plans a second meeting in May.",
])
def test_a_pronoun_opening_a_sentence_that_reports_nothing_mentions_the_person_meant(opening):
    assert _opening_mentions(opening) == ["Ruth Amsel"]
