"""Helpers shared by commands: the app, a unit of work, reading an input file, and plain-words errors."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session


def make_app(*, web: bool = True) -> Flask:
    """The application, configured from the environment; ``web=False``: without its pages and API, for a
    command that only stores or reads (``app.create_app``)."""
    from factcheck.app import create_app

    return create_app(web=web)


def unit_of_work(app: Flask) -> AbstractContextManager[Session]:
    """A session that commits when the block succeeds and rolls back otherwise: the same unit of work as
    background jobs use (readers' answer mails told what they need, webhooks queued after commit).
    (Imported when used: a command that needs no database, such as ``factcheck extract``, starts without it.)"""
    from factcheck import jobs

    return jobs.unit_of_work(app)


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
