"""The command line: migrations, users, seeding and serving, each against a real database file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.models import Article, CheckItem, User


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """A fresh SQLite database and instance folder for the commands."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    # Serving freezes every object then alive (``settle_for_serving``): not this test process's.
    monkeypatch.setattr("factcheck.cli.serve.settle_for_serving", lambda: None)
    # … and so does an ingest of many files (``settle_for_batch``).
    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: None)
    db = Database(url)
    yield db
    db.dispose()


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _run_alone(args: list[str], modules: tuple[str, ...]) -> tuple[str, str]:
    """``factcheck *args`` in a process of its own: what it printed, and which of ``modules`` it imported (a
    sorted list, as printed)."""
    probe = ("import sys; from factcheck.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit as end:\n"
             "    assert end.code in (0, None), end.code\n"
             f"print(sorted(m for m in {modules!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    *output, imported = done.stdout.strip().splitlines()
    return "\n".join(output), imported


def test_db_upgrade_creates_the_schema_with_the_default_scale(cli_env):
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(User)).scalar() == 0
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 0


def test_users_create_reads_the_password_from_stdin_and_stores_only_a_hash(cli_env):
    run("db", "upgrade")
    result = run("users", "create", "--role", "reviewer", "--role", "editor", "Desk@Example.org",
                 "--password-stdin", input="a long password\n")
    assert result.exit_code == 0, result.output
    with cli_env.sessionmaker() as s:
        user = s.scalars(select(User)).one()
        assert user.email == "desk@example.org"
        assert {r.value for r in user.roles} == {"reviewer", "editor"}
        assert "a long password" not in user.password_hash


def test_users_create_refuses_a_short_password_with_a_plain_message(cli_env):
    run("db", "upgrade")
    result = CliRunner().invoke(main, ["users", "create", "--role", "checker", "c@example.org", "--password-stdin"],
                                input="short\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(User)).scalar() == 0


def test_seed_loads_the_seed_article_once(cli_env):
    run("db", "upgrade")
    first = run("seed")
    assert first.exit_code == 0 and "check items" in first.output
    second = run("seed")
    assert "already loaded" in second.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 1
        assert s.execute(select(func.count()).select_from(CheckItem)).scalar() >= 5


def test_seed_takes_an_articles_fields_from_the_json_file_beside_it(cli_env, tmp_path):
    run("db", "upgrade")
    (tmp_path / "001_harbour.txt").write_text("The mayor said on Monday that the harbour would close in March.\n")
    (tmp_path / "001_harbour.json").write_text('{"outlet": "Coastal Gazette", "published_on": "2026-03-02", '
                                             '"url": "https://gazette.example/harbour"}')
    (tmp_path / "002_bridge.txt").write_text("The minister said that the bridge would reopen in June.\n")
    assert run("seed", "--dir", str(tmp_path)).exit_code == 0
    with cli_env.sessionmaker() as s:
        described, plain = s.scalars(select(Article).order_by(Article.id)).all()
        assert described.outlet is not None and described.outlet.name == "Coastal Gazette"
        assert str(described.published_on) == "2026-03-02" and described.url == "https://gazette.example/harbour"
        assert plain.outlet is None and plain.published_on is None


def test_a_seeds_broken_description_is_refused_in_plain_words(cli_env, tmp_path):
    run("db", "upgrade")
    (tmp_path / "001_harbour.txt").write_text("The mayor said on Monday that the harbour would close in March.\n")
    for broken in ('{"published_on": "the second of March"}', '{"title": 123}', '{"outlet": ["a", "b"]}',
                   '{"url": {"href": "https://x.example"}}', '["not", "an", "object"]'):
        (tmp_path / "001_harbour.json").write_text(broken)
        result = CliRunner().invoke(main, ["seed", "--dir", str(tmp_path)])
        assert result.exit_code == 1 and "001_harbour.json is not a seed's description" in result.output, broken
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 0


def test_the_shipped_seed_names_its_outlet(cli_env):
    run("db", "upgrade")
    run("seed")
    with cli_env.sessionmaker() as s:
        article = s.scalars(select(Article)).one()
        assert article.outlet is not None and article.outlet.name == "The New Voice of Ukraine"


def test_ingest_stores_an_article_and_refuses_an_empty_file(cli_env, tmp_path, monkeypatch):
    settled = []
    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: settled.append(True))
    run("db", "upgrade")
    good = tmp_path / "good.txt"
    good.write_text('The minister said on Monday that unemployment fell to 4 percent in March.\n')
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", str(good), str(empty), "--outlet", "Example News"])
    assert result.exit_code == 1
    assert "good.txt: article #1" in result.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 1
    assert settled == []  # two files are not a batch: the collector is left as it is


