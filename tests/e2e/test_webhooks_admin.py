"""Webhooks through the web: an admin registers a receiver, a reviewer's vote publishes, the receiver gets a
signed delivery, and the log says how each attempt went."""

from __future__ import annotations

import json
import re
import time
import uuid

import pytest
from sqlalchemy import select

from factcheck import jobs
from factcheck.domain.webhooks import SIGNATURE_HEADER, DeliveryState, EventKind, verify_signature
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import AuditEvent, Webhook, WebhookDelivery
from factcheck.services import webhooks
from tests.e2e.conftest import page_token, signed_in
from tests.factories import seen_key
from tests.webhook_receiver import receiver


@pytest.fixture
def hook_app(app, tmp_path):
    """The app with a queue of its own in a temporary file, and receivers on this machine allowed."""
    app.config.update(JOBS_PATH=str(tmp_path / "jobs.sqlite3"), JOBS_NAME=f"factcheck-test-{uuid.uuid4().hex}",
                      WEBHOOK_ALLOW_PRIVATE=True)
    app.extensions.pop("factcheck.jobs", None)
    yield app
    jobs.queue(app).flush()
    app.extensions.pop("factcheck.jobs", None)


def _register(client, url, events=("verdict.published",), description="the CMS"):
    return client.post("/admin/webhooks", data={"csrf_token": page_token(client), "url": url,
                                                "description": description, "events": list(events)})


def test_an_admin_registers_a_hook_and_sees_its_secret_once(client, world, hook_app, session):
    signed_in(client, world, "admin")
    response = _register(client, "http://127.0.0.1:8123/hooks")
    assert response.status_code == 201
    hook = session.scalars(select(Webhook)).one()
    body = response.get_data(as_text=True)
    assert hook.secret in body and SIGNATURE_HEADER in body
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    assert "http://127.0.0.1:8123/hooks" in listing and hook.secret not in listing
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.WEBHOOK)).all()
    assert (event.action, event.entity_id, event.actor_id) == (AuditAction.WEBHOOK_REGISTER, hook.id,
                                                               world.users["admin"].id)
    assert event.payload == {"url": "http://127.0.0.1:8123/hooks", "events": ["verdict.published"]}
    events_page = client.get("/admin/events").get_data(as_text=True)
    assert "webhook register" in events_page and hook.secret not in events_page


def test_the_registration_sent_again_makes_no_second_hook_and_shows_no_secret(client, world, hook_app, session):
    """A reload of the page the registration answered sends the same form again (same token, same fields)."""
    signed_in(client, world, "admin")
    data = {"csrf_token": page_token(client), "url": "http://127.0.0.1:8123/hooks", "description": "the CMS",
            "events": ["verdict.published"]}
    assert client.post("/admin/webhooks", data=data).status_code == 201
    hook = session.scalars(select(Webhook)).one()
    again = client.post("/admin/webhooks", data=data)
    assert again.status_code == 409
    body = again.get_data(as_text=True)
    assert f"Webhook #{hook.id} already sends to http://127.0.0.1:8123/hooks" in body
    assert "whsec_" not in body
    assert session.scalars(select(Webhook.id)).all() == [hook.id]


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://files.example.org/x", "must start with https://"),
    ("javascript:alert(1)", "must start with https://"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("", "Give the URL"),
])
def test_a_url_the_desk_will_not_send_to_is_refused_and_nothing_is_stored(client, world, hook_app, session, url,
                                                                          message):
    signed_in(client, world, "admin")
    response = _register(client, url)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalars(select(Webhook)).all() == []


def test_private_receivers_are_refused_unless_allowed(client, world, hook_app, session):
    hook_app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    signed_in(client, world, "admin")
    response = _register(client, "http://127.0.0.1:8123/hooks")
    assert response.status_code == 422 and "FACTCHECK_WEBHOOK_ALLOW_PRIVATE" in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client, world, hook_app, session):
    signed_in(client, world, "admin")
    response = client.post("/admin/webhooks", data={"url": "http://127.0.0.1:8123/", "events": ["verdict.published"]})
    assert response.status_code in (400, 422)
    assert session.scalars(select(Webhook)).all() == []


