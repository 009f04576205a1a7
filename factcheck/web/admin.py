"""Administration: accounts and their roles (admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from factcheck.domain.permissions import Capability
from factcheck.models import User
from factcheck.queries.users import list_users
from factcheck.services.errors import ServiceError
from factcheck.services.users import create_user, set_roles
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.errors import log_refusal
from factcheck.web.forms.admin import AccountCreateForm, AccountRolesForm
from factcheck.web.refusals import status_for

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _render(create_form: AccountCreateForm | None = None, roles_forms: dict[int, AccountRolesForm] | None = None,
            status: int = 200, error: str | None = None) -> tuple[str, int]:
    users = list_users(db_session())
    forms = {u.id: AccountRolesForm(formdata=None, data={"roles": sorted(r.value for r in u.roles)}) for u in users}
    forms.update(roles_forms or {})
    return render_template("admin/users.html", users=users, create_form=create_form or AccountCreateForm(formdata=None),
                           roles_forms=forms, error=error), status


@bp.get("/users")
@permitted(Capability.ADMINISTER)
def users():
    """Every account with its roles, and the form to create one."""
    return _render()


@bp.post("/users")
@permitted(Capability.ADMINISTER)
def create():
    """Create an account with an initial password and roles."""
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
    """Replace an account's roles."""
    if db_session().get(User, user_id) is None:
        abort(404, description=f"There is no user #{user_id}.")
    form = AccountRolesForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _render(roles_forms={user_id: form}, status=422, error="Choose at least one role.")
    try:
        user = set_roles(db_session(), user_id, form.roles.data, actor=current_user)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        return _render(roles_forms={user_id: form}, status=exc.status_code, error=str(exc))
    commit()
    flash(f"Roles of {user.email}: {', '.join(sorted(r.value for r in user.roles))}.", "success")
    return redirect(url_for("admin.users"))
