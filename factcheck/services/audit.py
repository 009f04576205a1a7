"""The append-only audit trail: one event per transition, vote and edit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import AuditEvent, User


def record_event(
    session: Session,
    *,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: int | None,
    actor: User | None,
    item_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (it is written with the change it records).

    A change made through the API carries the name of the token that made it: the request puts
    it in ``session.info["api_token"]``.
    """
    token_name = session.info.get("api_token")
    if token_name:
        payload = {**(payload or {}), "token": token_name}
    event = AuditEvent(
        action=action,
        entity=entity,
        entity_id=entity_id,
        actor_id=actor.id if actor is not None else None,
        item_id=item_id,
        from_status=from_status,
        to_status=to_status,
        payload=payload or {},
    )
    session.add(event)
    return event
