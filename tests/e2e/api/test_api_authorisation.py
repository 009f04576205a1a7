"""The API's authorisation matrix: every API route × nobody and each role with a read or read-write token."""

from __future__ import annotations

import pytest

from tests.e2e.api.conftest import bearer
from tests.e2e.authz.matrix_api import HOLDERS, ROUTES, TOKEN_ROUTES

CASES = [pytest.param(route, holder, id=f"{route.method} {route.url} with {holder}")
         for route in TOKEN_ROUTES for holder in HOLDERS]


def test_the_token_matrix_lists_every_api_route():
    assert {(r.endpoint, r.method) for r in TOKEN_ROUTES} == {(r.endpoint, r.method) for r in ROUTES}
    assert all(set(r.expected) == set(HOLDERS) for r in TOKEN_ROUTES)


@pytest.mark.parametrize(("route", "holder"), CASES)
def test_each_token_gets_the_expected_status(client, world, tokens, route, holder):
    headers = {} if holder == "anonymous" else bearer(tokens[tuple(holder.split(" "))])
    url = world.url(route.url)
    if route.method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.open(url, method=route.method, json={}, headers=headers)
    assert response.status_code == route.status_for(holder), (
        f"{route.method} {url} with {holder}: got {response.status_code} {response.get_data(as_text=True)[:300]}")
    if not url.endswith("/docs"):
        assert response.is_json
