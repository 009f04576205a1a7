"""Public verdict pages with their ClaimReview markup, and the feed of the desk's published reviews."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from factcheck.domain import claimreview_rules
from factcheck.domain.permissions import Capability
from factcheck.interchange.claimreview import PageClaimReviews, build_claimreview, json_ld, publishable_claimreview
from factcheck.queries.verdicts import claimreview_scale, published_cards, verdict_card
from factcheck.web import db_session
from factcheck.web.access import may
from factcheck.web.readercache import for_desk, for_readers_and_staff, not_kept
from factcheck.web.rowurls import id_url

bp = Blueprint("verdicts", __name__)

#: The feed's page size when none is asked for, and the most one request may ask for.
FEED_DEFAULT_LIMIT = 100
FEED_MAX_LIMIT = 500
#: The largest ``after`` the feed accepts (JavaScript's largest safe integer); beyond the last id
#: the page is simply empty.
FEED_MAX_AFTER = 2**53


def is_staff() -> bool:
    """True for somebody signed in with a role at the desk: they may see drafts and every source."""
    return may(Capability.SEE_DRAFTS)


def verdict_url(item_id: int) -> str:
    """The absolute address of an item's verdict page (ClaimReview ``url``)."""
    return url_for("verdicts.show", item_id=item_id, _external=True)


def claimreview_settings() -> Mapping[str, Any]:
    """The settings ClaimReview is built from; without ORGANISATION_URL, the site this request reached."""
    return ChainMap({"ORGANISATION_URL": current_app.config.get("ORGANISATION_URL") or request.url_root},
                    current_app.config)


@bp.route("/verdicts/<int:item_id>")
@for_desk
def show(item_id: int):
    """One verdict for readers, with its ClaimReview JSON-LD; staff also see drafts under a banner."""
    staff = is_staff()
    session = db_session()
    card = verdict_card(session, item_id, include_drafts=staff)
    if card is None:
        abort(404, description="There is no published verdict with this number.")
    scale = claimreview_scale(session)
    url = verdict_url(card.id)
    settings = claimreview_settings()
    doc = publishable_claimreview(card, url=url, settings=settings, scale=scale)
    # Staff see why markup is withheld (or would be, for a draft) so it can be fixed before publishing.
    # Imported verdicts never carry the desk's markup: there is nothing to fix.
    problems = []
    if staff and doc is None and card.rating is not None and not card.is_imported:
        problems = claimreview_rules.validate(build_claimreview(card, url=url, settings=settings, scale=scale))
    response = current_app.make_response(render_template(
        "verdicts/show.html",
        card=card,
        claimreview=Markup(json_ld(doc)) if doc else None,
        problems=problems,
    ))
    if staff:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    """A whole-number query argument in [low, high], or a 400 page that says what is wrong."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    # ASCII digits only ("²" is a digit to str.isdigit but not to int), and no longer than the bound.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        abort(400, description=f"The parameter “{name}” must be a whole number from {low} to {high}.")
    return int(raw)


@bp.route("/claimreview.json")
@for_readers_and_staff
def feed():
    """The desk's own published reviews as ClaimReview JSON-LD, oldest item first; ``after`` and ``limit`` page through.

    Imported verdicts (rated by another fact-checker) are not the desk's reviews and are left out.
    """
    after = _int_arg("after", 0, 0, FEED_MAX_AFTER)
    limit = _int_arg("limit", FEED_DEFAULT_LIMIT, 1, FEED_MAX_LIMIT)
    if after or limit != FEED_DEFAULT_LIMIT:
        not_kept()  # the first page is the one polled; any number of others are valid
    session = db_session()
    page = published_cards(session, after=after, limit=limit)
    scale = claimreview_scale(session)
    # The two settings ClaimReview reads, looked up once rather than through the app's config per card.
    settings = {key: claimreview_settings().get(key) for key in ("ORGANISATION_NAME", "ORGANISATION_URL")}
    url_of = id_url("verdicts.show", _external=True)  # the route built once for the page's cards
    markup = PageClaimReviews(settings, scale)  # the organisation and each rating built and checked once
    reviews, withheld = [], []
    for card in page.cards:
        doc = markup.publishable(card, url_of(card.id))
        if doc is None:
            withheld.append(card.id)
        else:
            reviews.append(doc)
    return jsonify({
        "@context": "https://schema.org",
        "claimReviews": reviews,
        # Published verdicts whose markup breaks a rule (e.g. a rating without a number) are listed, not hidden.
        "withheld": withheld,
        "next": (url_for("verdicts.feed", after=page.next_after, limit=limit, _external=True)
                 if page.next_after else None),
    })
