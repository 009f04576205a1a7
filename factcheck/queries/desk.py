"""Read models for the desk working together: an item's notes, its return, what changed since, and
the signed-in person's notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from factcheck.domain.changes import Changes, Snapshot, compare
from factcheck.domain.workflow import AuditAction, Role, Status
from factcheck.facts import item_snapshot
from factcheck.models import CheckItem, Note, Notification, User, UserRole
from factcheck.queries.items import HistoryEvent, Person
from factcheck.db import rows_of


@dataclass(frozen=True, slots=True)
class ItemNote:
    """A note as the item page shows it, its author by name (None: written by the system)."""

    id: int
    author: Person | None
    body: str
    created_at: dt.datetime


#: An item's notes, oldest first, with their authors' names (built once).
_ITEM_NOTES = (select(Note.id, User.display_name, Note.body, Note.created_at)
               .outerjoin(User, User.id == Note.author_id)
               .where(Note.item_id == bindparam("item_id")).order_by(Note.id))


def item_notes(session: Session, item_id: int) -> list[ItemNote]:
    """The item's notes, oldest first, with their authors (one statement)."""
    return [ItemNote(r[0], Person(r[1]) if r[1] is not None else None, r[2], r[3])
            for r in rows_of(session, _ITEM_NOTES, {"item_id": item_id})]


#: The active checkers by name (built once: building it cost more than running it).
_ASSIGNABLE_CHECKERS = (select(User.id, User.display_name).join(UserRole, UserRole.user_id == User.id)
                        .where(User.is_active.is_(True), UserRole.role == Role.CHECKER)
                        .order_by(User.display_name, User.id))


def assignable_checkers(session: Session) -> list[tuple[int, str]]:
    """``(id, display name)`` of the active checkers an item can be assigned to."""
    return [(r[0], r[1]) for r in rows_of(session, _ASSIGNABLE_CHECKERS)]


@dataclass(frozen=True, slots=True)
class ReturnInfo:
    """The last return of the item's verdict: who returned it, when, their comment, and what changed since."""

    comment: str | None
    reviewer: str | None
    returned_at: dt.datetime
    #: The returned verdict's id.
    verdict_id: int | None
    #: What the reviewer saw at the return (None: returned before snapshots were kept).
    snapshot: Snapshot | None
    #: The item now against the snapshot (None without a snapshot, or while still returned).
    changes: Changes | None = None


def last_return(item: CheckItem, history: Sequence[HistoryEvent]) -> ReturnInfo | None:
    """The item's last return, from its history (already loaded by the item page: no statement)."""
    for event in reversed(history):
        if event.action is AuditAction.RETURN or event.action == AuditAction.RETURN.value:
            payload = event.payload or {}
            raw = payload.get("snapshot")
            snapshot = Snapshot.from_payload(raw) if isinstance(raw, dict) else None
            return ReturnInfo(payload.get("comment"), event.actor.display_name if event.actor else None,
                              event.created_at, payload.get("verdict_id"), snapshot)
    return None


def is_returned(item: CheckItem) -> bool:
    """True while the item waits for its checker after a return (until they propose again)."""
    verdict = item.current_verdict
    return (item.status is Status.EVIDENCE and verdict is not None and verdict.closed_at is not None
            and verdict.published_at is None)


def returned_now(item: CheckItem, history: Sequence[HistoryEvent]) -> ReturnInfo | None:
    """The return to show at the top of the item page, while the item is returned."""
    return last_return(item, history) if is_returned(item) else None


def since_return(item: CheckItem, history: Sequence[HistoryEvent]) -> ReturnInfo | None:
    """On a resubmitted verdict: the earlier return and what changed since it (for the review page)."""
    verdict = item.current_verdict
    if item.status is not Status.VERDICT or verdict is None:
        return None
    info = last_return(item, history)
    if info is None or info.verdict_id == verdict.id:
        return None
    changes = compare(info.snapshot, item_snapshot(item, verdict)) if info.snapshot is not None else None
    return ReturnInfo(info.comment, info.reviewer, info.returned_at, info.verdict_id, info.snapshot, changes)


# --- notifications ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotificationList:
    """A page of the signed-in person's notifications, newest first."""

    rows: list[Notification]
    unread: int
    #: The id to ask for the next, older page with (``before``), or None on the last page.
    older: int | None = None


def notification_list(session: Session, user_id: int, limit: int = 100, before: int | None = None) -> NotificationList:
    """The newest ``limit`` notifications of the user (older than id ``before``, for the next pages) and how many
    are unread (two statements)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before is not None:
        query = query.where(Notification.id < before)
    rows = list(session.scalars(query.order_by(Notification.id.desc()).limit(limit + 1)
                                .options(joinedload(Notification.actor))))
    unread = session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
    return NotificationList(rows[:limit], int(unread), rows[limit - 1].id if len(rows) > limit else None)


def unread_expression() -> ScalarSelect[int]:
    """The unread count as a column of the user's own row (``with_expression(User.unread_notifications, …)``)."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == User.id, Notification.read_at.is_(None))
            .correlate(User).scalar_subquery())


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications the user has not read (the navigation's count)."""
    return int(session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0)

