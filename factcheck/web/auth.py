"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from factcheck.config import setting
from factcheck.services import throttle
from factcheck.services.users import LoginRefused, authenticate
from factcheck.web import commit, db_session
from factcheck.web.errors import log_event, log_refusal, render_error
from factcheck.web.forms.auth import LoginForm
from factcheck.web.navigation import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on success go where the user was heading."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    # Failed sign-ins are also counted per client address, across all accounts and processes.
    key = f"login:{request.remote_addr or 'unknown'}"
    limit = int(setting(current_app.config, "LOGIN_THROTTLE_LIMIT"))
    window = int(setting(current_app.config, "LOGIN_THROTTLE_SECONDS"))
    if request.method == "POST" and throttle.is_blocked(db_session(), key, limit, window):
        minutes = max(1, throttle.retry_after(db_session(), key, window) // 60)
        log_event("refused", 429)
        response = render_error(429, f"Too many failed sign-ins from your network. Try again in {minutes} "
                                     f"minute{'s' if minutes != 1 else ''}.")
        return response[0], 429, {"Retry-After": str(minutes * 60)}
    if form.validate_on_submit():
        try:
            user = authenticate(db_session(), form.email.data, form.password.data,
                                hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except LoginRefused as exc:
            log_refusal(exc, exc.status_code)
            throttle.hit(db_session(), key, limit, window)
            commit()  # keep the failure counts: they are what lock out password guessing
            form.password.errors.append(str(exc))
            status = 401
        else:
            commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST only, so a link on another site cannot sign anybody out)."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
