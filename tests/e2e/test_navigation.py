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


def test_a_reader_can_reach_the_reports_and_the_claim_inbox_from_any_public_page(client, world):
    page = client.get(world.url("/verdicts/{published_item_id}")).get_data(as_text=True)
    header = page.split("</header>")[0]
    assert 'href="/reports"' in header and 'href="/submit"' in header and 'href="/auth/login"' in header
    assert 'class="brand" href="/reports"' in header  # not the desk's start, which asks a reader to sign in
    assert "Sign out" not in header
    assert client.get("/reports").status_code == 200 and client.get("/submit").status_code == 200
