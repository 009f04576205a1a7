"""Add indexes for the pages that list items in the work order, by status age, holder or article, and for publications by time

The dashboard's oldest waiting verdicts and "my work" sorted every item of a status (or every item a
checker holds) to show the first few; the articles list counted each article's items per status
from the table; the dashboard's publications and time to publish scanned the whole audit trail.
Each now walks an index.

Revision ID: d7a3e5b2c914
Revises: c4f2a9d6e871
Create Date: 2026-11-30 18:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7a3e5b2c914"
down_revision: str | None = "c4f2a9d6e871"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_check_items_status_changed", "check_items", ["status", "status_changed_at", "id"]),
    ("ix_check_items_assignee_status", "check_items", ["assignee_id", "status", "status_changed_at", "id"]),
    ("ix_check_items_article_status", "check_items", ["article_id", "status"]),
    ("ix_audit_events_action_created", "audit_events", ["action", "created_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    # The work order itself (priority descending, then the longest waiting), in place of the index
    # that held priority ascending: the queue's and triage's pages no longer sort a whole status.
    op.drop_index("ix_check_items_status_priority", table_name="check_items")
    op.create_index("ix_check_items_work_order", "check_items",
                    ["status", sa.text("priority DESC"), "status_changed_at", "id"])
    _analyze_sqlite("check_items", "audit_events")


def downgrade() -> None:
    op.drop_index("ix_check_items_work_order", table_name="check_items")
    op.create_index("ix_check_items_status_priority", "check_items", ["status", "priority", "status_changed_at"])
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)


def _analyze_sqlite(*tables: str) -> None:
    """On SQLite that keeps planner statistics, give the new indexes theirs too: an index without
    statistics beside indexes with them looks more selective than it is, and the planner picks it."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return
    for table in tables:
        bind.exec_driver_sql(f"ANALYZE {table}")
