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

Rows such a race left behind are moved here first, to the source at the end of their merged source's chain of
merges (a circle is left alone), and the records of the sources concerned are counted again from their published
items, as a publication counts them (the claimant as claimant, every other source of the chain as relay), with
their stored standings (``services.sources.refresh_standings``' rule; see migration c4f2a9d6e871).

Revision ID: e8a1c3f5b7d9
Revises: d6e8f0a2b4c7
Create Date: 2026-12-03 19:00:00+00:00
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.domain import credibility as cred
from factcheck.domain.merges import merge_end
from factcheck.domain.outlets import source_prior

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


_IDS = sa.bindparam("ids", expanding=True)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[n:n + 500] for n in range(0, len(ordered), 500)]


def _move_rows_naming_merged_sources(bind: sa.Connection) -> None:
    merged = {int(i): int(m) for i, m in bind.execute(sa.text(
        "SELECT id, merged_into_id FROM sources WHERE merged_into_id IS NOT NULL"))}
    if not merged:
        return
    touched: set[int] = set()
    for table, column in NAMING:
        named = bind.execute(sa.text(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN "
                                     "(SELECT id FROM sources WHERE merged_into_id IS NOT NULL)")).scalars().all()
        for old in named:
            new = merge_end(merged, int(old))
            if new is not None:
                bind.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"),
                             {"new": new, "old": old})
                touched |= {int(old), new}
    # A verdict counted on a merged source after its merge came from such a row.
    for (source_id,) in bind.execute(sa.text("SELECT DISTINCT source_id FROM source_records WHERE count > 0 AND "
                                             "source_id IN (SELECT id FROM sources WHERE merged_into_id IS NOT NULL)")):
        final = merge_end(merged, int(source_id))
        touched |= {int(source_id)} | ({final} if final is not None else set())
    if touched:
        _count_again(bind, touched)


def _count_again(bind: sa.Connection, sources: set[int]) -> None:
    """The records of ``sources`` counted from their published items, and their standings stored."""
    items: set[int] = set()
    for chunk in _chunks(list(sources)):
        items |= set(bind.execute(sa.text(
            "SELECT id FROM check_items WHERE status = 'published' AND (claimant_id IN :ids OR id IN "
            "(SELECT item_id FROM chain_links WHERE source_id IN :ids))").bindparams(_IDS), {"ids": chunk}).scalars())
    counts: dict[tuple[int, str, int], int] = defaultdict(int)
    for chunk in _chunks(list(items)):
        claimants = dict(bind.execute(sa.text("SELECT id, claimant_id FROM check_items WHERE id IN :ids")
                                      .bindparams(_IDS), {"ids": chunk}).all())
        chains: dict[int, list[int]] = defaultdict(list)
        for item_id, source_id in bind.execute(sa.text(
                "SELECT item_id, source_id FROM chain_links WHERE item_id IN :ids ORDER BY item_id, position")
                .bindparams(_IDS), {"ids": chunk}):
            chains[item_id].append(source_id)
        ratings = dict(bind.execute(sa.text(
            "SELECT v.item_id, v.final_rating_id FROM verdicts v WHERE v.item_id IN :ids AND v.id = "
            "(SELECT max(w.id) FROM verdicts w WHERE w.item_id = v.item_id)").bindparams(_IDS), {"ids": chunk}).all())
        for item_id in chunk:
            rating = ratings.get(item_id)
            if rating is None:
                continue
            capacities: dict[int, str] = {}
            if claimants.get(item_id) is not None:
                capacities[claimants[item_id]] = "claimant"
            for source_id in chains[item_id]:
                capacities.setdefault(source_id, "relay")
            for source_id, capacity in capacities.items():
                if source_id in sources:
                    counts[source_id, capacity, rating] += 1
    for chunk in _chunks(list(sources)):
        bind.execute(sa.text("DELETE FROM source_records WHERE source_id IN :ids").bindparams(_IDS), {"ids": chunk})
    if counts:
        bind.execute(sa.text("INSERT INTO source_records (source_id, capacity, rating_id, count) "
                             "VALUES (:s, :c, :r, :n)"),
                     [{"s": s, "c": c, "r": r, "n": n} for (s, c, r), n in sorted(counts.items())])
    truth = dict(bind.execute(sa.text("SELECT id, truth_value FROM ratings")).all())
    rows = []
    for chunk in _chunks(list(sources)):
        for source_id, domain, alpha, beta in bind.execute(sa.text(
                "SELECT id, domain, prior_alpha, prior_beta FROM sources WHERE id IN :ids").bindparams(_IDS),
                {"ids": chunk}):
            claimant = [(truth[r], n) for (s, c, r), n in counts.items() if s == source_id and c == "claimant"]
            relay = [(truth[r], n) for (s, c, r), n in counts.items() if s == source_id and c == "relay"]
            rows.append({"sid": source_id, "total": sum(n for _, n in claimant) + sum(n for _, n in relay),
                         "mean": cred.posterior(source_prior(alpha, beta, domain), claimant, relay).mean})
    bind.execute(sa.text("UPDATE sources SET standing_mean = :mean, record_total = :total WHERE id = :sid"), rows)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _move_rows_naming_merged_sources(op.get_bind())
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
