"""Claim matching: what similarity means for the desk, and how the full-text index is asked.

The ranker (``factcheck.domain.ranking``) orders earlier claims and gives each a similarity,
0 … 1: how much of the earlier claim the new text contains, its rare terms, numbers and names
counting most. The thresholds below were calibrated on the CLEF 2020 CheckThat! claim-retrieval
data (tweets that repeat a checked claim; ``bench/match_quality.py``, docs/credibility.md).
"""

from __future__ import annotations

from factcheck.domain.ranking import Analysed, analyse, query_terms

#: Below this similarity an earlier item is not shown as a match.
MIN_SIMILARITY = 0.25
#: From this similarity on, a match raises an item's priority (looser matches are shown, not counted).
PRIORITY_MATCH = 0.4
#: From this similarity on, the earlier item is taken as the same claim.
SAME_CLAIM = 0.6
#: From this similarity on, a reader's message is taken as asking about the earlier item: a published
#: verdict is shown to the reader at once, an open item counts one more reader asking for it.
READER_MATCH = PRIORITY_MATCH

#: A stem is searched as a prefix ("releas" finds "released") only from this length on.
MIN_PREFIX = 4


def index_tokens(analysed: Analysed, terms: list[str]) -> dict[str, str]:
    """Each term as the raw-word full-text index knows it: the stem as a prefix, else the word as written.

    A stem that is not the beginning of its word ("countri" of "country") is searched as the word.
    """
    return {term: index_token(analysed, term) for term in terms}


def index_token(analysed: Analysed, term: str) -> str:
    """One term of ``analysed`` as the raw-word full-text index knows it (see ``index_tokens``)."""
    word = analysed.words.get(term, term)
    if len(term) >= MIN_PREFIX and word != term and word.startswith(term):
        return term + "*"
    return word


def search_terms(claim: str) -> list[str]:
    """The terms of ``claim`` that the full-text index is asked about, numbers and names first."""
    return query_terms(analyse(claim))
