"""``factcheck report``: the same report as the web downloads, for scripts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from factcheck.cli.reports import report_command
from factcheck.db import Database
from factcheck.queries.reports import CSV_COLUMNS
from tests.conftest import migrated_sqlite_url
from tests.integration.test_reports_queries import CLAIM_A, build_world


@pytest.fixture
def committed_world(tmp_path, monkeypatch):
    """A world committed to a SQLite database of its own, which the command reads through the environment."""
    url = migrated_sqlite_url(tmp_path / "report.sqlite3")
    db = Database(url)
    with db.sessionmaker() as session:
        world = build_world(session)
        session.commit()
    db.dispose()
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_ORGANISATION_URL", "https://desk.example.org/")
    return world


def run(*args: str):
    return CliRunner().invoke(report_command, list(args))


def test_the_json_report_lists_published_verdicts_with_public_addresses(committed_world):
    result = run(str(committed_world.article.id), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [i["id"] for i in body["items"]] == [committed_world.published.id]
    assert body["items"][0]["verdict"]["url"] == f"https://desk.example.org/verdicts/{committed_world.published.id}"


def test_drafts_are_included_only_when_asked_for(committed_world):
    body = json.loads(run(str(committed_world.article.id), "--drafts").output)
    assert {i["state"] for i in body["items"]} == {"published", "draft", "unchecked"}


def test_the_csv_report_has_the_documented_columns(committed_world):
    rows = list(csv.DictReader(io.StringIO(run(str(committed_world.article.id), "--format", "csv").output)))
    assert tuple(rows[0]) == CSV_COLUMNS and rows[0]["rating_label"] == "False"


def test_the_html_report_stands_alone_with_its_stylesheets_inlined(committed_world, tmp_path):
    out = tmp_path / "report.html"
    result = run(str(committed_world.article.id), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert CLAIM_A in html and '<style media="print">' in html and "@page" in html
    assert '<link rel="stylesheet"' not in html


def test_an_unknown_article_is_refused_in_plain_words(committed_world):
    result = run("987654")
    assert result.exit_code == 1 and "Error: There is no article #987654." in result.output
