"""Notifications: written with the change that causes them, mailed through the outbox.

``notify`` adds in-app rows in the caller's transaction (``mail_step`` new) and marks the session,
so the unit of work that commits it calls ``dispatch`` first: each new row is then mailed at once,
kept for the reader's daily digest, or left in the app, as the reader's settings say. ``send_digests``
writes one mail per person with everything kept for their digest (``factcheck notifications digest``).
Links in mails are absolute, from the desk's base URL (``FACTCHECK_BASE_URL``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factcheck.domain.notifications import (
    DEFAULT_MODE,
    DeliveryMode,
    MailStep,
    NotificationKind,
    step_for,
)
from factcheck.models import Notification, NotificationSetting, User, utcnow
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.mail import queue_mail

#: ``session.info`` key: the notifications this unit of work wrote that ``dispatch`` has not seen.
PENDING_KEY = "factcheck.notifications_pending"
#: The longest comment or note quoted in a notification.
DETAIL_LIMIT = 4000


def notify(session: Session, user_ids: Iterable[int | None], kind: NotificationKind, *, message: str,
           item_id: int | None = None, actor: User | None = None, detail: str | None = None,
           link: str | None = None) -> list[Notification]:
    """Tell each of ``user_ids`` (never the actor themselves, each once) about ``message``. ``link``: the desk's
    page it is about when that is no item's, as a path of this site (``/jobs/<id>``)."""
    if link is not None and (not link.startswith("/") or link.startswith("//") or len(link) > 300):
        raise ValueError(f"a notification's link is a path of this site: {link[:80]!r}")
    actor_id = actor.id if actor is not None else None
    rows = []
    for user_id in dict.fromkeys(u for u in user_ids if u is not None and u != actor_id):
        row = Notification(user_id=user_id, kind=kind, item_id=item_id, actor_id=actor_id, message=message[:300],
                           detail=(detail or "")[:DETAIL_LIMIT] or None, link=link, mail_step=MailStep.NEW)
        session.add(row)
        rows.append(row)
    if rows:
        session.info.setdefault(PENDING_KEY, []).extend(rows)
    return rows


def has_pending(session: Session) -> bool:
    """True when this unit of work wrote notifications whose mail is not decided yet."""
    return bool(session.info.get(PENDING_KEY))


def settings_for(session: Session, user_id: int) -> dict[NotificationKind, DeliveryMode]:
    """Each kind's delivery mode for one person (the default where they chose none)."""
    chosen = {row[0]: row[1] for row in session.execute(select(NotificationSetting.kind, NotificationSetting.mode)
                                                        .where(NotificationSetting.user_id == user_id))}
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in NotificationKind}


def save_settings(session: Session, user: User, modes: dict[str, str]) -> dict[NotificationKind, DeliveryMode]:
    """Store one person's mode per kind; an unknown kind or mode changes nothing and says why."""
    chosen: dict[NotificationKind, DeliveryMode] = {}
    for key, value in modes.items():
        try:
            chosen[NotificationKind(key)] = DeliveryMode(value)
        except ValueError:
            raise InvalidInput(f"{key!r} is not a kind of notification with a setting {value!r}.") from None
    current = {s.kind: s for s in session.scalars(select(NotificationSetting)
                                                   .where(NotificationSetting.user_id == user.id))}
    for kind, mode in chosen.items():
        row = current.get(kind)
        if row is None:
            session.add(NotificationSetting(user_id=user.id, kind=kind, mode=mode))
        else:
            row.mode = mode
    session.flush()
    return settings_for(session, user.id)


def mark_read(session: Session, user: User, notification_id: int, now: dt.datetime | None = None) -> Notification:
    """Mark one of the user's notifications read (another person's is not found)."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"You have no notification #{notification_id}.")
    if row.read_at is None:
        row.read_at = now or utcnow()
    session.flush()
    return row


def mark_all_read(session: Session, user: User, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the user read; return how many."""
    result = session.execute(update(Notification).where(Notification.user_id == user.id,
                                                        Notification.read_at.is_(None))
                             .values(read_at=now or utcnow()))
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def item_link(base_url: str, item_id: int | None) -> str:
    """The absolute link of an item's page (or of the notifications list)."""
    base = base_url.rstrip("/")
    return f"{base}/items/{item_id}" if item_id is not None else f"{base}/notifications"


