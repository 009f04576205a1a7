"""Helpers for going through the web like a person: real CSRF tokens, real sign-in.

``sign_in`` and ``new_csrf_token`` are the shortcuts for tests where the sign-in form and the
form pages are not what is tested: they write into the client's cookie session what the app
itself would, through the same libraries, without rendering a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import flask
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Engine, event
from werkzeug.test import TestResponse

from factcheck.services.users import authenticate
from factcheck.web import db_session
from factcheck.web.sessions import begin_session
from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the page's form that posts to ``action`` (what a browser sends unasked)."""
    soup = BeautifulSoup(html, "html.parser")
    path = action.split("?", 1)[0]
    for form in soup.find_all("form"):
        target = (form.get("action") or "").split("?", 1)[0]
        if target == path or (not target and form.get("method", "").lower() == "post"):
            return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden") if i.get("name")}
    return {}


def post_form(client: FlaskClient, url: str, data: dict[str, object], *, form_page: str | None = None,
              follow_redirects: bool = False) -> TestResponse:
    """GET the form page (``url`` unless told), then POST ``data`` as its form would.

    The form's hidden fields (its CSRF token, the version it was rendered with) are sent as a
    browser sends them; ``data`` adds to or overrides them.
    """
    page = client.get(form_page or url)
    assert page.status_code == 200, f"{form_page or url} answered {page.status_code}"
    html = page.get_data(as_text=True)
    return client.post(url, data={**hidden_fields(html, url), "csrf_token": csrf_token(html), **data},
                       follow_redirects=follow_redirects)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the form."""
    return post_form(client, "/auth/login", {"email": email, "password": password})


@contextmanager
def _in_client_session(client: FlaskClient) -> Iterator[None]:
    """A request context of the app whose session is the client's; what the block stores there is saved back."""
    app = client.application
    with client.session_transaction() as cookie_session:
        # The client's address and user agent, so Flask-Login's "strong" session check accepts the session.
        with app.test_request_context(environ_base=client.environ_base):
            flask.session.update(cookie_session)
            yield
            cookie_session.update(flask.session)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    """Sign in without the form: for tests where signing in is not what is tested.

    The credentials are checked by the service the form calls (a wrong password, a disabled or
    locked account still fail, and the sign-in is recorded), then Flask-Login stores the user in
    the client's session as the form's ``login_user`` does.
    """
    app = client.application
    with app.app_context():
        session = app.extensions["factcheck.db"].sessionmaker()
        try:
            user = authenticate(session, email, password, hash_method=app.config["PASSWORD_HASH_METHOD"])
            session.commit()
        finally:
            session.close()
    with _in_client_session(client):
        # What the sign-in form does after the password (and second factor): a server-side session
        # (``_sid``), its last use (``_seen``) and the time of authentication (``_auth_at``).
        assert user.is_active, f"{email} may not sign in"
        begin_session(user)
        db_session().commit()


def new_csrf_token(client: FlaskClient) -> str:
    """A CSRF token for the client's session, as any form page would embed it, without loading a page."""
    with _in_client_session(client):
        return generate_csrf()


@contextmanager
def recorded_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent through ``engine`` while the block runs (to pin N+1-free pages)."""
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