def test_an_article_naming_a_source_merged_meanwhile_is_not_stored_and_said_so_in_plain_words(cli_env, tmp_path,
                                                                                               monkeypatch):
    """A merge committed between resolving an article's names and writing its items (a race on PostgreSQL, made
    here by resolving every name to the merged source): the database refuses the rows, the command says so."""
    from factcheck.domain.workflow import Role
    from factcheck.models import Source
    from factcheck.services import ingest
    from factcheck.services.sources import merge_sources
    from tests.factories import gen_source, gen_user

    run("db", "upgrade")
    with cli_env.sessionmaker() as s:
        merged, kept = gen_source(s, "Orla Fenwick"), gen_source(s, "Tomas Brightwater")
        merge_sources(s, merged.id, kept.id, gen_user(s, Role.EDITOR))
        s.commit()
        merged_id = merged.id
    resolve = ingest.find_or_create_sources
    monkeypatch.setattr(ingest, "find_or_create_sources", lambda session, names, **kwargs: {
        key: session.get(Source, merged_id) for key in resolve(session, names, **kwargs)})
    article = tmp_path / "article.txt"
    article.write_text("The minister said on Monday that unemployment fell to 4 percent in March.\n")
    result = CliRunner().invoke(main, ["ingest", str(article)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "article.txt: not stored: somebody changed what it names at the same moment" in result.output
    assert "ingest the file again" in result.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 0


def test_settling_for_a_batch_keeps_what_was_loaded_out_of_the_collectors_passes_and_runs_them_less_often():
    script = ("import gc; import factcheck.cli; from factcheck.app import settle_for_batch; before = gc.get_threshold(); "
              "settle_for_batch(); print(gc.get_freeze_count(), *before, *gc.get_threshold())")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin"})
    frozen, *thresholds = (int(n) for n in out.stdout.split())
    assert frozen > 20_000  # the command's modules: click, Flask, SQLAlchemy, the extractor, …
    assert thresholds[3] == 10_000 and thresholds[3] > thresholds[0]
    assert thresholds[4:] == thresholds[1:3]  # the older generations' thresholds are left alone


def test_ingest_starts_without_the_web_or_the_job_queue(cli_env, tmp_path):
    """``factcheck ingest`` stores through the app's settings and database only: the pages, the API and the job
    queue (huey, redis) are not imported (about a second of start-up before each ingest)."""
    run("db", "upgrade")
    article = tmp_path / "a.txt"
    article.write_text("The minister said that unemployment fell to 4 percent in March.\n", encoding="utf-8")
    output, imported = _run_alone(["ingest", str(article)], ("factcheck.web", "flask_login", "flask_wtf", "huey", "redis"))
    assert "a.txt: article #1, 1 check items" in output
    assert imported == "[]"
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(CheckItem)).scalar() == 1


def test_serve_refuses_to_start_without_a_secret_key(cli_env):
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "SECRET_KEY is not set" in result.output


def test_serve_refuses_a_well_known_secret_key(cli_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "change-me")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1 and "SECRET_KEY" in result.output


def test_serve_demo_migrates_seeds_creates_one_user_per_role_and_prints_the_logins(cli_env, monkeypatch):
    from flask import Flask

    started = {}
    steps = []
    apps = []
    monkeypatch.setattr(Flask, "run", lambda self, **kw: (started.update(kw), steps.append("run"), apps.append(self)))
    monkeypatch.setattr("factcheck.cli.serve.settle_for_serving", lambda: steps.append("settled"))
    result = run("serve", "--demo", "--port", "5099")
    assert result.exit_code == 0, result.output
    assert started == {"host": "127.0.0.1", "port": 5099, "threaded": True}
    # It answers to this machine's names alone, so its reset links are on the address it serves.
    [app] = apps
    assert app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]
    client = app.test_client()
    assert client.get("/auth/reset", base_url="http://attacker.example").status_code == 400
    assert "Send the link" in client.get("/auth/reset", base_url="http://127.0.0.1:5099").get_data(as_text=True)
    assert steps == ["settled", "run"]  # what was loaded is frozen before the first request
    for role in ("checker", "reviewer", "editor", "admin"):
        assert f"{role}@demo.factcheck" in result.output
    with cli_env.sessionmaker() as s:
        assert s.execute(select(func.count()).select_from(User)).scalar() == 4
        assert s.execute(select(func.count()).select_from(Article)).scalar() == 1


def test_a_command_imports_only_what_it_needs_and_the_help_lists_every_command(tmp_path):
    """``factcheck extract`` reads no database: it starts without the app, its database code or the job queue."""
    article = tmp_path / "a.txt"
    article.write_text("The minister said that unemployment fell to 4 percent in March.\n", encoding="utf-8")
    output, imported = _run_alone(["extract", "--format", "text", str(article)],
                                  ("sqlalchemy", "flask", "huey", "factcheck.app", "factcheck.jobs"))
    assert "unemployment fell to 4 percent" in output
    assert imported == "[]"
    from factcheck.cli import COMMANDS

    listed = run("--help").output.split("Commands:")[1].split()
    assert set(COMMANDS) <= set(listed) and len(COMMANDS) == 18
    assert "backup" in run("import", "--help").output  # a backup is imported under "import"


def test_db_keep_similarities_matches_every_open_item_that_has_none(cli_env):
    from sqlalchemy import select

    from factcheck.facts import best_match_similarity
    from factcheck.models import CheckItem
    from factcheck.services import items as item_service

    assert run("db", "upgrade").exit_code == 0
    with cli_env.sessionmaker() as s:
        for claim in ("The port will close in May.", "The port closes in May, the mayor said.", "Rates rose 2 percent."):
            item_service.create_item(s, claim_text=claim, actor=None, checkworthiness=0.5)
        s.commit()
    result = run("db", "keep-similarities", "--batch", "2")
    assert result.exit_code == 0 and "Kept the similarity of 3 open items." in result.output
    with cli_env.sessionmaker() as s:
        items = s.scalars(select(CheckItem).order_by(CheckItem.id)).all()
        assert [i.match_similarity for i in items] == [best_match_similarity(s, i) for i in items]
    assert "of 0 open items" in run("db", "keep-similarities").output
