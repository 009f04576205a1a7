"""Helpers for going through the web like a person: real CSRF tokens, real sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict[str, object], *, form_page: str | None = None,
              follow_redirects: bool = False) -> TestResponse:
    """GET the form page (``url`` unless told), then POST ``data`` with its CSRF token."""
    page = client.get(form_page or url)
    assert page.status_code == 200, f"{form_page or url} answered {page.status_code}"
    return client.post(url, data={**data, "csrf_token": csrf_token(page.get_data(as_text=True))},
                       follow_redirects=follow_redirects)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the form."""
    return post_form(client, "/auth/login", {"email": email, "password": password})


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
