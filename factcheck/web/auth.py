"""Signing in and out."""

from __future__ import annotations

import time

from itsdangerous import BadSignature, URLSafeTimedSerializer
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from factcheck.config import setting
from factcheck.services import resets, throttle
from factcheck.services.errors import ServiceError
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import User
from factcheck.services.audit import record_event
from factcheck.services import twofactor
from factcheck.services.users import LoginRefused, authenticate
from factcheck.web import base_url, commit, db_session
from factcheck.web.errors import log_event, log_refusal, render_error
from factcheck.web.forms.account import ResetForm, ResetRequestForm, SecondFactorForm
from factcheck.web.mailer import send_soon
from factcheck.web.forms.auth import LoginForm
from factcheck.web.navigation import safe_next
from factcheck.web.sessions import begin_session, end_session

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: The cookie-session key holding a sign-in that passed the password and waits for the second factor.
PENDING = "_2fa_pending"
#: How long the second step may wait, and how many wrong codes it takes.
PENDING_SECONDS = 300
MAX_CODE_TRIES = 5


def _address_key() -> str:
    return f"login:{request.remote_addr or 'unknown'}"


def _too_many_from_this_address():
    """The 429 page when this address has used up its failed sign-ins, else None."""
    key = _address_key()
    limit = int(setting(current_app.config, "LOGIN_THROTTLE_LIMIT"))
    window = int(setting(current_app.config, "LOGIN_THROTTLE_SECONDS"))
    if not throttle.is_blocked(db_session(), key, limit, window):
        return None
    minutes = max(1, throttle.retry_after(db_session(), key, window) // 60)
    log_event("refused", 429)
    response = render_error(429, f"Too many failed sign-ins from your network. Try again in {minutes} "
                                 f"minute{'s' if minutes != 1 else ''}.")
    return response[0], 429, {"Retry-After": str(minutes * 60)}


def account_blocked(user: User) -> int | None:
    """The minutes left when ``user``'s account has had ``MAX_CODE_TRIES`` wrong secrets (codes at sign-in, the
    password or a code when confirming a change) in the window, from any address and any browser; else None."""
    key = f"secrets:{user.id}"
    window = int(setting(current_app.config, "LOGIN_THROTTLE_SECONDS"))
    if not throttle.is_blocked(db_session(), key, MAX_CODE_TRIES, window):
        return None
    return max(1, throttle.retry_after(db_session(), key, window) // 60)


def count_wrong_secret(user: User, step: str, *, signed_in: bool = False) -> None:
    """A wrong code or password given for ``user``'s account at ``step``: counted against the account on the
    server (``account_blocked``: a counter kept in the browser's cookie is reset by sending an older cookie
    again) and against the address, and recorded as a failed sign-in (``signed_in``: by the account's own
    session, its actor); committed."""
    throttle.hit(db_session(), f"secrets:{user.id}", MAX_CODE_TRIES,
                 int(setting(current_app.config, "LOGIN_THROTTLE_SECONDS")))
    count_failure_from_this_address()
    record_event(db_session(), action=AuditAction.SIGN_IN_FAILED, entity=AuditEntity.USER, entity_id=user.id,
                 actor=user if signed_in else None, payload={"address": (request.remote_addr or "")[:64], "step": step})
    commit()


def count_failure_from_this_address() -> None:
    """Count a failed sign-in (password or code) against the client's address, across all accounts."""
    limit = int(setting(current_app.config, "LOGIN_THROTTLE_LIMIT"))
    window = int(setting(current_app.config, "LOGIN_THROTTLE_SECONDS"))
    throttle.hit(db_session(), _address_key(), limit, window)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on success go where the user was heading (after the second factor, if any)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if request.method == "POST" and (refused := _too_many_from_this_address()) is not None:
        return refused
    if form.validate_on_submit():
        try:
            user = authenticate(db_session(), form.email.data, form.password.data,
                                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                                address=request.remote_addr or "")
        except LoginRefused as exc:
            log_refusal(exc, exc.status_code)
            count_failure_from_this_address()
            commit()  # keep the failure counts and events: they are what slow down password guessing
            form.password.errors.append(str(exc))
            status = 401
        else:
            target = safe_next(request.args.get("next"), url_for("main.index"))
            if user.has_second_factor:
                commit()
                return ask_for_code(user, remember=bool(form.remember.data), target=target)
            begin_session(user, remember=bool(form.remember.data))
            commit()
            return redirect(target)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST only, so a link on another site cannot sign anybody out); this session ends on the server."""
    end_session(current_user._get_current_object())
    commit()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def ask_for_code(user: User, *, remember: bool, target: str):
    """The password was right: remember that (not signed in yet) and ask for the second factor."""
    session.clear()
    session[PENDING] = {"user": user.id, "remember": remember, "next": target, "at": int(time.time()), "tries": 0,
                        "password": _password_moment(user)}
    return redirect(url_for("auth.second_factor"))


def _pending_user() -> tuple[User, dict] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db_session().get(User, int(pending.get("user", 0)))
    if user is None or not user.is_active or not user.has_second_factor:
        return None
    if pending.get("password") != _password_moment(user):  # the password changed since it was given: ask again
        return None
    return user, pending


def _password_moment(user: User) -> str:
    """When the account's password was last set, as the waiting second step keeps it."""
    return user.password_changed_at.isoformat() if user.password_changed_at is not None else ""


@bp.route("/code", methods=["GET", "POST"])
def second_factor():
    """The second sign-in step: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    found = _pending_user()
    if found is None:
        session.pop(PENDING, None)
        flash("Sign in with your password first (a sign-in waits five minutes for its code).", "info")
        return redirect(url_for("auth.login"))
    user, pending = found
    form = SecondFactorForm()
    status = 200
    if request.method == "POST" and (refused := _too_many_from_this_address()) is not None:
        return refused
    if request.method == "POST" and (minutes := account_blocked(user)) is not None:
        session.pop(PENDING, None)
        log_event("refused", 429)
        flash(f"Too many wrong codes for this account. Sign in again in {minutes} minute{'s' if minutes != 1 else ''}.",
              "error")
        return redirect(url_for("auth.login"))
    if form.validate_on_submit():
        method = twofactor.verify(db_session(), user, form.code.data)
        if method is None:
            count_wrong_secret(user, "second factor")
            pending["tries"] = int(pending.get("tries", 0)) + 1
            if pending["tries"] >= MAX_CODE_TRIES:
                session.pop(PENDING, None)
                flash("Too many wrong codes. Sign in again.", "error")
                return redirect(url_for("auth.login"))
            session[PENDING] = pending
            form.code.errors.append("That code is not right, or was already used. Enter the code the app shows now.")
            status = 401
        else:
            begin_session(user, remember=bool(pending.get("remember")), method=method)
            commit()
            if method == "recovery code":
                flash(f"You signed in with a recovery code; {twofactor.recovery_codes_left(db_session(), user)} "
                      "are left. Set up your authenticator again on your account page if it is lost.", "info")
            return redirect(safe_next(pending.get("next"), url_for("main.index")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/code.html", form=form), status


def _reset_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="factcheck-password-reset")


#: What anybody who asks for a reset reads, whether or not an account has the address.
RESET_SENT = ("If an account has this address, a link to choose a new password is on its way. "
              "It works once, for 30 minutes.")


def _reset_site() -> str | None:
    """The address reset links are written on: the desk's own (FACTCHECK_BASE_URL), or the site the request reached
    when the app answers only to trusted host names (FACTCHECK_TRUSTED_HOSTS). Never a Host header anybody may
    send: an asker naming their own site would get the owner's link, and its token, when the owner clicks it.
    None when neither is set (resets by mail are then off)."""
    configured = str(setting(current_app.config, "BASE_URL"))
    if configured:
        return configured.rstrip("/")
    if current_app.config.get("TRUSTED_HOSTS"):
        return base_url()
    return None


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    """Ask for a password-reset link by mail (the same answer whether or not the account exists)."""
    form = ResetRequestForm()
    site = _reset_site()
    if site is None:
        return render_template("auth/reset_request.html", form=None), 503 if request.method == "POST" else 200
    if request.method == "POST" and (refused := _too_many_from_this_address()) is not None:
        return refused
    if form.validate_on_submit():
        signer = _reset_signer()
        resets.request_reset(
            db_session(), form.email.data, address=request.remote_addr or "",
            organisation=str(setting(current_app.config, "ORGANISATION_NAME")),
            link_for=lambda token: site + url_for("auth.reset", token=signer.dumps(token))[len(request.script_root):])
        count_failure_from_this_address()  # asking is counted like a failure: it is not a way to probe
        commit()
        send_soon()
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password through a reset link; every session of the account ends."""
    try:
        raw = _reset_signer().loads(token, max_age=resets.RESET_MINUTES * 60)
        user = resets.check_reset(db_session(), str(raw))
    except (BadSignature, ServiceError):
        db_session().rollback()
        return render_error(410, resets.EXPIRED)
    form = ResetForm()
    status = 200
    if form.validate_on_submit():
        try:
            resets.reset_password(db_session(), str(raw), form.new_password.data,
                                  hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except ServiceError as exc:
            db_session().rollback()
            form.new_password.errors.append(str(exc))
            status = exc.status_code
        else:
            commit()
            flash("Your password is changed. Sign in with it.", "success")
            return redirect(url_for("auth.login"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset.html", form=form, email=user.email), status
