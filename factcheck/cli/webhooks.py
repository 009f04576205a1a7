"""``factcheck webhooks deliver``: send the webhook deliveries that are due (from cron, or by hand)."""

from __future__ import annotations

import click

from factcheck.cli.common import make_app
from factcheck.jobs import run_webhook_deliveries


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhook deliveries."""


@webhooks_group.command("deliver")
def deliver_command() -> None:
    """Send every delivery that is due now; what fails is tried again later (the worker schedules it)."""
    run = run_webhook_deliveries(make_app(), schedule=False)
    later = f"; the next is due at {run.next_due_at:%Y-%m-%d %H:%M:%S} UTC" if run.next_due_at else ""
    click.echo(f"Delivered {run.delivered}; {run.retrying} to try again later; {run.failed} given up{later}.")
