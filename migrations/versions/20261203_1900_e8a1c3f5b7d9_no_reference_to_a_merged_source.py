"""No row names a merged source: chain links, claimants, evidence and article outlets

A merge moves every row that names the merged source to the one it was merged into. A row written by another
transaction at the same moment (an ingest, a new item, a piece of evidence) was not moved: the merge could not
see it before it was committed, and it stayed on the merged source, whose record then counted its verdict.

Triggers now refuse a row that names a merged source, when it is written or when its source changes. On
PostgreSQL they lock the sources named (``FOR KEY SHARE``, as the foreign keys do) before reading whether they
were merged, so a writer waits for a merge in progress and then sees it; the merge locks its two sources
``FOR UPDATE`` (``services.sources``), which waits for writers that named them before it, whose rows it then
sees and moves. The refusal is an integrity error (a conflict: nothing is written, and the writer may try
again, finding the source kept). SQLite's writers take turns, and its triggers only keep the rule.

Revision ID: e8a1c3f5b7d9
Revises: d6e8f0a2b4c7
Create Date: 2026-12-03 19:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e8a1c3f5b7d9"
down_revision: str | None = "d6e8f0a2b4c7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each table and its column naming a source.
NAMING = (("chain_links", "source_id"), ("check_items", "claimant_id"), ("evidence", "source_id"),
          ("articles", "outlet_id"))
MESSAGE = "a source named here was merged into another: name the source it was merged into"


def _postgresql(table: str, column: str) -> list[str]:
    function = f"{table}_refuse_merged_source"
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named integer[];
    merged record;
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        named := ARRAY[NEW.{column}];
    ELSE
        named := ARRAY(SELECT DISTINCT {column} FROM new_rows WHERE {column} IS NOT NULL);
    END IF;
    -- Waits for a merge in progress (it holds its sources FOR UPDATE); the next statement reads it committed.
    PERFORM 1 FROM sources WHERE id = ANY(named) ORDER BY id FOR KEY SHARE;
    SELECT id, merged_into_id INTO merged FROM sources
     WHERE id = ANY(named) AND merged_into_id IS NOT NULL ORDER BY id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '{MESSAGE} (source #% into #%)', merged.id, merged.merged_into_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$""",
        f"CREATE TRIGGER {table}_merged_source_inserted AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_merged_source_moved AFTER UPDATE OF {column} ON {table} FOR EACH ROW "
        f"WHEN (NEW.{column} IS DISTINCT FROM OLD.{column}) EXECUTE FUNCTION {function}()",
    ]


def _sqlite(table: str, column: str) -> list[str]:
    check = f"WHEN (SELECT merged_into_id FROM sources WHERE id = NEW.{column}) IS NOT NULL"
    body = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    return [f"CREATE TRIGGER {table}_merged_source_inserted BEFORE INSERT ON {table} {check} {body}",
            f"CREATE TRIGGER {table}_merged_source_moved BEFORE UPDATE OF {column} ON {table} {check} {body}"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in NAMING:
        for statement in (_sqlite if sqlite else _postgresql)(table, column):
            op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _ in NAMING:
        for trigger in ("inserted", "moved"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_merged_source_{trigger}" + ("" if sqlite else f" ON {table}"))
        if not sqlite:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_merged_source()")
