"""Columns the desk's integrity rules need

Hand-set priorities, evidence cleared for readers, an editor's deciding vote, the original
fact-checker of imported verdicts, and no source merged into itself.

Revision ID: 3b7e0c1d9a42
Revises: fc75c59df9bd
Create Date: 2026-11-30 11:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e0c1d9a42"
down_revision: str | None = "fc75c59df9bd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("check_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority_is_manual", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_publishable", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_deciding", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rated_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("review_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("reviewed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "not_merged_into_self", "merged_into_id IS NULL OR merged_into_id <> id"
        )


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sources_not_merged_into_self"), type_="check")
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_column("reviewed_on")
        batch_op.drop_column("review_url")
        batch_op.drop_column("rated_by")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_column("is_deciding")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("is_publishable")
    with op.batch_alter_table("check_items", schema=None) as batch_op:
        batch_op.drop_column("priority_is_manual")
