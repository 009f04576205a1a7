"""Signing in and out through the real form, CSRF included."""

from __future__ import annotations

from factcheck.domain.workflow import Role
from tests.factories import gen_user
from tests.helpers import csrf_token, login


def test_the_login_page_is_served_with_a_csrf_token(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert csrf_token(page.get_data(as_text=True))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_user_signs_in_and_sees_their_name(client, session):
    user = gen_user(session, Role.REVIEWER)
    response = login(client, user.email)
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert user.display_name in home.get_data(as_text=True)


def test_a_wrong_password_is_refused_with_a_plain_message(client, session):
    user = gen_user(session)
    response = login(client, user.email, "not the password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_post_without_a_csrf_token_is_refused(client, session):
    user = gen_user(session)
    response = client.post("/auth/login", data={"email": user.email, "password": "x" * 10})
    assert response.status_code == 400
    assert "The form expired or did not come from this site" in response.get_data(as_text=True)


def test_five_failures_lock_the_account_even_for_the_right_password(client, session):
    user = gen_user(session)
    for _ in range(5):
        login(client, user.email, "wrong password")
    response = login(client, user.email)
    assert response.status_code == 401
    assert "Too many failed sign-ins" in response.get_data(as_text=True)


def test_signing_out_needs_a_post_with_a_token(client, session):
    user = gen_user(session)
    login(client, user.email)
    assert client.get("/auth/logout").status_code == 405
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(home)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_the_next_parameter_never_leaves_the_site(client, session):
    user = gen_user(session)
    page = client.get("/auth/login?next=https://evil.example/")
    response = client.post("/auth/login?next=https://evil.example/",
                           data={"email": user.email, "password": "correct horse battery",
                                 "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_the_session_cookie_is_httponly_and_samesite(client, session):
    user = gen_user(session)
    response = login(client, user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
