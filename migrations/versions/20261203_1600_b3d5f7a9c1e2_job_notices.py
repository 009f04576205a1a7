"""Notices of background jobs: a notification kind "job_done" and a link of a notification's own

A background job (an upload of several files, a long article) tells its owner when it has finished, with a
link to its page (``/jobs/<id>``): a notification that is about no item. ``notifications.link`` holds a page
of the desk's own (a path), and the kind CHECKs of ``notifications`` and ``notification_settings`` take
"job_done" (on SQLite by copying the tables, on PostgreSQL by replacing the constraints).

Revision ID: b3d5f7a9c1e2
Revises: c4a9e7d2b1f8
Create Date: 2026-12-03 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d5f7a9c1e2"
down_revision: str | None = "c4a9e7d2b1f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("assigned", "returned", "approved", "published", "vote_needed", "mentioned", "corrected")
NEW_KINDS = OLD_KINDS + ("job_done",)
TABLES = ("notifications", "notification_settings")


def _in(values: tuple[str, ...]) -> str:
    return f"kind IN ({', '.join(repr(v) for v in values)})"


def _replace_kind_checks(kinds: tuple[str, ...], *, link: bool | None = None) -> None:
    """The kind CHECK of both tables for ``kinds``; ``link``: add (True) or drop (False) ``notifications.link``."""
    for table in TABLES:
        if op.get_bind().dialect.name == "sqlite":
            with op.batch_alter_table(table, recreate="always") as batch_op:
                batch_op.drop_constraint(op.f(f"ck_{table}_kind"), type_="check")
                batch_op.create_check_constraint("kind", _in(kinds))
                if table == "notifications" and link is True:
                    batch_op.add_column(sa.Column("link", sa.String(length=300), nullable=True))
                if table == "notifications" and link is False:
                    batch_op.drop_column("link")
        else:
            op.drop_constraint(op.f(f"ck_{table}_kind"), table, type_="check")
            op.create_check_constraint("kind", table, _in(kinds))
            if table == "notifications" and link is True:
                op.add_column(table, sa.Column("link", sa.String(length=300), nullable=True))
            if table == "notifications" and link is False:
                op.drop_column(table, "link")


def upgrade() -> None:
    _replace_kind_checks(NEW_KINDS, link=True)


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE kind = 'job_done'")
    _replace_kind_checks(OLD_KINDS, link=False)
