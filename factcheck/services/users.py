"""Users: creating accounts and signing in, with a lock after repeated failures."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from factcheck.domain.workflow import AuditAction, AuditEntity, Role
from factcheck.models import User, UserRole, utcnow
from factcheck.services import throttle
from factcheck.services.audit import record_event
from factcheck.services.errors import Duplicate, InvalidInput, NotFound, ServiceError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8
#: Failed sign-ins in a row before the account is locked for LOCK_MINUTES.
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
#: Throttle keys holding the failure count of an email no account has (a hash: no address is stored).
UNKNOWN_ACCOUNT_KEY = "login-account:"
WRONG_CREDENTIALS = "Wrong email or password."


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash made the way real ones are (``PASSWORD_HASH_METHOD``), checked when the email is unknown,
    so a wrong email costs the same work as a wrong password."""
    return generate_password_hash("not a real password", method=method)


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
    hash_method: str = "scrypt",
    actor: User | None = None,
) -> User:
    """Create an account; the password is stored as a hash only."""
    email = (email or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("Enter a valid email address, such as checker@example.org.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if session.scalars(select(User).where(User.email == email)).first() is not None:
        raise Duplicate(f"There is already a user {email}.")
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0]).strip()[:120],
        password_hash=generate_password_hash(password, method=hash_method),
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


def set_roles(session: Session, user_id: int, roles: Iterable[Role | str], *, actor: User | None) -> User:
    """Replace a user's roles; the last active admin keeps theirs."""
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
    return user


def set_active(session: Session, user_id: int, active: bool, *, actor: User | None) -> User:
    """Enable or disable an account; a disabled account cannot sign in. The last active admin stays enabled."""
    user, admins = _lock_for_account_change(session, user_id)
    if not active:
        _keep_an_admin(user, admins)
    if user.is_active != active:
        user.is_active = active
        session.flush()
        record_event(session, action=AuditAction.ENABLE if active else AuditAction.DISABLE, entity=AuditEntity.USER,
                     entity_id=user.id, actor=actor, payload={"is_active": active})
    return user


def _locked_answer(locked_until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
    return f"Too many failed sign-ins. Try again in {minutes} minutes."


def _count_failure(failures: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """The failures in a row after one more, and when the lock this failure starts ends (if it does)."""
    failures += 1
    if failures >= MAX_FAILED_LOGINS:
        return 0, now + dt.timedelta(minutes=LOCK_MINUTES)
    return failures, None


def _unknown_email_refusal(session: Session, email: str, password: str, hash_method: str,
                           now: dt.datetime) -> LoginRefused:
    """Answer an email no account has exactly as a wrong password: the same hash work, the same count
    towards a lock and the same words, so sign-in does not reveal which accounts exist."""
    key = UNKNOWN_ACCOUNT_KEY + hashlib.sha256(email.encode("utf-8")).hexdigest()
    # Stored as (lock end, 0) while locked, else (time of the last failure, failures in a row).
    marker, failures = throttle.read(session, key) or (now, 0)
    if marker > now:
        return LoginRefused(_locked_answer(marker, now))
    check_password_hash(_dummy_hash(hash_method), password or "")
    failures, locked_until = _count_failure(failures, now)
    throttle.store(session, key, locked_until or now, failures)
    return LoginRefused(WRONG_CREDENTIALS)


def authenticate(session: Session, email: str, password: str, *, hash_method: str = "scrypt",
                 now: dt.datetime | None = None) -> User:
    """The user with these credentials, or LoginRefused. Failures count towards a temporary lock.

    ``hash_method`` is the one new passwords are hashed with (``PASSWORD_HASH_METHOD``).
    """
    now = now or utcnow()
    email = (email or "").strip().lower()
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        raise _unknown_email_refusal(session, email, password, hash_method, now)
    if user.locked_until is not None and user.locked_until > now:
        raise LoginRefused(_locked_answer(user.locked_until, now))
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins, locked_until = _count_failure(user.failed_logins, now)
        if locked_until is not None:
            user.locked_until = locked_until
        session.flush()
        raise LoginRefused(WRONG_CREDENTIALS)
    if not user.is_active:
        raise LoginRefused("This account is disabled. Ask an admin.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return user
