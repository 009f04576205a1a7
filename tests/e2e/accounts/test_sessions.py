"""Sessions the server can end: sign-out, sign out everywhere, lifetimes, remember-me tokens, CSRF renewal."""

from __future__ import annotations

import datetime as dt
import time

from flask.testing import FlaskClient
from sqlalchemy import select, update

from factcheck.domain.workflow import AuditAction, Role
from factcheck.models import AuditEvent, RememberToken, UserSession
from factcheck.services.users import set_active, set_roles
from factcheck.web.sessions import REMEMBER_COOKIE
from tests.factories import PASSWORD, gen_user
from tests.helpers import csrf_token, login, post_form

DOMAIN = "factcheck.test"


def _copy_cookie(source: FlaskClient, target: FlaskClient, name: str = "session") -> str:
    cookie = source.get_cookie(name, domain=DOMAIN)
    assert cookie is not None, f"no {name} cookie"
    target.set_cookie(name, cookie.value, domain=DOMAIN)
    return cookie.value


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/account")
    return response.status_code == 200


def _sign_in(app, session, remember: bool = False):  # type: ignore[no-untyped-def]
    user = gen_user(session, Role.CHECKER)
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert post_form(client, "/auth/login", data).status_code == 302
    return user, client


def test_a_copied_session_cookie_stops_working_after_sign_out(app, session):
    _, client = _sign_in(app, session)
    thief = app.test_client()
    _copy_cookie(client, thief)
    assert _signed_in(thief)
    post_form(client, "/auth/logout", {}, form_page="/account")
    assert not _signed_in(client)
    assert not _signed_in(thief)


def test_sign_out_everywhere_ends_copies_and_other_sign_ins(app, session):
    user, client = _sign_in(app, session)
    thief, laptop = app.test_client(), app.test_client()
    _copy_cookie(client, thief)
    assert login(laptop, user.email).status_code == 302
    assert _signed_in(thief) and _signed_in(laptop)
    response = post_form(client, "/account/sessions/end", {}, form_page="/account")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert not any(_signed_in(c) for c in (client, thief, laptop))
    assert session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                     UserSession.revoked_at.is_(None))).all() == []


def test_the_account_page_lists_the_sessions_and_marks_this_one(app, session):
    user, client = _sign_in(app, session)
    login(app.test_client(), user.email)
    page = client.get("/account").get_data(as_text=True)
    assert page.count("<tr") == 3 and "(this one)" in page  # the header row and two sessions


def test_a_remember_me_token_signs_in_once_and_is_replaced(app, session):
    user, client = _sign_in(app, session, remember=True)
    returning = app.test_client()
    first = _copy_cookie(client, returning, REMEMBER_COOKIE)
    assert _signed_in(returning)  # no session cookie: the token was exchanged for one
    second = returning.get_cookie(REMEMBER_COOKIE, domain=DOMAIN).value
    assert second != first
    assert session.scalars(select(RememberToken.validator_hash)).all()  # stored hashed, never as sent
    assert all(first.split(":")[1] not in h and second.split(":")[1] not in h
               for h in session.scalars(select(RememberToken.validator_hash)))


def test_a_remember_me_token_used_twice_is_refused_and_ends_every_session(app, session):
    user, client = _sign_in(app, session, remember=True)
    returning, replay = app.test_client(), app.test_client()
    _copy_cookie(client, returning, REMEMBER_COOKIE)
    _copy_cookie(client, replay, REMEMBER_COOKIE)
    assert _signed_in(returning)
    assert not _signed_in(replay)
    # The copy in use shows the token was stolen: the sessions signed in with it end too.
    assert not _signed_in(returning) and not _signed_in(client)
    reasons = [e.payload.get("reason") for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SESSIONS_REVOKE, AuditEvent.entity_id == user.id))]
    assert "remember-me token used twice" in reasons


def test_a_remember_me_token_is_refused_after_sign_out(app, session):
    _, client = _sign_in(app, session, remember=True)
    later = app.test_client()
    _copy_cookie(client, later, REMEMBER_COOKIE)
    post_form(client, "/auth/logout", {}, form_page="/account")
    assert client.get_cookie(REMEMBER_COOKIE, domain=DOMAIN) is None  # the browser forgets it
    assert not _signed_in(later)


