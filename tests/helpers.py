"""Helpers for going through the web like a person: real CSRF tokens, real sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from bs4 import BeautifulSoup
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
