"""The ``factcheck`` command. Commands call services, then commit once."""

from __future__ import annotations

import click

from factcheck.cli.backup import export_command, import_backup_command
from factcheck.cli.checkworthy import checkworthy_command
from factcheck.cli.db import db_group
from factcheck.cli.extract import extract_command
from factcheck.cli.imports import import_group
from factcheck.cli.ingest import ingest_command
from factcheck.cli.match import match_command
from factcheck.cli.mail import mail_group
from factcheck.cli.notifications import notifications_group
from factcheck.cli.reports import report_command
from factcheck.cli.serve import seed_command, serve_command
from factcheck.cli.sources import sources_group
from factcheck.cli.submissions import submissions_group
from factcheck.cli.tokens import tokens_group
from factcheck.cli.users import users_group
from factcheck.cli.webhooks import webhooks_group
from factcheck.cli.worker import worker_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
def main() -> None:
    """factcheck: turn articles into check items, review verdicts, publish reports."""


import_group.add_command(import_backup_command)
main.add_command(checkworthy_command)
for command in (db_group, users_group, seed_command, serve_command, extract_command, match_command, ingest_command,
                import_group, sources_group, report_command, export_command, worker_command, mail_group,
                notifications_group, submissions_group, tokens_group, webhooks_group):
    main.add_command(command)
