"""Access checks for views: sign-in and roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from factcheck.domain.permissions import Capability, roles_for
from factcheck.domain.workflow import Action, Role

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
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
    return roles_required(*roles_for(what))


def has_role(*roles: Role) -> bool:
    """True when the signed-in user holds one of ``roles``."""
    return bool(current_user.is_authenticated and current_user.roles & set(roles))
