"""A named CHECK for each enum stored as text: audit actions and entities, item origins

Rows whose origin is not one of the known ones become "manual" (audit events are append-only and
only ever written by the application, so they already hold known values).

On SQLite a CHECK can only be added by copying the table; foreign keys are off while Alembic
migrates (see migrations/env.py), and the triggers the copy drops (the audit trail's append-only
guards, the full-text index's upkeep) are created again.

Revision ID: 7d2c4e9b1f05
Revises: 3b7e0c1d9a42
Create Date: 2026-11-30 13:30:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7d2c4e9b1f05"
down_revision: str | None = "3b7e0c1d9a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINS = ("extracted", "manual", "liar", "claimreview", "backup")
ACTIONS = (
    "create", "import", "restore_backup", "take", "dismiss", "restore", "propose", "vote", "publish", "return",
    "reopen", "edit", "add_evidence", "edit_evidence", "relate", "lease", "release", "priority", "merge",
    "set_roles", "enable", "disable",
)
ENTITIES = ("item", "evidence", "source", "user", "rating", "article", "vote")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


CHECKS = {
    "check_items": (("origin", _in("origin", ORIGINS)),),
    "audit_events": (("action", _in("action", ACTIONS)), ("entity", _in("entity", ENTITIES))),
}

FTS_COLUMNS = "claim_text, restatement"


def _sqlite_triggers(table: str) -> None:
    """The triggers a copy of ``table`` loses, as the initial migration made them."""
    if table == "audit_events":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )
        return
    new = "new.id, new.claim_text, coalesce(new.restatement, '')"
    old = "'delete', old.id, old.claim_text, coalesce(old.restatement, '')"
    op.execute("CREATE TRIGGER check_items_fts_insert AFTER INSERT ON check_items BEGIN "
               f"INSERT INTO check_items_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END")
    op.execute("CREATE TRIGGER check_items_fts_delete AFTER DELETE ON check_items BEGIN "
               f"INSERT INTO check_items_fts(check_items_fts, rowid, {FTS_COLUMNS}) VALUES ({old}); END")
    op.execute("CREATE TRIGGER check_items_fts_update AFTER UPDATE OF claim_text, restatement ON check_items BEGIN "
               f"INSERT INTO check_items_fts(check_items_fts, rowid, {FTS_COLUMNS}) VALUES ({old}); "
               f"INSERT INTO check_items_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END")


def _drop_sqlite_triggers(table: str) -> None:
    names = (("audit_events_no_update", "audit_events_no_delete") if table == "audit_events"
             else ("check_items_fts_insert", "check_items_fts_delete", "check_items_fts_update"))
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    op.execute(f"UPDATE check_items SET origin = 'manual' WHERE NOT ({_in('origin', ORIGINS)})")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, checks in CHECKS.items():
        if sqlite:
            _drop_sqlite_triggers(table)
            with op.batch_alter_table(table, recreate="always") as batch_op:
                for name, condition in checks:
                    batch_op.create_check_constraint(name, condition)
            _sqlite_triggers(table)
        else:
            for name, condition in checks:
                op.create_check_constraint(name, table, condition)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, checks in CHECKS.items():
        if sqlite:
            _drop_sqlite_triggers(table)
            with op.batch_alter_table(table, recreate="always") as batch_op:
                for name, _ in checks:
                    batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            _sqlite_triggers(table)
        else:
            for name, _ in checks:
                op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
