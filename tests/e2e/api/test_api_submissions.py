"""Readers' claims through the API (bots, tiplines): recorded as the public inbox records them."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.domain.workflow import Origin, Status
from factcheck.models import CheckItem, ReaderSubmission
from tests.e2e.api.conftest import bearer


def test_a_new_claim_becomes_a_reader_item_and_a_second_reader_is_counted(client, world, tokens, session):
    headers = bearer(tokens[("checker", "write")])
    claim = "The lighthouse on the north pier was sold to a shipping company for one euro."
    first = client.post("/api/v1/submissions", json={"claim": claim, "seen_at_url": "https://social.example.org/p/9",
                                                     "email": "reader@example.org"}, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    body = first.get_json()
    assert body["is_new_item"] is True and body["readers"] == 1 and body["answered_by"] is None
    item = session.get(CheckItem, body["item_id"])
    assert item.origin is Origin.READER and item.status is Status.CLAIM
    second = client.post("/api/v1/submissions", json={"claim": claim.lower()}, headers=headers).get_json()
    assert second["item_id"] == body["item_id"] and second["is_new_item"] is False and second["readers"] == 2
    stored = session.scalars(select(ReaderSubmission).where(ReaderSubmission.item_id == body["item_id"])).all()
    assert sorted(s.email or "" for s in stored) == ["", "reader@example.org"]


def test_a_claim_the_desk_has_checked_is_answered_with_its_verdict_page(client, world, tokens, session):
    published = session.get(CheckItem, world.ids["published_item_id"])
    headers = bearer(tokens[("editor", "write")])
    response = client.post("/api/v1/submissions", json={"claim": published.claim_text,
                                                        "email": "reader@example.org"}, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["item_id"] == published.id and body["answered_by"].endswith(f"/verdicts/{published.id}")
    submission = session.get(ReaderSubmission, body["submission_id"])
    assert submission.answered_on_screen and submission.email is None


def test_bad_submissions_are_plain_422s_and_read_tokens_cannot_submit(client, world, tokens, session):
    before = session.query(ReaderSubmission).count()
    headers = bearer(tokens[("checker", "write")])
    for bad in ({"claim": "Ferries are free.", "seen_at_url": "javascript:alert(1)"},
                {"claim": "Ferries are free.", "email": "not an address"},
                {"claim": "x" * 2001}, {}):
        response = client.post("/api/v1/submissions", json=bad, headers=headers)
        assert response.status_code == 422 and response.is_json, bad
        assert response.get_json()["error"]
    read_only = client.post("/api/v1/submissions", json={"claim": "Ferries are free."},
                            headers=bearer(tokens[("checker", "read")]))
    assert read_only.status_code == 403
    session.expire_all()
    assert session.query(ReaderSubmission).count() == before
