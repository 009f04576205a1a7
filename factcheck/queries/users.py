"""Read model for the admin's user list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from factcheck.models import User


def list_users(session: Session) -> list[User]:
    """Every account with its roles (two queries), by email."""
    return list(session.scalars(select(User).options(selectinload(User.role_rows)).order_by(User.email)))
