"""The web layer: blueprints, sign-in, CSRF, the request's database session and error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.orm import Session

from factcheck.db import Database, write_intent
from factcheck.jobs import after_commit
from factcheck.models import User

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

#: Methods that only read: on SQLite their transactions never take the write lock.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def database() -> Database:
    """The application's database."""
    return current_app.extensions["factcheck.db"]


def db_session() -> Session:
    """The request's session, opened on first use and closed when the request ends."""
    session = g.get("db_session")
    if session is None:
        session = g.db_session = database().sessionmaker()
        # Reader mails (written on publishing, a POST) need the site's address; a request that only
        # reads writes none, so it skips working the address out of the request.
        if not has_request_context() or request.method not in SAFE_METHODS:
            from factcheck.config import setting
            from factcheck.services.answers import tell_session

            site = base_url() if has_request_context() else str(setting(current_app.config, "BASE_URL"))
            tell_session(session, base_url=site, erase_days=int(setting(current_app.config, "READER_ADDRESS_DAYS")))
    return session


def base_url() -> str:
    """The desk's address for links in mails: ``BASE_URL`` (FACTCHECK_BASE_URL), else the site a request reached."""
    from factcheck.config import setting

    return str(setting(current_app.config, "BASE_URL") or request.url_root).rstrip("/")


def commit() -> None:
    """Commit the request's unit of work (views call this once, after the service succeeded).

    Notifications the unit of work wrote get their mails first, in the same transaction; the
    outbox is then delivered in the background (readers' answer mails too), and so are the webhooks it recorded.
    """
    from factcheck.config import setting
    from factcheck.services.answers import wrote_reader_mail
    from factcheck.services.notifications import dispatch, has_pending

    session = db_session()
    mailed = 0
    if has_pending(session):
        mailed = dispatch(session, base_url(), str(setting(current_app.config, "ORGANISATION_NAME"))).mailed
    session.commit()
    if mailed or wrote_reader_mail(session):
        from factcheck.web.mailer import send_soon

        send_soon()
    after_commit(current_app._get_current_object(), session)  # type: ignore[attr-defined]  # werkzeug's LocalProxy is untyped here


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The signed-in user, when the server still honours this session (``web.sessions``)."""
    from factcheck.web.sessions import live_user

    if not user_id.isdigit() or len(user_id) > 19:
        return None
    user = live_user(int(user_id))
    if user is None or not user.is_active:
        session.clear()  # an ended session is forgotten: the browser signs in again
        return None
    return user


def _open_request() -> None:
    g.write_intent_token = write_intent.set(request.method not in SAFE_METHODS)


def _close_request(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        # Closing rolls back whatever the view did not commit (the connection goes back to the pool
        # rolled back) without first expiring every object the request loaded, as rollback() would.
        session.close()
    token = g.pop("write_intent_token", None)
    if token is not None:
        write_intent.reset(token)


#: No inline script anywhere: scripts come from /static. Inline *style attributes* are allowed only
#: for the rating colour custom properties; JSON-LD blocks are data, which CSP does not execute.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signer made once per secret key instead of twice a request."""

    def __init__(self) -> None:
        self._signer: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._signer
        if made is None or made[0] != keys:  # a changed key (or fallback list) gets a new signer
            made = self._signer = (keys, super().get_signing_serializer(app))
        return made[1]


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Wire extensions, blueprints, request hooks and template helpers into ``app``."""
    from factcheck.web.params import IdConverter, refuse_impossible_numbers

    # Before any blueprint adds its rules: every <int:…> then only matches ids a database can hold.
    app.url_map.converters["int"] = IdConverter
    app.session_interface = SignedCookieSessions()
    csrf.init_app(app)
    login_manager.init_app(app)
    app.before_request(_open_request)
    app.before_request(refuse_impossible_numbers)
    app.teardown_appcontext(_close_request)
    app.after_request(_security_headers)

    from factcheck.web import readercache, sessions

    sessions.init_app(app)
    readercache.init_app(app)

    from factcheck.web import (
        account,
        admin,
        articles,
        auth,
        dashboard,
        errors,
        items,
        jobs,
        main,
        notifications,
        queue,
        reports,
        search,
        sources,
        submit,
        templating,
        triage,
        verdicts,
        webhooks,
    )

    errors.init_app(app)
    templating.init_app(app)
    for module in (auth, account, main, articles, jobs, items, triage, queue, sources, reports, verdicts, dashboard,
                   search, admin, notifications, submit, webhooks):
        app.register_blueprint(module.bp)
    app.before_request(account.require_enrolment)

    from factcheck.web import api

    api.init_app(app)
