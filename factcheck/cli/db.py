"""``factcheck db``: schema migrations (Alembic is the only schema authority)."""

from __future__ import annotations

import click

from factcheck import migrate
from factcheck.config import default_database_url


@click.group("db")
def db_group() -> None:
    """Create and migrate the database (FACTCHECK_DATABASE_URL, default: instance/ SQLite)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(default_database_url(), revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    migrate.downgrade(default_database_url(), revision)
    click.echo(f"Database is at {revision}.")
