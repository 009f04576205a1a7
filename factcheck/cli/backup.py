"""``factcheck export FILE`` and ``factcheck import backup FILE``: the whole database as JSON Lines."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from sqlalchemy import Connection

from factcheck.cli.common import fail, make_app
from factcheck.db import write_intent
from factcheck.interchange.backup import BackupError, export_backup, import_backup


def _summary(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    busiest = ", ".join(f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n)
    return f"{total} rows ({busiest or 'no rows'})"


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
def export_command(file: str) -> None:
    """Write the whole database to FILE as a versioned JSON Lines backup ("-" for standard output)."""
    app = make_app()
    db = app.extensions["factcheck.db"]
    token = write_intent.set(False)  # a read: on SQLite it must not take the write lock
    try:
        connection = db.engine.connect()
        if connection.dialect.name == "postgresql":
            # One consistent snapshot of every table, however long the export takes.
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection, connection.begin():
            if file == "-":
                counts = export_backup(connection, sys.stdout)
            else:
                counts = _export_to_file(connection, Path(file))
    except BackupError as exc:
        raise fail(str(exc)) from None
    finally:
        write_intent.reset(token)
        db.dispose()
    if file != "-":
        click.echo(f"Exported {_summary(counts)} to {file}.")


def _export_to_file(connection: Connection, path: Path) -> dict[str, int]:
    """Write to a temporary file beside ``path`` and rename it, so a failed export leaves no half file."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise BackupError(f"The folder {directory} does not exist.")
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=directory,
                                         prefix=f".{path.name}.", delete=False)
    try:
        with handle:
            counts = export_backup(connection, handle)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return counts


@click.command("backup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_backup_command(file: Path) -> None:
    """Load a backup made by `factcheck export` into an empty, migrated database (all or nothing)."""
    app = make_app()
    db = app.extensions["factcheck.db"]
    try:
        with open(file, encoding="utf-8", newline="") as handle, db.engine.begin() as connection:
            counts = import_backup(connection, handle)
    except BackupError as exc:
        raise fail(str(exc)) from None
    except UnicodeDecodeError:
        raise fail("The file is not UTF-8 text, so it is not a factcheck backup. Nothing was imported.") from None
    finally:
        db.dispose()
    click.echo(f"Imported {_summary(counts)} from {file}.")
