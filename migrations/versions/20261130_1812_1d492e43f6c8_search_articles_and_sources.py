"""Full-text search over articles (title, text) and sources (name, aliases), beside the items' index.

SQLite: an FTS5 table per kind. ``articles_fts`` reads its text from ``articles`` (external content,
kept in step by triggers, as ``check_items_fts`` is); ``sources_fts`` holds each source's name and
its aliases joined, rewritten by triggers on ``sources`` and ``source_aliases``. PostgreSQL: a
stored ``fts_vector`` on ``articles`` (a generated column: the title weighted A, the first
200,000 characters of the text D, under the 1 MB a tsvector may hold) and on ``sources`` (set by
triggers, as the aliases live in another table: the name A, the aliases B), each with a GIN index.
Existing rows are indexed here.

Revision ID: 1d492e43f6c8
Revises: c4f2a9e1d6b3
Create Date: 2026-11-30 18:10:00
"""

from __future__ import annotations

from alembic import op

revision: str = "1d492e43f6c8"
down_revision: str | None = "c4f2a9e1d6b3"
branch_labels = None
depends_on = None

#: Characters of an article's text PostgreSQL indexes (a tsvector holds at most 1 MB).
PG_TEXT_CHARS = 200_000

_ARTICLE_VECTOR = (f"setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
                   f"setweight(to_tsvector('simple', left(text, {PG_TEXT_CHARS})), 'D')")

_SQLITE_ALIASES = "coalesce((SELECT group_concat(name, ' ') FROM source_aliases WHERE source_id = {id}), '')"


def _sqlite_source_refresh(id_expression: str) -> str:
    return (f"DELETE FROM sources_fts WHERE rowid = {id_expression}; "
            f"INSERT INTO sources_fts(rowid, name, aliases) SELECT id, name, "
            f"{_SQLITE_ALIASES.format(id='sources.id')} FROM sources WHERE id = {id_expression};")


def _upgrade_sqlite() -> None:
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 2')")
    new = "new.id, new.title, new.text"
    old = "'delete', old.id, old.title, old.text"
    op.execute("CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
               f"INSERT INTO articles_fts(rowid, title, text) VALUES ({new}); END")
    op.execute("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
               f"INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ({old}); END")
    op.execute("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
               f"INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ({old}); "
               f"INSERT INTO articles_fts(rowid, title, text) VALUES ({new}); END")
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")

    op.execute("CREATE VIRTUAL TABLE sources_fts USING fts5(name, aliases, tokenize='unicode61 remove_diacritics 2')")
    op.execute("CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN "
               f"{_sqlite_source_refresh('new.id')} END")
    op.execute("CREATE TRIGGER sources_fts_update AFTER UPDATE OF name ON sources BEGIN "
               f"{_sqlite_source_refresh('new.id')} END")
    op.execute("CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN "
               "DELETE FROM sources_fts WHERE rowid = old.id; END")
    op.execute("CREATE TRIGGER source_aliases_fts_insert AFTER INSERT ON source_aliases BEGIN "
               f"{_sqlite_source_refresh('new.source_id')} END")
    # A merge moves aliases from one source to another: both are rewritten.
    op.execute("CREATE TRIGGER source_aliases_fts_update AFTER UPDATE ON source_aliases BEGIN "
               f"{_sqlite_source_refresh('old.source_id')} {_sqlite_source_refresh('new.source_id')} END")
    op.execute("CREATE TRIGGER source_aliases_fts_delete AFTER DELETE ON source_aliases BEGIN "
               f"{_sqlite_source_refresh('old.source_id')} END")
    op.execute(f"INSERT INTO sources_fts(rowid, name, aliases) SELECT id, name, "
               f"{_SQLITE_ALIASES.format(id='sources.id')} FROM sources")


def _upgrade_postgresql() -> None:
    op.execute(f"ALTER TABLE articles ADD COLUMN fts_vector tsvector GENERATED ALWAYS AS ({_ARTICLE_VECTOR}) STORED")
    op.execute("CREATE INDEX ix_articles_fts ON articles USING gin (fts_vector)")

    op.execute("ALTER TABLE sources ADD COLUMN fts_vector tsvector")
    op.execute("""
        CREATE FUNCTION sources_fts_vector(source integer, source_name text) RETURNS tsvector
        LANGUAGE sql STABLE AS $$
            SELECT setweight(to_tsvector('simple', coalesce(source_name, '')), 'A') ||
                   setweight(to_tsvector('simple', coalesce(
                       (SELECT string_agg(name, ' ' ORDER BY id) FROM source_aliases WHERE source_id = source), '')),
                       'B')
        $$""")
    op.execute("""
        CREATE FUNCTION sources_fts_own() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.fts_vector := sources_fts_vector(NEW.id, NEW.name);
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE FUNCTION sources_fts_aliases() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE sources SET fts_vector = sources_fts_vector(id, name) WHERE id = OLD.source_id;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                UPDATE sources SET fts_vector = sources_fts_vector(id, name) WHERE id = NEW.source_id;
            END IF;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER sources_fts_own BEFORE INSERT OR UPDATE OF name ON sources "
               "FOR EACH ROW EXECUTE FUNCTION sources_fts_own()")
    op.execute("CREATE TRIGGER sources_fts_aliases AFTER INSERT OR UPDATE OR DELETE ON source_aliases "
               "FOR EACH ROW EXECUTE FUNCTION sources_fts_aliases()")
    op.execute("UPDATE sources SET fts_vector = sources_fts_vector(id, name)")
    op.execute("CREATE INDEX ix_sources_fts ON sources USING gin (fts_vector)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update", "sources_fts_insert",
                        "sources_fts_update", "sources_fts_delete", "source_aliases_fts_insert",
                        "source_aliases_fts_update", "source_aliases_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
        op.execute("DROP TABLE IF EXISTS sources_fts")
        return
    op.execute("DROP TRIGGER IF EXISTS sources_fts_aliases ON source_aliases")
    op.execute("DROP TRIGGER IF EXISTS sources_fts_own ON sources")
    op.execute("DROP FUNCTION IF EXISTS sources_fts_aliases()")
    op.execute("DROP FUNCTION IF EXISTS sources_fts_own()")
    op.execute("DROP FUNCTION IF EXISTS sources_fts_vector(integer, text)")
    op.execute("DROP INDEX IF EXISTS ix_sources_fts")
    op.execute("ALTER TABLE sources DROP COLUMN fts_vector")
    op.execute("DROP INDEX IF EXISTS ix_articles_fts")
    op.execute("ALTER TABLE articles DROP COLUMN fts_vector")
