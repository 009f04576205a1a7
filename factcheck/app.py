"""The application factory."""

from __future__ import annotations

import gc
import logging
from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from types import TracebackType
from typing import Any, TextIO, cast

from flask import Flask
from flask.logging import wsgi_errors_stream
from flask.templating import Environment

from factcheck.config import from_environment, instance_path, setting
from factcheck.db import Database
from factcheck.resources import PACKAGE_DIR, resource_dir

#: Every line the ``factcheck`` logger writes: a timestamp and level, then the event's key=value fields.
LOG_FORMAT = "ts=%(asctime)s level=%(levelname)s %(message)s"
#: The timestamp without spaces (ISO 8601), so that it too is one key=value field.
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class _TemplateGlobals(ChainMap[str, Any]):
    """A template's globals (Jinja's ChainMap over the environment's) whose ``keys()`` is a set: Jinja takes
    ``globals_keys - globals.keys()`` at every ``{% from … import … %}``, which through a ChainMap's view tests
    each of some forty names in Python (about 20 µs an import, four or five imports on the item page)."""

    def keys(self) -> set[str]:  # type: ignore[override]  # a set where Jinja only subtracts it from a set
        return set().union(*self.maps)


class _TemplateEnvironment(Environment):
    """Flask's Jinja environment, each template's globals a ``_TemplateGlobals``."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _TemplateGlobals(d if d is not None else {}, self.globals)


class FactcheckFlask(Flask):
    """Flask, with an unexpected exception logged as one key=value line like every other event."""

    jinja_environment = _TemplateEnvironment

    def log_exception(
        self, exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None]
    ) -> None:
        """Log the exception behind a 500 (``event=error``, its traceback escaped onto the line)."""
        from factcheck.web.errors import log_error

        if exc_info[1] is not None:
            log_error(exc_info[1])


def configure_logging() -> logging.Logger:
    """Give the ``factcheck`` logger one handler writing a line per record to the server's error stream.

    Idempotent: every app built in one process shares the logger, and a second handler would
    write each line twice. Records still propagate, so a host that configures the root logger
    (or pytest's ``caplog``) sees them too.
    """
    logger = logging.getLogger("factcheck")
    if not any(getattr(handler, "is_factcheck_handler", False) for handler in logger.handlers):
        handler = logging.StreamHandler(cast(TextIO, wsgi_errors_stream))  # a proxy to the request's stream
        handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT))
        setattr(handler, "is_factcheck_handler", True)
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return logger


def create_app(test_config: Mapping[str, Any] | None = None, *, web: bool = True) -> Flask:
    """Build the Flask app: settings from the environment, then ``test_config`` on top.

    ``web=False``: settings and database only, no pages, API or sign-in (a command that serves nothing, such
    as ``factcheck ingest``: the web's modules take about a second to import).
    The schema is never created or migrated here: run ``factcheck db upgrade`` (Alembic).
    """
    configure_logging()  # before Flask first reads app.logger, so it adds no handler of its own
    app = FactcheckFlask(
        "factcheck",
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(instance_path()),
    )
    app.config.from_mapping(from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["factcheck.db"] = Database(app.config["DATABASE_URL"])
    if not web:
        return app

    from factcheck import web as pages

    pages.init_app(app)
    hops = int(setting(app.config, "PROXY_HOPS"))
    if hops > 0:  # the client's address and scheme as the proxies in front of the app saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        wrapped = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
        app.wsgi_app = wrapped  # type: ignore[method-assign]  # typed as a method; Flask's docs wrap it so
    return app


def settle_for_serving() -> None:
    """Once the app is loaded, before a server starts answering (gunicorn's master, with ``--preload``, before
    it forks its workers): what was loaded so far (modules, templates, the app) is kept out of the cyclic
    garbage collector's passes (``gc.freeze``).

    Those objects live as long as the process, yet every full pass walked all of them: one took about 170 ms
    on the 2-core machine, a stall for whichever request it fell in; it now walks only what came after.
    Frozen objects are also no longer written by the collector, so forked workers keep sharing their pages
    with the master.
    """
    gc.collect()  # what is garbage already is freed, not frozen
    gc.freeze()


#: How many new objects start a pass of the cyclic collector in a batch (700 by default).
BATCH_COLLECTION_THRESHOLD = 10_000


def settle_for_batch() -> None:
    """Before a long command's loop (``factcheck ingest`` of many files), once what it needs is loaded: that is
    kept out of the collector's passes, as ``settle_for_serving`` keeps it, and the collector starts a pass
    every ``BATCH_COLLECTION_THRESHOLD`` new objects instead of every 700.

    A batch makes many short-lived objects (rows, statements, scores) and few cycles, while its caches (analysed
    claims, kept counts) grow: in an ingest of 84 articles the collector's passes took about 9 % of the CPU,
    and about 3 % after this.
    """
    settle_for_serving()
    gc.set_threshold(BATCH_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
