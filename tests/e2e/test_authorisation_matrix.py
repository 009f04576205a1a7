"""Every route × every role → the expected status, and no route left out of the matrix.

Routes are listed per area in ``tests/e2e/authz/matrix_<area>.py``; this test collects them all,
so a route added anywhere in the app fails here until its area lists it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.e2e.authz as authz
from tests.e2e.authz import ROLES, Route
from tests.e2e.conftest import page_token, signed_in

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _matrices() -> dict[str, list[Route]]:
    found = {}
    for module in pkgutil.iter_modules(authz.__path__):
        if module.name.startswith("matrix_"):
            found[module.name] = list(importlib.import_module(f"{authz.__name__}.{module.name}").ROUTES)
    return found


MATRICES = _matrices()
ROUTES = [route for routes in MATRICES.values() for route in routes]
CASES = [pytest.param(route, role, id=f"{route.method} {route.url} as {role}") for route in ROUTES for role in ROLES]


def test_every_matrix_gives_a_status_for_every_role():
    incomplete = [f"{r.method} {r.url}" for r in ROUTES if set(r.expected) != set(ROLES)]
    assert not incomplete, f"routes without a status for each of {ROLES}: {incomplete}"


def test_every_route_of_the_app_is_in_some_matrix(app):
    listed = {(r.endpoint, r.method) for r in ROUTES}
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
        if (rule.endpoint, method) not in listed
    )
    assert not missing, "routes no tests/e2e/authz/matrix_*.py lists:\n  " + "\n  ".join(missing)


def test_every_listed_route_exists(app):
    existing = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
                for method in (rule.methods or set())}
    stale = [f"{r.method} {r.url} ({r.endpoint})" for r in ROUTES if (r.endpoint, r.method) not in existing]
    assert not stale, f"matrix entries for routes the app does not have: {stale}"


@pytest.mark.parametrize(("route", "role"), CASES)
def test_each_role_gets_the_expected_status(client, world, route: Route, role: str):
    signed_in(client, world, role)
    url = world.url(route.url)
    if route.method == "GET":
        response = client.get(url)
    else:
        response = client.open(url, method=route.method, data={"csrf_token": page_token(client)})
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    assert response.status_code == route.status_for(role), (
        f"{route.method} {url} as {role}: got {response.status_code}, expected {route.status_for(role)}"
    )
