"""The ``factcheck`` command. Commands call services, then commit once."""

from __future__ import annotations

import importlib

import click

#: Each command's name and where it is defined: a command's module (and what it imports, the app and its
#: database code for most) is imported only when that command runs, or when the help lists them all.
COMMANDS = {
    "checkworthy": "factcheck.cli.checkworthy:checkworthy_command",
    "db": "factcheck.cli.db:db_group",
    "users": "factcheck.cli.users:users_group",
    "seed": "factcheck.cli.serve:seed_command",
    "serve": "factcheck.cli.serve:serve_command",
    "extract": "factcheck.cli.extract:extract_command",
    "match": "factcheck.cli.match:match_command",
    "ingest": "factcheck.cli.ingest:ingest_command",
    "import": "factcheck.cli.imports:import_group",
    "sources": "factcheck.cli.sources:sources_group",
    "report": "factcheck.cli.reports:report_command",
    "export": "factcheck.cli.backup:export_command",
    "worker": "factcheck.cli.worker:worker_command",
    "mail": "factcheck.cli.mail:mail_group",
    "notifications": "factcheck.cli.notifications:notifications_group",
    "submissions": "factcheck.cli.submissions:submissions_group",
    "tokens": "factcheck.cli.tokens:tokens_group",
    "webhooks": "factcheck.cli.webhooks:webhooks_group",
}


def _load(name: str) -> click.Command:
    module, attribute = COMMANDS[name].split(":")
    command: click.Command = getattr(importlib.import_module(module), attribute)
    if name == "import" and isinstance(command, click.Group):  # a backup is imported under "import" too
        from factcheck.cli.backup import import_backup_command

        command.add_command(import_backup_command)
    return command


class _Commands(click.Group):
    """The commands of ``COMMANDS``, each imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(_load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        """The command; a database that cannot be reached or was never migrated is said so in plain words."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from factcheck.cli.common import database_said
            from factcheck.config import SettingError

            if isinstance(exc, SettingError):
                raise click.ClickException(str(exc)) from None
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise
            if ctx.invoked_subcommand == "db":  # migrating failed: what the database said, not "migrate first"
                raise click.ClickException(f"The database refused it: {database_said(exc)}") from None
            problem = _database_problem()
            if problem is None:
                raise
            raise click.ClickException(problem) from None


def _database_problem() -> str | None:
    """Why the configured database cannot serve a command (unreachable, never migrated), or None if it can."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from factcheck import migrate
    from factcheck.cli.common import database_said
    from factcheck.config import default_database_url

    url = make_url(default_database_url())
    where = url.render_as_string(hide_password=True)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            current, head = migrate.current_revision(connection), migrate.head_revision()
            if current is None:
                return (f"The database {where} has no factcheck tables yet: run `factcheck db upgrade` first. "
                        "Nothing was changed.")
            if current != head:
                return (f"The database {where} is at revision {current}; this version of factcheck needs {head}: "
                        "run `factcheck db upgrade` first. Nothing was changed.")
    except Exception as exc:  # noqa: BLE001 - reported in one line
        if not type(exc).__module__.startswith("sqlalchemy"):
            raise
        return f"Cannot reach the database {where} (FACTCHECK_DATABASE_URL): {database_said(exc)}"
    finally:
        engine.dispose()
    return None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
def main() -> None:
    """factcheck: turn articles into check items, review verdicts, publish reports."""
