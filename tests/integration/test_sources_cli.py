"""``factcheck sources show`` finds a source the way the web's source picker does."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from factcheck.cli import main
from factcheck.db import Database, session_scope
from factcheck.domain.workflow import SourceKind
from factcheck.models import Source
from factcheck.services.sources import find_or_create_source
from tests.conftest import TEST_SECRET, migrated_sqlite_url


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A fresh migrated SQLite database with a few sources, used by the commands through the environment."""
    url = migrated_sqlite_url(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    db = Database(url)
    with session_scope(db.sessionmaker) as session:
        for name in ("Vladimir Putin", "Donald Trump", "Ivanka Trump"):
            find_or_create_source(session, name)
        find_or_create_source(session, "Reuters", SourceKind.OUTLET)
    yield db
    db.dispose()


def show(*args: str):
    return CliRunner().invoke(main, ["sources", "show", *args])


@pytest.mark.parametrize("name", ["Putin", "President Vladimir Putin", "vladimir putin", "Vladimir Putinn"])
def test_a_surname_or_a_longer_or_misspelt_name_finds_the_person_as_the_picker_does(env, name):
    result = show(name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["name"] == "Vladimir Putin"


def test_a_surname_shared_by_several_people_lists_them_with_their_ids(env):
    result = show("Trump")
    assert result.exit_code == 1
    assert "“Trump” fits 2 sources" in result.output
    assert "Donald Trump (person)" in result.output and "Ivanka Trump (person)" in result.output
    assert "#" in result.output and "Traceback" not in result.output


def test_an_id_and_an_unknown_name_get_plain_answers(env):
    assert "Reuters (#" in show("#4").output
    assert show("#999").exit_code == 1 and "There is no source #999." in show("#999").output
    unknown = show("Reu")
    assert unknown.exit_code == 1 and "No source is called “Reu”." in unknown.output
    assert "Close names: Reuters (#4)" in unknown.output


def test_a_circle_of_merges_gets_a_plain_error_instead_of_a_hang(env):
    with session_scope(env.sessionmaker) as session:
        session.execute(update(Source).where(Source.id == 2).values(merged_into_id=3))
        session.execute(update(Source).where(Source.id == 3).values(merged_into_id=2))
    outcome: list = []
    command = threading.Thread(target=lambda: outcome.append(show("Donald Trump")), daemon=True)
    command.start()
    command.join(60)
    assert not command.is_alive(), "the command kept following the merges"
    result = outcome[0]
    assert result.exit_code == 1 and "merged into each other in a circle" in result.output
    assert "Traceback" not in result.output
