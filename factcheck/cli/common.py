"""Helpers shared by commands: the app, a unit of work, and plain-words errors (an input file is read by
``interchange.files.read_bounded``)."""

from __future__ import annotations

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


def database_said(exc: Exception) -> str:
    """The first line of what the database (its driver) said in ``exc``, for a plain message."""
    said = str(getattr(exc, "orig", None) or exc).strip()
    return said.splitlines()[0] if said else type(exc).__name__


def fail(message: str) -> click.ClickException:
    """An error for the terminal: 'Error: message', exit status 1, no traceback."""
    return click.ClickException(message)

