"""Store where each hedge of an extracted check item is written

``check_items.hedge_spans`` holds ``{"label", "start", "end"}`` for each hedge the extractor found,
offsets into the article's text, so the item page can mark the words ("allegedly", "off the
record", "one intelligence source") in the claim. Items stored before keep an empty list: their
hedges are shown, unmarked.

Revision ID: b8e4d2f17a65
Revises: e5b7c2d9a614
Create Date: 2026-11-30 21:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8e4d2f17a65"
down_revision: str | None = "e5b7c2d9a614"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("check_items", sa.Column("hedge_spans", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+); a batch copy of ``check_items`` would drop the
        # full-text index's triggers with the old table.
        op.execute("ALTER TABLE check_items DROP COLUMN hedge_spans")
        return
    op.drop_column("check_items", "hedge_spans")
