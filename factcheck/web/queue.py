"""The reviewer queue: verdicts waiting for a second pair of eyes, "review next" and the vote."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from factcheck.config import policy_from, setting
from factcheck.domain import workflow as wf
from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Status
from factcheck.facts import verdict_review_key
from factcheck.models import utcnow
from factcheck.queries.desk import since_return
from factcheck.queries.items import active_ratings, item_page
from factcheck.queries.queue import AGE_FILTERS, QueueFilters, queue_page
from factcheck.services.errors import ServiceError
from factcheck.services.leases import TooManyLeases
from factcheck.services.queue import claim_next_for_review, release_lease, review_verdict
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.errors import log_refusal
from factcheck.web.forms import choices
from factcheck.web.forms.queue import ReviewNextForm, VerdictVoteForm
from factcheck.web.params import cursor_arg, whole_number
from factcheck.web.readercache import for_desk_per_user
from factcheck.web.refusals import status_for
from factcheck.web.rowurls import id_url

bp = Blueprint("queue", __name__, url_prefix="/queue")

PAGE_SIZE = 50


def _filters() -> QueueFilters:
    """The filters from the query string; text that is not a number is ignored, a number no article
    can have is a 400."""
    args = request.args
    article = args.get("article", "").strip().lstrip("#")
    age = args.get("age", "")
    return QueueFilters(
        article_id=whole_number(article, "article") if article.isascii() and article.isdigit() else None,
        claimant=(args.get("claimant") or "").strip()[:200] or None,
        rating=(args.get("rating") or "").strip()[:40] or None,
        older_than_hours=AGE_FILTERS.get(age),
    )


@bp.get("")
@permitted(Capability.REVIEW)
@for_desk_per_user
def index():
    """Verdicts I may review, by priority then waiting time, filtered and paged by keyset."""
    filters = _filters()
    page = queue_page(db_session(), current_user, filters, cursor=cursor_arg("after"), limit=PAGE_SIZE,
                      approvals_needed=policy_from(current_app.config).approvals_needed)
    return render_template("queue/index.html", page=page, filters=filters, ratings=active_ratings(db_session()),
                           next_form=ReviewNextForm(), age_choices=AGE_FILTERS, review_url=id_url("queue.review"),
                           panel=policy_from(current_app.config).approvals_needed > 1)


def _skipped_item_id() -> int | None:
    """The item a review page's "Review next" leaves behind without a vote (a hidden field), if any."""
    value = (request.form.get("skip") or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.post("/next")
@permitted(Capability.REVIEW)
def review_next():
    """Open my reserved verdict, or lease the top one to me; nobody else gets it while the lease lasts."""
    form = ReviewNextForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired. Go back to the queue and press Review next again.")
    skip_id = _skipped_item_id()
    minutes = int(setting(current_app.config, "REVIEW_LEASE_MINUTES"))
    max_leases = int(setting(current_app.config, "REVIEW_MAX_LEASES"))
    try:
        item = claim_next_for_review(db_session(), current_user, utcnow(), minutes, max_leases=max_leases,
                                     skip_item_id=skip_id,
                                     approvals_needed=policy_from(current_app.config).approvals_needed)
    except TooManyLeases as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        flash(str(exc), "info")
        return redirect(url_for("queue.review", item_id=skip_id) if skip_id else url_for("queue.index"))
    if item is None:
        db_session().rollback()
        flash("Nothing else is waiting for your review." if skip_id else "Nothing is waiting for your review.", "info")
        return redirect(url_for("queue.index"))
    commit()
    return redirect(url_for("queue.review", item_id=item.id))


@bp.post("/<int:item_id>/release")
@permitted(Capability.REVIEW)
def release(item_id: int):
    """Give my reservation of an item back, so other reviewers can take it."""
    form = ReviewNextForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired. Go back to the item and press Give it back again.")
    if release_lease(db_session(), item_id, current_user):
        commit()
        flash(f"Item #{item_id} is back in the queue for any reviewer.", "success")
    else:
        db_session().rollback()
        flash(f"You had no reservation of item #{item_id} to give back.", "info")
    return redirect(url_for("queue.index"))


def _render_review(item_id: int, form: VerdictVoteForm | None = None, status: int = 200,
                   error: str | None = None) -> tuple[str, int]:
    policy = policy_from(current_app.config)
    page = item_page(db_session(), item_id, current_user, policy)
    if page is None:
        abort(404, description=f"There is no check item #{item_id}.")
    form = form or VerdictVoteForm(formdata=None)
    form.rating.choices = choices([("", "as proposed")] + [(r.key, r.label) for r in page.ratings])
    item = page.item
    now = utcnow()
    expires_at = item.lease_expires_at
    lease_live = item.lease_user_id is not None and expires_at is not None and expires_at > now
    lease_left = (expires_at - now) if lease_live and expires_at is not None else dt.timedelta(0)
    lease_mine = lease_live and item.lease_user_id == current_user.id
    verdict = item.current_verdict
    # What the vote names as read: a vote on a verdict that changed since is refused (``vote_on_verdict``).
    seen = verdict_review_key(item, verdict) if item.status is Status.VERDICT and verdict is not None else ""
    return render_template("queue/review.html", page=page, item=item, form=form, error=error, policy=policy,
                           seen=seen, lease_mine=lease_mine, lease_other=lease_live and not lease_mine,
                           next_form=ReviewNextForm(), now=now, since_return=since_return(item, page.history),
                           rating_labels=lambda ratings: {r.key: r.label for r in ratings},
                           lease_left=lease_left), status


@bp.get("/review/<int:item_id>")
@permitted(Capability.REVIEW)
def review(item_id: int):
    """One verdict under review: the claim, evidence, the proposed verdict, the votes so far and my vote."""
    return _render_review(item_id)


@bp.route("/<int:item_id>/vote", methods=["GET", "POST"])
@permitted(Capability.REVIEW)
def vote(item_id: int):
    """Approve (as proposed or as another rating) or return with a comment; my lease ends with the vote.

    Opened as a page (a reload after a refused vote shows this address), it leads to the review page.
    """
    if request.method == "GET":
        return redirect(url_for("queue.review", item_id=item_id))
    form = VerdictVoteForm()
    form.rating.choices = choices([("", "as proposed")] + [(r.key, r.label) for r in active_ratings(db_session())])
    if not form.validate_on_submit():
        db_session().rollback()
        return _render_review(item_id, form, 422, "Please correct the marked fields.")
    policy = policy_from(current_app.config)
    try:
        vote = review_verdict(db_session(), item_id, current_user, decision=form.decision.data, policy=policy,
                              rating_key=form.rating.data or None, comment=form.comment.data,
                              seen=request.form.get("seen", ""))
    except (wf.WorkflowError, ServiceError) as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        if status_for(exc) in (403, 404):
            raise
        return _render_review(item_id, form, status_for(exc), str(exc))
    item = vote.verdict.item
    commit()
    if item.status is Status.PUBLISHED:
        flash(f"Approved. Item #{item_id} is published.", "success")
    elif item.status is Status.EVIDENCE:
        flash(f"Returned item #{item_id} to its author with your comment.", "success")
    else:
        flash(f"Your approval of item #{item_id} is recorded; it waits for more votes.", "success")
    return redirect(url_for("queue.index"))
