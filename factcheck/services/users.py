"""Users: accounts, passwords and signing in, with a back-off after repeated failures.

Failures are counted per account *and* client address (hashed: neither is stored in clear), so
somebody guessing from one address slows down only there, and cannot lock the account's owner
out from theirs. An email no account has is counted and answered exactly like one that has.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.workflow import AuditAction, AuditEntity, Role
from factcheck.models import User, UserRole, utcnow
from factcheck.services import sessions as session_service
from factcheck.services import throttle
from factcheck.services.audit import record_event
from factcheck.services.errors import Duplicate, InvalidInput, NotFound, ServiceError
from factcheck.services.mail import notify_security_change
from factcheck.services.passwords import (
    ARGON2ID,
    MIN_LENGTH,
    check_policy,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = MIN_LENGTH
#: Failed sign-ins in a row, from one address for one email, before that pair waits LOCK_MINUTES.
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
#: Throttle keys holding the failures of one email from one address (a hash of both: neither is stored).
PAIR_KEY = "login-pair:"
WRONG_CREDENTIALS = "Wrong email or password."


class WrongPassword(InvalidInput):
    """The current password given for a change is not the account's."""


class LoginRefused(ServiceError):
    """Wrong email or password, a disabled account, or too many failures."""

    status_code = 401


class LastAdmin(ServiceError):
    """The change would leave the desk without an active admin to manage accounts."""

    status_code = 409


def _roles(roles: Iterable[Role | str]) -> set[Role]:
    try:
        parsed = {Role(r) for r in roles}
    except ValueError as exc:
        raise InvalidInput(f"Unknown role: {exc}. Roles are checker, reviewer, editor and admin.") from None
    if not parsed:
        raise InvalidInput("A user needs at least one role.")
    return parsed


def create_user(
    session: Session,
    email: str,
    password: str,
    roles: Iterable[Role | str],
    *,
    display_name: str | None = None,
    hash_method: str = ARGON2ID,
    actor: User | None = None,
) -> User:
    """Create an account; the password must pass the policy and is stored as a hash only."""
    email = (email or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("Enter a valid email address, such as checker@example.org.")
    check_policy(password, related=(email, display_name or ""))
    if session.scalars(select(User).where(User.email == email)).first() is not None:
        raise Duplicate(f"There is already a user {email}.")
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0]).strip()[:120],
        password_hash=hash_password(password, hash_method),
        password_changed_at=utcnow(),
    )
    user.role_rows = [UserRole(role=r) for r in sorted(_roles(roles))]
    session.add(user)
    session.flush()
    record_event(session, action=AuditAction.CREATE, entity=AuditEntity.USER, entity_id=user.id, actor=actor,
                 payload={"email": email, "roles": sorted(r.value for r in user.roles)})
    return user


def get_user_by_email(session: Session, email: str) -> User:
    """The account signed in as ``email``, or NotFound."""
    user = session.scalars(select(User).where(User.email == (email or "").strip().lower())).first()
    if user is None:
        raise NotFound(f"There is no user {email}.")
    return user


def _lock_for_account_change(session: Session, user_id: int) -> tuple[User, list[int]]:
    """Lock the active admins, then the account, and return it fresh with the admins' ids.

    Every change that could remove an admin takes the same locks in the same order (the admin
    rows by user id, then the account), so two admins demoting each other at once run one after
    the other and the second sees the first one's change. SQLite needs no lock: its writing
    transactions already run one at a time (BEGIN IMMEDIATE, ``factcheck.db``).
    """
    admins = list(session.scalars(
        select(UserRole.user_id).join(User, User.id == UserRole.user_id)
        .where(UserRole.role == Role.ADMIN, User.is_active.is_(True))
        .order_by(UserRole.user_id).with_for_update()
    ))
    user = session.scalars(select(User).where(User.id == user_id).with_for_update()
                           .execution_options(populate_existing=True)).first()
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    session.refresh(user, ["role_rows"])  # the roles as they are now, not as this request first read them
    return user, admins


def _keep_an_admin(user: User, admins: list[int]) -> None:
    """Refuse a change that takes away the last active admin."""
    if user.id in admins and not any(admin_id != user.id for admin_id in admins):
        raise LastAdmin(f"{user.email} is the last admin, and the desk needs one to manage accounts. "
                        "Give another account the admin role first. Nothing was changed.")


def set_roles(session: Session, user_id: int, roles: Iterable[Role | str], *, actor: User | None,
              keep_token: str | None = None) -> User:
    """Replace a user's roles; the last active admin keeps theirs. The account's sessions end
    (but ``keep_token``'s, when the admin changes their own roles)."""
    new = _roles(roles)
    user, admins = _lock_for_account_change(session, user_id)
    if Role.ADMIN not in new:
        if actor is not None and actor.id == user.id and Role.ADMIN in user.roles:
            # Nobody removes their own admin role: the desk could be left without an admin.
            raise InvalidInput("You cannot remove your own admin role; ask another admin. Nothing was changed.")
        _keep_an_admin(user, admins)
    before = sorted(r.value for r in user.roles)
    user.role_rows = [UserRole(role=r) for r in sorted(new)]
    session.flush()
    record_event(session, action=AuditAction.SET_ROLES, entity=AuditEntity.USER, entity_id=user.id, actor=actor,
                 payload={"roles": [before, sorted(r.value for r in new)]})
    if before != sorted(r.value for r in new):
        # Sessions signed in under the old roles end; the account signs in again with its new ones.
        session_service.end_all_sessions(session, user.id, reason="roles changed", actor=actor,
                                         keep_token=keep_token)
    return user


