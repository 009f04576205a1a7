"""What readers saw with a published verdict, kept when its item is reopened: ``verdicts.shown``

A correction reopens a published verdict and the item goes back to ``evidence``, where the desk edits its
restatement, chain, hedges and evidence. Readers keep seeing the published verdict until a corrected one is
published, and with it what was published: the item as it was, kept here (JSON) when it is reopened. NULL
for verdicts never reopened; a verdict reopened before this revision has none, and its card shows the item
as it is, as before.

Revision ID: d6e8f0a2b4c7
Revises: b3d5f7a9c1e2
Create Date: 2026-12-03 18:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6e8f0a2b4c7"
down_revision: str | None = "b3d5f7a9c1e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("verdicts", sa.Column("shown", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("verdicts") as batch_op:
        batch_op.drop_column("shown")