def test_a_session_idle_too_long_ends(app, session):
    _, client = _sign_in(app, session)
    with client.session_transaction() as cookie:
        cookie["_seen"] = int(time.time()) - 8 * 3600 - 5
    assert not _signed_in(client)


def test_a_session_ends_at_its_absolute_lifetime_however_active(app, session):
    user, client = _sign_in(app, session)
    row = session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert dt.timedelta(days=6, hours=23) < row.expires_at - row.created_at <= dt.timedelta(days=7)
    session.execute(update(UserSession).where(UserSession.id == row.id)
                    .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    session.expire_all()
    assert not _signed_in(client)


def test_the_lifetimes_are_settings(app, session):
    app.config.update(SESSION_IDLE_MINUTES=1)
    _, client = _sign_in(app, session)
    with client.session_transaction() as cookie:
        cookie["_seen"] = int(time.time()) - 90
    assert not _signed_in(client)


def test_the_csrf_token_from_before_sign_in_is_refused_after_it(app, session):
    user = gen_user(session)
    client = app.test_client()
    old_token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": old_token})
    assert response.status_code == 302
    stale = client.post("/account/password", data={"csrf_token": old_token, "current_password": PASSWORD,
                                                   "new_password": "another long passphrase",
                                                   "confirm": "another long passphrase"})
    assert stale.status_code == 400


def test_signed_in_pages_are_never_cached(app, session):
    _, client = _sign_in(app, session)
    for url in ("/account", "/articles"):
        response = client.get(url, follow_redirects=True)
        assert "no-store" in response.headers.get("Cache-Control", "")


def test_secure_cookies_bring_hsts_and_the_secure_flag(app, session):
    app.config.update(SESSION_COOKIE_SECURE=True)
    user = gen_user(session)
    client = app.test_client()
    response = post_form(client, "/auth/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith(REMEMBER_COOKIE) and "Secure" in c for c in cookies)
    assert any(c.startswith("session=") and "Secure" in c for c in cookies)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(app, session):
    user, client = _sign_in(app, session)
    other = app.test_client()
    login(other, user.email)
    response = post_form(client, "/account/password", {"current_password": PASSWORD,
                                                       "new_password": "another long passphrase",
                                                       "confirm": "another long passphrase"}, form_page="/account")
    assert response.status_code == 302
    assert _signed_in(client) and not _signed_in(other)


def test_a_weak_new_password_is_refused_with_advice_and_nothing_changes(app, session):
    user, client = _sign_in(app, session)
    before = user.password_hash
    response = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "password1234",
                                                       "confirm": "password1234"}, form_page="/account")
    assert response.status_code == 422 and "too easy to guess" in response.get_data(as_text=True)
    session.refresh(user)
    assert user.password_hash == before


def test_a_role_change_or_disabling_ends_the_accounts_sessions_at_once(app, session):
    admin = gen_user(session, Role.ADMIN)
    user, client = _sign_in(app, session)
    set_roles(session, user.id, ["reviewer"], actor=admin)
    assert not _signed_in(client)
    client = app.test_client()
    login(client, user.email)
    assert _signed_in(client)
    set_active(session, user.id, False, actor=admin)
    assert not _signed_in(client)


def test_a_copy_of_the_sessions_cookie_ends_with_the_password_change_and_the_browser_stays_signed_in(app, client,
                                                                                                    session):
    """The owner's own session kept its token through a password change, so a copy of its cookie (taken from the
    browser before) stayed signed in. The browser now gets a new session; every copy of the old one ends."""
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    copy = app.test_client()
    _copy_cookie(client, copy)
    assert _signed_in(copy)  # the copy works, as the browser does
    changed = post_form(client, "/account/password", {"current_password": PASSWORD,
                                                      "new_password": "another long passphrase",
                                                      "confirm": "another long passphrase"}, form_page="/account")
    assert changed.status_code == 302
    assert _signed_in(client)  # the owner's browser: still signed in, on a new session
    assert not _signed_in(copy)  # the copy: signed out
