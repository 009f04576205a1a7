"""Reading through the API: lists with keyset pages and filters, details, JSON errors everywhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from factcheck.domain.workflow import Status
from tests.e2e.api.conftest import bearer
from tests.factories import gen_item_in


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_the_item_list_pages_by_id_with_next_links_until_the_end(client, world, tokens, session):
    for _ in range(5):
        gen_item_in(session, Status.CLAIM)
    session.flush()
    headers = bearer(tokens[("reviewer", "read")])
    seen, url = [], "/api/v1/items?limit=2"
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and response.is_json
        body = response.get_json()
        assert len(body["items"]) <= 2
        seen += [i["id"] for i in body["items"]]
        url = _path(body["next"]) if body["next"] else None
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 9


def test_the_item_list_filters_by_status_claimant_article_and_rating(client, world, tokens):
    headers = bearer(tokens[("checker", "read")])
    claims = client.get("/api/v1/items?status=claim", headers=headers).get_json()["items"]
    assert claims and {i["status"] for i in claims} == {"claim"}
    article = client.get(f"/api/v1/items?article={world.ids['article_id']}", headers=headers).get_json()["items"]
    assert article and {i["article_id"] for i in article} == {world.ids["article_id"]}
    published = client.get("/api/v1/items?status=published", headers=headers).get_json()["items"]
    rating = published[0]["rating"]["key"]
    rated = client.get(f"/api/v1/items?rating={rating}", headers=headers).get_json()["items"]
    assert world.ids["published_item_id"] in {i["id"] for i in rated}
    assert client.get("/api/v1/items?rating=no-such-rating", headers=headers).get_json()["items"] == []
    claimant = published[0]["claimant"]
    if claimant:
        by_claimant = client.get(f"/api/v1/items?claimant={claimant['id']}", headers=headers).get_json()["items"]
        assert {i["claimant"]["id"] for i in by_claimant} == {claimant["id"]}
    future = client.get("/api/v1/items?updated_since=2999-01-01T00:00:00Z", headers=headers).get_json()["items"]
    assert future == []


def test_a_bad_filter_is_a_422_in_the_api_error_shape(client, world, tokens):
    headers = bearer(tokens[("checker", "read")])
    response = client.get("/api/v1/items?status=nonsense", headers=headers)
    assert response.status_code == 422 and response.is_json
    body = response.get_json()
    assert body["status"] == 422 and body["error"].startswith("status") and body["details"]
    for moment in ("0001-01-01T00:00:00%2B05:00", "9999-12-31T23:59:59-05:00", "1200-01-01"):
        odd = client.get(f"/api/v1/items?updated_since={moment}", headers=headers)
        assert odd.status_code == 422 and "between 1970 and 9000" in odd.get_json()["error"], moment
    local = client.get("/api/v1/items?updated_since=2000-01-01T05:00:00%2B05:00", headers=headers)
    assert local.status_code == 200 and local.get_json()["items"]


def test_an_item_shows_claim_chain_evidence_verdict_history_and_actions(client, world, tokens):
    headers = bearer(tokens[("checker", "read")])
    body = client.get(f"/api/v1/items/{world.ids['published_item_id']}", headers=headers).get_json()
    assert body["status"] == "published" and body["verdict"]["published_at"]
    assert body["verdict"]["votes"] and body["evidence"] and body["history"]
    assert {"action", "allowed", "reason"} <= set(body["actions"][0])
    evidence_item = client.get(f"/api/v1/items/{world.ids['item_id']}", headers=headers).get_json()
    assert evidence_item["evidence"][0]["id"] == world.ids["evidence_id"]


def test_articles_list_newest_first_and_show_their_items_with_spans(client, world, tokens):
    headers = bearer(tokens[("editor", "read")])
    body = client.get("/api/v1/articles", headers=headers).get_json()
    ids = [a["id"] for a in body["articles"]]
    assert ids == sorted(ids, reverse=True) and world.ids["article_id"] in ids
    detail = client.get(f"/api/v1/articles/{world.ids['article_id']}", headers=headers).get_json()
    assert detail["title"] == "Harbour closure" and detail["items"]
    for item in detail["items"]:
        if item["span"]:
            assert detail["text"][item["span"]["start"]:item["span"]["end"]]


def test_sources_show_score_interval_prior_and_its_origin(client, world, tokens):
    headers = bearer(tokens[("admin", "read")])
    listed = client.get("/api/v1/sources?limit=200", headers=headers).get_json()["sources"]
    assert world.ids["source_id"] in {s["id"] for s in listed}
    detail = client.get(f"/api/v1/sources/{world.ids['other_source_id']}", headers=headers).get_json()
    assert detail["name"] == "Coastal Gazette"
    assert 0 <= detail["score"]["low"] <= detail["score"]["mean"] <= detail["score"]["high"] <= 1
    assert detail["prior"]["origin"] in {"editorial", "domain", "uniform"}
    assert set(detail["records"]) == {"claimant", "relay"}


def test_published_verdicts_are_public_with_their_claimreview(client, world):
    body = client.get("/api/v1/verdicts").get_json()
    ids = [v["item_id"] for v in body["verdicts"]]
    assert world.ids["published_item_id"] in ids and world.ids["verdict_item_id"] not in ids
    one = client.get(f"/api/v1/verdicts/{world.ids['published_item_id']}").get_json()
    assert one["item_id"] == world.ids["published_item_id"]
    assert one["claimreview"] is None or one["claimreview"]["@type"] == "ClaimReview"
    draft = client.get(f"/api/v1/verdicts/{world.ids['verdict_item_id']}")
    assert draft.status_code == 404 and draft.is_json


def test_every_error_under_the_api_is_json(client, world, tokens):
    headers = bearer(tokens[("checker", "write")])
    unknown = client.get("/api/v1/no-such-thing", headers=headers)
    assert unknown.status_code == 404 and unknown.is_json and unknown.get_json()["status"] == 404
    missing = client.get("/api/v1/items/2147483647", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"] == "There is no check item #2147483647."
    wrong_method = client.delete("/api/v1/items", headers=headers)
    assert wrong_method.status_code == 405 and wrong_method.is_json
    malformed = client.post(f"/api/v1/items/{world.ids['claim_item_id']}/take", headers=headers,
                            data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.get_json()["error"] == "The request body is not valid JSON."
    form = client.post(f"/api/v1/items/{world.ids['claim_item_id']}/take", headers=headers, data={"version": "1"})
    assert form.status_code == 415 and form.is_json
    too_big = client.get("/api/v1/items?after=99999999999", headers=headers)
    assert too_big.status_code == 400 and too_big.is_json


def test_the_reference_page_and_the_document_are_served(client):
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200 and doc.get_json()["openapi"].startswith("3.1")
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "POST /api/v1/items/{item_id}/take" in page.get_data(as_text=True)


def test_every_list_answers_exactly_what_its_model_would_write_after_validating_it(client, world, tokens):
    """The lists build their rows without validating what was read from the database again: each
    answer must be byte for byte what the documented model writes after validating that answer."""
    from factcheck.web.api import schemas

    headers = bearer(tokens[("reviewer", "read")])
    lists = {"/api/v1/items?limit=200": schemas.ItemList, "/api/v1/items?status=published": schemas.ItemList,
             "/api/v1/articles": schemas.ArticleList, "/api/v1/sources?limit=200": schemas.SourceList,
             "/api/v1/verdicts": schemas.VerdictList}
    for path, model in lists.items():
        body = client.get(path, headers=headers).get_data()
        rows = next(iter(model.model_validate_json(body).model_dump().values()))
        assert rows, path  # the world has rows of every list
        assert model.model_validate_json(body).model_dump_json().encode() == body, path
    # what the rows show: claimants, published ratings, scores and ClaimReview, not only empty fields
    items = client.get("/api/v1/items?status=published", headers=headers).get_json()["items"]
    assert any(i["claimant"] for i in items) and any(i["rating"] for i in items)
    verdicts = client.get("/api/v1/verdicts", headers=headers).get_json()["verdicts"]
    assert any(v["claimreview"] for v in verdicts)


def test_a_body_nested_too_deeply_or_naming_a_field_twice_is_refused_with_400_and_changes_nothing(client, world,
                                                                                                   tokens, session):
    """Any token, a read one too, reaches the body's check: a deeply nested body was a 500 (the parser's
    recursion), and a field named twice was read by its last value while a proxy may read the first."""
    from factcheck.models import CheckItem

    item_id = world.ids["claim_item_id"]
    before = session.get(CheckItem, item_id).version
    for scope in ("read", "write"):
        headers = bearer(tokens[("checker", scope)])
        for depth in (1_000, 100_000):
            deep = client.post(f"/api/v1/items/{item_id}/take", headers=headers, data="[" * depth,
                               content_type="application/json")
            assert deep.status_code == 400 and deep.get_json()["error"] == "The request body is nested too deeply."
    twice = client.post(f"/api/v1/items/{item_id}/take", headers=bearer(tokens[("checker", "write")]),
                        data=f'{{"version": {before + 5}, "version": {before}}}', content_type="application/json")
    assert twice.status_code == 400 and "“version” twice" in twice.get_json()["error"]
    nested = client.post(f"/api/v1/items/{item_id}/take", headers=bearer(tokens[("checker", "write")]),
                         data='{"a": {"b": 1}, "b": {"b": 2}}', content_type="application/json")
    assert nested.status_code == 422  # the same name in two objects is no repeat (the model refuses the fields)
    session.expire_all()
    assert session.get(CheckItem, item_id).version == before


def test_an_items_actions_are_none_for_a_read_token_which_may_change_nothing(client, world, tokens):
    """The actions say what the token's owner may do now: a checker's read token is refused a take (403), so the
    take is not offered to it, with the reason; the same checker's write token is offered it."""
    item_id = world.ids["claim_item_id"]
    read = client.get(f"/api/v1/items/{item_id}", headers=bearer(tokens[("checker", "read")])).get_json()
    write = client.get(f"/api/v1/items/{item_id}", headers=bearer(tokens[("checker", "write")])).get_json()
    take = {a["action"]: a for a in write["actions"]}["take"]
    assert take["allowed"] is True
    assert {a["action"]: a for a in read["actions"]}["take"] == {
        "action": "take", "allowed": False, "reason": "This token may only read. Make a read-write token to change anything."}
    assert not any(a["allowed"] for a in read["actions"])
    refused = client.post(f"/api/v1/items/{item_id}/take", headers=bearer(tokens[("checker", "read")]), json={})
    assert refused.status_code == 403
