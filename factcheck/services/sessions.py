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

from collections.abc import Sequence
from typing import Any, Unpack, cast

from sqlalchemy import ColumnElement, Connection, CursorResult, Row, Select, Table, bindparam, inspect, select, update
from sqlalchemy.orm import (
    Session,
    contains_eager,
    make_transient_to_detached,
    with_expression,
)
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.db import data_version_column, note_data_version
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import ApiToken, RememberToken, User, UserRole, UserSession, utcnow
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


_USERS = cast(Table, User.__table__)
_USER_MAPPER = inspect(User)
_USER_MANAGER = _USER_MAPPER.class_manager
_ROLE_MANAGER = inspect(UserRole).class_manager
#: The user's columns, and the attributes a query fills only when asked (``query_expression``).
_USER_COLUMNS = tuple(column.key for column in _USERS.columns)
_QUERY_EXPRESSIONS = tuple(attribute.key for attribute in _USER_MAPPER.column_attrs
                           if attribute.key not in _USER_COLUMNS)

#: The condition of ``find_live_user``: the user's row joined to a live session row of theirs.
_LIVE_FROM = (
    _USERS.join(UserSession.__table__, UserSession.user_id == User.id)
    .outerjoin(UserRole.__table__, UserRole.user_id == User.id)
)
_LIVE_WHERE = (User.id == bindparam("user_id"), UserSession.token_hash == bindparam("token_hash"),
               UserSession.revoked_at.is_(None), UserSession.expires_at > bindparam("now", type_=User.created_at.type))

#: The same as an ORM statement: used when the user is already in the session (its identity map
#: then holds the object, refreshed from this statement's row).
_LIVE_USER = (
    select(User).select_from(_LIVE_FROM).where(*_LIVE_WHERE)
    .options(contains_eager(User.role_rows))
    .execution_options(populate_existing=True)
)


#: The label of the version read with the user's row (``LiveUserStatement.core_for``).
_VERSION_LABEL = "_data_version"


class LiveUserStatement:
    """``find_live_user``'s statement, built once (building it cost more than running it).

    A Core statement: one row per role, the user's columns, the role and any ``expressions``
    (values of the user's ``query_expression`` attributes, by name). ``find_live_user`` builds
    the user from it without the ORM's loading machinery, which cost more than the query itself.
    """

    def __init__(self, **expressions: ColumnElement[Any]) -> None:
        self.expressions = tuple(expressions)
        self.core = (select(*_USERS.columns, UserRole.role.label("_role"),
                            *(expression.label(name) for name, expression in expressions.items()))
                     .select_from(_LIVE_FROM).where(*_LIVE_WHERE))
        self.orm = _LIVE_USER.options(*(with_expression(getattr(User, name), expression)
                                        for name, expression in expressions.items()))
        self._versioned: Select[Any] | None = None

    def core_for(self, connection: Connection) -> tuple[Select[Any], bool]:
        """The Core statement for ``connection``'s database, and whether it reads ``db.data_version_column``
        too (PostgreSQL: a request's first statement reads the version its cached pages are kept under)."""
        column = data_version_column(connection)
        if column is None:
            return self.core, False
        if self._versioned is None:
            self._versioned = self.core.add_columns(column.label(_VERSION_LABEL))
        return self._versioned, True


_PLAIN = LiveUserStatement()


def live_user_statement(**expressions: ColumnElement[Any]) -> LiveUserStatement:
    """``find_live_user``'s statement, also reading ``expressions`` into the user's ``query_expression``
    attributes of those names (the caller builds it once and keeps it)."""
    return LiveUserStatement(**expressions)


def find_live_user(session: Session, token: str | None, user_id: int, *,
                   now: dt.datetime | None = None, statement: LiveUserStatement | None = None) -> User | None:
    """User ``user_id`` with their roles, when ``token`` names one of their live sessions; else None.

    What every signed-in request asks first, in one statement (the user, their roles and the
    session row together) instead of three; ``statement`` (from ``live_user_statement``) may load
    more with the user's row. The user is in ``session``, fully loaded, as if a query had loaded it.
    """
    if not token:
        return None
    statement = statement or _PLAIN
    params = {"user_id": user_id, "token_hash": token_hash(token), "now": now or utcnow()}
    if _USER_MAPPER.identity_key_from_primary_key((user_id,)) in session.identity_map:  # loaded before: refresh that object instead
        return session.scalars(statement.orm, params).unique().first()
    connection = session.connection()
    core, versioned = statement.core_for(connection)
    rows = connection.execute(core, params).all()
    if not rows:
        return None
    if versioned:
        note_data_version(connection, rows[0]._mapping[_VERSION_LABEL])
    return _attach_user(session, rows, statement.expressions)


def _attach_user(session: Session, rows: Sequence[Row[Unpack[tuple[Any, ...]]]], expressions: tuple[str, ...]) -> User:
    """A persistent ``User`` in ``session`` built from ``find_live_user``'s rows (one per role), every
    attribute loaded as a query would have left it: nothing is lazily loaded later."""
    first = rows[0]._mapping
    user = _USER_MANAGER.new_instance()
    values = user.__dict__
    for key in _USER_COLUMNS:
        values[key] = first[key]
    for name in _QUERY_EXPRESSIONS:
        values[name] = first[name] if name in expressions else None
    make_transient_to_detached(user)
    role_rows = []
    for row in rows:
        role = row._mapping["_role"]
        if role is not None:
            role_row = _ROLE_MANAGER.new_instance()
            role_row.__dict__.update(user_id=user.id, role=role)
            make_transient_to_detached(role_row)
            set_committed_value(role_row, "user", user)
            role_rows.append(role_row)
    set_committed_value(user, "role_rows", role_rows)
    session.add(user)  # persistent again (its role rows too, by cascade); no statement is issued
    return user


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
