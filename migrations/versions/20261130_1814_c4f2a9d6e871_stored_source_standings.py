"""Store each source's score mean and record total beside its record, indexed, for the source list

The source list sorted every source in Python by a score computed from all records on each
request. The mean and the total are now kept on the source by the services that change a record or
a prior (``services.sources.refresh_standings``), and the list pages through an index. Existing
sources get them computed here from their records, by the same rule the pages use.

Revision ID: c4f2a9d6e871
Revises: 0c5aae39ab4b
Create Date: 2026-11-30 18:10:00+00:00
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factcheck.domain import credibility as cred
from factcheck.domain.outlets import source_prior

revision: str = "c4f2a9d6e871"
down_revision: str | None = "0c5aae39ab4b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

sources = sa.table(
    "sources", sa.column("id", sa.Integer), sa.column("domain", sa.String), sa.column("prior_alpha", sa.Float),
    sa.column("prior_beta", sa.Float), sa.column("standing_mean", sa.Float), sa.column("record_total", sa.Integer),
)
records = sa.table(
    "source_records", sa.column("source_id", sa.Integer), sa.column("capacity", sa.String),
    sa.column("rating_id", sa.Integer), sa.column("count", sa.Integer),
)
ratings = sa.table("ratings", sa.column("id", sa.Integer), sa.column("truth_value", sa.Float))


def upgrade() -> None:
    op.add_column("sources", sa.Column("standing_mean", sa.Float(), nullable=False, server_default="0.5"))
    op.add_column("sources", sa.Column("record_total", sa.Integer(), nullable=False, server_default="0"))
    bind = op.get_bind()
    counts: dict[int, dict[str, list[tuple[float | None, int]]]] = defaultdict(lambda: defaultdict(list))
    for source_id, capacity, truth, count in bind.execute(
            sa.select(records.c.source_id, records.c.capacity, ratings.c.truth_value, records.c.count)
            .join(ratings, ratings.c.id == records.c.rating_id).where(records.c.count > 0)):
        counts[source_id][capacity].append((truth, count))
    rows = []
    for source_id, domain, alpha, beta in bind.execute(
            sa.select(sources.c.id, sources.c.domain, sources.c.prior_alpha, sources.c.prior_beta)):
        record = counts.get(source_id, {})
        claimant, relay = record.get("claimant", []), record.get("relay", [])
        mean = cred.posterior(source_prior(alpha, beta, domain), claimant, relay).mean
        rows.append({"sid": source_id, "mean": mean, "total": sum(c for _, c in claimant) + sum(c for _, c in relay)})
    if rows:
        bind.execute(sources.update().where(sources.c.id == sa.bindparam("sid"))
                     .values(standing_mean=sa.bindparam("mean"), record_total=sa.bindparam("total")), rows)
    op.create_index("ix_sources_standing", "sources", ["standing_mean", "record_total", "id"])
    op.create_index("ix_sources_record_total", "sources", ["record_total", "id"])
    _analyze_sqlite("sources")


def downgrade() -> None:
    op.drop_index("ix_sources_record_total", table_name="sources")
    op.drop_index("ix_sources_standing", table_name="sources")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+); a batch copy of ``sources`` would trip the search
        # index's triggers on ``source_aliases``, which name ``sources``.
        op.execute("ALTER TABLE sources DROP COLUMN record_total")
        op.execute("ALTER TABLE sources DROP COLUMN standing_mean")
        return
    op.drop_column("sources", "record_total")
    op.drop_column("sources", "standing_mean")


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
