"""Account and admin changes in the audit trail: API tokens made and revoked, webhooks registered, paused,
resumed and removed; one event each, in the change's transaction, never with a secret; refusals write none."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from factcheck import migrate

from factcheck.domain.webhooks import EventKind
from factcheck.domain.workflow import AuditAction, AuditEntity, Role
from factcheck.models import AuditEvent, Webhook
from factcheck.queries.accounts import account_events
from factcheck.services import tokens as token_service
from factcheck.services import webhooks
from factcheck.services.errors import Duplicate, InvalidInput
from tests.factories import gen_user

PUBLIC = ["93.184.216.34"]


def _public(host: str, port: int) -> list[str]:
    """cms.example.org resolves to a public address; an address resolves to itself."""
    return PUBLIC if host == "cms.example.org" else [host]


def _events(session) -> list[AuditEvent]:
    session.flush()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.entity.in_([AuditEntity.TOKEN,
                                                                                  AuditEntity.WEBHOOK]))
                                .order_by(AuditEvent.id)))


def test_making_a_token_writes_one_event_naming_it_and_its_scope_never_its_secret(session):
    owner = gen_user(session, Role.CHECKER)
    row, secret = token_service.create_token(session, owner, name="CMS  sync", scope="write", actor=owner)
    [event] = _events(session)
    assert (event.action, event.entity, event.entity_id, event.actor_id) == (
        AuditAction.TOKEN_CREATE, AuditEntity.TOKEN, row.id, owner.id)
    assert event.payload["name"] == "CMS sync" and event.payload["scope"] == "write"
    assert event.payload["account_id"] == owner.id
    text = json.dumps(event.payload)
    assert secret not in text and row.token_hash not in text and "fc_" not in text


def test_revoking_a_token_writes_one_event_and_revoking_it_again_none(session):
    owner = gen_user(session, Role.CHECKER)
    admin = gen_user(session, Role.ADMIN)
    row, secret = token_service.create_token(session, owner, name="bot", scope="read")
    token_service.revoke_token(session, owner.id, "bot", actor=admin)
    token_service.revoke_token(session, owner.id, "bot", actor=admin)
    made, revoked = _events(session)
    assert made.action is AuditAction.TOKEN_CREATE and made.actor_id is None  # from the command line
    assert (revoked.action, revoked.entity, revoked.entity_id, revoked.actor_id) == (
        AuditAction.TOKEN_REVOKE, AuditEntity.TOKEN, row.id, admin.id)
    assert revoked.payload["name"] == "bot" and revoked.payload["scope"] == "read"
    assert secret not in json.dumps(revoked.payload) and row.token_hash not in json.dumps(revoked.payload)


@pytest.mark.parametrize("name, scope", [("bot", "read"), ("", "read"), ("other", "admin")])
def test_a_refused_token_writes_no_event(session, name, scope):
    owner = gen_user(session, Role.CHECKER)
    token_service.create_token(session, owner, name="bot", scope="read", actor=owner)
    before = len(_events(session))
    with pytest.raises((Duplicate, InvalidInput)):
        token_service.create_token(session, owner, name=name, scope=scope, actor=owner)
    assert len(_events(session)) == before == 1


def test_each_webhook_change_writes_one_event_naming_url_and_events_never_the_secret(session):
    admin = gen_user(session, Role.ADMIN)
    hook = webhooks.register_webhook(session, "https://cms.example.org/hooks",
                                     [EventKind.VERDICT_PUBLISHED, EventKind.ITEM_SUBMITTED], actor=admin,
                                     allow_private=False, resolver=_public)
    hook_id, secret = hook.id, hook.secret
    webhooks.set_webhook_active(session, hook_id, False, actor=admin)
    webhooks.set_webhook_active(session, hook_id, False, actor=admin)  # already paused: no change, no event
    webhooks.set_webhook_active(session, hook_id, True, actor=admin)
    webhooks.remove_webhook(session, hook_id, actor=admin)
    assert session.get(Webhook, hook_id) is None
    events = _events(session)
    assert [e.action for e in events] == [AuditAction.WEBHOOK_REGISTER, AuditAction.WEBHOOK_PAUSE,
                                          AuditAction.WEBHOOK_RESUME, AuditAction.WEBHOOK_REMOVE]
    for event in events:
        assert (event.entity, event.entity_id, event.actor_id) == (AuditEntity.WEBHOOK, hook_id, admin.id)
        assert event.payload == {"url": "https://cms.example.org/hooks",
                                 "events": sorted([EventKind.VERDICT_PUBLISHED.value, EventKind.ITEM_SUBMITTED.value])}
        assert secret not in json.dumps(event.payload)


@pytest.mark.parametrize("url, kinds", [
    ("http://169.254.169.254/latest", [EventKind.VERDICT_PUBLISHED]),  # cloud metadata
    ("ftp://cms.example.org/hooks", [EventKind.VERDICT_PUBLISHED]),
    ("https://cms.example.org/hooks", []),
])
def test_a_refused_webhook_writes_no_event(session, url, kinds):
    admin = gen_user(session, Role.ADMIN)
    with pytest.raises(InvalidInput):
        webhooks.register_webhook(session, url, kinds, actor=admin, allow_private=False, resolver=_public)
    assert _events(session) == []


def test_the_admins_events_page_lists_token_and_webhook_events_under_the_right_account(session):
    owner = gen_user(session, Role.CHECKER, email="checker-audit@example.org")
    admin = gen_user(session, Role.ADMIN, email="admin-audit@example.org")
    token_service.create_token(session, owner, name="tipline", scope="read", actor=owner)
    token_service.revoke_token(session, owner.id, "tipline", actor=owner)
    hook = webhooks.register_webhook(session, "https://cms.example.org/in", [EventKind.VERDICT_PUBLISHED],
                                     actor=admin, allow_private=False, resolver=_public)
    session.flush()
    rows = account_events(session)
    by_action = {r.action: r for r in rows}
    made = by_action[AuditAction.TOKEN_CREATE]
    assert made.account == "checker-audit@example.org" and made.actor == "checker-audit@example.org"
    assert made.details["name"] == "tipline" and "account_id" not in made.details
    registered = by_action[AuditAction.WEBHOOK_REGISTER]
    assert registered.actor == "admin-audit@example.org" and registered.account == "—"
    assert registered.details["url"] == "https://cms.example.org/in" and hook.secret not in json.dumps(registered.details)
    only = account_events(session, action=AuditAction.TOKEN_REVOKE)
    assert [r.action for r in only] == [AuditAction.TOKEN_REVOKE]
    mine = account_events(session, account="checker-audit")
    assert {r.action for r in mine} >= {AuditAction.TOKEN_CREATE, AuditAction.TOKEN_REVOKE}
    assert AuditAction.WEBHOOK_REGISTER not in {r.action for r in mine}


WIDENED = "e5b7c2d9a614"
PREVIOUS = "c4f2a8d61e93"


def test_the_migration_down_drops_token_and_webhook_events_keeps_the_rest_and_the_guard(empty_db):
    insert = ("INSERT INTO audit_events (entity, action, created_at, payload) "
              "VALUES (:entity, :action, '2026-11-30 19:00:00', '{}')")
    migrate.upgrade(empty_db.url, WIDENED)
    with empty_db.engine.begin() as conn:
        for entity, action in (("user", "sign_in"), ("token", "token_create"), ("webhook", "webhook_remove")):
            conn.execute(text(insert), {"entity": entity, "action": action})
    migrate.downgrade(empty_db.url, PREVIOUS)
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT entity, action FROM audit_events")).all() == [("user", "sign_in")]
    with pytest.raises(IntegrityError, match="ck_audit_events_(action|entity)"), empty_db.engine.begin() as conn:
        conn.execute(text(insert), {"entity": "token", "action": "token_create"})
    with pytest.raises(DatabaseError, match="append-only"), empty_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    migrate.upgrade(empty_db.url, WIDENED)
    with empty_db.engine.begin() as conn:
        conn.execute(text(insert), {"entity": "webhook", "action": "webhook_register"})
    with pytest.raises(DatabaseError, match="append-only"), empty_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 2
