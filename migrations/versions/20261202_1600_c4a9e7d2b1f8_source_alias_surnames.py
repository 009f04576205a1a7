"""Index source names by their last word, for finding the people a surname may mean

Ingest resolves a speaker named by surname only ("Putin said…") to the one person whose name ends with
it (``factcheck.services.sources._PeopleBySurname``). That asked for every name key ending in " putin"
with ``LIKE '% putin'``, which no index serves: each ingest read every name of every source, a cost that
grew with the sources (about 25 ms an article with 50,000 people). The last word of each key is indexed
as an expression, written the same way in the query (``factcheck.services.sources.LAST_WORD``): keys
are folded, words separated by one space, no space at either end (``domain.names.name_key``).

Revision ID: c4a9e7d2b1f8
Revises: e2b7c4f9a6d3
Create Date: 2026-12-02 16:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c4a9e7d2b1f8"
down_revision: str | None = "e2b7c4f9a6d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The last word of ``key`` on each database (the same text as ``services.sources.LAST_WORD``'s): SQLite has
#: no search from the end, so the key is trimmed of its last word's letters and that beginning replaced.
LAST_WORD = {
    "sqlite": "replace(key, rtrim(key, replace(key, ' ', '')), '')",
    "postgresql": "regexp_replace(key, '^.* ', '')",
}


def upgrade() -> None:
    expression = LAST_WORD[op.get_bind().dialect.name]
    op.execute(f"CREATE INDEX ix_source_aliases_last_word ON source_aliases (({expression}))")


def downgrade() -> None:
    op.execute("DROP INDEX ix_source_aliases_last_word")
