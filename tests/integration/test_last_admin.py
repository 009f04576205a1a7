"""The desk always keeps an active admin: no path removes or disables the last one.

(Two admins demoting each other at the same moment: ``tests/integration/test_races.py``.)
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.domain.workflow import Role
from factcheck.models import AuditEvent, User
from factcheck.services.errors import NotFound
from factcheck.services.users import LastAdmin, set_active, set_roles
from tests.factories import PASSWORD, gen_user


def test_the_last_admin_keeps_the_admin_role(session):
    admin = gen_user(session, Role.ADMIN, Role.EDITOR)
    with pytest.raises(LastAdmin, match="is the last admin"):
        set_roles(session, admin.id, ["editor"], actor=None)
    assert session.get(User, admin.id, populate_existing=True).roles == {Role.ADMIN, Role.EDITOR}


def test_the_last_admin_cannot_be_disabled(session):
    admin = gen_user(session, Role.ADMIN)
    with pytest.raises(LastAdmin):
        set_active(session, admin.id, False, actor=None)
    assert session.get(User, admin.id, populate_existing=True).is_active


def test_a_disabled_admin_does_not_count_as_the_one_that_remains(session):
    admin, other = gen_user(session, Role.ADMIN), gen_user(session, Role.ADMIN)
    set_active(session, other.id, False, actor=admin)
    with pytest.raises(LastAdmin):
        set_roles(session, admin.id, ["checker"], actor=None)
    with pytest.raises(LastAdmin):
        set_active(session, admin.id, False, actor=None)


def test_with_another_active_admin_the_role_can_go_and_the_account_be_disabled(session):
    admin, other = gen_user(session, Role.ADMIN), gen_user(session, Role.ADMIN)
    set_roles(session, other.id, ["checker"], actor=admin)
    assert session.get(User, other.id, populate_existing=True).roles == {Role.CHECKER}
    set_roles(session, other.id, ["admin"], actor=admin)
    set_active(session, other.id, False, actor=admin)
    assert not session.get(User, other.id, populate_existing=True).is_active
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "user",
                                                             AuditEvent.entity_id == other.id)
                            .order_by(AuditEvent.id)).all()
    # Each change of roles, and the disabling, ends the account's sessions.
    assert events == ["create", "set_roles", "sessions_revoke", "set_roles", "sessions_revoke", "disable",
                      "sessions_revoke"]


def test_changing_a_user_who_does_not_exist_is_not_found(session):
    with pytest.raises(NotFound):
        set_roles(session, 987654, ["checker"], actor=None)


# --- the command line --------------------------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    """A migrated SQLite database for the commands, with one admin and one checker."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    assert _run("db", "upgrade").exit_code == 0
    for email, role in (("admin@example.org", "admin"), ("checker@example.org", "checker")):
        result = _run("users", "create", "--role", role, email, "--password-stdin", input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output
    db = Database(url)
    yield db
    db.dispose()


def _run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def _roles(db: Database, email: str) -> tuple[set[str], bool]:
    with db.sessionmaker() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        return {r.value for r in user.roles}, user.is_active


def test_the_command_line_refuses_to_demote_or_disable_the_last_admin(cli_database):
    demote = _run("users", "roles", "admin@example.org", "--role", "checker")
    assert demote.exit_code == 1 and "admin@example.org is the last admin" in demote.output
    assert "Traceback" not in demote.output
    disable = _run("users", "disable", "admin@example.org")
    assert disable.exit_code == 1 and "is the last admin" in disable.output
    assert _roles(cli_database, "admin@example.org") == ({"admin"}, True)


def test_the_command_line_changes_roles_and_disables_other_accounts(cli_database):
    result = _run("users", "roles", "Checker@Example.org", "--role", "checker", "--role", "admin")
    assert result.exit_code == 0 and "Roles of checker@example.org: admin, checker." in result.output
    assert _run("users", "roles", "admin@example.org", "--role", "editor").exit_code == 0
    assert _run("users", "disable", "admin@example.org").exit_code == 0
    assert _roles(cli_database, "admin@example.org") == ({"editor"}, False)
    assert _run("users", "enable", "admin@example.org").exit_code == 0
    assert _roles(cli_database, "admin@example.org") == ({"editor"}, True)
    unknown = _run("users", "disable", "nobody@example.org")
    assert unknown.exit_code == 1 and "There is no user nobody@example.org" in unknown.output