def test_a_vote_that_publishes_reaches_the_receiver_signed_and_the_log_shows_it(client, world, hook_app, session):
    with receiver() as server:
        signed_in(client, world, "admin")
        assert _register(client, server.url).status_code == 201
        hook = session.scalars(select(Webhook)).one()
        client.post("/logout", data={"csrf_token": page_token(client)})
        signed_in(client, world, "reviewer")
        item_id = world.ids["verdict_item_id"]
        response = client.post(f"/queue/{item_id}/vote", data={"csrf_token": page_token(client),
                                                                "decision": "approve", "rating": "",
                                                                "seen": seen_key(session, item_id)})
        assert response.status_code == 302
        assert server.received == []  # sent by the job, not by the request
        assert jobs.execute_next(hook_app) is True
        [got] = server.received
    assert verify_signature(hook.secret, got.headers[SIGNATURE_HEADER], got.body, now=int(time.time()))
    body = json.loads(got.body)
    assert (body["type"], body["data"]["item_id"]) == ("verdict.published", item_id)
    client.post("/logout", data={"csrf_token": page_token(client)})
    signed_in(client, world, "admin")
    log = client.get("/admin/webhooks/deliveries").get_data(as_text=True)
    assert "verdict.published" in log and "delivered" in log and "200" in log


def test_a_failed_attempt_shows_its_error_and_next_attempt_and_can_be_sent_again(client, world, hook_app, session):
    with receiver(500) as server:
        hook = webhooks.register_webhook(session, server.url, [EventKind.VERDICT_PUBLISHED], actor=None,
                                         allow_private=True)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
        session.commit()
        jobs.run_webhook_deliveries(hook_app, schedule=False)
        signed_in(client, world, "admin")
        log = client.get(f"/admin/webhooks/deliveries?webhook={hook.id}&state=pending").get_data(as_text=True)
        assert "The receiver answered 500 Internal Server Error." in log
        [delivery] = session.scalars(select(WebhookDelivery)).all()
        next_at = re.search(rf'id="delivery-{delivery.id}".*?</tr>', log, re.S).group(0)
        assert "—" not in next_at.split("</td>")[6]  # a next attempt is shown
        response = client.post(f"/admin/webhooks/deliveries/{delivery.id}/retry",
                               data={"csrf_token": page_token(client)})
        assert response.status_code == 302
        session.expire_all()
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
        assert jobs.execute_next(hook_app) is True  # the retry queued a run
        assert len(server.received) == 2
    session.expire_all()
    assert delivery.state is DeliveryState.DELIVERED


def test_an_admin_pauses_resumes_and_removes_a_hook(client, world, hook_app, session):
    hook = webhooks.register_webhook(session, "http://127.0.0.1:9/x", [EventKind.ITEM_SUBMITTED], actor=None,
                                     allow_private=True)
    session.flush()
    signed_in(client, world, "admin")
    assert client.post(f"/admin/webhooks/{hook.id}/pause", data={"csrf_token": page_token(client)}).status_code == 302
    session.expire_all()
    assert hook.is_active is False
    assert "paused" in client.get("/admin/webhooks").get_data(as_text=True)
    assert client.post(f"/admin/webhooks/{hook.id}/resume", data={"csrf_token": page_token(client)}).status_code == 302
    session.expire_all()
    assert hook.is_active is True
    assert client.post(f"/admin/webhooks/{hook.id}/delete", data={"csrf_token": page_token(client)}).status_code == 302
    assert session.scalars(select(Webhook)).all() == []
    assert client.post(f"/admin/webhooks/{hook.id}/delete", data={"csrf_token": page_token(client)}).status_code == 404
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.WEBHOOK)
                             .order_by(AuditEvent.id)).all()
    assert [(e.action, e.entity_id, e.actor_id) for e in events] == [
        (AuditAction.WEBHOOK_REGISTER, hook.id, None),
        (AuditAction.WEBHOOK_PAUSE, hook.id, world.users["admin"].id),
        (AuditAction.WEBHOOK_RESUME, hook.id, world.users["admin"].id),
        (AuditAction.WEBHOOK_REMOVE, hook.id, world.users["admin"].id)]
    page = client.get("/admin/events?action=webhook_pause")
    assert page.status_code == 200 and "http://127.0.0.1:9/x" in page.get_data(as_text=True)


def test_the_log_refuses_a_state_it_does_not_know(client, world, hook_app):
    signed_in(client, world, "admin")
    response = client.get("/admin/webhooks/deliveries?state=lost")
    assert response.status_code == 400 and "pending, delivered or failed" in response.get_data(as_text=True)
