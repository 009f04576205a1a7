"""The append-only audit trail: one event per transition, vote and edit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import AuditEvent, Base, User


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
    event = AuditEvent(**event_row(action=action, entity=entity, entity_id=entity_id, actor=actor, item_id=item_id,
                                   from_status=from_status, to_status=to_status,
                                   payload=_with_token(session, payload)))
    session.add(event)
    return event


def event_row(
    *,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: int | None,
    actor: User | None,
    item_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of an audit event, for ``record_events``."""
    return {"action": action, "entity": entity, "entity_id": entity_id,
            "actor_id": actor.id if actor is not None else None, "item_id": item_id,
            "from_status": from_status, "to_status": to_status, "payload": payload or {}}


def record_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write many audit events (``event_row``) in one statement, after everything pending in the session.

    Their ids follow the order of ``rows``; they are not loaded into the session (nothing reads
    them back in the unit of work that writes them).
    """
    if rows:
        session.execute(insert(table(AuditEvent)),
                        [{**row, "payload": _with_token(session, row["payload"])} for row in rows])


def _with_token(session: Session, payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload, naming the API token whose request makes the change (if any)."""
    token_name = session.info.get("api_token")
    return {**(payload or {}), "token": token_name} if token_name else (payload or {})


def table(model: type[Base]) -> Table:
    """A model's table, for Core INSERTs of many rows: one statement for any number of them (the ORM's
    bulk INSERT splits rows by which columns are None, and on SQLite inserts one row at a time when it
    needs their ids)."""
    return cast(Table, model.__table__)
