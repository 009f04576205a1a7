"""A backup is checked field by field, as the forms check input: one meaningless value refuses the
whole file, naming the line and the field, and the database is left as it was."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factcheck import migrate
from factcheck.cli.backup import import_backup_command
from factcheck.db import Database
from factcheck.interchange.backup import BackupError, tables
from tests.conftest import migrated_sqlite_url
from tests.integration.test_backup_roundtrip import export_text, restore, rich_world_rows  # noqa: F401  (a fixture)
from tests.pg_schema import migrated_schema_url


@pytest.fixture
def empty_target(database: Database, tmp_path) -> Iterator[Database]:
    """A fresh migrated database of the test's kind (PostgreSQL: a schema of its own, as new)."""
    if database.is_sqlite:
        url = migrated_sqlite_url(tmp_path / "restored.sqlite3")
        db = Database(url)
        yield db
        db.dispose()
        return
    with migrated_schema_url() as url:
        db = Database(url)
        yield db
        db.dispose()


@pytest.fixture
def good_backup(session, rich_world_rows) -> list[dict[str, Any]]:  # noqa: F811
    """A real backup of a small desk (the shared ``rich_world_rows``), as parsed lines."""
    return [json.loads(line) for line in export_text(session.connection()).splitlines()]


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in tables()}


