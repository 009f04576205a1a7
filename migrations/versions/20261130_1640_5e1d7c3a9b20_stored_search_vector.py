"""PostgreSQL keeps each item's full-text vector in a stored generated column.

Claim matching counts terms and lists items over the rows a query matches; with the vector only
in an expression index, every statement computed ``to_tsvector`` again for each row it read
(about 260 ms a match at 784 items). The column is computed by PostgreSQL on insert and update,
and the GIN index moves onto it. SQLite keeps its FTS5 table: nothing changes there.

Revision ID: 5e1d7c3a9b20
Revises: a5c81e3f0d27
Create Date: 2026-11-30 16:40:00
"""

from __future__ import annotations

from alembic import op

revision: str = "5e1d7c3a9b20"
down_revision: str | None = "a5c81e3f0d27"
branch_labels = None
depends_on = None

VECTOR = "to_tsvector('simple', claim_text || ' ' || coalesce(restatement, ''))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(f"ALTER TABLE check_items ADD COLUMN fts_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED")
    op.execute("DROP INDEX IF EXISTS ix_check_items_fts")
    op.execute("CREATE INDEX ix_check_items_fts ON check_items USING gin (fts_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_check_items_fts")
    op.execute("ALTER TABLE check_items DROP COLUMN fts_vector")
    op.execute(f"CREATE INDEX ix_check_items_fts ON check_items USING gin ({VECTOR})")
