"""Numbers no row can have, in the path or the query string: a 404 or a 400, never a server error.

Routes come from the app's URL map, so a route added later is covered without touching this file.
Each is tried anonymously and by a user holding every role, on SQLite and on PostgreSQL (which
refuse integers beyond what their columns hold in different ways).
"""

from __future__ import annotations

import base64
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from factcheck.domain.workflow import Role
from factcheck.web.params import MAX_ID
from tests.e2e.conftest import page_token
from tests.factories import gen_user
from tests.helpers import sign_in

#: Whole numbers just past what an id column holds (32 bits on PostgreSQL), past SQLite's 64 bits,
#: far past both, and past Python's own str → int limit (4,300 digits).
HUGE = [str(MAX_ID + 1), str(2**63), "99999999999999999999999", "9" * 5000]
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _cursor(priority: str, changed_at: str, item_id: str) -> str:
    raw = f"{priority}|{changed_at}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: Query arguments that name an id, a page or a cursor somewhere in the app, with hostile values.
HOSTILE_QUERIES = [
    *({"before": n} for n in HUGE),
    *({"after": n} for n in HUGE),
    *({"article": n} for n in HUGE),
    *({"page": n} for n in HUGE),
    *({"limit": n} for n in HUGE),
    {"after": _cursor("1e999", "2026-02-14T10:00:00+00:00", "1")},
    {"after": _cursor("nan", "2026-02-14T10:00:00+00:00", "1")},
    {"after": _cursor("1.0", "0001-01-01T00:00:00+00:00", "1")},
    {"after": _cursor("1.0", "0001-01-01T00:00:00+14:00", "1")},
    {"after": _cursor("1.0", "9999-12-31T23:59:59-14:00", "1")},
    {"after": _cursor("1.0", "2026-02-14T10:00:00+00:00", str(MAX_ID + 1))},
    {"after": _cursor("1.0", "2026-02-14T10:00:00+00:00", str(2**63))},
    {"after": _cursor("1.0", "2026-02-14T10:00:00+00:00", "9" * 5000)},
]


def _rules(app: Flask, *, with_int: bool) -> list[tuple[Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        has_int = any(isinstance(c, IntegerConverter) for c in rule._converters.values())
        if has_int != with_int:
            continue
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            found.append((rule, method))
    return found


def _fill(rule: Rule, number: str) -> str:
    """The rule's path with ``number`` for every placeholder."""
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", number, rule.rule)


def _request(client: FlaskClient, method: str, url: str, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url, query_string=query)
    return client.open(url, method=method, data={"csrf_token": page_token(client)}, query_string=query)


@pytest.fixture(params=["anonymous", "every role"])
def visitor(request: pytest.FixtureRequest, client: FlaskClient, session) -> FlaskClient:  # type: ignore[no-untyped-def]
    """The test client, signed out or signed in as a user holding every role."""
    if request.param == "every role":
        everyone = gen_user(session, Role.CHECKER, Role.REVIEWER, Role.EDITOR, Role.ADMIN)
        sign_in(client, everyone.email)
    return client


def test_the_url_map_has_routes_with_ids(app):
    assert len(_rules(app, with_int=True)) > 10, "the walk below would prove nothing"


def test_ids_no_row_can_have_are_not_found_on_every_route(app, visitor):
    answers = {}
    for rule, method in _rules(app, with_int=True):
        for number in HUGE:
            response = _request(visitor, method, _fill(rule, number))
            answers[f"{method} {_fill(rule, number)[:60]}"] = response.status_code
    wrong = {route: status for route, status in answers.items() if status != 404}
    assert not wrong, wrong


def test_hostile_ids_and_cursors_in_the_query_string_never_cause_a_server_error(app, visitor, world):
    answers = {}
    for rule, method in _rules(app, with_int=False) + _rules(app, with_int=True):
        url = _fill(rule, str(world.ids["article_id"])) if rule.arguments else rule.rule
        if method != "GET" or rule.endpoint == "auth.logout":
            continue
        for query in HOSTILE_QUERIES:
            response = _request(visitor, method, url, query)
            answers[f"{method} {url} {str(query)[:80]}"] = response.status_code
    errors = {route: status for route, status in answers.items() if status >= 500}
    assert not errors, errors


@pytest.mark.parametrize(("url", "query"), [
    ("/articles", {"before": HUGE[0]}),
    ("/articles", {"before": HUGE[2]}),
    ("/articles", {"before": "ten"}),
    ("/triage", {"after": _cursor("1e999", "2026-02-14T10:00:00+00:00", "1")}),
    ("/triage", {"after": _cursor("1.0", "0001-01-01T00:00:00+14:00", "1")}),
    ("/triage", {"after": _cursor("1.0", "2026-02-14T10:00:00+00:00", HUGE[0])}),
    ("/queue", {"after": _cursor("1.0", "2026-02-14T10:00:00+00:00", HUGE[1])}),
    ("/queue", {"article": HUGE[3]}),
    ("/queue", {"article": "#" + HUGE[0]}),
    ("/sources", {"page": HUGE[3]}),
])
def test_a_number_no_row_can_have_in_the_query_string_is_a_plain_400(client, session, url, query):
    everyone = gen_user(session, Role.CHECKER, Role.REVIEWER, Role.EDITOR, Role.ADMIN)
    sign_in(client, everyone.email)
    response = client.get(url, query_string=query)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must be" in page and "Traceback" not in page


def test_ids_at_the_edge_of_the_range_still_reach_the_view(client, session):
    everyone = gen_user(session, Role.CHECKER, Role.REVIEWER, Role.EDITOR, Role.ADMIN)
    sign_in(client, everyone.email)
    response = client.get(f"/articles/{MAX_ID}")
    assert response.status_code == 404 and f"There is no article #{MAX_ID}" in response.get_data(as_text=True)
    assert client.get("/articles", query_string={"before": str(MAX_ID)}).status_code == 200
    assert client.get("/queue", query_string={"article": f"#{MAX_ID}"}).status_code == 200



def test_a_host_header_the_app_refuses_gets_a_400_in_plain_words(tmp_path):
    """A Host the router refuses (a label longer than 63 characters) leaves no way to build a link: the answer
    is a plain 400, not an error page that fails while linking its stylesheet (an app that names no
    SERVER_NAME, as a deployment behind a proxy does, reads the Host header)."""
    from factcheck.app import create_app
    from tests.conftest import TEST_SECRET, migrated_sqlite_url

    app = create_app({"DATABASE_URL": migrated_sqlite_url(tmp_path / "host.sqlite3"), "SECRET_KEY": TEST_SECRET})
    try:
        client = app.test_client()
        for path in ("/reports", "/articles", "/api/items", "/nowhere"):
            response = client.get(path, headers={"Host": "h" * 70 + ".example"})
            assert response.status_code == 400, path
            assert response.mimetype in ("text/plain", "application/json"), path
    finally:
        app.extensions["factcheck.db"].dispose()
