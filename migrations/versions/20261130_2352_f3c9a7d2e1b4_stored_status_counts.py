"""Keep the number of check items in each status in a table, by triggers on check_items

The dashboard counted the items of every status on each view: on PostgreSQL at a million items it
read the whole work-order index (about 120 ms a page). ``check_items_status_counts`` holds the
counts instead; the sum of a status's rows is its number of items, exact whatever writes the items
(the services, ingest's bulk INSERTs, imports, restores, plain SQL), because triggers keep it:

- SQLite (one writer at a time): one row per status, changed in place by row triggers on insert,
  delete and a change of ``status``.
- PostgreSQL: a row per status in one row would make every transaction that moves an item wait
  for every other one that moved an item of the same status, to its commit (and two moving items
  in opposite directions could deadlock). So each writing statement only *adds* rows: an INSERT
  or DELETE statement one row per status it touched (+n / −n, from its transition table), a change
  of status −1 and +1. Then the same trigger folds every committed row into one per status
  (``DELETE … RETURNING`` and one INSERT of the sums), if it can take a transaction-level advisory
  lock at once: one transaction folds at a time, the others leave their rows for the next fold and
  never wait. A reader sums the rows in one statement, so it sees a fold whole or not at all.
  Only READ COMMITTED transactions fold (each statement of the fold sees what the previous folder
  committed); others just add rows. TRUNCATE of ``check_items`` empties the counts.

A later migration that copies ``check_items`` on SQLite (a batch ALTER) drops these triggers with
the table's others, and must make them again as this one does.

Revision ID: f3c9a7d2e1b4
Revises: c7d3e9f0a1b2
Create Date: 2026-11-30 23:52:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3c9a7d2e1b4"
down_revision: str | None = "c7d3e9f0a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The workflow's statuses when this migration was written (a status added later gets its row, on
#: SQLite, from the migration that adds it).
STATUSES = ("claim", "evidence", "verdict", "published", "dismissed")
#: The advisory lock a folding transaction holds (``pg_try_advisory_xact_lock``): "fcsc".
FOLD_LOCK = 0x66637363

TABLE = "check_items_status_counts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_items_status_counts")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _fill() -> None:
    """One row per status: the items stored now (zero for a status without any)."""
    values = " UNION ALL ".join(f"SELECT '{s}' AS status" for s in STATUSES)
    op.execute(f"INSERT INTO {TABLE}(status, items) SELECT s.status, "
               "(SELECT count(*) FROM check_items AS c WHERE c.status = s.status) "
               f"FROM ({values}) AS s")


def _upgrade_sqlite() -> None:
    _fill()
    op.execute(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON check_items BEGIN "
               f"UPDATE {TABLE} SET items = items + 1 WHERE status = new.status; END")
    op.execute(f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON check_items BEGIN "
               f"UPDATE {TABLE} SET items = items - 1 WHERE status = old.status; END")
    op.execute(f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF status ON check_items "
               "WHEN old.status IS NOT new.status BEGIN "
               f"UPDATE {TABLE} SET items = items - 1 WHERE status = old.status; "
               f"UPDATE {TABLE} SET items = items + 1 WHERE status = new.status; END")


def _upgrade_postgresql() -> None:
    # No item may be written between the count and the triggers.
    op.execute("LOCK TABLE check_items IN SHARE ROW EXCLUSIVE MODE")
    _fill()
    op.execute(
        f"CREATE FUNCTION {TABLE}_fold() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('transaction_isolation') = 'read committed' "
        f"AND pg_try_advisory_xact_lock({FOLD_LOCK}) THEN "
        f"WITH gone AS (DELETE FROM {TABLE} RETURNING status, items) "
        f"INSERT INTO {TABLE}(status, items) SELECT status, sum(items) FROM gone GROUP BY status; "
        "END IF; END $$"
    )
    op.execute(
        f"CREATE FUNCTION {TABLE}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE}(status, items) SELECT status, count(*) FROM added GROUP BY status; "
        f"PERFORM {TABLE}_fold(); RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE FUNCTION {TABLE}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE}(status, items) SELECT status, -count(*) FROM removed GROUP BY status; "
        f"PERFORM {TABLE}_fold(); RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE FUNCTION {TABLE}_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE}(status, items) VALUES (OLD.status, -1), (NEW.status, 1); "
        f"PERFORM {TABLE}_fold(); RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE FUNCTION {TABLE}_emptied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE}; RETURN NULL; END $$"
    )
    op.execute(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON check_items REFERENCING NEW TABLE AS added "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_inserted()")
    op.execute(f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON check_items REFERENCING OLD TABLE AS removed "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_deleted()")
    op.execute(f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF status ON check_items FOR EACH ROW "
               f"WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION {TABLE}_moved()")
    op.execute(f"CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON check_items "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_emptied()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
    else:
        for trigger in ("insert", "delete", "update", "truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger} ON check_items")
        for function in ("inserted", "deleted", "moved", "emptied", "fold"):
            op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{function}()")
    op.drop_table(TABLE)
