"""Claim matching as plain text: the distinctive words of a claim and how alike two claims are.

The database finds candidates (``factcheck.facts.candidate_ids``); this module scores them.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, utils

from factcheck.domain.names import fold

#: Below this similarity (0 … 1) an earlier item is not shown as a match.
MIN_SIMILARITY = 0.55
#: From this similarity on, the earlier item is taken as the same claim.
SAME_CLAIM = 0.9
#: From this similarity on, a match raises an item's priority (loose matches are shown, not counted).
PRIORITY_MATCH = 0.7

#: Words too common to find a claim by (English and Portuguese, the languages of the archives).
STOPWORDS = frozenset(
    """
    a an and are as at be been but by did do does for from had has have he her his i if in into is it its
    me my no not of on or our says said she so than that the their them then there these they this to
    was we were what when which who will with would you your also about after all more most over just
    o os as um uma de da das do dos e em no na nos nas que por para com se ao mais foi ser nao
    """.split()
)

_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(claim: str, limit: int = 24) -> list[str]:
    """The distinctive words of ``claim`` (accents folded, stopwords and short words out), in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(claim)):
        # Numbers of two digits and more ("20 cm", "1900") identify a claim as well as words do.
        keep = len(word) >= 2 if word.isdigit() else len(word) >= 3 and word not in STOPWORDS
        if keep:
            seen.setdefault(word, None)
    return list(seen)[:limit]


def similarity(a: str, b: str) -> float:
    """How alike two claims are, 0 … 1: token order ignored, a reworded subset scored a little lower."""
    sort = fuzz.token_sort_ratio(a, b, processor=utils.default_process)
    subset = fuzz.token_set_ratio(a, b, processor=utils.default_process)
    return round(max(sort, 0.9 * subset) / 100.0, 3)


def claim_similarity(claim: str, claim_text: str, restatement: str | None) -> float:
    """How alike ``claim`` is to an item: to its wording as written or to its restatement, the closer."""
    return max(similarity(claim, claim_text), similarity(claim, restatement) if restatement else 0.0)
