"""schema.org ClaimReview: building the JSON-LD of a published verdict, and checking it.

The markup follows Google's fact-check rules (``factcheck.domain.claimreview_rules``). A verdict
page carries its ClaimReview only when the rules are met, so search engines never receive markup
they would reject; the verdict form shows the problems before publication
(``claimreview_problems_for_item``).

Mapping (see docs/reports.md):
- ``claimReviewed``: the restatement, else the claim as written, shortened under 75 characters.
- ``reviewRating``: ``alternateName`` = the rating's label, ``ratingValue`` = its ClaimReview number,
  ``worstRating``/``bestRating`` = the lowest/highest number on the desk's scale. A rating without
  a number (Unverifiable by default) is not mapped: its markup fails the scale rule and is withheld.
- ``itemReviewed``: a Claim whose ``author`` is the claimant (Person for people, Organization for
  everything else; ``sameAs`` when known), or the article's outlet when the article speaks in its
  own voice; ``appearance`` is the article's URL; ``datePublished`` the article's date when known.
- ``author``: the organisation from settings (ORGANISATION_URL; the web layer fills in the site a
  request reached when it is not set); ``url`` the verdict page; ``datePublished`` the first
  publication of the verdict, ``dateModified`` the latest when it was corrected.

Only the desk's own verdicts get markup: an imported verdict (``rated_by`` set: PolitiFact for
LIAR, the publisher of an imported ClaimReview) was not reviewed by the desk, so the desk never
publishes it as its own ClaimReview.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from sqlalchemy.orm import Session

from factcheck.domain import claimreview_rules as rules
from factcheck.domain.workflow import SourceKind
from factcheck.models import CheckItem
from factcheck.queries.verdicts import (
    DRAFT,
    PUBLISHED,
    ItemCard,
    RatingView,
    SourceRef,
    build_card,
    claimreview_scale,
    rating_views,
)

#: Rules about the claim itself, checked even before a verdict exists.
CLAIM_RULES = (
    rules.claim_reviewed_present,
    rules.claim_reviewed_short,
    rules.claim_author_named,
    rules.appearance_has_url,
    rules.review_url_absolute,
    rules.publisher_named,
)


def _thing(source: SourceRef) -> dict[str, Any]:
    """A Person or Organization for a source."""
    thing: dict[str, Any] = {
        "@type": "Person" if source.kind is SourceKind.PERSON else "Organization",
        "name": source.name,
    }
    if source.same_as:
        thing["sameAs"] = source.same_as
    return thing


def _day(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def build_claimreview(card: ItemCard, *, url: str, settings: Mapping[str, Any],
                      scale: tuple[int | None, int | None], today: dt.date | None = None) -> dict[str, Any]:
    """The ClaimReview JSON-LD object for ``card`` (its verdict page is ``url``).

    ``scale`` is the desk's (worst, best) ClaimReview numbers; ``today`` stands in for the
    publication date of a verdict that is not published yet (for checking drafts).
    """
    review = _review_rating(card.rating, scale) if card.rating is not None else None
    return _markup(card, url, _organisation(settings), review, today)


def _markup(card: ItemCard, url: str, organisation: dict[str, Any], review: dict[str, Any] | None,
            today: dt.date | None = None) -> dict[str, Any]:
    """The ClaimReview of ``card`` with its organisation and ``reviewRating`` given."""
    claim: dict[str, Any] = {"@type": "Claim"}
    author = card.claimant or (card.article.outlet if card.article else None)
    if author is not None:
        claim["author"] = _thing(author)
    if card.article is not None:
        if card.article.published_on is not None:
            claim["datePublished"] = card.article.published_on.isoformat()
        if card.article.url:
            claim["appearance"] = [{"@type": "CreativeWork", "url": card.article.url,
                                    "headline": card.article.title}]
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": rules.shorten_claim(card.claim),
        "itemReviewed": claim,
        "author": organisation,
        "datePublished": _day(card.first_published_at) or (today or dt.date.today()).isoformat(),
    }
    if card.published_at and card.first_published_at and card.published_at != card.first_published_at:
        doc["dateModified"] = _day(card.published_at)
    if review is not None:
        doc["reviewRating"] = review
    return doc


def _organisation(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The fact-checking organisation (ClaimReview ``author``) named by the settings."""
    organisation = {"@type": "Organization", "name": str(settings.get("ORGANISATION_NAME") or "").strip()}
    if settings.get("ORGANISATION_URL"):
        organisation["url"] = str(settings["ORGANISATION_URL"])
    return organisation


def _review_rating(rating: RatingView, scale: tuple[int | None, int | None]) -> dict[str, Any]:
    """A rating as ClaimReview's ``reviewRating`` on the desk's (worst, best) scale."""
    worst, best = scale
    review: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
    if rating.claimreview_value is not None:
        review["ratingValue"] = rating.claimreview_value
    if best is not None:
        review["bestRating"] = best
    if worst is not None:
        review["worstRating"] = worst
    return review


