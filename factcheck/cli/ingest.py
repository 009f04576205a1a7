"""``factcheck ingest``: store articles and their check items."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import click
from sqlalchemy.exc import IntegrityError

from factcheck.app import settle_for_batch
from factcheck.cli.common import database_said, fail, make_app, unit_of_work
from factcheck.interchange.reading import REFUSALS, read_files
from factcheck.services.errors import Duplicate
from factcheck.services.ingest import ingest_article

#: With more than this many files, the next ones are read in another process while one is written (starting it
#: costs about as much as reading an article or two).
MIN_FILES_TO_READ_AHEAD = 2


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
@click.option("--readers", type=click.IntRange(0, 64), default=None, metavar="N",
              help="Processes that read the next files while one is written (default: one when there are "
                   "more than two files and more than one CPU; 0 reads each file in turn).")
def ingest_command(paths: tuple[Path, ...], title: str | None, url: str | None, outlet: str | None,
                   published: dt.date | None, readers: int | None) -> None:
    """Ingest .txt or .html articles: each becomes an article with its check items, in one transaction."""
    app = make_app(web=False)
    if readers is None:
        readers = 1 if len(paths) > MIN_FILES_TO_READ_AHEAD and (os.cpu_count() or 1) > 1 else 0
    if len(paths) > MIN_FILES_TO_READ_AHEAD:
        settle_for_batch()  # before the readers are forked: they share what it keeps out of the collector's passes
    failures = 0
    for path, read in read_files(paths, readers=readers):
        try:
            if isinstance(read, Exception):
                raise read
            with unit_of_work(app) as session:
                result = ingest_article(session, read, actor=None, title=title, url=url, outlet=outlet,
                                        published_on=published)
                click.echo(f"{path}: article #{result.article.id}, {len(result.item_ids)} check items, "
                           f"{result.dropped} boilerplate passages dropped.")
        except Duplicate as exc:
            click.echo(f"{path}: {exc}")
        except REFUSALS as exc:
            failures += 1
            click.echo(f"{path}: {exc}", err=True)
        except IntegrityError as exc:  # the database refused a row: a change made at the same moment (a merge)
            failures += 1
            click.echo(f"{path}: not stored: somebody changed what it names at the same moment ({database_said(exc)}). "
                       "Nothing was stored for it; ingest the file again.", err=True)
    if failures:
        raise fail(f"{failures} of {len(paths)} files could not be ingested; nothing was stored for them.")
