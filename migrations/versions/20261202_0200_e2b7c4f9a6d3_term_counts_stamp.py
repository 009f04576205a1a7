"""A stamp that names the items' texts as the stored term counts last counted them

``check_items_fts_stamp`` holds one row: a random value that every fold of pending texts into
``check_items_fts_counts`` replaces (``factcheck.services.term_counts.fold_pending_term_counts``). While no
text waits in ``check_items_fts_pending``, the stamp names the texts of all items exactly (every insert,
deletion or change of a claim or restatement is queued there by the triggers, and only a fold empties the
queue), so what claim matching found for a text can be kept under it (``factcheck.facts.rank_items``)
until the next fold. A random value, not a counter: a database put back from a backup, or another
database, never shows a stamp that named other texts.

Revision ID: e2b7c4f9a6d3
Revises: d5e8a1c3f7b9
Create Date: 2026-12-02 02:00:00+00:00
"""

from collections.abc import Sequence
from uuid import uuid4

from alembic import op

revision: str = "e2b7c4f9a6d3"
down_revision: str | None = "d5e8a1c3f7b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE TABLE check_items_fts_stamp (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
               "stamp VARCHAR(32) NOT NULL)")
    op.execute(f"INSERT INTO check_items_fts_stamp (id, stamp) VALUES (1, '{uuid4().hex}')")


def downgrade() -> None:
    op.execute("DROP TABLE check_items_fts_stamp")
