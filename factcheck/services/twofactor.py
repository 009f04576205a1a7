"""Second factor: TOTP (RFC 6238) authenticators and one-time recovery codes.

A code is accepted for the current 30-second step or the one either side (clocks drift), and
never twice: the last accepted step is stored, and only a later one is accepted after it.
Recovery codes are random (about 50 bits each), shown once, stored as a salted SHA-256, and
each works once.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import io
import secrets
from typing import Any, cast

import pyotp
import segno
from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import RecoveryCode, User, utcnow
from factcheck.services import sessions as session_service
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.mail import notify_security_change

RECOVERY_CODES = 10
STEP_SECONDS = 30
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed from paper


def new_secret() -> str:
    """A new random TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG element (no script, no image request)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, xmldecl=False, svgns=True, title="Authenticator QR code")
    return out.getvalue().decode("utf-8")


def _normalise(code: str) -> str:
    return "".join(c for c in (code or "").lower() if c.isalnum())


def is_secret(secret: str) -> bool:
    """Whether ``secret`` is a secret ``new_secret`` could have made: 32 base32 letters."""
    try:
        return len(secret) == 32 and len(base64.b32decode(secret, casefold=False)) == 20
    except (binascii.Error, ValueError):
        return False


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    digits = _normalise(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), digits):
            return step
    return None


def _hash(code: str, salt: str | None = None) -> str:
    """"<salt>$<sha256(salt + code)>": a random salt per code, so a stolen table cannot be looked up."""
    salt = salt or secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + _normalise(code)).encode('utf-8')).hexdigest()}"


def _matches(stored: str, code: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(stored, _hash(code, salt))


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    session.flush()
    return codes


def enrol(session: Session, user: User, secret: str, code: str, *, keep_token: str | None = None,
          now: dt.datetime | None = None) -> list[str]:
    """Confirm an authenticator with a code it shows; return the ten recovery codes (shown once).

    Other sessions end: whoever else was signed in did not pass the new second factor.
    """
    now = now or utcnow()
    if not is_secret(secret or ""):
        raise InvalidInput("The enrolment expired; start again.")
    step = _matching_step(secret, code, now)
    if step is None:
        raise InvalidInput("That code does not match. Enter the six digits your authenticator app shows now.")
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enabled_at = now
    codes = _new_recovery_codes(session, user)
    record_event(session, action=AuditAction.TWOFACTOR_ENROL, entity=AuditEntity.USER, entity_id=user.id,
                 actor=user)
    notify_security_change(session, user.email, "an authenticator app was set up as the second factor")
    session_service.end_all_sessions(session, user.id, reason="second factor changed", actor=user,
                                     keep_token=keep_token, now=now)
    return codes


def verify(session: Session, user: User, code: str, *, now: dt.datetime | None = None) -> str | None:
    """Check a second-factor code: "totp" or "recovery code" when accepted (and spent), else None."""
    now = now or utcnow()
    if user.totp_secret is None:
        return None
    step = _matching_step(user.totp_secret, code, now)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return None  # replayed: this code (or a later one) was already used
        # Spent only if no other sign-in spent it (or a later one) meanwhile: on PostgreSQL a second transaction
        # sending the same code waits here for the first and then finds the step taken.
        spent = cast(CursorResult[Any], session.execute(update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None),
                                                                           User.totp_last_step < step))
                                .values(totp_last_step=step).execution_options(synchronize_session=False)))
        if spent.rowcount != 1:
            return None
        set_committed_value(user, "totp_last_step", step)
        return "totp"
    normalised = _normalise(code)
    if len(normalised) == 10:
        unused = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                            RecoveryCode.used_at.is_(None))).all()
        for row in unused:
            if _matches(row.code_hash, normalised):
                # Once: a second sign-in with the same code at the same moment finds it used.
                spent = cast(CursorResult[Any], session.execute(update(RecoveryCode).where(RecoveryCode.id == row.id,
                                                                   RecoveryCode.used_at.is_(None))
                                        .values(used_at=now).execution_options(synchronize_session=False)))
                if spent.rowcount != 1:
                    return None
                set_committed_value(row, "used_at", now)
                return "recovery code"
    return None


def recovery_codes_left(session: Session, user: User) -> int:
    """How many of the user's recovery codes are unused."""
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))).all())


def reset(session: Session, user_id: int, *, actor: User | None, now: dt.datetime | None = None) -> User:
    """Remove a user's second factor (a lost phone): the next sign-in enrols again; all sessions end."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user #{user_id}.")
    had = user.totp_secret is not None
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enabled_at = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    record_event(session, action=AuditAction.TWOFACTOR_RESET, entity=AuditEntity.USER, entity_id=user.id,
                 actor=actor, payload={"had_second_factor": had})
    notify_security_change(session, user.email, "the second factor was removed by an admin")
    session_service.end_all_sessions(session, user.id, reason="second factor reset", actor=actor, now=now)
    return user
