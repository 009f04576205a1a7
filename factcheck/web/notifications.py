"""Notifications: the list (mark one or all read) and each person's settings (mail, digest or only here)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from factcheck.domain.notifications import NotificationKind
from factcheck.queries.desk import notification_list
from factcheck.services import notifications as service
from factcheck.services.errors import ServiceError
from factcheck.web import commit, db_session
from factcheck.web.forms.notifications import MarkReadForm, NotificationSettingsForm
from factcheck.web.params import int_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    """My notifications, newest first, unread ones marked; a hundred a page (``before``: the older ones)."""
    page = notification_list(db_session(), current_user.id, before=int_arg("before", low=1))
    return render_template("notifications/index.html", page=page, form=MarkReadForm(formdata=None),
                           before=request.args.get("before"))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one of my notifications read, then open what it is about (or go back to the list)."""
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired. Go back to your notifications and try again.")
    try:
        row = service.mark_read(db_session(), current_user, notification_id)
    except ServiceError as exc:
        db_session().rollback()
        abort(exc.status_code, description=str(exc))
    target = (url_for("items.detail", item_id=row.item_id) if row.item_id
              else request.script_root + row.link if row.link else url_for("notifications.index"))
    commit()
    return redirect(target)


@bp.post("/read-all")
@login_required
def read_all():
    """Mark all my notifications read."""
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired. Go back to your notifications and try again.")
    count = service.mark_all_read(db_session(), current_user)
    commit()
    flash(f"Marked {count} notification{'' if count == 1 else 's'} read." if count else "Nothing was unread.",
          "success")
    return redirect(url_for("notifications.index"))


def _render_settings(form: NotificationSettingsForm, status: int = 200, error: str | None = None):
    return render_template("notifications/settings.html", form=form, kinds=list(NotificationKind),
                           error=error), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """For each kind of notification: mail at once, a daily digest, or only here."""
    if request.method == "GET":
        modes = service.settings_for(db_session(), current_user.id)
        return _render_settings(NotificationSettingsForm(
            formdata=None, data={f"kind_{k.value}": m.value for k, m in modes.items()}))
    form = NotificationSettingsForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _render_settings(form, 422, "Please correct the marked fields.")
    try:
        service.save_settings(db_session(), current_user,
                              {k.value: getattr(form, f"kind_{k.value}").data for k in NotificationKind})
    except ServiceError as exc:
        db_session().rollback()
        return _render_settings(form, exc.status_code, str(exc))
    commit()
    flash("Your notification settings are saved.", "success")
    return redirect(url_for("notifications.settings"))
