"""Careless settings and hostile files at the command line: each ends in a plain "Error: …" line (exit status 1
or 2, no traceback) or a plain line for the file, and leaves the desk as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from tests.conftest import migrated_sqlite_url

ARTICLE = "The mayor said on Monday that the harbour would close for two years from March.\n"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def plain_error(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    for word in words:
        assert word in result.output, result.output


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", migrated_sqlite_url(tmp_path / "desk.sqlite3"))
    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: None)
    return tmp_path


def test_submissions_purge_at_a_moment_out_of_any_desks_time_is_a_plain_error(desk):
    plain_error(run("submissions", "purge", "--now", "0001-01-01T00:00:00+00:00"), "--now")


@pytest.mark.parametrize("smtp_url", ["smtp://mail.example.org:port", "smtp://mail.example.org:99999"])
def test_mail_send_with_a_bad_port_in_the_smtp_url_is_a_plain_error(desk, monkeypatch, smtp_url):
    monkeypatch.setenv("FACTCHECK_SMTP_URL", smtp_url)
    plain_error(run("mail", "send"), "FACTCHECK_SMTP_URL")


@pytest.mark.parametrize("value", ["90d", "-5"])
def test_a_setting_that_is_not_a_whole_number_is_named_in_a_plain_error(desk, monkeypatch, value):
    monkeypatch.setenv("FACTCHECK_READER_ADDRESS_DAYS", value)
    plain_error(run("submissions", "purge"), "FACTCHECK_READER_ADDRESS_DAYS")


@pytest.mark.parametrize("args", [("db", "upgrade", "nonsense"), ("db", "downgrade", "nonsense")])
def test_db_with_an_unknown_revision_is_a_plain_error(desk, args):
    plain_error(run(*args), "nonsense")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_ingest_of_a_file_that_cannot_be_read_says_so_for_that_file(desk):
    result = run("ingest", "/proc/self/mem")
    plain_error(result, "mem cannot be read")


def test_seed_skips_a_folder_named_like_an_article_and_names_a_file_it_cannot_load(desk):
    seeds = desk / "seeds"
    (seeds / "drafts.txt").mkdir(parents=True)
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("seed", "--dir", str(seeds))
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "harbour.txt: article #1" in result.output and "empty.txt: not loaded" in result.output
    assert "drafts.txt" not in result.output


def test_an_import_that_loses_a_race_for_a_new_source_is_a_plain_line(desk, monkeypatch):
    from factcheck.services import imports

    first = desk / "first.tsv"
    first.write_text("1.json\tfalse\tTaxes doubled.\ttaxes\tjeb-bush\t\tFlorida\trepublican\t0\t0\t0\t0\t0\tx\n",
                     encoding="utf-8")
    assert run("import", "liar", str(first)).exit_code == 0
    second = desk / "second.tsv"
    second.write_text("2.json\ttrue\tJobs grew.\tjobs\tjeb-bush\t\tFlorida\trepublican\t0\t0\t0\t0\t0\tx\n",
                      encoding="utf-8")
    # As if another import made the same new source after this one looked: its name's key is taken.
    monkeypatch.setattr(imports.ImportContext, "_sources_by_keys", lambda self, keys: {})
    plain_error(run("import", "liar", str(second)), "second.tsv", "import the file again")
