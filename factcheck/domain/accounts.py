"""Accounts: the rules about signing in that need no framework.

Which roles must use a second factor, what the outbox's mails can be, and which audit actions
count as sign-in events (the admin's events page lists those).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from factcheck.domain.workflow import AuditAction, Role


class TokenScope(StrEnum):
    """What a personal API token may do: read only, or read and write."""

    READ = "read"
    WRITE = "write"


class MailState(StrEnum):
    """Where a mail in the outbox stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


#: The audit actions that describe signing in, sessions and credentials (the admin's events page).
SIGN_IN_EVENTS: tuple[AuditAction, ...] = (
    AuditAction.SIGN_IN,
    AuditAction.SIGN_IN_FAILED,
    AuditAction.LOCKOUT,
    AuditAction.SIGN_OUT,
    AuditAction.PASSWORD_CHANGE,
    AuditAction.RESET_REQUEST,
    AuditAction.RESET_USE,
    AuditAction.TWOFACTOR_ENROL,
    AuditAction.TWOFACTOR_RESET,
    AuditAction.SESSIONS_REVOKE,
    AuditAction.ENABLE,
    AuditAction.DISABLE,
    AuditAction.SET_ROLES,
)

#: Personal API tokens made and revoked (the event names the token and its scope, never its secret).
TOKEN_EVENTS: tuple[AuditAction, ...] = (AuditAction.TOKEN_CREATE, AuditAction.TOKEN_REVOKE)

#: Webhooks registered, paused, resumed and removed (the event names the URL and events, never the secret).
WEBHOOK_EVENTS: tuple[AuditAction, ...] = (
    AuditAction.WEBHOOK_REGISTER,
    AuditAction.WEBHOOK_PAUSE,
    AuditAction.WEBHOOK_RESUME,
    AuditAction.WEBHOOK_REMOVE,
)

#: Everything the admin's events page lists: sign-in and account events, tokens and webhooks.
ACCOUNT_EVENTS: tuple[AuditAction, ...] = SIGN_IN_EVENTS + TOKEN_EVENTS + WEBHOOK_EVENTS


def parse_roles(text: str) -> frozenset[Role]:
    """Roles from a comma-separated setting such as ``"editor,admin"`` (blank: none)."""
    roles = set()
    for part in text.split(","):
        part = part.strip().lower()
        if part:
            try:
                roles.add(Role(part))
            except ValueError:
                raise ValueError(f"Unknown role {part!r} in a role list; roles are checker, reviewer, "
                                 "editor and admin.") from None
    return frozenset(roles)


def second_factor_required(roles: Iterable[Role], required: Iterable[Role]) -> bool:
    """True when any of ``roles`` is one that must sign in with a second factor."""
    return bool(set(roles) & set(required))
