"""Claim matching reads each term's number of items from a table instead of counting the full-text index.

``check_items_fts_counts`` holds, for every index token claim matching may ask about, in how many
items it occurs: a word (``country``: items with that word) or a prefix of four to forty letters
and digits (``releas*``: items with a word beginning so). Only tokens of ASCII letters and digits
are kept; matching asks the index itself about any other.

The counts are kept exact without tokenising in Python: triggers on ``check_items`` append each
inserted, changed or deleted text (a change as its old text taken away and its new one added) to
``check_items_fts_pending`` — on SQLite a contentless FTS5 table with the same tokenizer as
``check_items_fts`` (a text added in its column ``added``, one taken away in ``removed``), whose
words its ``fts5vocab`` table lists; on PostgreSQL the row's stored ``fts_vector``. A write transaction folds the pending texts into the counts
(``factcheck.services.ingest.fold_pending_term_counts``); while any are pending, matching counts
in the index as before. The counts of the items already stored are filled here.

On PostgreSQL the GIN index of ``fts_vector`` takes new entries at once (``fastupdate`` off): its
pending list made every lookup of a term read all recent items.

A later migration that copies ``check_items`` on SQLite (a batch ALTER) drops these triggers with
the table's others, and must make them again as this one does.

Revision ID: b8e4f1a2c3d5
Revises: a3f9c1e7b254
Create Date: 2026-11-30 21:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "b8e4f1a2c3d5"
down_revision: str | None = "a3f9c1e7b254"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Prefixes are kept from this length (``factcheck.domain.matching.MIN_PREFIX``) to this one.
MIN_PREFIX = 4
MAX_PREFIX = 40

#: The tokens of the texts in ``check_items_fts_pending`` as (doc, key) pairs, each once per text (SQLite).
SQLITE_KEYS = (
    f"WITH RECURSIVE n(x) AS (SELECT {MIN_PREFIX} UNION ALL SELECT x + 1 FROM n WHERE x < {MAX_PREFIX}), "
    "words AS (SELECT DISTINCT doc, term FROM check_items_fts_pending_words), "
    f"keys AS (SELECT doc, term AS key FROM words WHERE length(term) <= {MAX_PREFIX} AND term NOT GLOB '*[^a-z0-9]*' "
    "UNION SELECT doc, substr(term, 1, x) || '*' FROM words JOIN n ON x <= length(term) "
    "WHERE substr(term, 1, x) NOT GLOB '*[^a-z0-9]*') "
)

#: The keys of ``vectors`` (a relation of id, sign, vector), each once per row (PostgreSQL).
POSTGRESQL_KEYS = (
    "SELECT DISTINCT v.id, v.sign, k.key FROM vectors AS v "
    "CROSS JOIN LATERAL unnest(tsvector_to_array(v.vector)) AS w(word) "
    "CROSS JOIN LATERAL (SELECT length(substring(w.word FROM '^[abcdefghijklmnopqrstuvwxyz0123456789]*')) AS run) AS r "
    f"CROSS JOIN LATERAL (SELECT w.word WHERE r.run = length(w.word) AND r.run <= {MAX_PREFIX} UNION ALL "
    f"SELECT left(w.word, n) || '*' FROM generate_series({MIN_PREFIX}, least(r.run, {MAX_PREFIX})) AS n) AS k(key)"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # On SQLite the table is its key's B-tree (an update of a count writes one page, not two).
    op.execute("CREATE TABLE check_items_fts_counts (token VARCHAR(48) NOT NULL PRIMARY KEY, "
               f"documents INTEGER NOT NULL){' WITHOUT ROWID' if sqlite else ''}")
    if sqlite:
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _upgrade_sqlite() -> None:
    # Contentless: only its index is read (through the vocabulary table), and emptied at once with 'delete-all'.
    op.execute("CREATE VIRTUAL TABLE check_items_fts_pending USING fts5(added, removed, content='', "
               "tokenize='unicode61 remove_diacritics 2')")
    op.execute("CREATE VIRTUAL TABLE check_items_fts_pending_words USING fts5vocab(check_items_fts_pending, instance)")
    columns = "check_items_fts_pending(added, removed)"
    new = "new.claim_text || ' ' || coalesce(new.restatement, '')"
    old = "old.claim_text || ' ' || coalesce(old.restatement, '')"
    op.execute("CREATE TRIGGER check_items_fts_pending_insert AFTER INSERT ON check_items BEGIN "
               f"INSERT INTO {columns} VALUES ({new}, NULL); END")
    op.execute("CREATE TRIGGER check_items_fts_pending_delete AFTER DELETE ON check_items BEGIN "
               f"INSERT INTO {columns} VALUES (NULL, {old}); END")
    op.execute("CREATE TRIGGER check_items_fts_pending_update AFTER UPDATE OF claim_text, restatement ON check_items "
               f"BEGIN INSERT INTO {columns} VALUES ({new}, {old}); END")
    op.execute(f"INSERT INTO {columns} SELECT claim_text || ' ' || coalesce(restatement, ''), NULL FROM check_items")
    op.execute(f"{SQLITE_KEYS}INSERT INTO check_items_fts_counts(token, documents) SELECT key, count(*) FROM keys "
               "GROUP BY key")
    op.execute("INSERT INTO check_items_fts_pending(check_items_fts_pending) VALUES ('delete-all')")


def _upgrade_postgresql() -> None:
    op.execute("CREATE TABLE check_items_fts_pending (id BIGSERIAL PRIMARY KEY, sign SMALLINT NOT NULL, "
               "vector TSVECTOR NOT NULL)")
    op.execute(
        "CREATE FUNCTION check_items_fts_pending_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP <> 'INSERT' THEN INSERT INTO check_items_fts_pending(sign, vector) VALUES (-1, OLD.fts_vector); "
        "END IF; "
        "IF TG_OP <> 'DELETE' THEN INSERT INTO check_items_fts_pending(sign, vector) VALUES (1, NEW.fts_vector); "
        "END IF; RETURN NULL; END $$"
    )
    op.execute("CREATE TRIGGER check_items_fts_pending_change AFTER INSERT OR DELETE OR UPDATE OF claim_text, "
               "restatement ON check_items FOR EACH ROW EXECUTE FUNCTION check_items_fts_pending_add()")
    # New entries go straight into the GIN index instead of its pending list, which every lookup of a
    # term would read through (2 ms a term with 2,000 items pending; 0.01 ms once merged).
    op.execute("ALTER INDEX ix_check_items_fts SET (fastupdate = off)")
    op.execute("SELECT gin_clean_pending_list('ix_check_items_fts')")
    op.execute(f"WITH vectors AS (SELECT id, 1 AS sign, fts_vector AS vector FROM check_items) "
               f"INSERT INTO check_items_fts_counts(token, documents) "
               f"SELECT key, sum(sign) FROM ({POSTGRESQL_KEYS}) AS d GROUP BY key")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS check_items_fts_pending_{trigger}")
        op.execute("DROP TABLE IF EXISTS check_items_fts_pending_words")
    else:
        op.execute("DROP TRIGGER IF EXISTS check_items_fts_pending_change ON check_items")
        op.execute("DROP FUNCTION IF EXISTS check_items_fts_pending_add()")
        op.execute("ALTER INDEX ix_check_items_fts RESET (fastupdate)")
    op.execute("DROP TABLE IF EXISTS check_items_fts_pending")
    op.execute("DROP TABLE IF EXISTS check_items_fts_counts")
