"""Tokens for the world's users, and a client that sends them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from factcheck.domain.accounts import TokenScope
from factcheck.services.tokens import create_token
from tests.e2e.conftest import World


@pytest.fixture
def tokens(session: Session, world: World) -> dict[tuple[str, str], str]:
    """(role, scope) → a live token of the world's user with that role."""
    made = {}
    for role, user in world.users.items():
        for scope in TokenScope:
            _, secret = create_token(session, user, name=f"{role} {scope.value}", scope=scope)
            made[(role, scope.value)] = secret
    session.flush()
    return made


def bearer(token: str) -> dict[str, str]:
    """The header that carries ``token``."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def job_app(app, tmp_path):
    """The app with its job queue in a file of this test's own (nothing left in ./instance)."""
    app.config["JOBS_PATH"] = str(tmp_path / "jobs.sqlite3")
    app.config["JOBS_NAME"] = f"factcheck-test-{uuid.uuid4().hex}"
    app.extensions.pop("factcheck.jobs", None)
    yield app
    app.extensions.pop("factcheck.jobs", None)
