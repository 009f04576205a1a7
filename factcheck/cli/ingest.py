"""``factcheck ingest``: store articles and their check items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.interchange.htmltext import ArticleInputError, decode_article
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.ingest import ingest_article


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The article's title (default: its first line).")
@click.option("--url", help="Where the article was published.")
@click.option("--outlet", help="The outlet that published it (a source).")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), help="Publication date, YYYY-MM-DD.")
def ingest_command(paths: tuple[Path, ...], title: str | None, url: str | None, outlet: str | None,
                   published: dt.datetime | None) -> None:
    """Ingest .txt or .html articles: each becomes an article with its check items, in one transaction."""
    app = make_app()
    failures = 0
    for path in paths:
        try:
            text = decode_article(path.read_bytes(), path.name)
            with unit_of_work(app) as session:
                result = ingest_article(session, text, actor=None, title=title, url=url, outlet=outlet,
                                        published_on=published.date() if published else None)
                click.echo(f"{path}: article #{result.article.id}, {len(result.items)} check items, "
                           f"{result.dropped} boilerplate passages dropped.")
        except Duplicate as exc:
            click.echo(f"{path}: {exc}")
        except (ArticleInputError, ServiceError) as exc:
            failures += 1
            click.echo(f"{path}: {exc}", err=True)
    if failures:
        raise fail(f"{failures} of {len(paths)} files could not be ingested; nothing was stored for them.")
