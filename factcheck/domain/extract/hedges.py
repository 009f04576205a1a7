"""Hedges: words that mark a claim as second-hand, unverified or tentative."""

from __future__ import annotations

import re

# (label, pattern): the label is what a fact-checker reads; several surface forms share one.
_HEDGES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("allegedly", r"\ballegedly\b"),
        ("reportedly", r"\breportedly\b"),
        ("purportedly", r"\bpurportedly\b"),
        ("supposedly", r"\bsupposedly\b"),
        ("apparently", r"\bapparently\b"),
        ("off the record", r"\boff[- ]the[- ]record\b"),
        ("on condition of anonymity",
         r"\bon (?:the )?condition (?:of|that (?:he|she|they) not be named) ?(?:anonymity)?"),
        ("anonymous sources",
         r"\banonymously\b"
         r"|\b(?:(?:un(?:named|identified)|anonymous|unofficial)\s+(?:\w+\s+)?(?:sources?|officials?|insiders?|people)"
         r"|(?:the\s+)?\w+'s?\s+sources\b|(?:a|one|two|three|several|multiple|some)\s+(?:\w+\s+)?sources?\b"
         r"|\bsources\s+(?:said|say|familiar|close|told|claim)|according to (?:the\s+)?(?:\w+\s+)?sources"
         r"|people familiar with)"),
        ("may", r"\bmay\b(?!\s+\d)"),
        ("might", r"\bmight\b"),
        ("rumoured", r"\brumou?red\b"),
        # "reports" as a noun: "denied reports that", "published reports alleging", "media reports say".
        # ("Bloomberg reports that" is a verb, not a hedge).
        ("reports", r"\b(?:media|press|news|published|unconfirmed|earlier|recent|local|initial|conflicting|"
                    r"the|these|those|such)\s+reports\s+(?:that|alleging|suggesting|claiming|say|said|of|by|from)\b"
                    r"|\b(?:denied|denies|deny|dismissed|rejected|refuted|disputed|confirmed|amid|despite|"
                    r"following)\s+(?:\w+\s+)?reports\b"),
        ("unconfirmed",
         r"\bunconfirmed\b|\bcould not (?:be )?(?:independently )?(?:verified|confirmed)"
         r"|\bnot (?:been )?independently verified"),
    )
)

#: Every hedge label, in the order assertions list them.
HEDGE_LABELS = tuple(label for label, _pattern in _HEDGES)

# One pass that says whether any hedge can be present: most sentences have none.
_ANY_HEDGE = re.compile("|".join(f"(?:{pattern.pattern})" for _label, pattern in _HEDGES), re.IGNORECASE)
_MAY_MONTH = re.compile(r"\bMay\s+\d|\bin May\b|\bMay\s+(?:19|20)\d\d")


def find_hedge_spans(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Return (label, start, end) for the first occurrence of each hedge in text[start:end], in label order."""
    if not _ANY_HEDGE.search(text, start, end):
        return []
    sentence = text[start:end]
    spans = []
    for label, pattern in _HEDGES:
        match = pattern.search(text, start, end)
        if match is None:
            continue
        if label == "may":
            match = next((m for m in pattern.finditer(text, start, end) if not _is_month(m, start)), None)
            if match is None or _MAY_MONTH.search(sentence):
                continue
        spans.append((label, match.start(), match.end()))
    return spans


def _is_month(match: re.Match[str], start: int) -> bool:
    return match.group()[0] == "M" and match.start() > start


def find_hedges(sentence: str) -> tuple[str, ...]:
    """Return the hedge labels present in a sentence, in a fixed order, without repeats."""
    if not _ANY_HEDGE.search(sentence):
        return ()
    labels = []
    for label, pattern in _HEDGES:
        match = pattern.search(sentence)
        if match is None:
            continue
        if label == "may" and (match.group()[0] == "M" and match.start() > 0 or _MAY_MONTH.search(sentence)):
            continue  # the month, not the modal
        labels.append(label)
    return tuple(labels)
