"""``factcheck mail send``: deliver the outbox (from cron, a job queue, or by hand)."""

from __future__ import annotations

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.config import setting
from factcheck.services.errors import ServiceError
from factcheck.services.mail import deliver_due


@click.group("mail")
def mail_group() -> None:
    """The mail outbox."""


@mail_group.command("send")
def send_command() -> None:
    """Send the mails that are due over FACTCHECK_SMTP_URL (retries later what fails)."""
    app = make_app()
    smtp_url = str(setting(app.config, "SMTP_URL"))
    if not smtp_url:
        raise fail("FACTCHECK_SMTP_URL is not set: mails stay in the outbox, where admins can read them.")
    try:
        report = deliver_due(lambda: unit_of_work(app), smtp_url, str(setting(app.config, "MAIL_FROM")),
                             max_attempts=int(setting(app.config, "MAIL_MAX_ATTEMPTS")))
    except ServiceError as exc:
        raise fail(str(exc)) from None
    click.echo(f"Sent {report.sent}; {report.retrying} to try again later; {report.failed} failed for good.")
