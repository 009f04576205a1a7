"""``factcheck report``: every refusal is one plain line and a non-zero exit, never a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from factcheck.cli.reports import report_command
from factcheck.db import Database
from factcheck.models import Article
from tests.conftest import migrated_sqlite_url
from tests.integration.test_reports_queries import build_world


def committed_world(tmp_path, monkeypatch) -> tuple[int, int]:
    """The report world and an article with nothing published, committed to a SQLite file the command reads.

    Returns the ids of the published world's article and of the unpublished article.
    """
    url = migrated_sqlite_url(tmp_path / "report.sqlite3")
    db = Database(url)
    try:
        with db.sessionmaker() as session:
            world = build_world(session)
            unpublished = Article(title="Unpublished story", text="Nothing checked here.", content_hash="unpublished",
                                  dropped=[])
            session.add(unpublished)
            session.commit()
            ids = world.article.id, unpublished.id
    finally:
        db.dispose()
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    return ids


def test_the_report_command_says_plainly_when_it_cannot_write_its_file(tmp_path, monkeypatch):
    published, _ = committed_world(tmp_path, monkeypatch)
    target = tmp_path / "missing" / "dir" / "r.json"
    result = CliRunner().invoke(report_command, [str(published), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: Cannot write {target}: No such file or directory."
    assert not target.parent.exists()


def test_the_public_report_of_an_unpublished_article_is_refused_and_drafts_show_it(tmp_path, monkeypatch):
    _, unpublished = committed_world(tmp_path, monkeypatch)
    refused = CliRunner().invoke(report_command, [str(unpublished), "--format", "html"])
    assert refused.exit_code == 1 and "has no published verdict" in refused.output
    assert "Nothing checked here." not in refused.output
    staff = CliRunner().invoke(report_command, [str(unpublished), "--format", "html", "--drafts"])
    assert staff.exit_code == 0 and "Nothing checked here." in staff.output


def test_an_article_number_too_large_for_any_row_is_an_unknown_article(tmp_path, monkeypatch):
    committed_world(tmp_path, monkeypatch)
    result = CliRunner().invoke(report_command, ["99999999999999999999999"])
    assert result.exit_code == 1 and result.output.strip() == "Error: There is no article #99999999999999999999999."
