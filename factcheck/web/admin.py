"""Administration: accounts, their roles and second factors, sign-in events and the outbox (admins only)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from factcheck.domain.accounts import ACCOUNT_EVENTS
from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import AuditAction
from factcheck.models import User
from factcheck.queries.accounts import account_events, outbox
from factcheck.queries.users import list_users
from factcheck.services import twofactor
from factcheck.services.errors import ServiceError
from factcheck.services.users import create_user, set_active, set_roles
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.account import reauth_redirect
from factcheck.web.errors import log_refusal
from factcheck.web.forms.account import ConfirmForm
from factcheck.web.forms.admin import AccountCreateForm, AccountRolesForm
from factcheck.web.refusals import status_for
from factcheck.web.sessions import current_token, recently_authenticated

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _render(create_form: AccountCreateForm | None = None, roles_forms: dict[int, AccountRolesForm] | None = None,
            status: int = 200, error: str | None = None) -> tuple[str, int]:
    users = list_users(db_session())
    forms = {u.id: AccountRolesForm(formdata=None, data={"roles": sorted(r.value for r in u.roles)}) for u in users}
    forms.update(roles_forms or {})
    return render_template("admin/users.html", users=users, create_form=create_form or AccountCreateForm(formdata=None),
                           roles_forms=forms, confirm_form=ConfirmForm(formdata=None), error=error), status


def _existing(user_id: int) -> User:
    user = db_session().get(User, user_id)
    if user is None:
        abort(404, description=f"There is no user #{user_id}.")
    return user


@bp.get("/users")
@permitted(Capability.ADMINISTER)
def users():
    """Every account with its roles, and the form to create one."""
    return _render()


@bp.post("/users")
@permitted(Capability.ADMINISTER)
def create():
    """Create an account with an initial password and roles (after the admin confirms their password, as for a
    change of roles: a new account may be an admin's)."""
    if not recently_authenticated():
        return reauth_redirect(url_for("admin.users"))
    form = AccountCreateForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _render(form, status=422, error="Please correct the marked fields.")
    try:
        user = create_user(db_session(), form.email.data, form.password.data, form.roles.data,
                           display_name=form.display_name.data or None,
                           hash_method=current_app.config["PASSWORD_HASH_METHOD"], actor=current_user)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        form.email.errors.append(str(exc))
        return _render(form, status=exc.status_code, error=str(exc))
    commit()
    flash(f"Created {user.email}.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/roles")
@permitted(Capability.ADMINISTER)
def roles(user_id: int):
    """Replace an account's roles (after the admin confirms their password); its sessions end."""
    _existing(user_id)
    form = AccountRolesForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _render(roles_forms={user_id: form}, status=422, error="Choose at least one role.")
    if not recently_authenticated():
        return reauth_redirect(url_for("admin.users"))
    try:
        user = set_roles(db_session(), user_id, form.roles.data, actor=current_user,
                         keep_token=current_token() if user_id == current_user.id else None)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        return _render(roles_forms={user_id: form}, status=exc.status_code, error=str(exc))
    commit()
    flash(f"Roles of {user.email}: {', '.join(sorted(r.value for r in user.roles))}.", "success")
    return redirect(url_for("admin.users"))


def _set_active(user_id: int, active: bool):
    _existing(user_id)
    if not ConfirmForm().validate_on_submit():
        return _render(status=400, error="The form expired. Please try again.")
    if not active and user_id == current_user.id:
        return _render(status=422, error="You cannot disable your own account; ask another admin.")
    try:
        user = set_active(db_session(), user_id, active, actor=current_user)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        return _render(status=exc.status_code, error=str(exc))
    commit()
    flash(f"{user.email} is {'enabled' if active else 'disabled; its sessions have ended'}.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
@permitted(Capability.ADMINISTER)
def disable(user_id: int):
    """Disable an account: no more sign-ins, its sessions end at once; its history stays."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
@permitted(Capability.ADMINISTER)
def enable(user_id: int):
    """Let a disabled account sign in again."""
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/reset-2fa")
@permitted(Capability.ADMINISTER)
def reset_twofactor(user_id: int):
    """Remove an account's second factor (a lost phone), after the admin confirms their password."""
    _existing(user_id)
    if not ConfirmForm().validate_on_submit():
        return _render(status=400, error="The form expired. Please try again.")
    if not recently_authenticated():
        return reauth_redirect(url_for("admin.users"))
    user = twofactor.reset(db_session(), user_id, actor=current_user)
    commit()
    flash(f"The second factor of {user.email} is removed; they set up a new one at their next sign-in.", "success")
    return redirect(url_for("admin.users"))


@bp.get("/events")
@permitted(Capability.ADMINISTER)
def events():
    """Sign-in, account, token and webhook events, newest first, with filters (event, account, since a day)."""
    action_value = request.args.get("action", "")
    action = AuditAction(action_value) if action_value in {a.value for a in ACCOUNT_EVENTS} else None
    if action_value and action is None:
        abort(400, description=f"There is no event {action_value!r} to filter by.")
    since_text = request.args.get("since", "")
    try:
        since = dt.date.fromisoformat(since_text) if since_text else None
    except ValueError:
        abort(400, description="Give the day as YYYY-MM-DD, such as 2026-02-14.")
    account = request.args.get("account", "")[:254]
    rows = account_events(db_session(), action=action, account=account or None, since=since)
    return render_template("admin/events.html", rows=rows, actions=ACCOUNT_EVENTS, action=action_value,
                           account=account, since=since_text)


@bp.get("/outbox")
@permitted(Capability.ADMINISTER)
def mails():
    """The mail outbox: what was sent, what waits, what failed (and, without SMTP, the mails themselves)."""
    return render_template("admin/outbox.html", mails=outbox(db_session()),
                           smtp=bool(current_app.config.get("SMTP_URL")))
