"""The public claim inbox: readers send a claim to check, without an account.

Protection without a third-party CAPTCHA: CSRF, a per-address throttle (``services.throttle``,
counted on every attempt), a trap field people never see, a shortest fill time (the form carries
the moment it was opened, signed with the app's secret, and a value of its own: one opened form gives
one claim), and size limits on every field.
"""

from __future__ import annotations

import secrets
import time

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import login_required
from itsdangerous import BadSignature, URLSafeSerializer

from factcheck.config import setting
from factcheck.models import CheckItem
from factcheck.queries.submissions import reader_requests
from factcheck.queries.verdicts import verdict_card
from factcheck.services import throttle
from factcheck.services.errors import InvalidInput
from factcheck.services.submissions import FORM_VALID_SECONDS, USED_FORM_PREFIX, submit_claim
from factcheck.web import commit, db_session
from factcheck.web.errors import log_event, log_refusal, render_error
from factcheck.web.forms.submit import ClaimSubmitForm

bp = Blueprint("submit", __name__)

#: A form opened longer ago than this is out of date (its signed time is refused).
MAX_FORM_AGE_SECONDS = FORM_VALID_SECONDS
#: The cookie-session key carrying the outcome to the thank-you page.
OUTCOME = "_submitted"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="factcheck-submit-started")


def started_token(at: float) -> str:
    """The signed moment ``at`` (seconds since the epoch) a form was opened, with a value of this form's own: a
    claim is taken once per opened form (``_once_key``), so one opening replayed from many addresses adds one."""
    return str(_signer().dumps({"at": round(at, 3), "once": secrets.token_hex(8)}))


def _once_key(token: str | None) -> str:
    """The key under which the form's own value is noted as used (``throttle``; ``_fill_time_problem`` read it)."""
    return f"{USED_FORM_PREFIX}{_signer().loads(token or '')['once']}"


def _fill_time_problem(token: str | None, now: float) -> str | None:
    """Why the form's signed opening time is refused, or None when a person could have filled it."""
    try:
        opened = _signer().loads(token or "")
        started = float(opened["at"])
        if not isinstance(opened["once"], str) or not opened["once"]:
            raise ValueError("no value of its own")
    except (BadSignature, TypeError, ValueError, KeyError):
        return "This form is out of date. Reload the page and send your claim again."
    elapsed = now - started
    if elapsed > MAX_FORM_AGE_SECONDS or elapsed < -60:
        return "This form is out of date. Reload the page and send your claim again."
    if elapsed < float(setting(current_app.config, "SUBMIT_MIN_SECONDS")):
        return "That was sent faster than a person can write it. Check your claim and send it again."
    return None


def _throttled():
    """The 429 page once this address has sent its share of claims in the window, else None.

    Every attempt counts (refused ones too), committed at once so that every process shares it.
    """
    key = f"submit:{request.remote_addr or 'unknown'}"
    limit = int(setting(current_app.config, "SUBMIT_THROTTLE_LIMIT"))
    window = int(setting(current_app.config, "SUBMIT_THROTTLE_SECONDS"))
    allowed = throttle.hit(db_session(), key, limit, window)
    commit()
    if allowed:
        return None
    minutes = max(1, throttle.retry_after(db_session(), key, window) // 60)
    log_event("refused", 429)
    page, status = render_error(429, f"Many claims came from your network in a short time. Try again in {minutes} "
                                     f"minute{'s' if minutes != 1 else ''}.")
    return page, status, {"Retry-After": str(minutes * 60)}


@bp.route("/submit", methods=["GET", "POST"])
def new():
    """Send a claim to check; a claim the desk has already checked gets its verdict at once."""
    form = ClaimSubmitForm()
    status = 200
    if request.method == "POST":
        if (refused := _throttled()) is not None:
            return refused
        status = 422
        if form.validate_on_submit():
            problem = _fill_time_problem(form.started.data, time.time())
            if form.website.data:
                form.website.errors.append("Leave this field empty: it is there to catch robots.")
            elif problem is not None:
                form.claim.errors.append(problem)
            elif not throttle.hit(db_session(), _once_key(form.started.data), 1, MAX_FORM_AGE_SECONDS):
                db_session().rollback()
                form.claim.errors.append("This form was sent already. Reload the page to send another claim.")
            else:
                try:  # (the form's value noted as used commits with the claim, or not at all)
                    result = submit_claim(db_session(), claim_text=form.claim.data, seen_at_url=form.seen_at.data,
                                          email=form.email.data)
                except InvalidInput as exc:
                    db_session().rollback()
                    log_refusal(exc, exc.status_code)
                    form.claim.errors.append(str(exc))
                else:
                    commit()
                    session[OUTCOME] = {"answered_by": result.answered_by_id,
                                        "will_mail": result.submission.email is not None}
                    return redirect(url_for("submit.done"))
        elif form.errors.get("csrf_token"):
            status = 400
    else:
        form.started.data = started_token(time.time())
    return render_template("submit/new.html", form=form,
                           erase_days=int(setting(current_app.config, "READER_ADDRESS_DAYS"))), status


@bp.get("/submit/done")
def done():
    """What became of the claim: the verdict when the desk has one, else a thank-you."""
    outcome = session.pop(OUTCOME, None)
    if not isinstance(outcome, dict):
        return redirect(url_for("submit.new"))
    card = None
    answered_by = outcome.get("answered_by")
    if isinstance(answered_by, int):
        card = verdict_card(db_session(), answered_by, include_drafts=False)
    return render_template("submit/done.html", card=card, will_mail=bool(outcome.get("will_mail")))


@bp.get("/items/<int:item_id>/readers")
@login_required
def readers(item_id: int):
    """What readers asked about an item: their words, where they saw it, whether they were answered."""
    item = db_session().get(CheckItem, item_id)
    if item is None:
        abort(404, description=f"There is no check item #{item_id}.")
    return render_template("submit/readers.html", item=item, requests=reader_requests(db_session(), item_id))
