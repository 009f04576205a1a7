"""Each item keeps how alike its closest earlier claim is: ``check_items.match_similarity``

An item's priority reads, besides its check-worthiness and its claimant's score, how alike the closest earlier
item of another article is (claim matching, several statements and a ranking each). It was matched again every
time the priority was recomputed: publishing a verdict recomputes every open item of the claimant, which for a
claimant with hundreds of open items took seconds inside the reviewer's request. The similarity belongs to the
item's text and the items before it, so it is kept with the item once computed (NULL: not computed yet, as for
every item stored before this revision; it is computed and kept the first time it is needed).

Revision ID: a4c6e8f0b2d3
Revises: f2b4d6e8a0c1
Create Date: 2026-12-03 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c6e8f0b2d3"
down_revision: str | None = "f2b4d6e8a0c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default): SQLite keeps the table and its triggers as they are.
    op.add_column("check_items", sa.Column("match_similarity", sa.Float(), nullable=True))


def downgrade() -> None:
    # (Not in batch mode: SQLite would copy the table and lose its triggers; it drops a plain column itself.)
    op.execute("ALTER TABLE check_items DROP COLUMN match_similarity")
