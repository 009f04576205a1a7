"""Relations between check items: one denies, supports or repeats another."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.permissions import may_edit
from factcheck.domain.workflow import AuditAction, AuditEntity, RelationType
from factcheck.models import CheckItem, ItemRelation, User
from factcheck.services.audit import record_event
from factcheck.services.errors import Duplicate, InvalidInput
from factcheck.services.items import get_item
from factcheck.services.sources import OPEN_STATUSES, refresh_priority


def add_relation(session: Session, item_id: int, actor: User, *, relation_type: RelationType | str,
                 target_id: int | None) -> ItemRelation:
    """Record that the item denies, supports or repeats item #``target_id``."""
    item = get_item(session, item_id, for_update=True)  # (as every change of the item: a dismissal meanwhile waits)
    may_edit(item, actor).enforce()
    try:
        kind = RelationType(relation_type)
    except ValueError:
        raise InvalidInput("Choose denies, supports or repeats.") from None
    if target_id is None:
        raise InvalidInput("Give the number of the other check item, such as 12 for #12.")
    if target_id == item.id:
        raise InvalidInput("An item cannot relate to itself.")
    if session.get(CheckItem, target_id) is None:
        # A form error, not a dead end: the person mistyped a number and keeps what they wrote.
        raise InvalidInput(f"There is no check item #{target_id}. Check the number and try again.")
    existing = session.scalar(select(ItemRelation.id).where(
        ItemRelation.item_id == item.id, ItemRelation.target_id == target_id, ItemRelation.type == kind))
    if existing is not None:
        raise Duplicate(f"This item already {kind.value} #{target_id}.")
    relation = ItemRelation(item_id=item.id, target_id=target_id, type=kind, created_by_id=actor.id)
    session.add(relation)
    session.flush()
    record_event(session, action=AuditAction.RELATE, entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id, actor=actor,
                 payload={"type": kind.value, "target_id": target_id, "relation_id": relation.id})
    if kind is RelationType.REPEATS and item.status in OPEN_STATUSES:
        # a claim going round again deserves attention sooner (unless a person set the priority)
        refresh_priority(session, item, f"repeats #{target_id}")
    return relation
