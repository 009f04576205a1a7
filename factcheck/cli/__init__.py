"""The ``factcheck`` command. Commands call services, then commit once."""

from __future__ import annotations

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

try:  # the extractor's command arrives with the extraction package
    from factcheck.cli.extract import extract_command
except ImportError:  # pragma: no cover - only while the extraction package is absent
    extract_command = None
if extract_command is not None:
    main.add_command(extract_command)
