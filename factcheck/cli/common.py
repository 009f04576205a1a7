"""Helpers shared by commands: the app, a unit of work, reading an input file, and plain-words errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask
from sqlalchemy.orm import Session

from factcheck.db import session_scope
from factcheck.jobs import after_commit


def make_app() -> Flask:
    """The application, configured from the environment."""
    from factcheck.app import create_app

    return create_app()


@contextmanager
def unit_of_work(app: Flask) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back otherwise."""
    from factcheck.config import setting
    from factcheck.services.answers import tell_session

    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        tell_session(session, base_url=str(setting(app.config, "BASE_URL")),
                     erase_days=int(setting(app.config, "READER_ADDRESS_DAYS")))
        yield session
    after_commit(app, session)  # webhooks the command's change recorded are queued for delivery


def fail(message: str) -> click.ClickException:
    """An error for the terminal: 'Error: message', exit status 1, no traceback."""
    return click.ClickException(message)


def read_bounded(path: str, limit: int, error: type[Exception]) -> bytes:
    """The bytes of ``path`` (``-``: standard input), at most ``limit`` + 1 of them so that the caller
    can tell an input over its limit; ``error`` with a plain message when it cannot be read."""
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit + 1)
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise error(f"Cannot read {path}: {exc.strerror or exc}.") from None
