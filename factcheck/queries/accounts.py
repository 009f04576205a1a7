"""Read models for the admin's account pages: sign-in, account, token and webhook events with filters,
and the mail outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.accounts import SIGN_IN_EVENTS, TOKEN_EVENTS, WEBHOOK_EVENTS
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import ApiToken, AuditEvent, OutboxMail, User

PAGE_SIZE = 200


@dataclass(frozen=True)
class AccountEvent:
    """One sign-in, account, token or webhook event as the admin's page shows it (a token's event under
    the token's account; a webhook's event under no account)."""

    id: int
    created_at: dt.datetime
    action: AuditAction
    account: str
    actor: str
    details: dict[str, object]


def account_events(session: Session, *, action: AuditAction | None = None, account: str | None = None,
                   since: dt.date | None = None, limit: int = PAGE_SIZE) -> list[AccountEvent]:
    """The latest account events (one statement), newest first, filtered by action, account email
    (part of it) and first day."""
    subject, actor = aliased(User), aliased(User)
    query = (select(AuditEvent, subject.email, actor.email)
             .outerjoin(ApiToken, and_(AuditEvent.entity == AuditEntity.TOKEN, ApiToken.id == AuditEvent.entity_id))
             .outerjoin(subject, or_(and_(AuditEvent.entity == AuditEntity.USER, subject.id == AuditEvent.entity_id),
                                     and_(AuditEvent.entity == AuditEntity.TOKEN, subject.id == ApiToken.user_id)))
             .outerjoin(actor, actor.id == AuditEvent.actor_id)
             .where(or_(and_(AuditEvent.entity == AuditEntity.USER, AuditEvent.action.in_(SIGN_IN_EVENTS)),
                        and_(AuditEvent.entity == AuditEntity.TOKEN, AuditEvent.action.in_(TOKEN_EVENTS)),
                        and_(AuditEvent.entity == AuditEntity.WEBHOOK, AuditEvent.action.in_(WEBHOOK_EVENTS)))))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if account:
        needle = f"%{account.strip().lower()}%"
        query = query.where(or_(subject.email.like(needle), AuditEvent.payload["email"].as_string().like(needle)))
    if since is not None:
        query = query.where(AuditEvent.created_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
    return [AccountEvent(event.id, event.created_at, event.action,
                         subject_email or str(event.payload.get("email") or "—"), actor_email or "",
                         {k: v for k, v in event.payload.items() if k not in ("email", "account_id")})
            for event, subject_email, actor_email in rows]


def outbox(session: Session, limit: int = PAGE_SIZE) -> list[OutboxMail]:
    """The latest mails in the outbox, newest first."""
    return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)))
