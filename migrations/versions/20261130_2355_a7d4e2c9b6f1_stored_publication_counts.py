"""Keep the number of publications per day in a table, by a trigger on audit_events

The dashboard's chart of publications per week counted the publish events of twelve weeks in the
audit trail on each view (a range of the (action, time) index: 30–45 ms on PostgreSQL when the
bench's 600,000 publications fall in those weeks). ``publication_counts`` holds them per day
(UTC); the sum of a day's rows is its number of publish events. The audit trail only grows (its
rows can be neither changed nor deleted), so a trigger on INSERT keeps the counts exact:

- SQLite (one writer at a time): one row per day, made or increased by a row trigger.
- PostgreSQL: each INSERT statement adds one row per day it published on (from its transition
  table), so publishing transactions never wait on each other's counts; then, if it can take a
  transaction-level advisory lock at once (READ COMMITTED only, as for the status counts of
  f3c9a7d2e1b4), it folds the committed rows of those days into one per day.

Revision ID: a7d4e2c9b6f1
Revises: f3c9a7d2e1b4
Create Date: 2026-11-30 23:55:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7d4e2c9b6f1"
down_revision: str | None = "f3c9a7d2e1b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The advisory lock a folding transaction holds (``pg_try_advisory_xact_lock``): "fcpc".
FOLD_LOCK = 0x66637063

TABLE = "publication_counts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("publications", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_counts")),
    )
    op.create_index("ix_publication_counts_day", TABLE, ["day"])
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _upgrade_sqlite() -> None:
    op.execute(f"INSERT INTO {TABLE}(day, publications) SELECT date(created_at), count(*) FROM audit_events "
               "WHERE action = 'publish' GROUP BY date(created_at)")
    day = "date(new.created_at)"
    op.execute(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON audit_events WHEN new.action = 'publish' BEGIN "
               f"INSERT INTO {TABLE}(day, publications) SELECT {day}, 0 "
               f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE day = {day}); "
               f"UPDATE {TABLE} SET publications = publications + 1 WHERE day = {day}; END")


def _upgrade_postgresql() -> None:
    # No event may be written between the count and the trigger.
    op.execute("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE")
    day = "(created_at AT TIME ZONE 'UTC')::date"
    op.execute(f"INSERT INTO {TABLE}(day, publications) SELECT {day}, count(*) FROM audit_events "
               f"WHERE action = 'publish' GROUP BY 1")
    op.execute(
        f"CREATE FUNCTION {TABLE}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE days date[]; BEGIN "
        f"SELECT array_agg(DISTINCT {day}) INTO days FROM added WHERE action = 'publish'; "
        "IF days IS NULL THEN RETURN NULL; END IF; "
        f"INSERT INTO {TABLE}(day, publications) SELECT {day}, count(*) FROM added "
        "WHERE action = 'publish' GROUP BY 1; "
        "IF current_setting('transaction_isolation') = 'read committed' "
        f"AND pg_try_advisory_xact_lock({FOLD_LOCK}) THEN "
        f"WITH gone AS (DELETE FROM {TABLE} WHERE day = ANY(days) RETURNING day, publications) "
        f"INSERT INTO {TABLE}(day, publications) SELECT day, sum(publications) FROM gone GROUP BY day; "
        "END IF; RETURN NULL; END $$"
    )
    op.execute(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON audit_events REFERENCING NEW TABLE AS added "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_inserted()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_insert")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_insert ON audit_events")
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_inserted()")
    op.drop_index("ix_publication_counts_day", table_name=TABLE)
    op.drop_table(TABLE)
