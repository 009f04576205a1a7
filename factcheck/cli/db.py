"""``factcheck db``: schema migrations (Alembic is the only schema authority)."""

from __future__ import annotations

from collections.abc import Callable

import click

from factcheck import migrate
from factcheck.config import default_database_url


@click.group("db")
def db_group() -> None:
    """Create and migrate the database (FACTCHECK_DATABASE_URL, default: instance/ SQLite)."""


def _migrating(step: Callable[[str, str], None], revision: str) -> None:
    """Migrate to ``revision``; a revision Alembic does not know is a plain error."""
    from alembic.util import CommandError

    try:
        step(default_database_url(), revision)
    except CommandError as exc:
        raise click.ClickException(f"{exc} (`factcheck db --help`; the newest is {migrate.head_revision()}).") from None


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    _migrating(migrate.upgrade, revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    _migrating(migrate.downgrade, revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("keep-similarities")
@click.option("--batch", default=200, show_default=True, type=click.IntRange(1, 10_000),
              help="Items matched per transaction.")
def keep_similarities_command(batch: int) -> None:
    """Match every open item whose closest-match similarity is not kept yet, and keep it.

    An item's priority reads that similarity; it is kept with the item once computed. Items stored before it
    was kept have none, and the first publication for a claimant with many of them would match them all inside
    the reviewer's request: run this once after upgrading (it can run while the desk works).
    """
    from factcheck.cli.common import make_app, unit_of_work
    from factcheck.services.sources import fill_match_similarities

    app = make_app(web=False)
    total = 0
    while True:
        with unit_of_work(app) as session:
            done = fill_match_similarities(session, batch)
        total += done
        if done < batch:
            break
    click.echo(f"Kept the similarity of {total} open item{'s' if total != 1 else ''}.")
