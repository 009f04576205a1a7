"""Making and revoking tokens: on the account page (shown once, stored hashed) and on the command line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import ApiToken, AuditEvent
from factcheck.services.sessions import token_hash
from tests.e2e.api.conftest import bearer
from tests.e2e.conftest import signed_in
from tests.helpers import post_form

TOKEN = re.compile(r'<code id="new-token">(fc_[A-Za-z0-9_-]+)</code>')


def test_the_account_page_shows_a_new_token_once_and_stores_only_its_hash(client, world, session):
    signed_in(client, world, "checker")
    response = post_form(client, "/account/tokens", {"name": "CMS sync", "scope": "write", "expires_days": "30"},
                         form_page="/account")
    assert response.status_code == 200
    secret = TOKEN.search(response.get_data(as_text=True)).group(1)
    row = session.scalars(select(ApiToken).where(ApiToken.name == "CMS sync")).one()
    assert row.token_hash == token_hash(secret) and secret not in row.token_hash and row.can_write
    assert (row.expires_at - row.created_at).days == 30
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and "CMS sync" in again
    assert client.get("/api/v1/items", headers=bearer(secret)).status_code == 200
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.TOKEN)).all()
    assert (event.action, event.entity_id, event.actor_id) == (AuditAction.TOKEN_CREATE, row.id,
                                                               world.users["checker"].id)
    assert event.payload["name"] == "CMS sync" and event.payload["scope"] == "write"
    assert secret not in str(event.payload) and row.token_hash not in str(event.payload)


def test_a_second_token_with_the_same_name_is_refused_in_plain_words(client, world, session):
    signed_in(client, world, "editor")
    first = post_form(client, "/account/tokens", {"name": "bot", "scope": "read", "expires_days": "5"},
                      form_page="/account")
    assert first.status_code == 200
    second = post_form(client, "/account/tokens", {"name": "bot", "scope": "read", "expires_days": "5"},
                       form_page="/account")
    assert second.status_code == 409 and "already have a token named" in second.get_data(as_text=True)
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.TOKEN)).all()
    assert [e.action for e in events] == [AuditAction.TOKEN_CREATE]  # the refused one wrote none


def test_revoking_on_the_account_page_stops_the_token(client, world):
    signed_in(client, world, "reviewer")
    made = post_form(client, "/account/tokens", {"name": "dashboard", "scope": "read", "expires_days": "5"},
                     form_page="/account")
    secret = TOKEN.search(made.get_data(as_text=True)).group(1)
    assert post_form(client, "/account/tokens/revoke", {"name": "dashboard"}, form_page="/account").status_code == 302
    assert client.get("/api/v1/items", headers=bearer(secret)).status_code == 401


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    db = Database(url)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    for email in ("checker@example.org", "editor@example.org"):
        result = runner.invoke(main, ["users", "create", "--role", "checker", email, "--password-stdin"],
                               input="a long password for tests\n")
        assert result.exit_code == 0, result.output
    yield db
    db.dispose()


def test_the_cli_prints_a_token_once_and_revokes_it_by_account_and_name(cli_db):
    runner = CliRunner()
    made = runner.invoke(main, ["tokens", "create", "checker@example.org", "--name", "tipline bot", "--scope", "read",
                                "--expires-days", "7"])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    assert secret.startswith("fc_")
    # the same name on another account is another token: revoke names the account too
    other = runner.invoke(main, ["tokens", "create", "editor@example.org", "--name", "tipline bot", "--scope", "write"])
    assert other.exit_code == 0, other.output
    with cli_db.sessionmaker() as s:
        assert s.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).one().scope == "read"
    missing_email = runner.invoke(main, ["tokens", "revoke", "tipline bot"])
    assert missing_email.exit_code != 0 and "--email" in missing_email.output
    revoked = runner.invoke(main, ["tokens", "revoke", "tipline bot", "--email", "checker@example.org"])
    assert revoked.exit_code == 0, revoked.output
    with cli_db.sessionmaker() as s:
        rows = {t.user.email: t.revoked_at for t in s.scalars(select(ApiToken))}
    assert rows["checker@example.org"] is not None and rows["editor@example.org"] is None
    unknown = runner.invoke(main, ["tokens", "revoke", "nothing", "--email", "checker@example.org"])
    assert unknown.exit_code == 1 and "no token named" in unknown.output
    bad_scope = runner.invoke(main, ["tokens", "create", "checker@example.org", "--name", "x", "--scope", "admin"])
    assert bad_scope.exit_code == 2
    with cli_db.sessionmaker() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.TOKEN)
                           .order_by(AuditEvent.id)).all()
    # two made, one revoked; the refusals wrote nothing; the command line is nobody's account
    assert [(e.action, e.payload["name"], e.actor_id) for e in events] == [
        (AuditAction.TOKEN_CREATE, "tipline bot", None), (AuditAction.TOKEN_CREATE, "tipline bot", None),
        (AuditAction.TOKEN_REVOKE, "tipline bot", None)]
    assert all(secret not in str(e.payload) for e in events)


def test_a_tokens_last_use_is_written_at_most_once_a_minute(client, world, session, database):
    from factcheck.services.tokens import create_token
    from tests.helpers import recorded_statements

    row, secret = create_token(session, world.users["checker"], name="last use", scope="read")
    session.flush()
    assert row.last_used_at is None

    def use() -> list[str]:
        with recorded_statements(database.engine) as statements:
            assert client.get("/api/v1/ratings", headers=bearer(secret)).status_code == 200
        session.refresh(row)
        return [s for s in statements if s.lstrip().upper().startswith("UPDATE API_TOKENS")]

    assert len(use()) == 1 and row.last_used_at is not None
    first = row.last_used_at
    assert use() == [] and row.last_used_at == first  # within the minute: not even a statement
    row.last_used_at = first - dt.timedelta(minutes=2)
    session.flush()
    assert len(use()) == 1 and row.last_used_at > first - dt.timedelta(minutes=2)


def test_a_request_reads_its_tokens_owner_and_their_roles_once(client, world, session, database):
    """The token, its owner and the owner's roles come in one statement, and the request keeps that owner:
    nothing reads the account again."""
    from factcheck.services.tokens import create_token
    from tests.helpers import recorded_statements

    _, secret = create_token(session, world.users["checker"], name="owner once", scope="read")
    session.flush()
    client.get("/api/v1/ratings", headers=bearer(secret))  # the first use writes the last use
    with recorded_statements(database.engine) as statements:
        response = client.get("/api/v1/items?limit=5", headers=bearer(secret))
    assert response.status_code == 200
    reading_accounts = [s for s in statements if re.search(r"\bFROM users\b|\bJOIN users\b", s)]
    reading_roles = [s for s in statements if re.search(r"\buser_roles\b", s)]
    # (test_api_authorisation's matrix shows the roles so read decide what each token may do)
    assert len(reading_accounts) == 1 and reading_accounts == reading_roles, statements


def test_a_token_whose_owner_is_disabled_stops_working(client, world, session):
    from factcheck.services.tokens import create_token

    owner = world.users["checker"]
    _, secret = create_token(session, owner, name="owner disabled", scope="read")
    session.flush()
    assert client.get("/api/v1/ratings", headers=bearer(secret)).status_code == 200
    owner.is_active = False
    session.flush()
    refused = client.get("/api/v1/ratings", headers=bearer(secret))
    assert refused.status_code == 401 and "unknown, expired or revoked" in refused.get_json()["error"]
