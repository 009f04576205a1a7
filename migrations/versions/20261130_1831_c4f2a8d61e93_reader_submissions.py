"""Add the public claim inbox: readers' submissions, the items' count of readers, and the "reader" origin

``reader_submissions`` keeps each claim a reader sent, the item it asks about and, until it is
erased, the address for the one answer. ``check_items.reader_requests`` counts the readers who
asked for an item (shown in triage, raising its priority). The CHECK on ``check_items.origin``
gains "reader", rewritten as migration 7d2c4e9b1f05 made it: on SQLite by copying the table (the
full-text index's triggers are dropped and made again), on PostgreSQL by replacing the constraint.

Revision ID: c4f2a8d61e93
Revises: d7a3e5b2c914
Create Date: 2026-11-30 18:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4f2a8d61e93"
down_revision: str | None = "d7a3e5b2c914"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ORIGINS = ("extracted", "manual", "liar", "claimreview", "backup")
NEW_ORIGINS = OLD_ORIGINS + ("reader",)
FTS_COLUMNS = "claim_text, restatement"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _fts_triggers(create: bool) -> None:
    """The SQLite full-text index's upkeep, as the initial migration made it (a table copy drops it)."""
    if not create:
        for name in ("check_items_fts_insert", "check_items_fts_delete", "check_items_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
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


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _fts_triggers(create=False)
    with op.batch_alter_table("check_items", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.add_column(sa.Column("reader_requests", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_check_constraint("reader_requests_not_negative", "reader_requests >= 0")
        batch_op.drop_constraint(op.f("ck_check_items_origin"), type_="check")
        batch_op.create_check_constraint("origin", _in("origin", NEW_ORIGINS))
    if sqlite:
        _fts_triggers(create=True)

    op.create_table(
        "reader_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("claim_text", sa.Text(), nullable=False),
        sa.Column("seen_at_url", sa.String(length=2000), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("answered_on_screen", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_mail_id", sa.Integer(), nullable=True),
        sa.Column("email_erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("email IS NULL OR email_erased_at IS NULL",
                           name=op.f("ck_reader_submissions_erased_has_no_email")),
        sa.ForeignKeyConstraint(["item_id"], ["check_items.id"], name=op.f("fk_reader_submissions_item_id_check_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["answer_mail_id"], ["outbox_mails.id"],
                                name=op.f("fk_reader_submissions_answer_mail_id_outbox_mails"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reader_submissions")),
    )
    op.create_index(op.f("ix_reader_submissions_item_id"), "reader_submissions", ["item_id"])
    op.create_index(op.f("ix_reader_submissions_created_at"), "reader_submissions", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_reader_submissions_created_at"), table_name="reader_submissions")
    op.drop_index(op.f("ix_reader_submissions_item_id"), table_name="reader_submissions")
    op.drop_table("reader_submissions")
    op.execute("UPDATE check_items SET origin = 'manual' WHERE origin = 'reader'")
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _fts_triggers(create=False)
    with op.batch_alter_table("check_items", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_check_items_origin"), type_="check")
        batch_op.create_check_constraint("origin", _in("origin", OLD_ORIGINS))
        batch_op.drop_constraint(op.f("ck_check_items_reader_requests_not_negative"), type_="check")
        batch_op.drop_column("reader_requests")
    if sqlite:
        _fts_triggers(create=True)
