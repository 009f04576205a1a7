"""Access checks for views and templates: sign-in, then the roles the domain gives each capability.

Views say *what* they do (``@permitted(Action.TAKE)``, ``@permitted(Capability.REVIEW)``); which
roles may do it is written once, in ``factcheck.domain.permissions``. Templates ask ``may(...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from factcheck.domain.permissions import Capability, may_attempt, roles_for
from factcheck.domain.workflow import Action, Role

F = TypeVar("F", bound=Callable[..., Any])


def _roles_required(*roles: Role) -> Callable[[F], F]:
    """Require sign-in and at least one of ``roles``; otherwise 401 (redirect to sign-in) or 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.roles & set(roles):
                abort(403, description="Your role does not allow this page.")
            return view(*args, **kwargs)

        return cast(F, wrapped)  # functools.wraps does not keep F's signature in its type

    return decorator


def permitted(what: Action | Capability) -> Callable[[F], F]:
    """Require sign-in and a role the domain allows for ``what`` (the services check the rest)."""
    return _roles_required(*roles_for(what))


def may(what: Action | Capability) -> bool:
    """True when the signed-in user holds a role that may attempt ``what`` (links and buttons)."""
    return bool(current_user.is_authenticated and may_attempt(what, current_user.roles))
