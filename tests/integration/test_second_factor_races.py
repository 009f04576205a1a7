"""One second-factor code, sent by two sign-ins at the same moment, signs in once (PostgreSQL: SQLite's writers
queue, so the second reads what the first wrote)."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.db import Database
from factcheck.domain.workflow import Role
from factcheck.models import RecoveryCode, User
from factcheck.services import twofactor
from tests.conftest import PG_URL
from tests.factories import gen_user
from tests.pg_schema import behind_first, private_schema_database

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL")]


def _enrolled(db: Database) -> tuple[int, str, list[str]]:
    """A user with an authenticator set up a step ago: their id, the secret and the recovery codes."""
    with Session(db.engine) as session:
        user = gen_user(session, Role.CHECKER)
        secret = pyotp.random_base32(32)
        earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=60)
        codes = twofactor.enrol(session, user, secret, pyotp.TOTP(secret).at(earlier), now=earlier)
        session.commit()
        return user.id, secret, codes


def test_one_authenticator_code_sent_twice_at_once_signs_in_once() -> None:
    with private_schema_database() as db:
        user_id, secret, _ = _enrolled(db)
        code = pyotp.TOTP(secret).now()
        first = Session(db.engine)
        assert twofactor.verify(first, first.get(User, user_id), code) == "totp"
        # The second read the user's row before the first committed, and waits on its write.
        assert behind_first(db, first, lambda s: twofactor.verify(s, s.get(User, user_id), code)) is None
        with Session(db.engine) as session:
            assert session.get(User, user_id).totp_last_step is not None


def test_one_recovery_code_sent_twice_at_once_signs_in_once() -> None:
    with private_schema_database() as db:
        user_id, _, codes = _enrolled(db)
        first = Session(db.engine)
        assert twofactor.verify(first, first.get(User, user_id), codes[0]) == "recovery code"
        assert behind_first(db, first, lambda s: twofactor.verify(s, s.get(User, user_id), codes[0])) is None
        with Session(db.engine) as session:
            used = session.scalars(select(RecoveryCode.used_at).where(RecoveryCode.user_id == user_id)).all()
            assert sum(1 for at in used if at is not None) == 1
