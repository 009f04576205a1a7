"""``factcheck ingest``: store articles and their check items."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.interchange.htmltext import ArticleInputError, decode_article
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.ingest import ingest_article


def _publication_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """YYYY-MM-DD as a date; a well-formed day that does not exist (2024-02-30) is named as such."""
    if value is None:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if match is None:
        raise click.BadParameter(f"{value} is not a date written as YYYY-MM-DD, such as 2024-02-29.")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise click.BadParameter(f"{value} is not a real date.") from None


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The article's title (default: its first line).")
@click.option("--url", help="Where the article was published.")
@click.option("--outlet", help="The outlet that published it (a source).")
@click.option("--published", callback=_publication_date, metavar="YYYY-MM-DD", help="Publication date, YYYY-MM-DD.")
def ingest_command(paths: tuple[Path, ...], title: str | None, url: str | None, outlet: str | None,
                   published: dt.date | None) -> None:
    """Ingest .txt or .html articles: each becomes an article with its check items, in one transaction."""
    app = make_app()
    failures = 0
    for path in paths:
        try:
            text = decode_article(path.read_bytes(), path.name)
            with unit_of_work(app) as session:
                result = ingest_article(session, text, actor=None, title=title, url=url, outlet=outlet,
                                        published_on=published)
                click.echo(f"{path}: article #{result.article.id}, {len(result.items)} check items, "
                           f"{result.dropped} boilerplate passages dropped.")
        except Duplicate as exc:
            click.echo(f"{path}: {exc}")
        except (ArticleInputError, ServiceError) as exc:
            failures += 1
            click.echo(f"{path}: {exc}", err=True)
    if failures:
        raise fail(f"{failures} of {len(paths)} files could not be ingested; nothing was stored for them.")
