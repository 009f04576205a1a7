"""Add internal notes on items, notifications and each person's notification settings

Also widens the audit trail's CHECKs: the actions "assign" and "note", the entity "note"; rewritten
as migration a5c81e3f0d27 did (on SQLite by copying the table, whose append-only triggers are dropped
and made again; on PostgreSQL by replacing the constraints).

Revision ID: c4f2a8d61b37
Revises: 5e1d7c3a9b20
Create Date: 2026-11-30 18:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4f2a8d61b37"
down_revision: str | None = "5e1d7c3a9b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = (
    "create", "import", "restore_backup", "take", "dismiss", "restore", "propose", "vote", "publish", "return",
    "reopen", "edit", "add_evidence", "edit_evidence", "relate", "lease", "release", "priority", "merge",
    "set_roles", "enable", "disable", "sign_in", "sign_in_failed", "lockout", "sign_out", "password_change",
    "reset_request", "reset_use", "twofactor_enrol", "twofactor_reset", "sessions_revoke",
)
NEW_ACTIONS = OLD_ACTIONS + ("assign", "note")
OLD_ENTITIES = ("item", "evidence", "source", "user", "rating", "article", "vote")
NEW_ENTITIES = OLD_ENTITIES + ("note",)
KINDS = ("assigned", "returned", "approved", "published", "vote_needed", "mentioned", "corrected")
MODES = ("mail", "digest", "off")
MAIL_STEPS = ("new", "mailed", "digest", "digested", "skipped")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


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
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_notes_author_id_users")),
        sa.ForeignKeyConstraint(["item_id"], ["check_items.id"], name=op.f("fk_notes_item_id_check_items"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_item_id"), "notes", ["item_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(KINDS, "kind", 20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_step", _enum(MAIL_STEPS, "mail_step", 10), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_notifications_actor_id_users")),
        sa.ForeignKeyConstraint(["item_id"], ["check_items.id"], name=op.f("fk_notifications_item_id_check_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_item_id"), "notifications", ["item_id"])
    op.create_index("ix_notifications_user_id_read_at", "notifications", ["user_id", "read_at"])
    op.create_index("ix_notifications_mail_step", "notifications", ["mail_step"])

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(KINDS, "kind", 20), nullable=False),
        sa.Column("mode", _enum(MODES, "mode", 10), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_settings")),
    )

    _replace_audit_checks(NEW_ACTIONS, NEW_ENTITIES)


def downgrade() -> None:
    # Assignments and notes have no place in the older CHECKs; the append-only guard is lifted for their removal.
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
    for table in ("notification_settings", "notifications", "notes"):
        op.drop_table(table)
