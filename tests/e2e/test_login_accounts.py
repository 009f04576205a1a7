"""Signing in does not tell which accounts exist: the same words, and the same hash work, either way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from factcheck.domain.workflow import Role
from factcheck.models import Throttle
from factcheck.services import passwords
from factcheck.services import users as user_service
from factcheck.services.users import create_user
from tests.conftest import make_test_app
from tests.factories import PASSWORD, gen_user
from tests.helpers import login

FROZEN = dt.datetime(2026, 2, 14, 10, 0, tzinfo=dt.UTC)


def _answer(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The status and the sign-in form's error message."""
    page = response.get_data(as_text=True)
    match = re.search(r"(Wrong email or password\.|Too many failed sign-ins\.[^<]*)", page)
    return response.status_code, match.group(1) if match else ""


def test_an_unknown_email_gets_the_same_answers_as_a_known_one_attempt_by_attempt(client, session, monkeypatch):
    monkeypatch.setattr(user_service, "utcnow", lambda: FROZEN)
    known = gen_user(session, Role.CHECKER, email="a.checker@example.org")

    def answers(email: str) -> list[tuple[int, str]]:
        return [_answer(login(client, email, "not the password")) for _ in range(6)] + [_answer(login(client, email))]

    for_known, for_unknown = answers(known.email), answers("nobody.here@example.org")
    assert for_known == for_unknown
    assert for_known[0] == (401, "Wrong email or password.")
    assert for_known[-1] == (401, "Too many failed sign-ins. Try again in 15 minutes.")


def test_the_lock_on_an_unknown_email_ends_like_an_accounts(client, session, monkeypatch):
    clock = [FROZEN]
    monkeypatch.setattr(user_service, "utcnow", lambda: clock[0])
    for _ in range(5):
        login(client, "nobody.here@example.org", "not the password")
    clock[0] = FROZEN + dt.timedelta(minutes=10, seconds=30)
    assert _answer(login(client, "Nobody.Here@example.org", "x" * 8))[1] == "Too many failed sign-ins. Try again in 5 minutes."
    clock[0] = FROZEN + dt.timedelta(minutes=16)
    assert _answer(login(client, "nobody.here@example.org", "x" * 8))[1] == "Wrong email or password."


def test_no_address_is_stored_for_an_email_without_an_account(client, session):
    login(client, "nobody.here@example.org", "not the password")
    keys = session.scalars(select(Throttle.key)).all()
    assert keys and not any("nobody" in key for key in keys)


@pytest.mark.parametrize("method", ["argon2id", "scrypt", "pbkdf2:sha256:2000"])
def test_an_unknown_email_is_checked_against_a_hash_made_like_real_ones(database, session_factory, session,
                                                                        monkeypatch, method):
    app = make_test_app(database, session_factory, PASSWORD_HASH_METHOD=method)
    real = create_user(session, "a.reviewer@example.org", PASSWORD, [Role.REVIEWER], hash_method=method)
    checked: list[str] = []

    def recording_check(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return passwords.verify_password(pwhash, password)

    monkeypatch.setattr(user_service, "verify_password", recording_check)
    client = app.test_client()
    login(client, real.email, "not the password")
    login(client, "nobody.here@example.org", "not the password")

    real_hash, dummy_hash = checked
    assert dummy_hash != real_hash
    # "<method and its parameters>$<salt>$<hash>" (argon2: "$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>"):
    # the same method and cost, so the same work.
    parameters = 4 if method == "argon2id" else 1
    assert dummy_hash.split("$")[:parameters] == real_hash.split("$")[:parameters]
    assert dummy_hash.startswith("$argon2id$" if method == "argon2id" else method)
