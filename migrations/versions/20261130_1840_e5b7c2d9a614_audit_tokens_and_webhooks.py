"""Widen the audit trail's CHECKs for API tokens and webhooks

The actions "token_create", "token_revoke", "webhook_register", "webhook_pause", "webhook_resume" and
"webhook_remove", the entities "token" and "webhook"; rewritten as migration c4f2a8d61b37 did (on
SQLite by copying the table, whose append-only triggers are dropped and made again; on PostgreSQL by
replacing the constraints).

Revision ID: e5b7c2d9a614
Revises: c4f2a8d61e93
Create Date: 2026-11-30 18:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5b7c2d9a614"
down_revision: str | None = "c4f2a8d61e93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = (
    "create", "import", "restore_backup", "take", "dismiss", "restore", "propose", "vote", "publish", "return",
    "reopen", "edit", "add_evidence", "edit_evidence", "relate", "lease", "release", "priority", "merge",
    "set_roles", "enable", "disable", "sign_in", "sign_in_failed", "lockout", "sign_out", "password_change",
    "reset_request", "reset_use", "twofactor_enrol", "twofactor_reset", "sessions_revoke", "assign", "note",
)
NEW_ACTIONS = OLD_ACTIONS + ("token_create", "token_revoke", "webhook_register", "webhook_pause", "webhook_resume",
                             "webhook_remove")
OLD_ENTITIES = ("item", "evidence", "source", "user", "rating", "article", "vote", "note")
NEW_ENTITIES = OLD_ENTITIES + ("token", "webhook")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _audit_triggers(create: bool) -> None:
    for verb in ("UPDATE", "DELETE"):
        name = f"audit_events_no_{verb.lower()}"
        if create:
            op.execute(f"CREATE TRIGGER {name} BEFORE {verb} ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _replace_audit_checks(actions: tuple[str, ...], entities: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _audit_triggers(create=False)
        with op.batch_alter_table("audit_events", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f("ck_audit_events_action"), type_="check")
            batch_op.drop_constraint(op.f("ck_audit_events_entity"), type_="check")
            batch_op.create_check_constraint("action", _in("action", actions))
            batch_op.create_check_constraint("entity", _in("entity", entities))
        _audit_triggers(create=True)
    else:
        op.drop_constraint(op.f("ck_audit_events_action"), "audit_events", type_="check")
        op.drop_constraint(op.f("ck_audit_events_entity"), "audit_events", type_="check")
        op.create_check_constraint("action", "audit_events", _in("action", actions))
        op.create_check_constraint("entity", "audit_events", _in("entity", entities))


def upgrade() -> None:
    _replace_audit_checks(NEW_ACTIONS, NEW_ENTITIES)


def downgrade() -> None:
    # Token and webhook events have no place in the older CHECKs; the append-only guard is lifted for their removal.
    delete = f"DELETE FROM audit_events WHERE NOT ({_in('action', OLD_ACTIONS)}) OR NOT ({_in('entity', OLD_ENTITIES)})"
    if op.get_bind().dialect.name == "sqlite":
        _audit_triggers(create=False)
        op.execute(delete)
        _audit_triggers(create=True)
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        op.execute(delete)
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    _replace_audit_checks(OLD_ACTIONS, OLD_ENTITIES)
