"""``factcheck notifications digest``: mail each person their daily digest (run it once a day, from cron)."""

from __future__ import annotations

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.config import setting
from factcheck.services.notifications import send_digests


@click.group("notifications")
def notifications_group() -> None:
    """Notifications of the desk."""


@notifications_group.command("digest")
def digest_command() -> None:
    """Write one mail per person with the notifications kept for their daily digest (then `factcheck mail send`)."""
    app = make_app()
    base_url = str(setting(app.config, "BASE_URL"))
    if not base_url.startswith(("http://", "https://")):
        raise fail("FACTCHECK_BASE_URL is not set (for example https://desk.example.org): the digest's links "
                   "must be absolute. Nothing was sent.")
    with unit_of_work(app) as session:
        mails = send_digests(session, base_url, str(setting(app.config, "ORGANISATION_NAME")))
    click.echo(f"Wrote {mails} digest mail{'' if mails == 1 else 's'} to the outbox.")
