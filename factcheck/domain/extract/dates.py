"""Dates mentioned in a sentence, kept as the text that names them."""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    r"|\b" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r"\b(?:,?\s+\d{4}\b)?"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|December)\s+\d{4}\b"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|" + _WEEKDAYS + r")\b"
    r"|\b(?:on\s+)?" + _WEEKDAYS + r"\b"
    r"|\b(?:yesterday|today|tomorrow)\b"
    r"|\bin\s+(?:19|20)\d\d\b"
)


def find_dates(sentence: str) -> tuple[str, ...]:
    """Return the date expressions of a sentence as written ("Feb. 14", "last week", "2024-02-14")."""
    found: list[str] = []
    for match in _DATE.finditer(sentence):
        value = re.sub(r"^(?:on|in)\s+", "", match.group())
        if value not in found:
            found.append(value)
    return tuple(found)
