"""Verdict reports: the list of articles and one article's report as HTML, JSON and CSV.

Reports of articles with a public verdict are public. Readers see public verdicts only (anonymous
sources withheld) and get 404 for an article that has none; signed-in staff (any role) see every
article, with proposed verdicts under review marked as drafts, and those responses are never cached.
Readers' answers are kept by the worker until something is committed (``web.readercache``).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, render_template

from factcheck.queries.reports import ArticleReport, article_report, list_articles, report_as_dict, report_csv
from factcheck.web import db_session
from factcheck.web.params import int_arg
from factcheck.web.readercache import for_desk, for_readers_and_staff, not_kept
from factcheck.web.rows import rating_chip
from factcheck.web.rowurls import id_url
from factcheck.web.verdicts import is_staff, verdict_url

bp = Blueprint("reports", __name__, url_prefix="/reports")

#: Articles per page of the reports list.
PAGE_SIZE = 50


def _is_staff() -> bool:
    """Anybody signed in with a role works at the desk and may see drafts."""
    return is_staff()


def _private(response: Response) -> Response:
    """Responses that may contain drafts must not be kept by shared caches."""
    if _is_staff():
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _report(article_id: int) -> ArticleReport:
    """The report this viewer may see; readers get 404 alike for an unknown and an unpublished article."""
    report = article_report(db_session(), article_id, include_drafts=_is_staff())
    if report is None:
        abort(404, description=f"There is no published report for article #{article_id}.")
    return report


@bp.route("")
@for_desk
def index():
    """Articles with their published verdict counts (staff: every article)."""
    before = int_arg("before")
    if before is not None:
        not_kept()  # the first page is the one read most; a page from any cursor is valid
    articles = list_articles(db_session(), include_drafts=_is_staff(), before_id=before, limit=PAGE_SIZE)
    next_before = articles[-1].id if len(articles) == PAGE_SIZE else None
    return _private(current_app.make_response(
        render_template("reports/index.html", articles=articles, include_drafts=_is_staff(), next_before=next_before)))


@bp.route("/articles/<int:article_id>")
@for_desk
def article(article_id: int):
    """One article's verdict report: highlighted text, cards, sources' records, chart and correction log."""
    report = _report(article_id)
    # Each rating's chip rendered once, and the verdict pages' route built once, for the page's cards.
    chips = {rating: rating_chip(rating) for rating in {c.rating for c in report.cards if c.rating is not None}}
    return _private(current_app.make_response(render_template(
        "reports/article.html", report=report, chips=chips, verdict_url=id_url("verdicts.show"))))


@bp.route("/articles/<int:article_id>.json")
@for_readers_and_staff
def article_json(article_id: int):
    """The report as JSON (the same data as the page)."""
    return _private(jsonify(report_as_dict(_report(article_id), verdict_url)))


@bp.route("/articles/<int:article_id>.csv")
@for_readers_and_staff
def article_csv(article_id: int):
    """The report as CSV, one row per item shown."""
    # Werkzeug encodes text as UTF-8 and says so: the Content-Type is "text/csv; charset=utf-8".
    response = Response(report_csv(_report(article_id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="article-{article_id}-report.csv"'
    return _private(response)
