"""The signed-in person's own account: password, second factor, sessions, and re-authentication."""

from __future__ import annotations

import functools

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from factcheck.config import setting
from factcheck.domain.accounts import parse_roles, second_factor_required
from factcheck.models import utcnow
from factcheck.services import sessions as session_service
from factcheck.services import tokens as token_service
from factcheck.services import twofactor as twofactor_service
from factcheck.services.errors import ServiceError
from factcheck.services.users import WrongPassword, change_password, check_password
from factcheck.web import commit, db_session
from factcheck.web.errors import log_refusal
from factcheck.web.forms.account import (
    ConfirmForm,
    EnrolForm,
    PasswordChangeForm,
    ReauthForm,
    TokenCreateForm,
    TokenRevokeForm,
)
from factcheck.web.auth import account_blocked, count_wrong_secret
from factcheck.web.navigation import safe_next
from factcheck.web.sessions import (
    begin_session, current_token, end_session, mark_authenticated, recently_authenticated,
)

bp = Blueprint("account", __name__, url_prefix="/account")

#: Pages a user who must enrol a second factor can still open before doing so.
OPEN_BEFORE_ENROLMENT = frozenset({"account.twofactor", "account.enrol", "account.reauth", "auth.logout", "static"})


#: The roles a ``REQUIRE_2FA`` setting names, parsed once per distinct value rather than per request.
_required_roles = functools.lru_cache(maxsize=8)(parse_roles)


def must_enrol() -> bool:
    """True when the signed-in user's roles need a second factor they have not set up."""
    user = current_user._get_current_object()
    if not user.is_authenticated or user.has_second_factor:
        return False
    return second_factor_required(user.roles, _required_roles(str(setting(current_app.config, "REQUIRE_2FA"))))


def require_enrolment():
    """Before each request: send a user whose role needs a second factor to set one up first."""
    if request.endpoint in OPEN_BEFORE_ENROLMENT or request.endpoint is None or request.blueprint == "api":
        return None  # the API reads no session cookie: its tokens are made on pages behind this check
    if "_user_id" in session and must_enrol():
        flash("Your role needs a second factor: set up an authenticator app to continue.", "info")
        return redirect(url_for("account.twofactor"))
    return None


def _too_many_wrong(minutes: int) -> str:
    return (f"Too many wrong passwords or codes for this account. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}.")


def reauth_redirect(target: str):
    """Send the user to enter their password again, then back to ``target``."""
    flash("Enter your password again to continue.", "info")
    return redirect(url_for("account.reauth", next=target))


def _page(password_form: PasswordChangeForm | None = None, status: int = 200,
          token_form: TokenCreateForm | None = None, new_token: str | None = None):
    user = current_user
    return render_template(
        "account/index.html", password_form=password_form or PasswordChangeForm(formdata=None),
        token_form=token_form or TokenCreateForm(formdata=None), revoke_form=TokenRevokeForm(formdata=None),
        tokens=token_service.tokens_of(db_session(), user.id), new_token=new_token, now=utcnow(),
        confirm_form=ConfirmForm(formdata=None),
        sessions=session_service.live_sessions(db_session(), user.id),
        this_session=session_service.find_session(db_session(), current_token(), user.id),
        codes_left=twofactor_service.recovery_codes_left(db_session(), user) if user.has_second_factor else 0,
    ), status


@bp.get("")
@login_required
def index():
    """The account page: password, second factor, and the sessions signed in now."""
    return _page()


