"""The navigation offers each role the pages it may open, and no more."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import signed_in

ALL = {"/articles", "/triage", "/my-work", "/sources", "/reports", "/search"}


@pytest.mark.parametrize(("role", "extra", "hidden"), [
    ("checker", set(), {"/queue", "/dashboard", "/admin/users"}),
    ("reviewer", {"/queue"}, {"/dashboard", "/admin/users"}),
    ("editor", {"/dashboard"}, {"/queue", "/admin/users"}),
    ("admin", {"/dashboard", "/admin/users"}, {"/queue"}),
])
def test_the_navigation_shows_only_pages_the_role_may_open(client, world, role, extra, hidden):
    signed_in(client, world, role)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    nav = page[page.index('<ul class="nav-links">'):page.index("</ul>")]
    for href in ALL | extra:
        assert f'href="{href}"' in nav, href
        assert client.get(href).status_code == 200, href
    for href in hidden:
        assert f'href="{href}"' not in nav, href
