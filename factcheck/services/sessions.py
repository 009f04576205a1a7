"""Signed-in sessions and "keep me signed in" tokens, kept on the server so they can be ended.

The browser holds only random tokens; the database holds their SHA-256 (a copy of the table
signs nobody in). A session ends at sign-out, at "sign out everywhere", when its owner's
password, second factor or roles change, when the account is disabled, after its absolute
lifetime, and (checked by the web layer from the signed cookie) after being idle too long.
A remember-me token is exchanged once for a new session and a new token; a token shown again
after its exchange was copied, and ends every session of its owner.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from typing import cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import ApiToken, RememberToken, User, UserSession, utcnow
from factcheck.services.audit import record_event


def token_hash(token: str) -> str:
    """The stored form of a random token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, *, lifetime: dt.timedelta, address: str = "",
                  user_agent: str = "", now: dt.datetime | None = None, method: str = "password") -> str:
    """Record a sign-in and return the new session's token (for the browser's session cookie)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, token_hash=token_hash(token), created_at=now, last_seen_at=now,
                            expires_at=now + lifetime, address=address[:64], user_agent=user_agent[:200]))
    user.last_login_at = now
    session.flush()
    record_event(session, action=AuditAction.SIGN_IN, entity=AuditEntity.USER, entity_id=user.id, actor=user,
                 payload={"address": address[:64], "method": method})
    return token


def find_session(session: Session, token: str | None, user_id: int, *,
                 now: dt.datetime | None = None) -> UserSession | None:
    """The live session for ``token`` of user ``user_id``, or None (unknown, ended, expired, another user's)."""
    if not token:
        return None
    now = now or utcnow()
    row = session.scalars(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
    if row is None or row.user_id != user_id or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def end_session(session: Session, token: str | None, *, user: User | None, now: dt.datetime | None = None) -> None:
    """End the session for ``token`` (sign-out), recording it."""
    now = now or utcnow()
    if token:
        session.execute(update(UserSession).where(UserSession.token_hash == token_hash(token),
                                                  UserSession.revoked_at.is_(None)).values(revoked_at=now))
    if user is not None:
        record_event(session, action=AuditAction.SIGN_OUT, entity=AuditEntity.USER, entity_id=user.id, actor=user)
    session.flush()


def end_all_sessions(session: Session, user_id: int, *, reason: str, actor: User | None,
                     keep_token: str | None = None, now: dt.datetime | None = None) -> int:
    """End every session of ``user_id`` but the one for ``keep_token``, and revoke all its remember-me
    tokens and API tokens; record why. Returns how many sessions ended."""
    now = now or utcnow()
    condition = [UserSession.user_id == user_id, UserSession.revoked_at.is_(None)]
    if keep_token:
        condition.append(UserSession.token_hash != token_hash(keep_token))
    result = cast(CursorResult[tuple[()]], session.execute(update(UserSession).where(*condition).values(revoked_at=now)))
    ended = result.rowcount or 0
    session.execute(update(RememberToken).where(RememberToken.user_id == user_id, RememberToken.used_at.is_(None))
                    .values(used_at=now, expires_at=now))
    revoked = cast(CursorResult[tuple[()]], session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)))
    session.flush()
    record_event(session, action=AuditAction.SESSIONS_REVOKE, entity=AuditEntity.USER, entity_id=user_id,
                 actor=actor, payload={"reason": reason, "sessions": ended, "api_tokens": revoked.rowcount or 0})
    return ended


def live_sessions(session: Session, user_id: int, *, now: dt.datetime | None = None) -> list[UserSession]:
    """The user's sessions that have not ended, newest first."""
    now = now or utcnow()
    return list(session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None),
                                  UserSession.expires_at > now).order_by(UserSession.created_at.desc(),
                                                                         UserSession.id.desc())))


def issue_remember_token(session: Session, user_id: int, *, expires_at: dt.datetime,
                         now: dt.datetime | None = None) -> str:
    """A new remember-me token ("selector:secret") valid until ``expires_at``."""
    selector, secret = secrets.token_hex(16), secrets.token_urlsafe(32)
    session.add(RememberToken(user_id=user_id, selector=selector, validator_hash=token_hash(secret),
                              created_at=now or utcnow(), expires_at=expires_at))
    session.flush()
    return f"{selector}:{secret}"


def _parse(cookie: str | None) -> tuple[str, str] | None:
    if not cookie or cookie.count(":") != 1:
        return None
    selector, secret = cookie.split(":")
    if len(selector) != 32 or not secret or len(secret) > 100:
        return None
    return selector, secret


def use_remember_token(session: Session, cookie: str | None, *,
                       now: dt.datetime | None = None) -> tuple[User, dt.datetime] | None:
    """Exchange a remember-me token: its user and the end of the sign-in it continues, or None.

    The token is spent here. A spent token presented again with its right secret means a copy
    is in use: every session of the account ends.
    """
    parsed = _parse(cookie)
    if parsed is None:
        return None
    now = now or utcnow()
    selector, secret = parsed
    row = session.scalars(select(RememberToken).where(RememberToken.selector == selector)
                          .with_for_update()).first()
    if row is None or not hmac.compare_digest(row.validator_hash, token_hash(secret)):
        return None
    if row.used_at is not None:
        if row.expires_at > row.used_at:  # spent by an exchange, not revoked: somebody replayed it
            end_all_sessions(session, row.user_id, reason="remember-me token used twice", actor=None, now=now)
        return None
    row.used_at = now
    session.flush()
    user = session.get(User, row.user_id)
    if row.expires_at <= now or user is None or not user.is_active:
        return None
    return user, row.expires_at


def revoke_remember_token(session: Session, cookie: str | None, *, now: dt.datetime | None = None) -> None:
    """Revoke the remember-me token in ``cookie`` (sign-out)."""
    parsed = _parse(cookie)
    if parsed is None:
        return
    now = now or utcnow()
    session.execute(update(RememberToken).where(RememberToken.selector == parsed[0], RememberToken.used_at.is_(None))
                    .values(used_at=now, expires_at=now))
    session.flush()
