"""Writing through the API: the same services and refusals as the forms, tokens, CSRF, rate limits, audit."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.domain.workflow import AuditAction, Status
from factcheck.models import Article, AuditEvent, CheckItem, Evidence, Vote
from factcheck.services.sessions import end_all_sessions
from factcheck.services.tokens import create_token
from tests.e2e.api.conftest import bearer
from tests.e2e.conftest import WORLD_ARTICLE, page_token, signed_in
from tests.factories import gen_item_in


def test_a_checker_takes_an_item_and_the_audit_names_the_token(client, world, tokens, session):
    item_id = world.ids["claim_item_id"]
    response = client.post(f"/api/v1/items/{item_id}/take", json={}, headers=bearer(tokens[("checker", "write")]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["item"]["status"] == "evidence"
    item = session.get(CheckItem, item_id, populate_existing=True)
    assert item.status is Status.EVIDENCE and item.assignee_id == world.users["checker"].id
    event = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item_id,
                                                     AuditEvent.action == AuditAction.TAKE)).one()
    assert event.payload["token"] == "checker write"


def test_a_refusal_is_the_forms_message_with_its_status_and_changes_nothing(client, world, tokens, session):
    item_id = world.ids["item_id"]  # in evidence already, held by the checker
    response = client.post(f"/api/v1/items/{item_id}/take", json={}, headers=bearer(tokens[("checker", "write")]))
    assert response.status_code == 409 and response.is_json
    body = response.get_json()
    assert body["status"] == 409 and body["error"]
    stale = client.post(f"/api/v1/items/{world.ids['claim_item_id']}/take", json={"version": 999},
                        headers=bearer(tokens[("checker", "write")]))
    assert stale.status_code == 409
    assert session.get(CheckItem, world.ids["claim_item_id"], populate_existing=True).status is Status.CLAIM


def test_a_read_token_cannot_write_and_a_role_that_may_not_gets_403(client, world, tokens, session):
    item_id = world.ids["claim_item_id"]
    read = client.post(f"/api/v1/items/{item_id}/take", json={}, headers=bearer(tokens[("checker", "read")]))
    assert read.status_code == 403 and "only read" in read.get_json()["error"]
    role = client.post(f"/api/v1/items/{item_id}/take", json={}, headers=bearer(tokens[("reviewer", "write")]))
    assert role.status_code == 403 and role.is_json
    assert session.get(CheckItem, item_id, populate_existing=True).status is Status.CLAIM


def test_a_session_cookie_without_a_token_cannot_write(client, world, session):
    signed_in(client, world, "checker")
    item_id = world.ids["claim_item_id"]
    response = client.post(f"/api/v1/items/{item_id}/take", json={}, headers={"X-CSRFToken": page_token(client)})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert session.get(CheckItem, item_id, populate_existing=True).status is Status.CLAIM
    assert client.get("/api/v1/items").status_code == 401  # the cookie does not read either


def test_unknown_expired_and_malformed_tokens_get_401(client, world, session):
    for header in ("Bearer fc_nothing", "Basic abc", "Bearer", "Bearer " + "x" * 300):
        response = client.get("/api/v1/items", headers={"Authorization": header})
        assert response.status_code == 401 and response.is_json, header
    row, secret = create_token(session, world.users["checker"], name="short", scope="read", expires_days=1)
    row.expires_at = row.created_at
    session.flush()
    assert client.get("/api/v1/items", headers=bearer(secret)).status_code == 401


def test_tokens_end_with_the_accounts_sessions(client, world, tokens, session):
    headers = bearer(tokens[("editor", "write")])
    assert client.get("/api/v1/items", headers=headers).status_code == 200
    end_all_sessions(session, world.users["editor"].id, reason="signed out everywhere", actor=world.users["editor"])
    session.flush()
    assert client.get("/api/v1/items", headers=headers).status_code == 401


def test_signing_out_everywhere_on_the_account_page_revokes_tokens(client, world, tokens):
    headers = bearer(tokens[("checker", "read")])
    signed_in(client, world, "checker")
    response = client.post("/account/sessions/end", data={"csrf_token": page_token(client)})
    assert response.status_code == 302
    assert client.get("/api/v1/items", headers=headers).status_code == 401


def test_a_token_over_its_rate_limit_gets_429_with_retry_after(app, client, world, tokens):
    app.config.update(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60)
    headers = bearer(tokens[("checker", "read")])
    statuses = [client.get("/api/v1/ratings", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/ratings", headers=headers)
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
    other = bearer(tokens[("editor", "read")])
    assert client.get("/api/v1/ratings", headers=other).status_code == 200  # per token, not global


def test_evidence_propose_and_vote_go_through_the_workflow(client, world, tokens, session):
    item = gen_item_in(session, Status.EVIDENCE, checker=world.users["checker"])
    session.flush()
    write = bearer(tokens[("checker", "write")])
    for n, source in enumerate(("Harbour Authority", "Port Gazette")):
        version = session.get(CheckItem, item.id, populate_existing=True).version
        added = client.post(f"/api/v1/items/{item.id}/evidence", headers=write, json={
            "version": version, "title": f"Record {n}", "stance": "refutes", "url": f"https://{n}.example.org/r",
            "source": source, "source_kind": "organisation"})
        assert added.status_code == 201, added.get_json()
        assert session.get(Evidence, added.get_json()["evidence_id"]).title == f"Record {n}"
    proposed = client.post(f"/api/v1/items/{item.id}/propose", headers=write,
                           json={"rating": "false", "summary": "It is not closing.", "rationale": "Records say so."})
    assert proposed.status_code == 200, proposed.get_json()
    assert proposed.get_json()["item"]["status"] == "verdict"
    reviewer = bearer(tokens[("reviewer", "write")])
    read = client.get(f"/api/v1/items/{item.id}", headers=reviewer).get_json()["verdict"]
    assert read["summary"] == "It is not closing." and read["review_key"]
    missing_comment = client.post(f"/api/v1/items/{item.id}/vote", headers=reviewer,
                                  json={"decision": "return", "review_key": read["review_key"]})
    assert missing_comment.status_code == 422
    unread = client.post(f"/api/v1/items/{item.id}/vote", headers=reviewer, json={"decision": "approve"})
    assert unread.status_code == 422 and "review_key" in unread.get_json()["error"]  # a vote names what it read
    voted = client.post(f"/api/v1/items/{item.id}/vote", headers=reviewer,
                        json={"decision": "approve", "review_key": read["review_key"]})
    assert voted.status_code == 200, voted.get_json()
    assert session.get(CheckItem, item.id, populate_existing=True).status in (Status.PUBLISHED, Status.VERDICT)
    events = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id, AuditEvent.action.in_(
        [AuditAction.ADD_EVIDENCE, AuditAction.PROPOSE, AuditAction.VOTE]))).all()
    assert sorted(e.action.value for e in events) == ["add_evidence", "add_evidence", "propose", "vote"]
    assert {e.action.value: e.payload["token"] for e in events} == {
        "add_evidence": "checker write", "propose": "checker write", "vote": "reviewer write"}


def test_a_proposal_without_enough_evidence_is_refused_with_422(client, world, tokens, session):
    item = gen_item_in(session, Status.EVIDENCE, checker=world.users["checker"])
    session.flush()
    response = client.post(f"/api/v1/items/{item.id}/propose", headers=bearer(tokens[("checker", "write")]),
                           json={"rating": "false", "summary": "s", "rationale": "r"})
    assert response.status_code == 422 and response.is_json
    assert session.get(CheckItem, item.id, populate_existing=True).status is Status.EVIDENCE


def test_posting_an_article_ingests_it_and_a_repeat_is_a_409_naming_the_first(client, world, tokens, session):
    write = bearer(tokens[("checker", "write")])
    text = "Ferries stop\n\nThe harbour master said on Friday that ferries would stop for a month in May."
    created = client.post("/api/v1/articles", headers=write, json={"text": text, "title": "Ferries"})
    assert created.status_code == 201, created.get_json()
    article_id = created.get_json()["article"]["id"]
    assert session.get(Article, article_id).title == "Ferries"
    again = client.post("/api/v1/articles", headers=write, json={"text": text})
    assert again.status_code == 409 and again.get_json()["duplicate_of"] == article_id
    both = client.post("/api/v1/articles", headers=write, json={"text": "a", "html": "<p>a</p>"})
    assert both.status_code == 422
    nul = client.post("/api/v1/articles", headers=write, json={"text": "Claims\n\nA said B.", "title": "a\u0000b"})
    assert nul.status_code == 422 and "NUL" in nul.get_json()["error"]
    html = client.post("/api/v1/articles", headers=write,
                       json={"html": "<h1>Rates</h1><p>The central bank said rates would rise by 2 percent.</p>"})
    assert html.status_code == 201, html.get_json()


def test_a_long_article_becomes_a_job_answered_with_202_and_its_address(job_app, client, world, tokens):
    job_app.config["INLINE_INGEST_CHARS"] = 100
    write = bearer(tokens[("checker", "write")])
    response = client.post("/api/v1/articles", headers=write, json={"text": WORLD_ARTICLE + " More words." * 20})
    assert response.status_code == 202, response.get_json()
    job = response.get_json()["job"]
    assert response.headers["Location"] == job["url"] and job["state"] == "queued"
    shown = client.get(urlsplit_path(job["url"]), headers=write)
    assert shown.status_code == 200 and shown.get_json()["id"] == job["id"]


def test_a_long_article_while_the_queue_cannot_be_reached_is_a_plain_503(job_app, client, world, tokens):
    job_app.config.update(INLINE_INGEST_CHARS=100, REDIS_URL="redis://127.0.0.1:9/7")  # nothing listens there
    job_app.extensions.pop("factcheck.jobs", None)
    response = client.post("/api/v1/articles", headers=bearer(tokens[("checker", "write")]),
                           json={"text": WORLD_ARTICLE + " More words." * 20})
    assert response.status_code == 503 and "cannot be reached" in response.get_json()["error"]


def test_a_job_whose_worker_stopped_says_so_on_the_api(job_app, client, world, tokens, monkeypatch):
    import datetime as dt

    from factcheck import jobs

    job_app.config["INLINE_INGEST_CHARS"] = 100
    write = bearer(tokens[("checker", "write")])
    made = client.post("/api/v1/articles", headers=write, json={"text": WORLD_ARTICLE + " More words." * 20})
    path = urlsplit_path(made.headers["Location"])
    later = jobs._now() + jobs.STALLED_AFTER + dt.timedelta(hours=1)
    monkeypatch.setattr(jobs, "_now", lambda: later)
    waiting = client.get(path, headers=write).get_json()
    assert waiting["state"] == "queued" and waiting["stalled"] is False  # waiting its turn in the queue
    assert jobs.queue(job_app).dequeue() is not None  # a worker took the run and died
    stopped = client.get(path, headers=write).get_json()
    assert stopped["state"] == "queued" and stopped["stalled"] is True


def urlsplit_path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


def test_a_vote_on_a_verdict_that_changed_since_it_was_read_is_refused(client, world, tokens, session):
    """A reviewer reads a verdict; meanwhile it is returned and proposed again as another rating. Their vote,
    naming what they read, is refused (409) and records nothing; read again, it goes through."""
    item = gen_item_in(session, Status.VERDICT, checker=world.users["checker"])
    session.flush()
    reviewer = bearer(tokens[("reviewer", "write")])
    read = client.get(f"/api/v1/items/{item.id}", headers=reviewer).get_json()["verdict"]
    returned = client.post(f"/api/v1/items/{item.id}/vote", headers=bearer(tokens[("reviewer", "write")]),
                           json={"decision": "return", "comment": "Cite the report.", "review_key": read["review_key"]})
    assert returned.status_code == 200, returned.get_json()
    checker = bearer(tokens[("checker", "write")])
    again = client.post(f"/api/v1/items/{item.id}/propose", headers=checker,
                        json={"rating": "true", "summary": "It is true after all.", "rationale": "The report."})
    assert again.status_code == 200, again.get_json()
    votes = session.scalar(select(func.count()).select_from(Vote))
    stale = client.post(f"/api/v1/items/{item.id}/vote", headers=reviewer,
                        json={"decision": "approve", "review_key": read["review_key"]})
    assert stale.status_code == 409 and "changed while you were reviewing" in stale.get_json()["error"]
    session.expire_all()
    assert session.get(CheckItem, item.id).status is Status.VERDICT
    assert session.scalar(select(func.count()).select_from(Vote)) == votes
    fresh = client.get(f"/api/v1/items/{item.id}", headers=reviewer).get_json()["verdict"]
    assert fresh["summary"] == "It is true after all." and fresh["review_key"] != read["review_key"]
    voted = client.post(f"/api/v1/items/{item.id}/vote", headers=reviewer,
                        json={"decision": "approve", "review_key": fresh["review_key"]})
    assert voted.status_code == 200, voted.get_json()
