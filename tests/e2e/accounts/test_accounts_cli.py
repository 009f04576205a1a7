"""Account commands, the demo's safer defaults and the private SQLite file."""

from __future__ import annotations

import stat

import pyotp
from click.testing import CliRunner
from sqlalchemy import select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.models import User
from factcheck.services.passwords import verify_password
from factcheck.services.twofactor import enrol
from tests.e2e.test_cli import cli_env, run  # noqa: F401  (the fixture, shared)

ADMIN_PASSWORD = "a long admin passphrase"


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    """The command's result, its failure included (``run`` lets exceptions through)."""
    return CliRunner().invoke(main, list(args))


def _setup(cli_env_db: Database) -> None:  # noqa: F811
    assert run("db", "upgrade").exit_code == 0
    for email, role in (("admin@example.org", "admin"), ("checker@example.org", "checker")):
        result = run("users", "create", "--role", role, email, "--password-stdin", input=ADMIN_PASSWORD + "\n")
        assert result.exit_code == 0, result.output


def test_users_passwd_sets_a_new_password_that_meets_the_policy(cli_env):  # noqa: F811
    _setup(cli_env)
    weak = run("users", "passwd", "checker@example.org", "--password-stdin", input="12345678abcd\n")
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    result = run("users", "passwd", "checker@example.org", "--password-stdin", input="another long passphrase\n")
    assert result.exit_code == 0, result.output
    with cli_env.sessionmaker() as s:
        user = s.scalars(select(User).where(User.email == "checker@example.org")).one()
        assert verify_password(user.password_hash, "another long passphrase")
    assert run("users", "passwd", "nobody@example.org", "--password-stdin",
               input="another long passphrase\n").exit_code == 1


def test_users_disable_enable_and_reset_2fa(cli_env):  # noqa: F811
    _setup(cli_env)
    with cli_env.sessionmaker() as s:
        user = s.scalars(select(User).where(User.email == "checker@example.org")).one()
        secret = pyotp.random_base32(32)
        enrol(s, user, secret, pyotp.TOTP(secret).now())
        s.commit()
    result = run("users", "reset-2fa", "checker@example.org")
    assert result.exit_code == 0, result.output
    assert run("users", "disable", "checker@example.org").exit_code == 0
    assert run("users", "disable", "admin@example.org").exit_code == 1  # the last admin
    with cli_env.sessionmaker() as s:
        user = s.scalars(select(User).where(User.email == "checker@example.org")).one()
        assert user.totp_secret is None and not user.is_active
    assert run("users", "enable", "checker@example.org").exit_code == 0


def test_serve_demo_refuses_a_non_loopback_host_unless_told(cli_env, monkeypatch):  # noqa: F811
    from flask import Flask

    started = {}
    monkeypatch.setattr(Flask, "run", lambda self, **kw: started.update(kw))
    refused = _invoke("serve", "--demo", "--host", "0.0.0.0")
    assert refused.exit_code == 1 and "--allow-remote-demo" in refused.output and not started
    allowed = run("serve", "--demo", "--host", "0.0.0.0", "--allow-remote-demo")
    assert allowed.exit_code == 0 and started["host"] == "0.0.0.0"


def test_demo_passwords_are_random_per_instance_and_printed_once(cli_env, monkeypatch):  # noqa: F811
    from flask import Flask

    monkeypatch.setattr(Flask, "run", lambda self, **kw: None)
    first = run("serve", "--demo")
    printed = dict(line.split()[1:3] for line in first.output.splitlines() if "@demo.factcheck" in line)
    assert len(printed) == 4 and len(set(printed.values())) == 4
    with cli_env.sessionmaker() as s:
        for email, password in printed.items():
            user = s.scalars(select(User).where(User.email == email)).one()
            assert verify_password(user.password_hash, password)
    second = run("serve", "--demo")
    assert not any(password in second.output for password in printed.values())


def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "factcheck.sqlite3"
    db = Database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    db.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
