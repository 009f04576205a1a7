"""Check-worthiness: how much a sentence asserts something a fact-checker could verify."""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"\d|\b(?:percent|per cent|million|billion|trillion|thousand|hundred|dozen|half|twice|double|triple)\b", re.I
)
_PROPER = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+|\b[A-Z]{2,}\b")
_FACT_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|must|cannot|can't|won't|did|refused|offered|killed|"
    r"increased|decreased|rose|fell|grew|won|lost|voted|signed|launched|seized|attacked|occupied|"
    r"indicates?|shows?|proves?|means|caused|led|continues|plans?|ready|willing)\b", re.I)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|most|least|than|largest|biggest|highest|lowest|first|only|never|record)\b", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|we're|we've|us|our|you|your)\b")
_IMPERATIVE = re.compile(
    r"^\W*(?:support|read|click|subscribe|sign|follow|share|watch|listen|join|donate|see|let's|please)\b", re.I
)
_OPINION = re.compile(
    r"\b(?:I think|I believe|in my (?:view|opinion)|should|ought to|hopefully|unfortunately|sadly)\b", re.I
)


def score(sentence: str, *, attributed: bool, chain_length: int = 0) -> float:
    """Return a check-worthiness score in 0..1 (two decimals) for one folded sentence."""
    words = len(sentence.split())
    value = 0.3
    if attributed:
        value += 0.3 + 0.05 * min(chain_length - 1, 2)
    if _NUMBER.search(sentence):
        value += 0.15
    proper = len(_PROPER.findall(sentence))
    value += 0.1 if proper else 0.0
    value += 0.05 if proper >= 3 else 0.0
    value += 0.1 if _FACT_VERB.search(sentence) else 0.0
    value += 0.05 if _COMPARISON.search(sentence) else 0.0
    if sentence.rstrip().endswith("?"):
        value -= 0.3
    if not attributed and _FIRST_PERSON.search(sentence):
        value -= 0.2
    if _IMPERATIVE.search(sentence):
        value -= 0.3
    if _OPINION.search(sentence):
        value -= 0.1
    if words < 6:
        value -= 0.25
    return round(min(1.0, max(0.0, value)), 2)
