"""Backup: export, import into an empty database, export again — byte for byte the same, on both databases.
A damaged or foreign file is refused with a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from factcheck import migrate
from factcheck.cli.backup import export_command, import_backup_command
from factcheck.db import Database
from factcheck.domain.workflow import Policy, RelationType, Role, SourceKind
from factcheck.interchange.backup import BackupError, export_backup, import_backup, tables
from factcheck.models import AuditEvent, ItemRelation, Source, Throttle, User, Vote
from factcheck.services import items as item_service
from factcheck.services import notes
from factcheck.services import notifications as notification_service
from factcheck.services.sources import find_or_create_source
from tests.conftest import migrated_sqlite_url, shared_rows
from tests.factories import gen_user
from tests.integration.test_reports_queries import build_world, propose, publish
from tests.pg_schema import migrated_schema_url


@pytest.fixture
def target(database: Database, tmp_path) -> Iterator[Database]:
    """A fresh database of the same kind as the test's, migrated to head (PostgreSQL: a schema of its own)."""
    if database.is_sqlite:
        url = migrated_sqlite_url(tmp_path / "restored.sqlite3")
        db = Database(url)
        yield db
        db.dispose()
        return
    with migrated_schema_url() as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


def rich_world(session):
    """The report world plus a correction, a relation, a merged source pointing at a newer one and a throttle."""
    world = build_world(session)
    item_service.reopen_item(session, world.published.id, world.editor, tier="rating_change", note="New records.")
    item_service.propose_verdict(session, world.published.id, world.checker, rating_key="mostly-false",
                                 summary="Mostly false.", rationale="Updated.",
                                 policy=Policy())
    publish(session, world.published, world.reviewer)
    session.add(ItemRelation(item=world.draft, target=world.published, type=RelationType.DENIES,
                             created_by_id=world.editor.id))
    older = find_or_create_source(session, "Old Agency Name", SourceKind.OUTLET)
    newer = find_or_create_source(session, "New Agency Name", SourceKind.OUTLET, domain="agency.example.net")
    newer.prior_alpha, newer.prior_beta, newer.prior_note = 3.5, 1.25, "Editorial prior: “strong” record"
    older.merged_into_id = newer.id  # a row pointing at a row of its own table with a higher id
    session.add(Throttle(key="login:203.0.113.9", window_start=dt.datetime(2026, 2, 14, 10, 0, tzinfo=dt.UTC),
                         count=3))
    extra = item_service.create_item(session, claim_text="Ünïcödé claim — “quoted” ✓", actor=None,
                                     hedges=["allegedly"], dates=["2026-02-09"])
    propose(session, extra, world.checker, "half-true")
    # the desk's thread and what it told people: a note mentioning the checker, who wants a digest
    notes.add_note(session, world.draft.id, world.editor, f"Ask the port for its log, @{world.checker.email} — *today*.")
    notification_service.save_settings(session, world.checker, {"mentioned": "digest"})
    session.flush()
    return world


@shared_rows
def rich_world_rows(session) -> dict[str, object]:
    """``rich_world``, built once and shared (each test in a rolled-back savepoint): the checker's id and hash."""
    world = rich_world(session)
    return {"checker_id": world.checker.id, "checker_password_hash": world.checker.password_hash}


def export_text(connection) -> str:
    out = io.StringIO()
    export_backup(connection, out)
    return out.getvalue()


def restore(target: Database, backup: str) -> dict[str, int]:
    with target.engine.begin() as conn:
        return import_backup(conn, io.StringIO(backup))


def test_export_import_export_gives_byte_identical_output_with_users_audit_and_votes(session, rich_world_rows, target):
    first = export_text(session.connection())
    counts = restore(target, first)
    with target.engine.connect() as conn, conn.begin():
        second = export_text(conn)
    assert second == first
    assert counts["users"] >= 3 and counts["audit_events"] > 10 and counts["votes"] >= 2
    assert counts["corrections"] >= 1 and counts["item_relations"] >= 1 and counts["throttles"] >= 1
    assert counts["notes"] == 1 and counts["notifications"] >= 1 and counts["notification_settings"] == 1
    assert '"action":"note"' in first and "Ask the port for its log" in first
    rows = [json.loads(line) for line in first.splitlines()]
    assert rows[0] == {"format": "factcheck-backup", "version": 1, "schema": migrate.head_revision()}
    assert rows[-1]["format"] == "factcheck-backup-end"
    user = next(r["row"] for r in rows if r.get("table") == "users")
    assert user["password_hash"].startswith("pbkdf2:sha256") and user["created_at"].endswith("+00:00")


def test_every_modelled_table_is_in_the_backup_in_dependency_order(session, rich_world_rows):
    names = [json.loads(line).get("table") for line in export_text(session.connection()).splitlines()[1:-1]]
    order = list(dict.fromkeys(names))
    expected = [t.name for t in tables()]
    assert order == [n for n in expected if n in order]
    trailer = json.loads(export_text(session.connection()).splitlines()[-1])
    assert set(trailer["rows"]) == set(expected) and "alembic_version" not in trailer["rows"]


