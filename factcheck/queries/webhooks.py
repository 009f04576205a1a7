"""Read models for the admin's webhook pages: the hooks with their delivery counts, and the delivery log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from factcheck.domain.webhooks import DeliveryState, EventKind
from factcheck.models import Webhook, WebhookDelivery, WebhookEvent

#: Rows on the delivery log.
LOG_SIZE = 200


@dataclass(frozen=True)
class HookRow:
    """One hook on the admin's list."""

    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    created_at: dt.datetime
    delivered: int
    waiting: int
    failed: int


@dataclass(frozen=True)
class DeliveryRow:
    """One delivery on the log: the event, the hook, the last answer and what happens next."""

    id: int
    webhook_id: int
    url: str
    event_id: int
    kind: EventKind
    state: DeliveryState
    attempts: int
    last_status: int | None
    last_error: str | None
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


def list_hooks(session: Session) -> list[HookRow]:
    """Every hook with its deliveries counted by state (one statement)."""
    def counted(state: DeliveryState):
        return func.count(case((WebhookDelivery.state == state, 1)))

    rows = session.execute(
        select(Webhook, counted(DeliveryState.DELIVERED), counted(DeliveryState.PENDING),
               counted(DeliveryState.FAILED))
        .outerjoin(WebhookDelivery, WebhookDelivery.webhook_id == Webhook.id)
        .group_by(Webhook.id).order_by(Webhook.id))
    return [HookRow(h.id, h.url, h.description, list(h.events), h.is_active, h.created_at, int(d), int(w), int(f))
            for h, d, w, f in rows]


def delivery_log(session: Session, *, webhook_id: int | None = None, state: DeliveryState | None = None,
                 limit: int = LOG_SIZE) -> list[DeliveryRow]:
    """The latest deliveries, newest first, of one hook or all, in one state or any (one statement)."""
    query = (select(WebhookDelivery, Webhook.url, WebhookEvent.kind)
             .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
             .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id))
    if webhook_id is not None:
        query = query.where(WebhookDelivery.webhook_id == webhook_id)
    if state is not None:
        query = query.where(WebhookDelivery.state == state)
    rows = session.execute(query.order_by(WebhookDelivery.id.desc()).limit(limit))
    return [DeliveryRow(d.id, d.webhook_id, url, d.event_id, kind, d.state, d.attempts, d.last_status, d.last_error,
                        d.last_attempt_at, d.next_attempt_at if d.state is DeliveryState.PENDING else None,
                        d.delivered_at, d.created_at)
            for d, url, kind in rows]
