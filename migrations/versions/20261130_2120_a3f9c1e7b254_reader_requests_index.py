"""Add an index on check items' reader requests for the dashboard's most requested claims

The dashboard listed the claims most readers asked for by reading every item (``reader_requests >
0`` matched by none of the indexes); the index holds the few items readers asked for.

Revision ID: a3f9c1e7b254
Revises: b8e4d2f17a65
Create Date: 2026-11-30 21:10:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a3f9c1e7b254"
down_revision: str | None = "b8e4d2f17a65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_check_items_reader_requests", "check_items", ["reader_requests"])
    _analyze_sqlite("check_items")


def downgrade() -> None:
    op.drop_index("ix_check_items_reader_requests", table_name="check_items")


def _analyze_sqlite(*tables: str) -> None:
    """On SQLite that keeps planner statistics, give the new index its own (see d7a3e5b2c914)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return
    for table in tables:
        bind.exec_driver_sql(f"ANALYZE {table}")
