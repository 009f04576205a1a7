"""``factcheck import liar|claimreview`` and ``factcheck sources show`` on a real migrated database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.models import AuditEvent, CheckItem
from factcheck.services import imports as import_service
from tests.conftest import TEST_SECRET, migrated_sqlite_url

LIAR_ROWS = [
    ["1.json", "false", "Says the moon is made of cheese.", "space", "chain-email", "", "", "none",
     "0", "1", "0", "0", "1", "an email"],
    ["2.json", "pants-fire", "Says the sun orbits the earth.", "space", "chain-email", "", "", "none",
     "0", "1", "0", "0", "1", "an email"],
    ["3.json", "barely-true", "Taxes doubled last year.", "taxes", "jane-q-senator", "Senator", "Ohio",
     "republican", "1", "0", "0", "0", "0", "a speech"],
    ["4.json", "wrong-label", "A broken row.", "x", "someone", "", "", "none", "0", "0", "0", "0", "0", ""],
    ["5.json", "true", "Too few columns."],
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A fresh migrated SQLite database the commands use through the environment."""
    url = migrated_sqlite_url(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    db = Database(url)
    yield db
    db.dispose()


def write_liar(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def count(db: Database, model=CheckItem) -> int:
    with db.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_importing_liar_lists_rejected_rows_and_a_summary(env: Database, tmp_path: Path) -> None:
    path = write_liar(tmp_path / "liar.tsv", LIAR_ROWS)
    result = CliRunner().invoke(main, ["import", "liar", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected liar.tsv:4: unknown label “wrong-label”" in result.output
    assert "rejected liar.tsv:5: expected 14 tab-separated columns, found 3" in result.output
    assert "3 imported, 0 already there, 2 rejected" in result.output
    assert count(env) == 3


def test_importing_the_same_liar_file_again_changes_nothing(env: Database, tmp_path: Path) -> None:
    path = write_liar(tmp_path / "liar.tsv", LIAR_ROWS)
    CliRunner().invoke(main, ["import", "liar", str(path)])
    events = count(env, AuditEvent)
    result = CliRunner().invoke(main, ["import", "liar", str(path)])
    assert "0 imported, 3 already there" in result.output
    assert (count(env), count(env, AuditEvent)) == (3, events)


def test_an_unexpected_error_half_way_leaves_nothing_of_the_file(env: Database, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_liar(tmp_path / "liar.tsv", LIAR_ROWS)
    real = import_service.import_published_claim
    calls = []

    def failing(ctx, claim):  # type: ignore[no-untyped-def]
        calls.append(claim)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(ctx, claim)

    monkeypatch.setattr(import_service, "CHUNK", 1)  # the first rows are already written when it fails
    monkeypatch.setattr(import_service, "import_published_claim", failing)
    result = CliRunner().invoke(main, ["import", "liar", str(path)])
    assert result.exit_code != 0
    assert count(env) == 0 and count(env, AuditEvent) == 0


def test_a_file_that_is_not_utf8_is_refused_and_nothing_is_imported(env: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes("\t".join(LIAR_ROWS[0]).replace("moon", "mõõn").encode("latin-1") + b"\n")
    result = CliRunner().invoke(main, ["import", "liar", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert count(env) == 0


def test_sources_show_prints_the_record_score_and_interval_as_json(env: Database, tmp_path: Path) -> None:
    CliRunner().invoke(main, ["import", "liar", str(write_liar(tmp_path / "liar.tsv", LIAR_ROWS))])
    result = CliRunner().invoke(main, ["sources", "show", "chain-email", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "Chain Email" and "chain-email" in data["aliases"]
    assert data["record"] == {"claimant": {"false": 1, "pants-on-fire": 1}, "relay": {}}
    # uniform prior, two verdicts with truth 0: Beta(1, 3), mean 0.25
    assert data["score"]["mean"] == 0.25
    low, high = data["score"]["interval"]
    assert 0 < low < 0.25 < high < 1


def test_sources_show_in_text_and_for_an_unknown_name(env: Database, tmp_path: Path) -> None:
    CliRunner().invoke(main, ["import", "liar", str(write_liar(tmp_path / "liar.tsv", LIAR_ROWS))])
    text = CliRunner().invoke(main, ["sources", "show", "Jane Q Senator"])
    # barely-true → Mostly False (truth 0.2): Beta(1.2, 1.8), mean 0.40
    assert re.search(r"Mostly False +1 +0\n", text.output) and "score: 0.40" in text.output
    unknown = CliRunner().invoke(main, ["sources", "show", "nobody-at-all"])
    assert unknown.exit_code == 1 and "No source is called" in unknown.output


def test_importing_claimreview_json_through_the_command(env: Database, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"claimReviews": [
        {"@type": "ClaimReview", "claimReviewed": "Vaccines contain microchips.", "url": "https://c.example.org/v",
         "reviewRating": {"alternateName": "Fake"}},
        {"@type": "ClaimReview", "claimReviewed": "No rating here.", "url": "https://c.example.org/n"},
    ]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "claimreview", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected feed.json:2: no rating label and no usable rating value" in result.output
    assert "1 imported" in result.output and count(env) == 1
