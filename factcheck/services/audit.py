"""The append-only audit trail: one event per transition, vote and edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Enum, Insert, String, Table, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

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
    insert_rows(session, table(AuditEvent), [{**row, "payload": _with_token(session, row["payload"])} for row in rows])


def _with_token(session: Session, payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload, naming the API token whose request makes the change (if any)."""
    token_name = session.info.get("api_token")
    return {**(payload or {}), "token": token_name} if token_name else (payload or {})


def table(model: type[Base]) -> Table:
    """A model's table, for Core INSERTs of many rows: one statement for any number of them (the ORM's
    bulk INSERT splits rows by which columns are None, and on SQLite inserts one row at a time when it
    needs their ids)."""
    return cast(Table, model.__table__)


def insert_rows(session: Session, target: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows`` (each with the same columns) into ``target`` with one statement, their ids in the order
    of ``rows``; columns left out take their defaults (on PostgreSQL a default made in Python, such as
    ``created_at``, once for the statement: the rows are written at the same moment).

    On PostgreSQL psycopg runs an INSERT given many rows once for each row (pipelined, but each run a
    statement of its own, with its statement-level triggers): there the rows go as one array per column,
    unnested in order (``_unnested``). SQLite's executemany runs in the process and costs little.
    """
    if not rows:
        return
    names = tuple(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("insert_rows: every row must name the same columns")
    if len(rows) == 1 or session.get_bind().dialect.name != "postgresql":
        session.execute(insert(target), rows)
        return
    session.execute(_unnested(target, names), {f"each_{name}": [row[name] for row in rows] for name in names})


@lru_cache(maxsize=64)
def _unnested(target: Table, names: tuple[str, ...]) -> Insert:
    """``INSERT INTO target (names) SELECT … FROM unnest(arrays) WITH ORDINALITY ORDER BY ordinality``: one
    parameter ``each_<name>`` per column (a list). Text columns go as arrays of unbounded text, so a value too
    long for its column fails as in a plain INSERT instead of being cut by the cast to the column's length."""
    # (One dimension: a JSON column's value may itself be a list, which is one element, not a row of a matrix.)
    arrays = [bindparam(f"each_{name}", type_=ARRAY(_element_type(target.c[name].type), dimensions=1))
              for name in names]
    rows = func.unnest(*arrays).table_valued(*names, with_ordinality="ordinal").render_derived()
    return insert(target).from_select(list(names), select(*(rows.c[name] for name in names)).order_by(rows.c.ordinal))


def _element_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """An array element's type for a column: its own, but text without a length (an enum's values fit it)."""
    if isinstance(column_type, String) and not isinstance(column_type, Enum):
        return String()
    return column_type