def set_active(session: Session, user_id: int, active: bool, *, actor: User | None) -> User:
    """Enable or disable an account; a disabled account cannot sign in and its sessions end at once.
    The last active admin stays enabled. Nothing of the account's history is removed."""
    user, admins = _lock_for_account_change(session, user_id)
    if not active:
        _keep_an_admin(user, admins)
    if user.is_active != active:
        user.is_active = active
        session.flush()
        record_event(session, action=AuditAction.ENABLE if active else AuditAction.DISABLE, entity=AuditEntity.USER,
                     entity_id=user.id, actor=actor, payload={"is_active": active})
        if not active:
            session_service.end_all_sessions(session, user.id, reason="account disabled", actor=actor)
    return user


def _locked_answer(locked_until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
    return f"Too many failed sign-ins. Try again in {minutes} minutes."


def _pair_key(email: str, address: str) -> str:
    return PAIR_KEY + hashlib.sha256(f"{email}\n{address}".encode()).hexdigest()


def _refusal(session: Session, email: str, address: str, user: User | None, now: dt.datetime) -> LoginRefused:
    """Count a failure for this email and address, record it, and say so in the same words whether
    or not the account exists."""
    key = _pair_key(email, address)
    # Stored as (lock end, failures) while locked, else (time of the last failure, failures in a row).
    marker, failures = throttle.read(session, key) or (now, 0)
    if marker < now - dt.timedelta(days=1):
        failures = 0  # an old run of failures is forgotten
    failures += 1
    locked = failures >= MAX_FAILED_LOGINS
    throttle.store(session, key, now + dt.timedelta(minutes=LOCK_MINUTES) if locked else now,
                   0 if locked else failures)
    payload = {"address": address[:64]} | ({} if user is not None else {"email": email[:254]})
    record_event(session, action=AuditAction.LOCKOUT if locked else AuditAction.SIGN_IN_FAILED,
                 entity=AuditEntity.USER, entity_id=user.id if user is not None else None, actor=None,
                 payload=payload)
    return LoginRefused(WRONG_CREDENTIALS)


def authenticate(session: Session, email: str, password: str, *, hash_method: str = ARGON2ID,
                 address: str = "", now: dt.datetime | None = None) -> User:
    """The user with these credentials, or LoginRefused. Failures from one address for one email
    lead to a pause for that pair only; each is recorded in the audit trail.

    ``hash_method`` is the one new passwords are hashed with (``PASSWORD_HASH_METHOD``); a stored
    hash made another way is replaced now that the password is known.
    """
    now = now or utcnow()
    email = (email or "").strip().lower()
    key = _pair_key(email, address)
    marker, _ = throttle.read(session, key) or (now, 0)
    if marker > now:
        raise LoginRefused(_locked_answer(marker, now))
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        verify_password(dummy_hash(hash_method), password or "")  # the same work as a wrong password
        raise _refusal(session, email, address, None, now)
    if not verify_password(user.password_hash, password or ""):
        raise _refusal(session, email, address, user, now)
    if not user.is_active:
        raise LoginRefused("This account is disabled. Ask an admin.")
    throttle.store(session, key, now, 0)
    if needs_rehash(user.password_hash, hash_method):
        user.password_hash = hash_password(password, hash_method)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    return user


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's (for re-authentication before sensitive changes)."""
    return verify_password(user.password_hash, password or "")


def _store_password(session: Session, user: User, new_password: str, hash_method: str, now: dt.datetime) -> None:
    check_policy(new_password, related=(user.email, user.display_name))
    user.password_hash = hash_password(new_password, hash_method)
    user.password_changed_at = now
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def change_password(session: Session, user: User, current_password: str, new_password: str, *,
                    hash_method: str = ARGON2ID, keep_token: str | None = None,
                    now: dt.datetime | None = None) -> None:
    """The owner changes their password (the current one is needed); every other session ends."""
    now = now or utcnow()
    if not verify_password(user.password_hash, current_password or ""):
        raise WrongPassword("The current password is not right. Nothing was changed.")
    if new_password == current_password:
        raise InvalidInput("The new password is the same as the current one.")
    _store_password(session, user, new_password, hash_method, now)
    record_event(session, action=AuditAction.PASSWORD_CHANGE, entity=AuditEntity.USER, entity_id=user.id,
                 actor=user, payload={"by": "owner"})
    notify_security_change(session, user.email, "the password was changed")
    session_service.end_all_sessions(session, user.id, reason="password changed", actor=user,
                                     keep_token=keep_token, now=now)


def set_password(session: Session, user_id: int, new_password: str, *, actor: User | None,
                 hash_method: str = ARGON2ID, how: str = "admin", now: dt.datetime | None = None) -> User:
    """Set a password without the current one (an admin, the command line or a reset link); every
    session of the account ends."""
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    _store_password(session, user, new_password, hash_method, now)
    record_event(session, action=AuditAction.PASSWORD_CHANGE, entity=AuditEntity.USER, entity_id=user.id,
                 actor=actor, payload={"by": how})
    notify_security_change(session, user.email, f"a new password was set (by {how})")
    session_service.end_all_sessions(session, user.id, reason="password set", actor=actor, now=now)
    return user
