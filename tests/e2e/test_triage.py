"""Triage: items in claim by priority, then age; take or dismiss from the list."""

from __future__ import annotations

import base64
import re

import pytest

from factcheck.domain.workflow import Status
from factcheck.models import CheckItem
from tests.e2e.conftest import signed_in
from tests.factories import gen_item
from tests.helpers import csrf_token, hidden_fields


def test_triage_lists_items_by_priority_then_age(client, world, session):
    low, high = gen_item(session, "Low priority claim."), gen_item(session, "High priority claim.")
    low.priority, high.priority = 0.1, 9.0
    session.flush()
    signed_in(client, world, "checker")
    page = client.get("/triage").get_data(as_text=True)
    assert page.index("High priority claim.") < page.index("Low priority claim.")
    assert "#%d" % world.ids["item_id"] not in page  # in evidence, not triage


def test_triage_pages_by_keyset_without_repeating_rows(client, world, session):
    for n in range(55):
        gen_item(session, f"Numbered claim {n:02d}.")
    session.flush()
    signed_in(client, world, "checker")
    first = client.get("/triage").get_data(as_text=True)
    cursor = re.search(r'href="/triage\?after=([^"]+)"', first).group(1)
    second = client.get(f"/triage?after={cursor}").get_data(as_text=True)
    ids = lambda html: set(re.findall(r'<td[^>]*><a href="/items/(\d+)">', html))  # noqa: E731
    assert ids(first) and ids(second) and not ids(first) & ids(second)
    assert len(ids(first) | ids(second)) == session.query(CheckItem).filter_by(status=Status.CLAIM).count()


def test_a_broken_cursor_shows_the_first_page(client, world):
    signed_in(client, world, "checker")
    assert client.get("/triage?after=not-a-cursor!").status_code == 200


def test_dismissing_from_triage_returns_to_triage(client, world, session):
    signed_in(client, world, "editor")
    page = client.get("/triage").get_data(as_text=True)
    url = world.url("/items/{claim_item_id}/dismiss")
    response = client.post(url, data={**hidden_fields(page, url), "csrf_token": csrf_token(page),
                                      "reason": "opinion", "next": "/triage"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/triage")
    item = session.get(CheckItem, world.ids["claim_item_id"], populate_existing=True)
    assert item.status is Status.DISMISSED


def test_the_next_field_never_leaves_the_site(client, world):
    signed_in(client, world, "checker")
    page = client.get("/triage").get_data(as_text=True)
    url = world.url("/items/{claim_item_id}/take")
    response = client.post(url, data={**hidden_fields(page, url), "csrf_token": csrf_token(page),
                                      "next": "//evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def _waiting_in_claim(session) -> int:
    return session.query(CheckItem).filter_by(status=Status.CLAIM).count()


def test_the_header_counts_every_item_in_claim_below_the_cap(client, world, session):
    for n in range(3):
        gen_item(session, f"Counted claim {n}.")
    session.flush()
    signed_in(client, world, "checker")
    page = client.get("/triage").get_data(as_text=True)
    assert f'<small class="muted">{_waiting_in_claim(session)} waiting</small>' in page


def test_the_header_count_stops_at_the_cap_like_the_queue(client, world, session, monkeypatch):
    import factcheck.queries.items as item_queries

    for n in range(3):
        gen_item(session, f"Counted claim {n}.")
    session.flush()
    cap = _waiting_in_claim(session) - 1
    monkeypatch.setattr(item_queries, "COUNT_CAP", cap)
    signed_in(client, world, "checker")
    page = client.get("/triage").get_data(as_text=True)
    assert f'<small class="muted">{cap}+ waiting</small>' in page
    assert "Counted claim 2." in page  # the rows are not capped, only the count


def test_the_header_count_at_exactly_the_cap_is_not_marked(client, world, session, monkeypatch):
    import factcheck.queries.items as item_queries

    gen_item(session, "Counted claim.")
    session.flush()
    monkeypatch.setattr(item_queries, "COUNT_CAP", _waiting_in_claim(session))
    signed_in(client, world, "checker")
    page = client.get("/triage").get_data(as_text=True)
    assert f'<small class="muted">{_waiting_in_claim(session)} waiting</small>' in page


def test_every_row_offers_the_same_checkers_and_csrf_token_escaped(client, world, session):
    from bs4 import BeautifulSoup

    gen_item(session, "Second claim to assign.")
    world.users["checker"].display_name = "A checker <night desk>"
    session.flush()
    signed_in(client, world, "editor")
    html = client.get("/triage").get_data(as_text=True)
    assert "<night desk>" not in html and "A checker &lt;night desk&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    selects = soup.select("select[name=assignee]")
    offered = [[(o["value"], o.get_text()) for o in s.find_all("option") if o["value"]] for s in selects]
    assert len(selects) == _waiting_in_claim(session) >= 2
    assert offered[0] and all(row == offered[0] for row in offered)
    assert (str(world.users["checker"].id), "A checker <night desk>") in offered[0]
    tokens = {i["value"] for i in soup.select("input[name=csrf_token]")}
    assert tokens == {csrf_token(html)}
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids))  # each row's forms carry the token without an id of their own


@pytest.mark.parametrize("raw", [
    "1e308|2026-01-01T00:00:00|99999999999999999999999",  # an id no integer column holds
    "nan|2026-01-01T00:00:00|5", "inf|2026-01-01T00:00:00|5", "-1|0001-01-01T00:00:00|-9223372036854775809",
])
def test_a_forged_cursor_is_refused_in_plain_words(client, world, raw):
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    signed_in(client, world, "reviewer")
    for page in ("/triage", "/queue"):
        response = client.get(f"{page}?after={cursor}")
        assert response.status_code == 400, page
        assert "points at a row that cannot exist" in response.get_data(as_text=True)
