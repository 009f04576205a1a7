"""Personal API tokens: made for an account, shown once, stored hashed, revoked with its sessions.

A token is ``fc_`` followed by 32 random bytes (URL-safe base64); the database keeps its SHA-256,
so a copy of the table authenticates nobody. A name is unique per account: ``revoke_token`` names
both the account and the token. Making and revoking a token are audit events (entity "token", the
token's id) naming the token, its scope and its account, never its secret or hash.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from factcheck.domain.accounts import TokenScope
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import ApiToken, User, utcnow
from factcheck.services.audit import record_event
from factcheck.services.errors import Duplicate, InvalidInput, NotFound
from factcheck.services.sessions import token_hash

#: Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
PREFIX = "fc_"
MAX_NAME = 80
MAX_DAYS = 3650
DEFAULT_DAYS = 90


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidInput("Give the token a name, such as the tool that will use it.")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"A token's name can be at most {MAX_NAME} characters.")
    return cleaned


def create_token(session: Session, user: User, *, name: str, scope: TokenScope | str,
                 expires_days: int = DEFAULT_DAYS, now: dt.datetime | None = None,
                 actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: its row and the secret, which is never shown again.

    ``actor`` made it (the account itself on its page; None from the command line)."""
    now = now or utcnow()
    cleaned = _clean_name(name)
    try:
        scope = TokenScope(scope)
    except ValueError:
        raise InvalidInput("A token's scope is either “read” or “write”.") from None
    if not 1 <= expires_days <= MAX_DAYS:
        raise InvalidInput(f"A token lasts from 1 to {MAX_DAYS:,} days.")
    if not user.is_active:
        raise InvalidInput("A disabled account cannot have tokens.")
    taken = session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == cleaned))
    if taken is not None:
        raise Duplicate(f"You already have a token named “{cleaned}”: choose another name or revoke it first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=cleaned, token_hash=token_hash(secret), scope=scope, created_at=now,
                   expires_at=now + dt.timedelta(days=expires_days))
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Duplicate(f"You already have a token named “{cleaned}”: choose another name or revoke it first.") from None
    _audit(session, AuditAction.TOKEN_CREATE, row, actor)
    return row, secret


def _audit(session: Session, action: AuditAction, row: ApiToken, actor: User | None) -> None:
    record_event(session, action=action, entity=AuditEntity.TOKEN, entity_id=row.id, actor=actor,
                 payload={"name": row.name, "scope": TokenScope(row.scope).value, "account_id": row.user_id,
                          "expires_at": row.expires_at.isoformat()})
    session.flush()


#: The token with its owner (whose being active is checked) and the owner's roles, in one statement
#: built once: the request takes the owner from here (``adopt_owner``) instead of loading them again.
_BY_HASH = (select(ApiToken).where(ApiToken.token_hash == bindparam("hash"))
            .options(joinedload(ApiToken.user).joinedload(User.role_rows)))
#: Marks a token used, at most once a minute (built once).
_USED_AT = ApiToken.last_used_at
_NOTE_USE = (update(ApiToken).where(ApiToken.id == bindparam("token_id"),
                                    _USED_AT.is_(None) | (_USED_AT < bindparam("stale_before", type_=_USED_AT.type)))
             .values(last_used_at=bindparam("now", type_=_USED_AT.type)))


def find_token(session: Session, secret: str | None, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token for ``secret`` (not revoked, not expired, its owner active), or None."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    row = session.scalars(_BY_HASH, {"hash": token_hash(secret)}).unique().first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.is_active:
        return None
    return row


def adopt_owner(session: Session, token: ApiToken) -> User:
    """``token``'s owner, as ``find_token`` loaded them with their roles in another session, put into
    ``session`` without a statement (``Session.merge`` without loading): the request's own session then
    holds its user as if it had loaded them."""
    return session.merge(token.user, load=False)


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """The account's tokens that still work or ended in the last 30 days, newest first."""
    shown_since = utcnow() - dt.timedelta(days=30)
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.expires_at > shown_since,
                               (ApiToken.revoked_at.is_(None)) | (ApiToken.revoked_at > shown_since))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, user_id: int, name: str, *, now: dt.datetime | None = None,
                 actor: User | None = None) -> ApiToken:
    """Revoke the account's token called ``name`` (one already revoked stays as it is, with no new event)."""
    now = now or utcnow()
    cleaned = " ".join((name or "").split())
    row = session.scalars(select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.name == cleaned)).first()
    if row is None:
        raise NotFound(f"There is no token named “{cleaned}” on this account.")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
        _audit(session, AuditAction.TOKEN_REVOKE, row, actor)
    return row


#: How often a token's last use is written at most.
USE_NOTED_EVERY = dt.timedelta(minutes=1)


def use_is_noted(token: ApiToken, *, now: dt.datetime | None = None) -> bool:
    """True when the token's last use, as loaded, is recent enough that ``note_use`` would write nothing."""
    return token.last_used_at is not None and token.last_used_at >= (now or utcnow()) - USE_NOTED_EVERY


def note_use(session: Session, token_id: int, *, now: dt.datetime | None = None) -> None:
    """Record that the token was used (at most once a minute, so most requests write nothing)."""
    now = now or utcnow()
    session.execute(_NOTE_USE, {"token_id": token_id, "stale_before": now - USE_NOTED_EVERY, "now": now})
    session.flush()
