"""Add accounts' sessions, remember-me tokens, second factors, password resets and the mail outbox

Also widens the audit trail's CHECK on ``action`` with the sign-in events (sign-in, failure,
lockout, sign-out, password change, reset requested and used, second factor enrolled and reset,
sessions revoked), rewriting it as migration 7d2c4e9b1f05 made it: on SQLite by copying the table
(its append-only triggers are dropped and made again), on PostgreSQL by replacing the constraint.

Revision ID: a5c81e3f0d27
Revises: 7d2c4e9b1f05
Create Date: 2026-11-30 15:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a5c81e3f0d27"
down_revision: str | None = "7d2c4e9b1f05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIONS = (
    "create", "import", "restore_backup", "take", "dismiss", "restore", "propose", "vote", "publish", "return",
    "reopen", "edit", "add_evidence", "edit_evidence", "relate", "lease", "release", "priority", "merge",
    "set_roles", "enable", "disable",
)
NEW_ACTIONS = OLD_ACTIONS + (
    "sign_in", "sign_in_failed", "lockout", "sign_out", "password_change", "reset_request", "reset_use",
    "twofactor_enrol", "twofactor_reset", "sessions_revoke",
)
MAIL_STATES = ("pending", "sent", "failed")


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


def _replace_action_check(values: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _audit_triggers(create=False)
        with op.batch_alter_table("audit_events", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f("ck_audit_events_action"), type_="check")
            batch_op.create_check_constraint("action", _in("action", values))
        _audit_triggers(create=True)
    else:
        op.drop_constraint(op.f("ck_audit_events_action"), "audit_events", type_="check")
        op.create_check_constraint("action", "audit_events", _in("action", values))


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])

    op.create_table(
        "remember_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("validator_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_remember_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remember_tokens")),
        sa.UniqueConstraint("selector", name=op.f("uq_remember_tokens_selector")),
    )
    op.create_index(op.f("ix_remember_tokens_user_id"), "remember_tokens", ["user_id"])

    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=100), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])

    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])

    op.create_table(
        "outbox_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.Enum(*MAIL_STATES, name="state", native_enum=False, create_constraint=True,
                                    length=7), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mails")),
    )
    op.create_index(op.f("ix_outbox_mails_state"), "outbox_mails", ["state"])

    _replace_action_check(NEW_ACTIONS)


def downgrade() -> None:
    # Sign-in events have no place in the older CHECK; the append-only guard is lifted for their removal.
    delete = f"DELETE FROM audit_events WHERE NOT ({_in('action', OLD_ACTIONS)})"
    if op.get_bind().dialect.name == "sqlite":
        _audit_triggers(create=False)
        op.execute(delete)
        _audit_triggers(create=True)
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        op.execute(delete)
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    _replace_action_check(OLD_ACTIONS)
    for table in ("outbox_mails", "password_resets", "recovery_codes", "remember_tokens", "user_sessions"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch_op:
        for column in ("totp_enabled_at", "totp_last_step", "totp_secret", "password_changed_at"):
            batch_op.drop_column(column)
