"""Search for the desk: one box over items, articles and sources, with filters and keyset pages."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request

from factcheck.domain.permissions import Capability
from factcheck.domain.search import ALL_KINDS, MAX_QUERY_CHARS, SearchKind
from factcheck.domain.workflow import Status
from factcheck.queries.items import active_ratings
from factcheck.queries.search import PAGE_SIZE, SearchFilters, search
from factcheck.web import db_session
from factcheck.web.access import permitted
from factcheck.web.readercache import for_desk

bp = Blueprint("search", __name__, url_prefix="/search")


def _day(name: str) -> dt.date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"Give “{name}” as a day, YYYY-MM-DD, such as 2026-02-14.")


def filters_from_args(known_ratings: set[str]) -> SearchFilters:
    """The filters in the query string; a kind, status, rating or day the desk does not know is a plain 400."""
    args = request.args
    kinds = set()
    for value in args.getlist("kind"):
        if value not in {k.value for k in SearchKind}:
            abort(400, description="“kind” is one of item, article or source.")
        kinds.add(SearchKind(value))
    status_value = (args.get("status") or "").strip()
    if status_value and status_value not in {s.value for s in Status}:
        abort(400, description=f"“status” is one of {', '.join(s.value for s in Status)}.")
    rating = (args.get("rating") or "").strip()
    if rating and rating not in known_ratings:
        abort(400, description="There is no such rating on the desk's scale.")
    return SearchFilters(
        kinds=frozenset(kinds) or ALL_KINDS, status=Status(status_value) if status_value else None,
        rating=rating or None, claimant=(args.get("claimant") or "").strip()[:200] or None,
        outlet=(args.get("outlet") or "").strip()[:200] or None, since=_day("since"), until=_day("until"),
    )


@bp.get("")
@permitted(Capability.SEARCH)
@for_desk
def index():
    """The search box and a page of hits, best first."""
    ratings = active_ratings(db_session())
    filters = filters_from_args({r.key for r in ratings})
    query = (request.args.get("q") or "")[:MAX_QUERY_CHARS]
    page = search(db_session(), query, filters=filters, after=request.args.get("after"), limit=PAGE_SIZE) \
        if query.strip() else None
    return render_template("search/index.html", query=query, page=page, filters=filters, ratings=ratings,
                           statuses=list(Status), kinds=list(SearchKind), SearchKind=SearchKind)
