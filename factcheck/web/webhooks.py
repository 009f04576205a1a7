"""Webhooks for admins: register a URL for events, pause, resume or remove it, and read the delivery log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from factcheck.config import setting
from factcheck.domain.permissions import Capability
from factcheck.domain.webhooks import SIGNATURE_HEADER, DeliveryState, EventKind
from factcheck.queries.webhooks import delivery_log, list_hooks
from factcheck.services import webhooks
from factcheck.services.errors import ServiceError
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.account import reauth_redirect
from factcheck.web.errors import log_refusal
from factcheck.web.forms.account import ConfirmForm
from factcheck.web.forms.admin import WebhookCreateForm
from factcheck.web.params import int_arg
from factcheck.web.refusals import status_for
from factcheck.web.sessions import recently_authenticated

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _render(form: WebhookCreateForm | None = None, *, status: int = 200, error: str | None = None,
            created: tuple[int, str] | None = None) -> tuple[str, int]:
    return render_template("admin/webhooks.html", hooks=list_hooks(db_session()),
                           form=form or WebhookCreateForm(formdata=None, data={"events": [k.value for k in EventKind]}),
                           confirm_form=ConfirmForm(formdata=None), error=error, created=created,
                           signature_header=SIGNATURE_HEADER,
                           allow_private=bool(setting(current_app.config, "WEBHOOK_ALLOW_PRIVATE"))), status


@bp.get("")
@permitted(Capability.ADMINISTER)
def index():
    """The registered hooks, with their deliveries counted, and the form to register one."""
    return _render()


@bp.post("")
@permitted(Capability.ADMINISTER)
def create():
    """Register a URL for events (after the admin confirms their password); its secret is shown once."""
    form = WebhookCreateForm()
    if not form.validate_on_submit():
        return _render(form, status=422, error="Please correct the marked fields.")
    if not recently_authenticated():
        return reauth_redirect(url_for("webhooks.index"))
    try:
        hook = webhooks.register_webhook(db_session(), form.url.data, form.events.data,
                                         description=form.description.data or "", actor=current_user,
                                         allow_private=bool(setting(current_app.config, "WEBHOOK_ALLOW_PRIVATE")))
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        form.url.errors.append(str(exc))
        return _render(form, status=exc.status_code, error=str(exc))
    created = (hook.id, hook.secret)
    commit()
    # Rendered, not redirected: the secret is shown on this page once and never put in a cookie.
    return _render(created=created, status=201)


def _confirmed_change(webhook_id: int, change, message: str):
    if not ConfirmForm().validate_on_submit():
        return _render(status=400, error="The form expired. Please try again.")
    try:
        change(db_session(), webhook_id)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        if exc.status_code == 404:
            abort(404, description=str(exc))
        return _render(status=exc.status_code, error=str(exc))
    commit()
    flash(message, "success")
    return redirect(url_for("webhooks.index"))


@bp.post("/<int:webhook_id>/pause")
@permitted(Capability.ADMINISTER)
def pause(webhook_id: int):
    """Stop sending to a hook; its deliveries wait until it is resumed."""
    return _confirmed_change(webhook_id, lambda s, i: webhooks.set_webhook_active(s, i, False, actor=current_user),
                             f"Webhook #{webhook_id} is paused; its deliveries wait.")


@bp.post("/<int:webhook_id>/resume")
@permitted(Capability.ADMINISTER)
def resume(webhook_id: int):
    """Send to a paused hook again, starting with what waited."""
    return _confirmed_change(webhook_id, _resume, f"Webhook #{webhook_id} is sending again.")


def _resume(session, webhook_id: int) -> None:
    webhooks.set_webhook_active(session, webhook_id, True, actor=current_user)
    session.info[webhooks.PENDING_KEY] = True  # what waited is sent now


@bp.post("/<int:webhook_id>/delete")
@permitted(Capability.ADMINISTER)
def delete(webhook_id: int):
    """Remove a hook and its delivery log."""
    return _confirmed_change(webhook_id, lambda s, i: webhooks.remove_webhook(s, i, actor=current_user),
                             f"Webhook #{webhook_id} is removed.")


@bp.get("/deliveries")
@permitted(Capability.ADMINISTER)
def deliveries():
    """The delivery log, newest first: status, attempts, what went wrong and when it is tried next."""
    state_value = request.args.get("state", "")
    if state_value and state_value not in {s.value for s in DeliveryState}:
        abort(400, description="“state” is one of pending, delivered or failed.")
    webhook_id = int_arg("webhook")
    rows = delivery_log(db_session(), webhook_id=webhook_id,
                        state=DeliveryState(state_value) if state_value else None)
    return render_template("admin/webhook_deliveries.html", rows=rows, state=state_value, webhook_id=webhook_id,
                           states=list(DeliveryState), DeliveryState=DeliveryState,
                           confirm_form=ConfirmForm(formdata=None))


@bp.post("/deliveries/<int:delivery_id>/retry")
@permitted(Capability.ADMINISTER)
def retry(delivery_id: int):
    """Send a waiting or failed delivery again now."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form expired. Please try again.")
    try:
        webhooks.redeliver(db_session(), delivery_id)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        abort(exc.status_code, description=str(exc))
    commit()
    flash(f"Delivery #{delivery_id} is being sent again.", "success")
    return redirect(url_for("webhooks.deliveries"))