@bp.post("/password")
@login_required
def password():
    """Change the password (the current one is needed); every other session ends."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _page(form, 422)
    user = current_user._get_current_object()
    if (minutes := account_blocked(user)) is not None:
        form.current_password.errors.append(_too_many_wrong(minutes))
        return _page(form, 429)
    try:
        # Every session ends, this one too: a copy of its cookie must not outlive the old password. This browser
        # gets a new one below.
        change_password(db_session(), current_user, form.current_password.data, form.new_password.data,
                        hash_method=current_app.config["PASSWORD_HASH_METHOD"], keep_token=None)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, exc.status_code)
        if isinstance(exc, WrongPassword):
            count_wrong_secret(user, "changing the password", signed_in=True)
        form.new_password.errors.append(str(exc))
        return _page(form, exc.status_code)
    # The new session counts as signed in as lately as this one did: entering the password does not stand in for
    # the second factor before a change that asks for both.
    # (A session restored by "keep me signed in" never entered them: 0, long ago.)
    begin_session(user, authenticated_at=session.get("_auth_at", 0) if user.has_second_factor else None)
    commit()
    flash("Your password is changed. Every other session is signed out.", "success")
    return redirect(url_for("account.index"))


@bp.post("/tokens")
@login_required
def create_token():
    """Make a personal API token; the page shows it once (only its hash is stored)."""
    form = TokenCreateForm()
    if not form.validate_on_submit():
        db_session().rollback()
        return _page(status=422, token_form=form)
    try:
        _, secret = token_service.create_token(db_session(), current_user, name=form.name.data,
                                               scope=form.scope.data, expires_days=form.expires_days.data,
                                               actor=current_user)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, exc.status_code)
        form.name.errors.append(str(exc))
        return _page(status=exc.status_code, token_form=form)
    commit()
    # Rendered rather than redirected to: the token must not travel through a flash in the cookie.
    return _page(new_token=secret)


@bp.post("/tokens/revoke")
@login_required
def revoke_token():
    """Revoke one of your tokens: it stops working at once."""
    form = TokenRevokeForm()
    if not form.validate_on_submit():
        return _page(status=400)
    try:
        token_service.revoke_token(db_session(), current_user.id, form.name.data, actor=current_user)
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, exc.status_code)
        flash(str(exc), "error")
        return redirect(url_for("account.index"))
    commit()
    flash(f"Token “{form.name.data}” revoked.", "info")
    return redirect(url_for("account.index"))


@bp.post("/sessions/end")
@login_required
def end_everywhere():
    """Sign out everywhere: every session of this account ends, this one included."""
    if not ConfirmForm().validate_on_submit():
        return _page(status=400)
    user = current_user._get_current_object()
    session_service.end_all_sessions(db_session(), user.id, reason="signed out everywhere", actor=user)
    end_session(user)
    commit()
    flash("You are signed out everywhere.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauth", methods=["GET", "POST"])
@login_required
def reauth():
    """Enter the password (and a code, with a second factor) again before a sensitive change."""
    form = ReauthForm()
    status = 200
    target = safe_next(request.args.get("next"), url_for("account.index"))
    user = current_user._get_current_object()
    if request.method == "POST" and (minutes := account_blocked(user)) is not None:
        form.validate()  # (the fields' errors are lists from here on)
        form.password.errors = [_too_many_wrong(minutes)]
        return render_template("account/reauth.html", form=form), 429
    if form.validate_on_submit():
        ok = check_password(user, form.password.data)
        if ok and user.has_second_factor:
            ok = twofactor_service.verify(db_session(), user, form.code.data or "") is not None
        if ok:
            mark_authenticated()
            commit()
            return redirect(target)
        db_session().rollback()
        count_wrong_secret(user, "confirming a change", signed_in=True)  # a stolen session guesses no password
        form.password.errors.append("That is not right." + (" Enter your password and the code your app shows now."
                                                              if user.has_second_factor else ""))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("account/reauth.html", form=form), status


@bp.get("/two-factor")
@login_required
def twofactor():
    """Set up (or replace) the authenticator: a QR code and the secret as text, then a code to confirm. Only
    with the password entered lately (and the code, to replace one): a session left open must not tie the
    account to somebody else's authenticator."""
    if not recently_authenticated():
        return reauth_redirect(url_for("account.twofactor"))
    secret = twofactor_service.new_secret()
    return _enrol_page(EnrolForm(formdata=None, data={"secret": secret}), secret)


def _enrol_page(form: EnrolForm, secret: str, status: int = 200):
    issuer = str(setting(current_app.config, "ORGANISATION_NAME"))
    uri = twofactor_service.provisioning_uri(secret, current_user.email, issuer)
    return render_template("account/twofactor.html", form=form, secret=secret, uri=uri,
                           qr=twofactor_service.qr_svg(uri), required=must_enrol()), status


@bp.post("/two-factor")
@login_required
def enrol():
    """Confirm the new authenticator with a code; show the recovery codes once."""
    form = EnrolForm()
    secret = form.secret.data or ""
    if not recently_authenticated():
        return reauth_redirect(url_for("account.twofactor"))
    if not form.validate_on_submit() or not twofactor_service.is_secret(secret):
        db_session().rollback()
        if not twofactor_service.is_secret(secret):  # not the secret the page offered: start again
            return redirect(url_for("account.twofactor"))
        return _enrol_page(form, secret, 422)
    try:
        codes = twofactor_service.enrol(db_session(), current_user, secret, form.code.data, keep_token=current_token())
    except ServiceError as exc:
        db_session().rollback()
        log_refusal(exc, exc.status_code)
        form.code.errors.append(str(exc))
        return _enrol_page(form, secret, exc.status_code)
    commit()  # (the password was entered lately, and this code is no second entry of it: the window stays)
    return render_template("account/recovery_codes.html", codes=codes)

