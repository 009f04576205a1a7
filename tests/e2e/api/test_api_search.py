"""Searching through the API: the /search page's query and filters as JSON, with cursor pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from factcheck.domain.workflow import Status
from tests.e2e.api.conftest import bearer
from tests.factories import gen_item_in


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_search_finds_items_by_their_words_and_pages_through_every_hit(client, world, tokens, session):
    made = set()
    for n in range(5):
        item = gen_item_in(session, Status.CLAIM)
        item.claim_text = f"The quarry near Zelvenbrook employs {n + 100} people"
        made.add(item.id)
    session.flush()
    headers = bearer(tokens[("checker", "read")])
    seen, url = [], "/api/v1/search?q=zelvenbrook&kind=item&limit=2"
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and response.is_json, response.get_data(as_text=True)
        body = response.get_json()
        assert len(body["hits"]) <= 2 and body["words"] == ["zelvenbrook"]
        for hit in body["hits"]:
            assert hit["kind"] == "item" and "Zelvenbrook" in hit["title"]
            assert hit["url"].endswith(f"/items/{hit['id']}")
        seen += [hit["id"] for hit in body["hits"]]
        url = _path(body["next"]) if body["next"] else None
    assert set(seen) == made and len(seen) == len(made)


def test_search_filters_narrow_the_hits_and_bad_filters_are_plain_422s(client, world, tokens, session):
    claim = gen_item_in(session, Status.CLAIM)
    claim.claim_text = "Ferrovanth tunnels opened in spring"
    dismissed = gen_item_in(session, Status.DISMISSED)
    dismissed.claim_text = "Ferrovanth tunnels closed in autumn"
    session.flush()
    headers = bearer(tokens[("reviewer", "read")])
    everything = client.get("/api/v1/search?q=ferrovanth", headers=headers).get_json()["hits"]
    assert {claim.id, dismissed.id} <= {h["id"] for h in everything}
    only_claims = client.get("/api/v1/search?q=ferrovanth&status=claim", headers=headers).get_json()["hits"]
    assert [h["id"] for h in only_claims] == [claim.id]
    sources_only = client.get("/api/v1/search?q=ferrovanth&kind=source", headers=headers).get_json()["hits"]
    assert sources_only == []
    for bad in ("kind=planet", "status=nonsense", "rating=no-such-rating", "since=1200-01-01", "limit=0"):
        response = client.get(f"/api/v1/search?q=ferrovanth&{bad}", headers=headers)
        assert response.status_code == 422 and response.is_json, bad
        assert response.get_json()["status"] == 422


def test_search_reads_operators_and_odd_text_as_words_and_needs_a_token(client, world, tokens):
    headers = bearer(tokens[("checker", "read")])
    for odd in ('"unclosed', "NEAR(a b)", "a AND OR NOT", "*", "(((", "\u202eevil", "caf\u0301e \U0001F600"):
        response = client.get("/api/v1/search", query_string={"q": odd}, headers=headers)
        assert response.status_code == 200 and isinstance(response.get_json()["hits"], list), odd
    assert client.get("/api/v1/search?q=x").status_code == 401
    assert client.get("/api/v1/search", query_string={"q": "a\x00b"}, headers=headers).status_code == 422
