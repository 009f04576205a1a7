"""Run Alembic from the application: upgrade, downgrade, and the drift check."""

from __future__ import annotations

import warnings
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SAWarning

from factcheck.resources import resource_dir


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head", connection: Connection | None = None) -> None:
    """Migrate the database up to ``revision``."""
    command.upgrade(alembic_config(url, connection), revision)


def downgrade(url: str | None = None, revision: str = "base", connection: Connection | None = None) -> None:
    """Migrate the database down to ``revision``."""
    command.downgrade(alembic_config(url, connection), revision)


def head_revision() -> str | None:
    """The newest migration shipped with this version."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


#: Objects made by hand-written SQL in migrations (the full-text table and index, PostgreSQL's stored
#: vector column, the index of name keys' last words, written differently on each database) that the models
#: do not describe: the drift check and autogenerate leave them out.
UNMODELLED_PREFIXES = ("check_items_fts", "ix_check_items_fts", "articles_fts", "ix_articles_fts", "sources_fts",
                       "ix_sources_fts", "fts_vector", "ix_source_aliases_last_word")


def drift(connection: Connection) -> list[Any]:
    """Differences between the models and the migrated schema; empty when they agree."""
    from factcheck.models import Base

    # The migration environment's filter, so hand-made full-text objects are ignored.
    unmodelled = (*UNMODELLED_PREFIXES, "alembic_version")

    def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return not (name or "").startswith(unmodelled)

    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    with warnings.catch_warnings():
        # SQLite's reflection cannot read an index on an expression, and says so; it is left out above anyway.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index "
                                "ix_source_aliases_last_word", category=SAWarning)
        return compare_metadata(context, Base.metadata)
