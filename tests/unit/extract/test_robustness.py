"""Bad or arbitrary input never breaks extraction, and every span stays valid."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.domain.extract import Extraction, extract
from factcheck.domain.extract.segment import MAX_SENTENCE, sentences

NEWSY = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ .,;:!?'\"\u201c\u201d\u2019-\u2014\n\r\t()0123456789")
    )
    | st.characters(),
    max_size=400,
)
WORDS = st.lists(
    st.sampled_from(["said", "says", "told", "that", "according to", "Reuters", "he", "she", "the agency",
                     "Read also:", '"', "\u201c", "\u201d", ".", ",", "\n\n", "Putin", "denied", "this statement",
                     "allegedly", "may", "Feb. 14", "Mr.", "U.S.", "(AP Photo)", "-", "KYIV", "donation", "sources"]),
    max_size=60,
).map(" ".join)
SUBJECTS = st.sampled_from(["The ministry", "Senator Jane Roe", "Reuters", "He", "Officials", "Mr. Smith",
                            "The Center for Policy Studies in Kyiv", "Hillary Clinton's campaign manager Robby Mook"])
VERBS = st.sampled_from(["said", "denied", "accused", "asserted", "called", "claimed", "told reporters", "warned",
                         "rejected", "mocked", "urged", "proposed", "argued", "hopes", "tweeted"])
CONTENTS = st.sampled_from(["this statement", "it another dump", "the government of stalling",
                            "that the families are tired of waiting", "the plant will close in May",
                            "that prices rose 12 percent last year", "the claims", "Republicans to act"])
# Sentences that hold more than one report: coordinated verbs, participles, relative clauses, nesting.
REPORT = st.one_of(
    st.builds("{} {} {} and {} {}.".format, SUBJECTS, VERBS, CONTENTS, VERBS, CONTENTS),
    st.builds("{} {} {}, saying that {}.".format, SUBJECTS, VERBS, CONTENTS, CONTENTS),
    st.builds('"{}," {} said, adding that {}.'.format, CONTENTS, SUBJECTS, CONTENTS),
    st.builds("{} said {} {} {}.".format, SUBJECTS, SUBJECTS, VERBS, CONTENTS),
    st.builds("{} {} a man who {} {}, and {} {}.".format, SUBJECTS, VERBS, VERBS, CONTENTS, VERBS, CONTENTS),
    st.builds("{} {} {}.".format, SUBJECTS, VERBS, CONTENTS),
)
REPORTS = st.lists(REPORT, min_size=1, max_size=8).map(" ".join)


def assert_valid(text: str, result: Extraction) -> None:
    for assertion in result.assertions:
        assert 0 <= assertion.start < assertion.end <= len(text)
        assert text[assertion.start:assertion.end] == assertion.text
        assert assertion.start <= assertion.content_start <= assertion.content_end <= assertion.end
        assert 0.0 <= assertion.checkworthiness <= 1.0
        for item in result.dropped:
            assert assertion.end <= item.start or item.end <= assertion.start
    for item in result.dropped:
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start:item.end] == item.text
    ids = [a.id for a in result.assertions]
    for assertion in result.assertions:
        assert all(relation.target in ids for relation in assertion.relations)
    for earlier, later in zip(result.assertions, result.assertions[1:]):
        assert earlier.end <= later.start, f"{earlier.id} and {later.id} overlap"


@settings(max_examples=300, deadline=None)
@given(NEWSY)
def test_arbitrary_text_never_raises_and_every_span_is_exact(text: str):
    assert_valid(text, extract(text))


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_news_like_word_salad_never_raises_and_every_span_is_exact(text: str):
    assert_valid(text, extract(text))


@settings(max_examples=300, deadline=None)
@given(REPORTS)
def test_sentences_with_several_reports_give_assertions_that_never_overlap(text: str):
    assert_valid(text, extract(text))


def test_empty_and_whitespace_only_input_give_an_empty_result():
    for text in ("", " ", "\n\n\t  \r\n"):
        assert extract(text).to_dict() == {"assertions": [], "dropped": []}


def test_binary_looking_text_gives_a_valid_result():
    text = "".join(chr(c) for c in range(0, 600)) * 3
    assert_valid(text, extract(text))


def test_text_without_sentences_gives_no_assertions():
    assert extract("!!! ??? ... --- ,,,").assertions == ()


def test_an_unbalanced_quotation_does_not_swallow_the_article():
    text = 'He said: "This never ends. ' + "The ministry said 40 people died. " * 50
    result = extract(text)
    assert_valid(text, result)
    assert len(result.assertions) > 10


def test_ten_megabytes_without_a_sentence_give_an_empty_result():
    assert extract("x" * 10_000_000).assertions == ()


def test_a_one_megabyte_article_is_extracted_in_seconds_not_minutes():
    paragraph = (
        'Officials said on Monday that 40 people were evacuated. "We are ready," he said.\n\nRead also: More\n\n'
    )
    text = paragraph * (1_000_000 // len(paragraph))
    started = time.process_time()  # this process's CPU time: other processes' load does not count
    result = extract(text)
    assert time.process_time() - started < 60
    assert len(result.assertions) == 2 * text.count("Officials said")
    assert len(result.dropped) == text.count("Read also")


#: Inputs built to make rules that look back or pair every report with every other take time in
#: the square of their size: one 60 KB "sentence" with a single report in its middle, a thousand
#: reports nested inside one another, and the same at 60 KB.
HOSTILE = {
    "one-sentence": "Z" * 30_000 + " said that " + "Y" * 30_000,
    "nested-reports": "Lavrov said that " * 1_000,
    "nested-reports-60kb": "Lavrov said that " * 3_600,
    "capitalised-run": "The " + "Ministry " * 7_000 + "statement that it was fine.",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_extracted_in_time_proportional_to_its_length(name: str):
    text = HOSTILE[name]
    started = time.process_time()  # this process's CPU time: other processes' load does not count
    result = extract(text)
    spent = time.process_time() - started
    assert_valid(text, result)
    # A normal news text of 60 KB takes about half a second; these took minutes when rules were quadratic.
    assert spent < 5, f"{name}: {spent:.1f} s of CPU"


def test_an_overlong_run_is_read_in_pieces_cut_at_clause_breaks():
    clause = "the minister said the plan would work, "
    text = clause * (3 * MAX_SENTENCE // len(clause)) + "officials said."
    pieces = sentences(text, 0, len(text))
    assert len(pieces) >= 3
    assert all(end - start <= MAX_SENTENCE for start, end in pieces)
    # Every cut falls after a comma, and no character is lost between pieces.
    assert all(text[start - 2:start] == ", " for start, _ in pieces[1:])
    assert "".join(text[s:e] for s, e in pieces).replace(" ", "") == text.replace(" ", "")


def test_a_news_length_sentence_is_never_cut():
    sentence = "The minister said on Monday, in a long statement to parliament, that " + "the talks, " * 150 + "failed."
    assert len(sentence) < MAX_SENTENCE
    assert sentences(sentence, 0, len(sentence)) == [(0, len(sentence))]
