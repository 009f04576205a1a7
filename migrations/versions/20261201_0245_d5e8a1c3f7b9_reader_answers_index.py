"""Index readers' submissions by when they were answered, for the dashboard's median time to an answer

The dashboard's median time from a reader's submission to its answer read every answered submission
ever; it now reads the latest 500 backwards through this index, whatever the number of submissions.

Revision ID: d5e8a1c3f7b9
Revises: a7d4e2c9b6f1
Create Date: 2026-12-01 02:45:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d5e8a1c3f7b9"
down_revision: str | None = "a7d4e2c9b6f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_reader_submissions_answered_at"), "reader_submissions", ["answered_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_reader_submissions_answered_at"), table_name="reader_submissions")