def test_rows_are_ordered_by_primary_key_within_each_table(session, rich_world_rows):
    rows = [json.loads(line) for line in export_text(session.connection()).splitlines()[1:-1]]
    ids = [r["row"]["id"] for r in rows if r["table"] == "audit_events"]
    assert ids == sorted(ids) and len(ids) > 10


def test_the_restored_database_continues_its_ids_after_the_imported_ones(session, rich_world_rows, target):
    restore(target, export_text(session.connection()))
    with target.sessionmaker() as restored:
        highest = restored.scalar(select(func.max(User.id)))
        user = gen_user(restored, Role.CHECKER, email="after-restore@example.org")
        restored.commit()
        assert user.id > highest
        assert restored.scalar(select(func.count(Vote.id))) >= 2
        assert restored.scalar(select(func.count(AuditEvent.id))) > 10
        merged = restored.scalars(select(Source).where(Source.name == "Old Agency Name")).one()
        assert merged.merged_into_id is not None
        checker = restored.get(User, rich_world_rows["checker_id"])
        assert checker.password_hash == rich_world_rows["checker_password_hash"]


def test_the_restored_database_finds_claims_by_full_text_search(session, rich_world_rows, target):
    restore(target, export_text(session.connection()))
    # SQLite's FTS5 shadow table is filled by triggers on insert; PostgreSQL indexes the column itself.
    query = ("SELECT rowid FROM check_items_fts WHERE check_items_fts MATCH 'compromise'" if target.is_sqlite else
             "SELECT id FROM check_items WHERE to_tsvector('simple', claim_text || ' ' || coalesce(restatement, ''))"
             " @@ to_tsquery('simple', 'compromise')")
    with target.engine.connect() as conn:
        hits = conn.execute(text(query)).all()
    assert len(hits) == 1


def _all_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in tables()}


def _good_backup(session) -> list[str]:
    """The backup of the shared ``rich_world_rows`` the test runs on, as lines."""
    return export_text(session.connection()).splitlines(keepends=True)


BAD_FILES = {
    "wrong header": (lambda lines: ['{"format": "something-else", "version": 1}\n'] + lines[1:],
                     "This is not a factcheck backup"),
    "newer version": (lambda lines: [lines[0].replace('"version":1', '"version":2')] + lines[1:],
                      "format version 2"),
    "other schema": (lambda lines: [lines[0].replace('"schema":"', '"schema":"0ther')] + lines[1:],
                     "schema revision"),
    "truncated line": (lambda lines: lines[:40] + [lines[40][: len(lines[40]) // 2]], "not valid JSON"),
    "truncated at a line end": (lambda lines: lines[:-5], "truncated"),
    "unknown table": (lambda lines: lines[:5] + ['{"table": "secrets", "row": {"id": 1}}\n'] + lines[5:],
                      "unknown table 'secrets'"),
    "unknown column": (lambda lines: [lines[0], lines[1].replace('{"row":{', '{"row":{"extra":1,')] + lines[2:],
                       "unknown columns extra"),
    "bad date": (lambda lines: [line.replace('+00:00"', '"', 1) if '"table":"users"' in line else line
                                for line in lines], "cannot hold"),
    "count mismatch": (lambda lines: [line for line in lines if '"table":"votes"' not in line], "do not add up"),
    "empty file": (lambda lines: [], "The file is empty"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_backup_is_refused_with_a_clear_message_and_changes_nothing(session, rich_world_rows, target, case):
    damage, words = BAD_FILES[case]
    lines = damage(_good_backup(session))
    before = _all_counts(target)
    with pytest.raises(BackupError) as refused:
        restore(target, "".join(lines))
    assert words in str(refused.value) and "Nothing was imported." in str(refused.value)
    assert _all_counts(target) == before and before["ratings"] == 8 and before["users"] == 0


def test_importing_into_a_database_that_holds_data_is_refused(session, rich_world_rows, target):
    backup = "".join(_good_backup(session))
    restore(target, backup)
    before = _all_counts(target)
    with pytest.raises(BackupError, match="The database is not empty: table"):
        restore(target, backup)
    assert _all_counts(target) == before


def test_the_commands_export_and_import_through_files(session, rich_world_rows, target, tmp_path, monkeypatch):
    backup = "".join(_good_backup(session))
    source_file = tmp_path / "source.jsonl"
    source_file.write_text(backup, encoding="utf-8")
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", target.url)
    runner = CliRunner()
    result = runner.invoke(import_backup_command, [str(source_file)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported ") and "audit_events" in result.output
    out_file = tmp_path / "again.jsonl"
    result = runner.invoke(export_command, [str(out_file)])
    assert result.exit_code == 0, result.output
    assert out_file.read_text(encoding="utf-8") == backup
    refused = runner.invoke(import_backup_command, [str(source_file)])
    assert refused.exit_code == 1 and "Error: The database is not empty" in refused.output
    assert "Traceback" not in refused.output