def _mail_body(row: Notification, base_url: str, organisation: str) -> str:
    parts = [row.message]
    if row.detail:
        parts.append("\n".join("> " + line for line in row.detail.splitlines()))
    parts.append(f"Open it: {base_url.rstrip('/')}{row.link}" if row.link else f"Open it: {item_link(base_url, row.item_id)}")
    parts.append(f"You get this mail from {organisation}. Choose what you are mailed about: "
                 f"{base_url.rstrip('/')}/notifications/settings")
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class DispatchReport:
    """What one dispatch did with the new notifications."""

    mailed: int = 0
    kept_for_digest: int = 0
    in_app_only: int = 0


def dispatch(session: Session, base_url: str, organisation: str, *, everything: bool = False) -> DispatchReport:
    """Decide the mail of the new notifications this unit of work wrote (``everything``: of every new
    one, such as those written by a command), by each reader's settings; queue the mails at once."""
    pending = session.info.pop(PENDING_KEY, [])
    session.flush()
    query = (select(Notification, User.email, User.is_active, NotificationSetting.mode)
             .join(User, User.id == Notification.user_id)
             .outerjoin(NotificationSetting, (NotificationSetting.user_id == Notification.user_id)
                        & (NotificationSetting.kind == Notification.kind))
             .where(Notification.mail_step == MailStep.NEW).order_by(Notification.id)
             # Another run at the same moment (two digest runs) skips what this one holds: each mailed once.
             .with_for_update(skip_locked=True, of=Notification))
    if not everything:
        ids = [n.id for n in pending]
        if not ids:
            return DispatchReport()
        query = query.where(Notification.id.in_(ids))
    rows = session.execute(query).all()
    counts = {MailStep.MAILED: 0, MailStep.DIGEST: 0, MailStep.SKIPPED: 0}
    for row, email, is_active, mode in rows:
        step = step_for(mode or DEFAULT_MODE) if is_active else MailStep.SKIPPED
        if step is MailStep.MAILED:
            queue_mail(session, email, f"{organisation}: {row.message}", _mail_body(row, base_url, organisation))
        row.mail_step = step
        counts[step] += 1
    session.flush()
    return DispatchReport(counts[MailStep.MAILED], counts[MailStep.DIGEST], counts[MailStep.SKIPPED])


def send_digests(session: Session, base_url: str, organisation: str) -> int:
    """One mail per person with every notification kept for their digest; return how many mails.

    New notifications nobody dispatched yet (written by a command, say) are dispatched first."""
    dispatch(session, base_url, organisation, everything=True)
    rows = session.execute(
        select(Notification, User.email, User.is_active).join(User, User.id == Notification.user_id)
        .where(Notification.mail_step == MailStep.DIGEST).order_by(Notification.user_id, Notification.id)
        .with_for_update(skip_locked=True, of=Notification)).all()  # (as in ``dispatch``: each in one digest)
    by_user: dict[int, tuple[str, bool, list[Notification]]] = {}
    for row, email, is_active in rows:
        by_user.setdefault(row.user_id, (email, is_active, []))[2].append(row)
    mails = 0
    for email, is_active, notes in by_user.values():
        if is_active:
            lines = [f"- {n.message}\n  {item_link(base_url, n.item_id)}"
                     + ("\n  " + " ".join((n.detail or "").split())[:300] if n.detail else "") for n in notes]
            count = len(notes)
            queue_mail(session, email, f"{organisation}: your daily digest ({count} notification"
                       f"{'' if count == 1 else 's'})",
                       "Since your last digest:\n\n" + "\n\n".join(lines)
                       + f"\n\nAll of them: {base_url.rstrip('/')}/notifications\n")
            mails += 1
        for n in notes:
            n.mail_step = MailStep.DIGESTED
    session.flush()
    return mails
