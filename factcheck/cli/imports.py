"""``factcheck import``: archives of published verdicts (LIAR TSV, ClaimReview JSON-LD/TSV/CSV).

Each file is one transaction: it is imported whole or, on any unexpected error, not at all.
Rejected rows (an unknown label, a field too long for its column, a number out of range, a value of
the wrong shape) are listed with their line and reason and the other rows are imported; a file that
cannot be read at all is named with the reason on one line, nothing of it is imported, and the
command exits with status 1. A progress bar goes to standard error.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factcheck.cli.common import database_said, fail, make_app, unit_of_work
from factcheck.domain.workflow import WorkflowError
from factcheck.interchange.claimreview_import import default_normaliser, read_claimreview
from factcheck.interchange.liar import read_liar
from factcheck.models import User
from factcheck.services.errors import ServiceError
from factcheck.services.imports import ImportReport, import_claimreview_records, import_liar_rows


@click.group("import")
def import_group() -> None:
    """Import archives of published verdicts."""


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def _actor(session: Session, email: str | None) -> User | None:
    if not email:
        return None
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise fail(f"No user has the email {email}.")
    return user


def _run(
    paths: list[Path],
    actor_email: str | None,
    importer: Callable[[Session, Path, User | None, Callable[[int], None]], ImportReport],
    length: Callable[[Path], int],
) -> None:
    """Import each file in its own transaction, report per file, and fail if any file failed."""
    app = make_app()
    failed = []
    totals = ImportReport()
    for path in paths:
        try:
            with unit_of_work(app) as session:
                actor = _actor(session, actor_email)
                with click.progressbar(length=length(path), label=f"Importing {path.name}", file=sys.stderr) as bar:
                    report = importer(session, path, actor, bar.update)
        except UnicodeDecodeError:
            failed.append(f"{path}: not UTF-8 text; nothing from it was imported.")
            continue
        except OSError as exc:
            failed.append(f"{path}: cannot be read ({exc.strerror or exc}); nothing from it was imported.")
            continue
        except (ServiceError, WorkflowError, ValueError, csv.Error) as exc:
            failed.append(f"{path}: {exc}; nothing from it was imported.")
            continue
        except IntegrityError as exc:  # the database refused a row: a change made at the same moment (another import)
            failed.append(f"{path}: not imported: somebody changed what it names at the same moment "
                          f"({database_said(exc)}). Nothing from it was imported; import the file again.")
            continue
        for rejected in report.rejected:
            click.echo(f"rejected {path.name}:{rejected.line}: {rejected.reason}")
        click.echo(report.summary(str(path)))
        totals.imported += report.imported
        totals.skipped += report.skipped
        totals.rejected.extend(report.rejected)
    if len(paths) > 1:
        click.echo(totals.summary("all files"))
    if failed:
        raise fail("\n".join(failed))


def _liar(session: Session, path: Path, actor: User | None, progress: Callable[[int], None]) -> ImportReport:
    return import_liar_rows(session, read_liar(path), actor=actor, progress=progress)


@import_group.command("liar")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--as", "actor_email", metavar="EMAIL", help="Record the import as done by this user.")
def liar_command(files: tuple[Path, ...], actor_email: str | None) -> None:
    """Import PolitiFact-style TSV files in the LIAR format (14 columns, no header).

    Speakers become sources (the slug, e.g. chain-email, is kept as an alias), statements become
    published items with their verdicts, and the speakers' records are updated. Importing a file
    again changes nothing.
    """
    _run(list(files), actor_email, _liar, _count_lines)


def _claimreview(session: Session, path: Path, actor: User | None, progress: Callable[[int], None]) -> ImportReport:
    records = read_claimreview(path)
    return import_claimreview_records(session, records, actor=actor, normaliser=default_normaliser(),
                                      progress=progress)


@import_group.command("claimreview")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--as", "actor_email", metavar="EMAIL", help="Record the import as done by this user.")
def claimreview_command(files: tuple[Path, ...], actor_email: str | None) -> None:
    """Import ClaimReview files: JSON-LD (an object, a list, or a feed) or TSV/CSV with a header row.

    Rating labels are normalised ('Falso' and 'falso' are the same verdict); numeric ratings follow
    the publisher's own scale where it is known. Rows that cannot be mapped are listed with reasons.
    Importing a file again changes nothing.
    """
    _run(list(files), actor_email, _claimreview, lambda path: max(0, _count_lines(path) - 1))
