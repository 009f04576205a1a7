"""Reading the search box: words, phrases, prefixes, OR, exclusions; anything else is plain text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factcheck.domain.search import MAX_TERMS, Term, parse_query, to_fts5, to_tsquery


def test_words_phrases_prefixes_or_and_exclusions():
    query = parse_query('sea "level rose" releas* floods OR storms -denied NOT rumour AND')
    assert query.required == ((Term(("sea",)),), (Term(("level", "rose")),), (Term(("releas",), prefix=True),),
                              (Term(("floods",)), Term(("storms",))))
    assert query.excluded == (Term(("denied",)), Term(("rumour",)))
    assert to_fts5(query) == ('(("sea" AND "level rose" AND "releas"* AND ("floods" OR "storms")) NOT "denied") '
                              'NOT "rumour"')
    assert to_tsquery(query) == ("'sea' & ('level' <-> 'rose') & 'releas':* & ('floods' | 'storms') "
                                 "& !'denied' & !'rumour'")


def test_operators_of_the_index_are_words_or_nothing():
    assert parse_query("NEAR(a b) : ^ ( ) *").required == ((Term(("near", "a")),), (Term(("b",)),))
    assert parse_query("' ; -- \\ \x00 \ud800").is_empty
    assert parse_query("o'brien").required == ((Term(("o", "brien")),),)


def test_odd_unicode_is_folded_and_marks_stay_with_their_letter():
    assert parse_query("CAFE\u0301").required == ((Term(("café",)),),)
    assert parse_query("\u202eharbour 👍🏽").required == ((Term(("harbour",)),),)
    assert parse_query("المیناء").words() == ["المیناء"]


def test_a_long_query_keeps_a_bounded_number_of_terms():
    assert len(parse_query(" ".join(f"w{n}" for n in range(200))).required) == MAX_TERMS


@given(st.text())
def test_any_text_gives_a_query_whose_expressions_hold_only_quoted_words(text):
    query = parse_query(text)
    fts = to_fts5(query)
    assert fts.count('"') % 2 == 0
    assert "\x00" not in fts and "\x00" not in to_tsquery(query)
    for word in query.words():
        assert word and '"' not in word and "'" not in word
