"""The signed-in session of a request, checked against the server on every request.

The browser's (signed) session cookie holds, besides Flask-Login's ``_user_id``, ``_fresh`` and
``_id``:

- ``_sid``: the random token of a ``user_sessions`` row (only its hash is stored). The row must
  exist, belong to the user, not be ended and not be past its absolute end.
- ``_seen``: when the session was last used (seconds since the epoch); older than the idle
  timeout, the session ends.
- ``_auth_at``: when the password (and second factor) were last entered; role and second-factor
  changes ask for them again when this is older than ``REAUTH_MINUTES``.

"Keep me signed in" is a separate cookie holding a one-time token (``services.sessions``):
exchanged for a new session and a new token when the browser comes back without a session.
"""

from __future__ import annotations

import datetime as dt
import functools
import time

from flask import Flask, Response, current_app, g, request, session
from flask_login import login_user, logout_user

from factcheck.config import setting
from factcheck.models import User, utcnow
from factcheck.services import sessions as session_service
from factcheck.web import database, db_session

REMEMBER_COOKIE = "factcheck_remember"
SESSION_KEYS = ("_sid", "_seen", "_auth_at")
#: ``_seen`` is written back at most this often, so most responses do not set the cookie again.
SEEN_RESOLUTION_SECONDS = 60


def _now() -> int:
    return int(time.time())


def lifetime() -> dt.timedelta:
    """How long a sign-in lasts at most, however active (``SESSION_LIFETIME_HOURS``)."""
    return dt.timedelta(hours=int(setting(current_app.config, "SESSION_LIFETIME_HOURS")))


def idle_seconds() -> int:
    """How long a session may go unused (``SESSION_IDLE_MINUTES``)."""
    return int(setting(current_app.config, "SESSION_IDLE_MINUTES")) * 60


def begin_session(user: User, *, remember: bool = False, method: str = "password",
                  authenticated_at: int | None = None) -> str:
    """Sign ``user`` in on this request: a new server-side session, a new cookie session (so a new
    CSRF token), and a remember-me token when asked. The caller commits. ``authenticated_at``: when the
    password (and second factor) were last entered, as the session before had it (``_auth_at``; default: now)."""
    session.clear()  # nothing from before the sign-in carries over, the CSRF token included
    login_user(user, remember=False, fresh=True)
    token = session_service.start_session(
        db_session(), user, lifetime=lifetime(), address=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""), method=method)
    now = _now()
    session["_sid"] = token
    session["_seen"] = now
    session["_auth_at"] = now if authenticated_at is None else authenticated_at
    if remember:
        g.remember_cookie = session_service.issue_remember_token(db_session(), user.id,
                                                                 expires_at=utcnow() + lifetime())
    return token


def current_token() -> str | None:
    """The token of this request's server-side session."""
    value = session.get("_sid")
    return value if isinstance(value, str) else None


@functools.cache
def _live_user_statement() -> session_service.LiveUserStatement:
    """The per-request user statement, also loading the navigation's unread count with the user's row
    (no statement of its own on every page); built once."""
    from factcheck.queries.desk import unread_expression

    return session_service.live_user_statement(unread_notifications=unread_expression())


def live_user(user_id: int) -> User | None:
    """User ``user_id`` when the request's session is one the server still honours for them (one statement)."""
    seen = session.get("_seen")
    if not isinstance(seen, int) or _now() - seen > idle_seconds():
        return None
    user = session_service.find_live_user(db_session(), current_token(), user_id, statement=_live_user_statement())
    if user is None:
        return None
    # The row is only read here: writing it (a "last seen") in every request's transaction would
    # lock it first, before the locks a service takes in its own order, and two admins changing
    # each other's accounts would deadlock. Activity is tracked in the signed cookie (``_seen``).
    if _now() - seen >= SEEN_RESOLUTION_SECONDS:
        session["_seen"] = _now()
    return user


def recently_authenticated() -> bool:
    """True when the password was entered within ``REAUTH_MINUTES``."""
    at = session.get("_auth_at")
    window = int(setting(current_app.config, "REAUTH_MINUTES")) * 60
    return isinstance(at, int) and _now() - at <= window


def mark_authenticated() -> None:
    """Note that the password (and second factor) were just entered again."""
    session["_auth_at"] = _now()


def end_session(user: User | None) -> None:
    """Sign out here: end this server-side session and its remember-me token. The caller commits."""
    session_service.end_session(db_session(), current_token(), user=user)
    session_service.revoke_remember_token(db_session(), request.cookies.get(REMEMBER_COOKIE))
    logout_user()
    session.clear()
    g.remember_cookie = ""


def restore_from_remember_token() -> None:
    """Before a request without a session: exchange a remember-me cookie for a new session and token.

    Done in a unit of work of its own that may write (on SQLite a GET's transaction only reads).
    """
    cookie = request.cookies.get(REMEMBER_COOKIE)
    if not cookie or "_user_id" in session or request.endpoint == "static" or request.path.startswith("/api/"):
        return  # the API signs nobody in from cookies
    from factcheck.db import write_intent

    intent = write_intent.set(True)
    unit = database().sessionmaker()
    try:
        exchanged = session_service.use_remember_token(unit, cookie)
        if exchanged is None:
            unit.commit()  # a replayed token's revocations stay
            g.remember_cookie = ""
            return
        user, expires_at = exchanged
        now = utcnow()
        token = session_service.start_session(unit, user, lifetime=expires_at - now,
                                              address=request.remote_addr or "",
                                              user_agent=request.headers.get("User-Agent", ""),
                                              method="remember-me", now=now)
        g.remember_cookie = session_service.issue_remember_token(unit, user.id, expires_at=expires_at, now=now)
        g.remember_expires = expires_at
        unit.commit()
        session.clear()
        login_user(user, remember=False, fresh=False)
        g.pop("_login_user", None)  # loaded again, checked, from the request's own session
        session["_sid"] = token
        session["_seen"] = _now()
    finally:
        unit.close()
        write_intent.reset(intent)


def _cookies_and_cache(response: Response) -> Response:
    """Set or clear the remember-me cookie; signed-in pages are never stored by browsers or proxies."""
    cookie = g.pop("remember_cookie", None)
    config = current_app.config
    if cookie:
        expires = g.pop("remember_expires", None) or utcnow() + lifetime()
        response.set_cookie(REMEMBER_COOKIE, cookie, expires=expires, httponly=True, samesite="Lax",
                            secure=bool(config.get("SESSION_COOKIE_SECURE")), path="/")
    elif cookie == "":
        response.delete_cookie(REMEMBER_COOKIE, path="/", httponly=True, samesite="Lax",
                               secure=bool(config.get("SESSION_COOKIE_SECURE")))
    user = g.get("_login_user")
    if "_user_id" in session or (user is not None and user.is_authenticated):
        if "no-store" not in (response.headers.get("Cache-Control") or ""):
            response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    if config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Check sessions on every request and keep the cookies and caching headers right."""
    app.before_request(restore_from_remember_token)
    app.after_request(_cookies_and_cache)
