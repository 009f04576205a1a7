"""The search page: what staff find, how hits are shown, and that no query or filter breaks it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.domain.workflow import Status
from tests.e2e.conftest import signed_in
from tests.factories import gen_item


def test_staff_find_the_world_article_its_items_and_follow_links(client, world):
    signed_in(client, world, "checker")
    page = client.get("/search?q=harbour")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'href="/articles/{world.ids["article_id"]}"' in body
    assert "<mark>harbour</mark>" in body.lower() or "<mark>Harbour</mark>" in body
    item_links = re.findall(r'href="/items/(\d+)"', body)
    assert item_links, "the article's items are found too"
    assert client.get(f"/items/{item_links[0]}").status_code == 200


def test_a_hostile_claim_is_shown_as_text_in_its_snippet(client, world, session):
    gen_item(session, 'The <img src=x onerror="alert(1)"> lighthouse closes.')
    session.flush()
    signed_in(client, world, "reviewer")
    body = client.get("/search?q=lighthouse").get_data(as_text=True)
    assert "<mark>lighthouse</mark>" in body
    assert "<img src=x" not in body and 'onerror="alert(1)"' not in body


def test_filters_narrow_the_hits(client, world):
    signed_in(client, world, "editor")
    body = client.get("/search?q=harbour&kind=article").get_data(as_text=True)
    assert f'href="/articles/{world.ids["article_id"]}"' in body and 'href="/items/' not in body
    body = client.get(f"/search?q=harbour&status={Status.PUBLISHED.value}").get_data(as_text=True)
    assert "Nothing found" in body


@pytest.mark.parametrize(("args", "message"), [
    ("kind=everything", "kind"), ("status=pending", "status"), ("rating=very-true", "rating"),
    ("since=yesterday", "YYYY-MM-DD"), ("until=2026-13-40", "YYYY-MM-DD"),
])
def test_a_filter_the_desk_does_not_know_is_a_plain_400(client, world, args, message):
    signed_in(client, world, "checker")
    response = client.get(f"/search?q=harbour&{args}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_last_day_there_is_as_until_bounds_nothing(client, world):
    signed_in(client, world, "checker")
    response = client.get("/search?q=harbour&since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200
    assert f'href="/articles/{world.ids["article_id"]}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("raw", [
    '%22', '%22harbour', 'harbour%22%20OR', '(', ')', 'NEAR(harbour%2C2)', 'harbour%20AND%20OR%20NOT',
    '*', '**', 'harbour*%22*', '%00', 'harbour%00close', '%ED%A0%80', '%F0%9F%91%8D%F0%9F%8F%BD',
    '%E2%80%AEruobrah', 'e%CC%81%CC%81', '%D8%A7%D9%84%D9%85%D9%8A%D9%86%D8%A7%D8%A1', "'%3B--", '%5C', '-', '^',
    'a' * 600,
])
def test_odd_queries_in_the_url_never_fail(client, world, raw):
    signed_in(client, world, "checker")
    response = client.get(f"/search?q={raw}&after={raw}&claimant={raw}&outlet={raw}")
    assert response.status_code == 200


def test_pages_follow_one_another(client, world, session):
    for n in range(25):
        gen_item(session, f"Lighthouse number {n} is dark.")
    session.flush()
    signed_in(client, world, "checker")
    first = client.get("/search?q=lighthouse&kind=item").get_data(as_text=True)
    next_link = re.search(r'href="(/search\?[^"]+)" rel="next"', first)
    assert next_link
    second = client.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    first_ids = set(re.findall(r'href="/items/(\d+)"', first))
    second_ids = set(re.findall(r'href="/items/(\d+)"', second))
    assert len(first_ids) == 20 and len(second_ids) == 5 and not first_ids & second_ids


def test_a_search_with_more_hits_than_are_ranked_says_so(client, world, session, monkeypatch):
    from factcheck.queries import search as search_module

    for n in range(4):
        gen_item(session, f"Lighthouse number {n} is dark.")
    session.flush()
    signed_in(client, world, "checker")
    assert 'id="search-cut"' not in client.get("/search?q=lighthouse").get_data(as_text=True)
    monkeypatch.setattr(search_module, "MAX_RANKED", 3)
    page = client.get("/search?q=lighthouse").get_data(as_text=True)
    assert "At least 3 items match: these are the best of the newest 3." in page
    assert len(set(re.findall(r'href="/items/(\d+)"', page))) == 3


RAW_BYTES = st.binary(max_size=40).map(lambda b: "".join(f"%{x:02X}" for x in b))
PIECES = st.sampled_from(["%22", "*", "(", ")", "AND", "OR", "NOT", "NEAR", "-", "%00", "%ED%A0%80", "%E2%80%AE",
                          "%CC%81", "%F0%9F%91%8D", "harbour", "+", "%25", "_", "%5C", "'"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(RAW_BYTES, st.lists(PIECES, max_size=10).map("+".join)),
       other=st.one_of(RAW_BYTES, PIECES), field=st.sampled_from(["claimant", "outlet", "after", "kind", "since"]))
def test_any_bytes_in_the_search_url_never_cause_a_server_error(client, world, q, other, field):
    if not getattr(client, "_search_signed_in", False):
        signed_in(client, world, "checker")
        client._search_signed_in = True
    response = client.get(f"/search?q={q}&{field}={other}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
