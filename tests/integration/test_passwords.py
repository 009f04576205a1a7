"""Passwords: argon2id at OWASP's parameters, rehash at sign-in, the length and strength policy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.domain.workflow import AuditAction, Role
from factcheck.models import AuditEvent, User
from factcheck.services import passwords
from factcheck.services.errors import InvalidInput
from factcheck.services.users import authenticate, change_password, create_user
from tests.factories import PASSWORD, gen_user


def test_new_passwords_are_hashed_with_argon2id_at_owasp_parameters():
    stored = passwords.hash_password("a long unrelated passphrase")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, "a long unrelated passphrase")
    assert not passwords.verify_password(stored, "a long unrelated passphrasE")


@pytest.mark.parametrize("weak", ["12345678", "password1234", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa",
                                  "checker@example.org"])
def test_common_patterned_or_personal_passwords_are_refused(session, weak):
    with pytest.raises(InvalidInput) as refused:
        create_user(session, "checker@example.org", weak, [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
    assert "characters" in str(refused.value) or "easy to guess" in str(refused.value)
    assert session.scalars(select(User)).all() == []


def test_eleven_characters_are_too_few_and_twelve_strong_ones_are_enough(session):
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        create_user(session, "a@example.org", "Zq8#vN2!pLx", [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
    assert create_user(session, "a@example.org", "Zq8#vN2!pLxw", [Role.CHECKER], hash_method="pbkdf2:sha256:1000")


def test_an_older_hash_is_replaced_by_argon2id_at_the_next_sign_in(session):
    user = gen_user(session)  # made with a cheap pbkdf2 hash
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")
    authenticate(session, user.email, PASSWORD, hash_method="argon2id")
    assert user.password_hash.startswith("$argon2id$")
    again = user.password_hash
    authenticate(session, user.email, PASSWORD, hash_method="argon2id")
    assert user.password_hash == again  # already current: left alone


def test_a_failed_sign_in_does_not_rehash(session):
    user = gen_user(session)
    before = user.password_hash
    with pytest.raises(Exception):
        authenticate(session, user.email, "not the password at all", hash_method="argon2id")
    assert user.password_hash == before


def test_changing_a_password_needs_the_current_one_and_is_recorded(session):
    user = gen_user(session)
    with pytest.raises(InvalidInput, match="current password"):
        change_password(session, user, "a wrong guess here", "another long passphrase", hash_method="pbkdf2:sha256:1000")
    change_password(session, user, PASSWORD, "another long passphrase", hash_method="pbkdf2:sha256:1000")
    assert passwords.verify_password(user.password_hash, "another long passphrase")
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == user.id)).all()
    assert AuditAction.PASSWORD_CHANGE in actions
