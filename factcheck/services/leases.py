"""Review leases: who may vote on a verdict that a reviewer reserved with "Review next".

A lease reserves an item in ``verdict`` for one reviewer until it expires. While it lasts, only that
reviewer may vote on the item, from the queue or from anywhere else. This module holds the checks
that both ``services/items.py`` (the vote) and ``services/queue.py`` (the leases) need; it imports
neither, so neither import goes round in a circle.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from factcheck.domain.workflow import WorkflowError
from factcheck.models import CheckItem, User, utcnow


class LeaseHeld(WorkflowError):
    """Another reviewer holds a live lease on the item."""


class TooManyLeases(WorkflowError):
    """The reviewer already holds as many live leases as the desk allows."""


def lease_is_free(now: dt.datetime) -> ColumnElement[bool]:
    """SQL condition: nobody holds a live lease on the item."""
    return or_(CheckItem.lease_expires_at.is_(None), CheckItem.lease_expires_at <= now)


def lease_is_held_by(reviewer_id: int, now: dt.datetime) -> ColumnElement[bool]:
    """SQL condition: ``reviewer_id`` holds a live lease on the item."""
    return (CheckItem.lease_user_id == reviewer_id) & (CheckItem.lease_expires_at > now)


def check_lease(session: Session, item: CheckItem, reviewer: User, now: dt.datetime | None = None) -> None:
    """Refuse a vote on ``item`` while another reviewer's lease on it lasts.

    The lease is read from the database, not from the loaded object: the caller has locked the
    item's row (``FOR UPDATE`` on PostgreSQL, the write lock on SQLite), so what is read is current.
    """
    now = now or utcnow()
    holder_id, expires_at = session.execute(
        select(CheckItem.lease_user_id, CheckItem.lease_expires_at).where(CheckItem.id == item.id)
    ).one()
    if holder_id is None or holder_id == reviewer.id or expires_at is None or expires_at <= now:
        return
    minutes = max(1, int((expires_at - now).total_seconds() + 59) // 60)
    raise LeaseHeld(
        f"Another reviewer reserved item #{item.id} with Review next and is reviewing it now; "
        f"the reservation ends in {minutes} minute{'' if minutes == 1 else 's'}. "
        "Press Review next for another verdict, or come back after the reservation ends."
    )
