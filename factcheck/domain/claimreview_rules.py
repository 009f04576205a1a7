"""Google's published rules for ClaimReview markup, as plain functions over the JSON-LD dict.

Each rule takes one ClaimReview (a dict as it would be serialised) and returns a list of problems
written for the editor who has to fix them; an empty list means the rule is met. ``validate``
runs them all. Standard library only, so the rules are checked the same way on a verdict form,
a rendered page and an exported feed.

Sources of the rules: developers.google.com/search/docs/appearance/structured-data/factcheck
(required and recommended properties of ClaimReview, Claim and Rating).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

#: Google shows ``claimReviewed`` in one line on phones; it must stay shorter than this.
CLAIM_REVIEWED_MAX = 75

Doc = Mapping[str, Any]
Rule = Callable[[Doc], list[str]]


def _text(value: Any) -> str:
    """A string property stripped, or '' when missing or not a string."""
    return value.strip() if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    """A nested object, or an empty one when missing or malformed."""
    return value if isinstance(value, Mapping) else {}


def is_absolute_url(value: Any) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not isinstance(value, str) or not value.strip():
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_iso_date(value: Any) -> bool:
    """True for an ISO 8601 date (2026-02-14) or date-time with a time zone."""
    if not isinstance(value, str):
        return False
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
            return True
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _number(value: Any) -> float | None:
    """A numeric rating property (numbers or numeric strings), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


# --- the rules ------------------------------------------------------------------------------------


def claim_reviewed_present(doc: Doc) -> list[str]:
    """``claimReviewed`` is present."""
    if not _text(doc.get("claimReviewed")):
        return ["claimReviewed is missing: the claim needs a short text (its restatement or wording)."]
    return []


def claim_reviewed_short(doc: Doc) -> list[str]:
    """``claimReviewed`` has fewer than 75 characters."""
    claim = _text(doc.get("claimReviewed"))
    if len(claim) >= CLAIM_REVIEWED_MAX:
        return [f"claimReviewed has {len(claim)} characters; Google asks for fewer than {CLAIM_REVIEWED_MAX}. "
                "Write a shorter restatement."]
    return []


@functools.lru_cache(maxsize=256)
def _label_pattern(label: str) -> re.Pattern[str]:
    """The rating's label as a whole word or phrase, any case (compiled once per label: a scale has a few)."""
    return re.compile(rf"(?<!\w){re.escape(label)}(?!\w)", re.IGNORECASE)


def claim_reviewed_without_rating(doc: Doc) -> list[str]:
    """``claimReviewed`` does not contain the rating's label (the claim, not the verdict)."""
    claim = _text(doc.get("claimReviewed"))
    label = _text(_mapping(doc.get("reviewRating")).get("alternateName"))
    if claim and label and _label_pattern(label).search(claim):
        return [f"claimReviewed contains the rating “{label}”; state the claim without the verdict."]
    return []


def rating_has_alternate_name(doc: Doc) -> list[str]:
    """``reviewRating.alternateName`` (the rating as words) is present."""
    if not _text(_mapping(doc.get("reviewRating")).get("alternateName")):
        return ["reviewRating.alternateName is missing: the rating needs its label."]
    return []


def rating_scale_valid(doc: Doc) -> list[str]:
    """``worstRating`` is at least 1 and ``bestRating`` is above it."""
    rating = _mapping(doc.get("reviewRating"))
    worst, best = _number(rating.get("worstRating")), _number(rating.get("bestRating"))
    problems = []
    if worst is None or worst < 1:
        problems.append("reviewRating.worstRating must be a number of at least 1.")
    if best is None or (worst is not None and best <= worst):
        problems.append("reviewRating.bestRating must be a number above worstRating.")
    return problems


def rating_value_in_scale(doc: Doc) -> list[str]:
    """``ratingValue`` is a number between ``worstRating`` and ``bestRating``."""
    rating = _mapping(doc.get("reviewRating"))
    value = _number(rating.get("ratingValue"))
    worst, best = _number(rating.get("worstRating")), _number(rating.get("bestRating"))
    label = _text(rating.get("alternateName")) or "this rating"
    if value is None:
        return [f"reviewRating.ratingValue is missing: “{label}” has no place on the numeric scale. "
                "Give the rating a ClaimReview value, or choose another rating."]
    if worst is not None and best is not None and not worst <= value <= best:
        return [f"reviewRating.ratingValue {value:g} lies outside the scale {worst:g}–{best:g}."]
    return []


def claim_author_named(doc: Doc) -> list[str]:
    """``itemReviewed.author.name`` (who made the claim) is present."""
    author = _mapping(_mapping(doc.get("itemReviewed")).get("author"))
    if not _text(author.get("name")):
        return ["itemReviewed.author.name is missing: record who made the claim (its claimant)."]
    return []


def appearance_has_url(doc: Doc) -> list[str]:
    """Every ``appearance`` / ``firstAppearance`` given has an absolute URL."""
    claim = _mapping(doc.get("itemReviewed"))
    problems = []
    for key in ("appearance", "firstAppearance"):
        value = claim.get(key)
        if value is None:
            continue
        entries = value if isinstance(value, list) else [value]
        if not entries:
            problems.append(f"itemReviewed.{key} is empty.")
        for entry in entries:
            url = entry if isinstance(entry, str) else _mapping(entry).get("url")
            if not is_absolute_url(url):
                problems.append(f"itemReviewed.{key} needs an absolute http(s) URL where the claim appeared.")
    return problems


def review_url_absolute(doc: Doc) -> list[str]:
    """``url`` (the review's own page) is present and absolute."""
    if not is_absolute_url(doc.get("url")):
        return ["url must be the absolute address of the verdict page."]
    return []


def publisher_named(doc: Doc) -> list[str]:
    """``author`` (the fact-checking organisation) has a name."""
    if not _text(_mapping(doc.get("author")).get("name")):
        return ["author.name is missing: set the organisation's name (FACTCHECK_ORGANISATION_NAME)."]
    return []


def date_published_iso(doc: Doc) -> list[str]:
    """``datePublished`` is an ISO 8601 date."""
    if not is_iso_date(doc.get("datePublished")):
        return ["datePublished must be an ISO 8601 date such as 2026-02-14."]
    return []


#: Every rule, in the order an editor would fix them.
RULES: tuple[Rule, ...] = (
    claim_reviewed_present,
    claim_reviewed_short,
    claim_reviewed_without_rating,
    rating_has_alternate_name,
    rating_scale_valid,
    rating_value_in_scale,
    claim_author_named,
    appearance_has_url,
    review_url_absolute,
    publisher_named,
    date_published_iso,
)


def validate(doc: Doc) -> list[str]:
    """Every problem with one ClaimReview; empty when Google's rules are met."""
    if _text(doc.get("@type")) != "ClaimReview":
        return ["The markup is not a ClaimReview."]
    problems: list[str] = []
    for rule in RULES:
        problems.extend(rule(doc))
    return problems


def shorten_claim(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` on one line, cut at a word boundary with "…" so it stays shorter than ``limit``."""
    text = " ".join(text.split())
    if len(text) < limit:
        return text
    room = limit - 2  # leaves space for "…" and keeps the result strictly under the limit
    cut = text[: room + 1]
    boundary = cut.rfind(" ")
    head = cut[:boundary] if boundary > room // 2 else text[:room]
    return head.rstrip(" ,;:.-–—") + "…"