def _rows(lines: list[dict[str, Any]], table: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) for each row of ``table``."""
    return [(n, line["row"]) for n, line in enumerate(lines, start=1) if line.get("table") == table]


def _set(table: str, column: str, value: Any) -> Callable[[list[dict[str, Any]]], int]:
    """A damage: the first row of ``table`` gets ``value`` in ``column``; returns the line changed."""
    def damage(lines: list[dict[str, Any]]) -> int:
        number, row = _rows(lines, table)[0]
        row[column] = value
        return number
    return damage


def _merge_in_a_circle(lines: list[dict[str, Any]]) -> int:
    """The merged source and the one it was merged into now point at each other."""
    number, merged = next((n, r) for n, r in _rows(lines, "sources") if r["merged_into_id"] is not None)
    kept = next(r for _, r in _rows(lines, "sources") if r["id"] == merged["merged_into_id"])
    kept["merged_into_id"] = merged["id"]
    return number


def _merge_into_itself(lines: list[dict[str, Any]]) -> int:
    number, row = _rows(lines, "sources")[0]
    row["merged_into_id"] = row["id"]
    return number


def _merge_into_nothing(lines: list[dict[str, Any]]) -> int:
    number, row = _rows(lines, "sources")[0]
    row["merged_into_id"] = 999_999
    return number


JAVASCRIPT = "javascript:alert(document.cookie)"
BAD_VALUES = {
    "a javascript: article link": (_set("articles", "url", JAVASCRIPT), "articles.url", "http:// or https://"),
    "a javascript: evidence link": (_set("evidence", "url", JAVASCRIPT), "evidence.url", "http:// or https://"),
    "a data: source link": (_set("sources", "same_as", "data:text/html,<script>x</script>"), "sources.same_as",
                            "http:// or https://"),
    "a version of x": (_set("sources", "version", "x"), "sources.version", "must be a whole number"),
    "an id of 2**70": (_set("users", "id", 2**70), "users.id", "from -2,147,483,648 to 2,147,483,647"),
    "an audit entity id of 2**70": (_set("audit_events", "entity_id", 2**70), "audit_events.entity_id",
                                    "must be a whole number from"),
    "a count as text": (_set("throttles", "count", "3"), "throttles.count", "must be a whole number"),
    "a status that does not exist": (_set("check_items", "status", "approved"), "check_items.status",
                                     "must be one of claim, evidence, verdict, published, dismissed"),
    "a boolean as a string": (_set("users", "is_active", "yes"), "users.is_active", "must be true or false"),
    "a boolean as a number": (_set("evidence", "is_anonymous", 1), "evidence.is_anonymous", "must be true or false"),
    "a date that is not real": (_set("articles", "published_on", "2024-02-30"), "articles.published_on",
                                "must be a real date"),
    "a timestamp without its zone": (_set("check_items", "created_at", "2026-02-14T10:02:00"),
                                     "check_items.created_at", "with its time zone"),
    "a name longer than its column": (_set("sources", "name", "N" * 201), "sources.name",
                                      "at most 200 characters long (it has 201)"),
    "a prior that is not a number": (_set("sources", "prior_alpha", "strong"), "sources.prior_alpha",
                                     "must be a number"),
    "an empty required field": (_set("check_items", "claim_text", None), "check_items.claim_text",
                                "must have a value"),
    "a colour that is not a colour": (_set("ratings", "colour", "red;}"), "ratings.colour", "#rrggbb"),
    "a NUL in text": (_set("check_items", "claim_text", "A claim\u0000"), "check_items.claim_text", "NUL"),
    # JSON the pages read field by field: another shape would load, then break every page showing it.
    "hedges that are a number": (_set("check_items", "hedges", 5), "check_items.hedges", "shape"),
    "dates that are one string": (_set("check_items", "dates", "2024-03-01"), "check_items.dates", "shape"),
    "a hedge's place without its start": (_set("check_items", "hedge_spans", [{"label": "reportedly", "end": 4}]),
                                          "check_items.hedge_spans", "shape"),
    "an audit payload that is a list": (_set("audit_events", "payload", [1, 2]), "audit_events.payload", "shape"),
    "two sources merged into each other": (_merge_in_a_circle, "sources.merged_into_id", "in a circle"),
    "a source merged into itself": (_merge_into_itself, "sources.merged_into_id", "in a circle"),
    "a source merged into one that does not exist": (_merge_into_nothing, "sources.merged_into_id",
                                                     "row 999999, which is not in the backup"),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_a_meaningless_value_refuses_the_whole_file_naming_line_and_field(good_backup, empty_target, case):
    damage, field, words = BAD_VALUES[case]
    number = damage(good_backup)
    backup = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in good_backup)
    before = _counts(empty_target)
    with pytest.raises(BackupError) as refused:
        restore(empty_target, backup)
    message = str(refused.value)
    assert f"Line {number}, field {field}:" in message, message
    assert words in message and message.endswith("Nothing was imported."), message
    assert _counts(empty_target) == before


@pytest.mark.parametrize(("damage", "words"), [
    (lambda lines: lines[1].update(table=["check_items"]), "names an unknown table"),
    (lambda lines: lines[-1].update(rows=[1, 2]), "does not count its rows table by table"),
    (lambda lines: lines[-1].update(rows=7), "does not count its rows table by table"),
], ids=["a table named by a list", "rows counted in a list", "rows counted as a number"])
def test_a_backup_of_the_wrong_shape_is_refused_in_plain_words(good_backup, empty_target, damage, words):
    damage(good_backup)
    backup = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in good_backup)
    with pytest.raises(BackupError, match=words):
        restore(empty_target, backup)


def test_the_checked_backup_still_round_trips(good_backup, empty_target):
    backup = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in good_backup)
    counts = restore(empty_target, backup)
    assert counts["sources"] >= 2 and counts["check_items"] > 0


@pytest.mark.parametrize(("row", "words"), [
    ('{"table": "users", "row": {"id": ' + "1" * 5000 + "}}", "a number too long"),
    ('{"table": "users", "row": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deep"),
])
def test_the_import_command_refuses_a_line_python_cannot_read_in_plain_words(tmp_path, monkeypatch, row, words):
    url = migrated_sqlite_url(tmp_path / "empty.sqlite3")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    header = json.dumps({"format": "factcheck-backup", "version": 1, "schema": migrate.head_revision()})
    backup = tmp_path / "hostile.jsonl"
    backup.write_text(header + "\n" + row + "\n", encoding="utf-8")
    result = CliRunner().invoke(import_backup_command, [str(backup)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: Line 2 holds" in result.output and words in result.output and "Nothing was imported." in result.output


def test_every_shape_checked_names_a_json_column_of_the_models() -> None:
    from sqlalchemy import JSON

    from factcheck.interchange.backup import _JSON_SHAPES
    from factcheck.models import Base

    for table, column in _JSON_SHAPES:
        assert isinstance(Base.metadata.tables[table].c[column].type, JSON), (table, column)
