"""Leave room in the term counts' pages, so that a count's update stays on its page (PostgreSQL).

Every ingest adds to the counts of about a thousand tokens of ``check_items_fts_counts``. In a
full page PostgreSQL writes the new version of a row elsewhere and adds it to the key's index
too; with free room on the page the update is a heap-only one (HOT): the index is not touched,
and the row's old versions are pruned from the page. Half of each page is left free. SQLite keeps
the table as its key's B-tree and updates a row in place; nothing changes there.

``SET (fillfactor)`` only applies to pages written afterwards, so the counts already stored are
written again (copied out, the table emptied, copied back in key order, in the migration's
transaction: about 1.5 s for 600,000 counts; the table is locked meanwhile). A database that ran
this migration before it rewrote the table keeps its full pages until an operator runs
``VACUUM FULL check_items_fts_counts`` (docs/performance.md).

Revision ID: c7d3e9f0a1b2
Revises: b8e4f1a2c3d5
Create Date: 2026-11-30 23:45:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c7d3e9f0a1b2"
down_revision: str | None = "b8e4f1a2c3d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: How full PostgreSQL fills a page of the counts on INSERT (per cent); the rest is room for updates.
FILLFACTOR = 50


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE check_items_fts_counts SET (fillfactor = {FILLFACTOR})")
        # VACUUM FULL would rewrite the pages too, but cannot run inside the migration's transaction.
        op.execute("CREATE TEMPORARY TABLE stored_counts ON COMMIT DROP AS "
                   "SELECT token, documents FROM check_items_fts_counts")
        op.execute("TRUNCATE check_items_fts_counts")
        op.execute("INSERT INTO check_items_fts_counts(token, documents) "
                   "SELECT token, documents FROM stored_counts ORDER BY token")
        op.execute("DROP TABLE stored_counts")


def downgrade() -> None:
    # The pages keep their free room until they are written again (harmless: updates use it).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE check_items_fts_counts RESET (fillfactor)")
