"""Password resets by mail: a single-use link valid for 30 minutes.

Asking always looks the same from outside, whether or not an account has the address: only
when one does is a link written to the outbox (delivered later, so the answer takes no longer
either way). Only the link's hash is stored; using it sets the new password, spends the link
and every other link of the account, and ends all the account's sessions.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import PasswordReset, User, utcnow
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput
from factcheck.services.mail import queue_mail
from factcheck.services.passwords import ARGON2ID
from factcheck.services.sessions import token_hash
from factcheck.services.users import set_password

RESET_MINUTES = 30
EXPIRED = "This reset link has expired or was already used. Ask for a new one."


def request_reset(session: Session, email: str, *, link_for: Callable[[str], str], address: str = "",
                  organisation: str = "factcheck", now: dt.datetime | None = None) -> None:
    """Write a reset link to the outbox when an active account has ``email``; otherwise do nothing."""
    now = now or utcnow()
    email = (email or "").strip().lower()
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None or not user.is_active:
        return
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), created_at=now,
                              expires_at=now + dt.timedelta(minutes=RESET_MINUTES)))
    queue_mail(session, user.email, f"Reset your {organisation} password", (
        f"Somebody (we hope you) asked to reset the password of {user.email}.\n\n"
        f"Choose a new password here within {RESET_MINUTES} minutes; the link works once:\n\n"
        f"{link_for(token)}\n\n"
        "If it was not you, ignore this mail: your password stays as it is.\n"), secret=True)
    record_event(session, action=AuditAction.RESET_REQUEST, entity=AuditEntity.USER, entity_id=user.id, actor=None,
                 payload={"address": address[:64]})
    session.flush()


def _live(session: Session, token: str, now: dt.datetime) -> PasswordReset | None:
    row = session.scalars(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token or ""))
                          .with_for_update()).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def check_reset(session: Session, token: str, *, now: dt.datetime | None = None) -> User:
    """The account a live reset link is for, or InvalidInput."""
    row = _live(session, token, now or utcnow())
    user = session.get(User, row.user_id) if row is not None else None
    if user is None or not user.is_active or row is None:
        raise InvalidInput(EXPIRED)
    # A link asked for before the password was last changed (by its owner, an admin or another link) is spent.
    if user.password_changed_at is not None and row.created_at <= user.password_changed_at:
        raise InvalidInput(EXPIRED)
    return user


def reset_password(session: Session, token: str, new_password: str, *, hash_method: str = ARGON2ID,
                   now: dt.datetime | None = None) -> User:
    """Set a new password through a reset link, spending it (and the account's other links)."""
    now = now or utcnow()
    user = check_reset(session, token, now=now)
    set_password(session, user.id, new_password, actor=None, hash_method=hash_method, how="reset link", now=now)
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=now))
    record_event(session, action=AuditAction.RESET_USE, entity=AuditEntity.USER, entity_id=user.id, actor=None)
    session.flush()
    return user