def json_ld(doc: Mapping[str, Any]) -> str:
    """The JSON text for a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so no text from a claim can close the
    script element or open a comment; the JSON means the same to a parser.
    """
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def publishable_claimreview(card: ItemCard, *, url: str, settings: Mapping[str, Any],
                            scale: tuple[int | None, int | None]) -> dict[str, Any] | None:
    """The ClaimReview of the desk's own published card when it meets every rule; None otherwise.

    Never emits bad markup, nor markup that names the desk as the author of an imported verdict.
    """
    if card.state != PUBLISHED or card.rating is None or card.rated_by is not None:
        return None
    doc = build_claimreview(card, url=url, settings=settings, scale=scale)
    return doc if not rules.validate(doc) else None


#: Google's rules split by what they read: the organisation (the same for a whole page), the rating
#: with the scale (the same for every card of one rating), and the rest (each card's own). A page
#: of cards checks the first once, the second once per rating and the third per card.
_PAGE_RULES = (rules.publisher_named,)
_RATING_RULES = (rules.rating_has_alternate_name, rules.rating_scale_valid, rules.rating_value_in_scale)
_CARD_RULES = (rules.claim_reviewed_present, rules.claim_reviewed_short, rules.claim_reviewed_without_rating,
               rules.claim_author_named, rules.appearance_has_url, rules.review_url_absolute,
               rules.date_published_iso)
assert sorted(map(id, _PAGE_RULES + _RATING_RULES + _CARD_RULES)) == sorted(map(id, rules.RULES)), \
    "every ClaimReview rule belongs to exactly one of the page's, the rating's or the card's"


class PageClaimReviews:
    """``publishable_claimreview`` for the many cards of one page (the feed, the API's verdicts).

    Gives the same markup and the same decision for each card: the organisation is built and
    checked once for the page, each rating's ``reviewRating`` once per rating; each card's markup
    gets copies of both and is checked against the rules that read the card itself.
    """

    def __init__(self, settings: Mapping[str, Any], scale: tuple[int | None, int | None]) -> None:
        self._scale = scale
        self._organisation = _organisation(settings)
        self._organisation_ok = not any(rule({"author": self._organisation}) for rule in _PAGE_RULES)
        self._ratings: dict[RatingView, tuple[dict[str, Any], bool]] = {}

    def _rating(self, rating: RatingView) -> tuple[dict[str, Any], bool]:
        found = self._ratings.get(rating)
        if found is None:
            review = _review_rating(rating, self._scale)
            found = self._ratings[rating] = (review, not any(rule({"reviewRating": review}) for rule in _RATING_RULES))
        return found

    def publishable(self, card: ItemCard, url: str) -> dict[str, Any] | None:
        """The card's ClaimReview when it meets every rule (``publishable_claimreview``); None otherwise."""
        if card.state != PUBLISHED or card.rating is None or card.rated_by is not None or not self._organisation_ok:
            return None
        review, rating_ok = self._rating(card.rating)
        if not rating_ok:
            return None
        doc = _markup(card, url, dict(self._organisation), dict(review))
        return None if any(rule(doc) for rule in _CARD_RULES) else doc


def claimreview_problems_for_item(session: Session, item: CheckItem, config: Mapping[str, Any],
                                  *, url: str | None = None) -> list[str]:
    """What would keep this item's verdict from carrying valid ClaimReview markup, for the verdict form.

    Checks the current (proposed or published) verdict; before any verdict exists, only the rules
    about the claim, its author and where it appeared. ``url`` defaults to the verdict page under
    ORGANISATION_URL. An empty list means the markup will be published.
    """
    verdict = item.current_verdict
    state = PUBLISHED if verdict is not None and verdict.published_at is not None else DRAFT
    card = build_card(item, state, rating_views(session))
    if card.is_imported:
        return [f"This verdict was rated by {card.rated_by} and imported from an archive; "
                "the desk publishes ClaimReview markup only for its own verdicts."]
    url = url or verdict_url_under(config, item.id)
    doc = build_claimreview(card, url=url, settings=config, scale=claimreview_scale(session))
    if card.rating is None:
        return [problem for rule in CLAIM_RULES for problem in rule(doc)]
    return rules.validate(doc)


def verdict_url_under(config: Mapping[str, Any], item_id: int) -> str:
    """The verdict page's address under ORGANISATION_URL (for use outside a web request).

    Without ORGANISATION_URL, under the address the app is configured to answer at (SERVER_NAME,
    else localhost), as Flask would build it outside a request.
    """
    base = str(config.get("ORGANISATION_URL") or "")
    if not base:
        scheme = config.get("PREFERRED_URL_SCHEME") or "http"
        base = f"{scheme}://{config.get('SERVER_NAME') or 'localhost'}{config.get('APPLICATION_ROOT') or '/'}"
    return urljoin(base if base.endswith("/") else base + "/", f"verdicts/{item_id}")
