"""A page of ClaimReviews (the feed, the API's verdicts) checks the organisation once and each rating
once: every card must still get exactly the markup, and the decision, that checking it alone gives."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from factcheck.domain.workflow import SourceKind, Status
from factcheck.interchange.claimreview import PageClaimReviews, publishable_claimreview
from factcheck.queries.verdicts import DRAFT, PUBLISHED, ArticleRef, ItemCard, RatingView, SourceRef

FALSE = RatingView(1, "false", "False", "#c00", 1, 5)
TRUE = RatingView(2, "true", "True", "#0a0", 5, 1)
UNVERIFIABLE = RatingView(3, "unverifiable", "Unverifiable", "#888", None, 6)
OUT_OF_SCALE = RatingView(4, "odd", "Odd", "#888", 9, 7)
SETTINGS = {"ORGANISATION_NAME": "A desk", "ORGANISATION_URL": "https://desk.example.org/"}
SCALE = (1, 5)
SPEAKER = SourceRef(7, "A speaker", SourceKind.PERSON, "https://example.org/speaker")
OUTLET = SourceRef(8, "An outlet", SourceKind.OUTLET)
ARTICLE = ArticleRef(3, "A story", "https://news.example.org/story", OUTLET, dt.date(2026, 2, 10))
FIRST = dt.datetime(2026, 2, 11, 9, 0, tzinfo=dt.UTC)

CARD = ItemCard(
    id=1, status=Status.PUBLISHED, state=PUBLISHED, claim_text="Prices rose by 20% in 2025.", restatement=None,
    span=None, claimant=SPEAKER, chain=(), hedges=(), dates=(), article=ARTICLE, rating=FALSE, summary="No.",
    published_at=FIRST, first_published_at=FIRST)

CARDS = {
    "valid": CARD,
    "corrected later": replace(CARD, published_at=FIRST + dt.timedelta(days=3)),
    "another rating": replace(CARD, id=2, rating=TRUE),
    "a rating without a number": replace(CARD, rating=UNVERIFIABLE),
    "a number outside the scale": replace(CARD, rating=OUT_OF_SCALE),
    "the rating in the claim": replace(CARD, claim_text="It is False that prices rose."),
    "a long claim": replace(CARD, claim_text="Prices rose " + "and rose again " * 10 + "in 2025."),
    "no claimant: the outlet speaks": replace(CARD, claimant=None),
    "no claimant and no article": replace(CARD, claimant=None, article=None),
    "an article without an address": replace(CARD, article=replace(ARTICLE, url=None)),
    "an article with a relative address": replace(CARD, article=replace(ARTICLE, url="/story")),
    "imported": replace(CARD, rated_by="Another fact-checker"),
    "a draft": replace(CARD, state=DRAFT),
    "no rating": replace(CARD, rating=None),
    "never published": replace(CARD, published_at=None, first_published_at=None),
}


@pytest.mark.parametrize("settings", [SETTINGS, {"ORGANISATION_NAME": "  "}, {"ORGANISATION_NAME": "A desk"}])
@pytest.mark.parametrize("scale", [SCALE, (0, 5), (None, None), (5, 5)])
@pytest.mark.parametrize("url", ["https://desk.example.org/verdicts/1", "/verdicts/1"])
def test_each_card_of_a_page_gets_the_markup_and_decision_it_gets_alone(settings, scale, url):
    page = PageClaimReviews(settings, scale)
    for name, card in CARDS.items():
        alone = publishable_claimreview(card, url=url, settings=settings, scale=scale)
        # twice: the second time the rating's part comes from what the page kept
        for _ in range(2):
            on_page = page.publishable(card, url)
            # the same keys in the same order (the API and the verdict page write the markup unsorted)
            assert json.dumps(on_page) == json.dumps(alone), name


def test_the_cases_above_include_published_and_withheld_markup():
    page = PageClaimReviews(SETTINGS, SCALE)
    url = "https://desk.example.org/verdicts/1"
    shown = {name for name, card in CARDS.items() if page.publishable(card, url) is not None}
    assert {"valid", "corrected later", "another rating", "a long claim"} <= shown
    assert not {"a rating without a number", "the rating in the claim", "imported", "a draft"} & shown


def test_a_card_markup_shares_nothing_with_the_next_one():
    page = PageClaimReviews(SETTINGS, SCALE)
    url = "https://desk.example.org/verdicts/1"
    first = page.publishable(CARD, url)
    first["author"]["name"] = "changed"
    first["reviewRating"]["alternateName"] = "changed"
    assert page.publishable(CARD, url) == publishable_claimreview(CARD, url=url, settings=SETTINGS, scale=SCALE)
