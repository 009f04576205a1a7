"""Who holds a title, and whose claims "the president's claims" are (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract.relations import _holder_mentions, _title_holder


def test_a_title_holder_ends_at_the_full_stop_after_the_name():
    text = "He met President Putin. The Kremlin said the talks went well."
    assert _holder_mentions(text, "president") == [(7, "Putin")]
    assert _title_holder(text, "president", len(text)) == "Putin"


def test_a_middle_initial_is_part_of_the_holders_name():
    text = "Reporters asked President George W. Bush about the war."
    assert _title_holder(text, "president", len(text)) == "Bush"


def test_a_prime_minister_named_before_a_new_sentence_keeps_the_title():
    text = "The talks were led by Prime Minister Jane Doe. Officials said they ended early."
    assert _title_holder(text, "prime minister", len(text)) == "Doe"
