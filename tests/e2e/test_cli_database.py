"""A command run against a database that was never migrated, or that cannot be reached, says so in one plain
line (and what to do), never with a traceback; nothing is written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factcheck.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: None)
    return tmp_path


@pytest.mark.parametrize("args", [
    ("users", "create", "--role", "checker", "--password-stdin", "new@example.org"),
    ("tokens", "create", "new@example.org", "--name", "cms", "--scope", "read"),
    ("sources", "show", "Putin"), ("report", "1"), ("submissions", "purge"), ("webhooks", "deliver"),
    ("ingest", "ARTICLE"),
], ids=lambda args: " ".join(args[:2]))
def test_a_command_on_a_database_never_migrated_says_to_run_db_upgrade(env, monkeypatch, args):
    database = env / "never-migrated.sqlite3"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", f"sqlite:///{database}")
    article = env / "a.txt"
    article.write_text("The mayor said on Monday that the harbour would close for two years.\n", encoding="utf-8")
    args = tuple(str(article) if a == "ARTICLE" else a for a in args)
    result = CliRunner().invoke(main, list(args), input="Tangerine lamp orbit 93 quay\n")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "run `factcheck db upgrade` first" in result.output and "Traceback" not in result.output


def test_a_database_that_cannot_be_reached_is_named_without_its_password(env, monkeypatch):
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", "postgresql+psycopg://desk:s3cret@127.0.0.1:9/factcheck")
    result = CliRunner().invoke(main, ["sources", "show", "Putin"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Cannot reach the database" in result.output and "s3cret" not in result.output


def test_a_database_at_an_older_revision_says_to_run_db_upgrade(env, monkeypatch):
    from factcheck import migrate
    from tests.conftest import migrated_sqlite_url

    url = migrated_sqlite_url(env / "older.sqlite3")
    migrate.downgrade(url, "-1")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    article = env / "a.txt"
    article.write_text("The mayor said on Monday that the harbour would close for two years.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"needs {migrate.head_revision()}" in result.output and "run `factcheck db upgrade` first" in result.output


def test_a_migration_the_database_refuses_says_what_the_database_said(env, monkeypatch):
    from sqlalchemy.exc import ProgrammingError

    from factcheck import migrate

    monkeypatch.setenv("FACTCHECK_DATABASE_URL", f"sqlite:///{env / 'refusing.sqlite3'}")

    def refused(url, revision="head"):  # type: ignore[no-untyped-def]
        raise ProgrammingError("CREATE TABLE users", {}, Exception("permission denied for schema public"))

    monkeypatch.setattr(migrate, "upgrade", refused)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1 and "permission denied for schema public" in result.output
    assert "run `factcheck db upgrade` first" not in result.output
