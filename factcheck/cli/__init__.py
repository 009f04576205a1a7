"""The ``factcheck`` command. Commands call services, then commit once."""

from __future__ import annotations

import importlib
import importlib.util

import click

from factcheck.cli.db import db_group
from factcheck.cli.serve import seed_command, serve_command
from factcheck.cli.users import users_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
def main() -> None:
    """factcheck: turn articles into check items, review verdicts, publish reports."""


main.add_command(db_group)
main.add_command(users_group)
main.add_command(seed_command)
main.add_command(serve_command)

#: Command modules of each area; each defines the Click commands or groups named after it.
AREA_COMMANDS = (
    ("extract", "extract_command"),
    ("ingest", "ingest_command"),
    ("imports", "import_group"),
    ("sources", "sources_group"),
    ("reports", "report_command"),
    ("backup", "export_command"),
)


def _add_area_commands() -> None:
    for module_name, attribute in AREA_COMMANDS:
        qualified = f"factcheck.cli.{module_name}"
        if importlib.util.find_spec(qualified) is not None:
            main.add_command(getattr(importlib.import_module(qualified), attribute))


_add_area_commands()
