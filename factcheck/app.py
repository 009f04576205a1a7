"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from factcheck.config import from_environment, instance_path
from factcheck.db import Database
from factcheck.resources import PACKAGE_DIR, resource_dir


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings from the environment, then ``test_config`` on top.

    The schema is never created or migrated here: run ``factcheck db upgrade`` (Alembic).
    """
    app = Flask(
        "factcheck",
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(instance_path()),
    )
    app.config.from_mapping(from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["factcheck.db"] = Database(app.config["DATABASE_URL"])

    from factcheck import web

    web.init_app(app)
    return app
