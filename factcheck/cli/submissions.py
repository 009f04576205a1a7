"""``factcheck submissions purge``: erase readers' addresses that are past their time (run it daily, from cron)."""

from __future__ import annotations

import datetime as dt

import click

from factcheck.cli.common import make_app, unit_of_work
from factcheck.config import setting
from factcheck.services.answers import purge_addresses
from factcheck.services import throttle
from factcheck.services.submissions import FORM_VALID_SECONDS, USED_FORM_PREFIX


@click.group("submissions")
def submissions_group() -> None:
    """Readers' claims from the public inbox."""


@submissions_group.command("purge")
@click.option("--now", "now_text", metavar="ISO-TIME", default=None,
              help="Purge as of this moment (ISO 8601 with a time zone) instead of the present: to check what a "
                   "later run will erase.")
def purge_command(now_text: str | None) -> None:
    """Erase readers' addresses FACTCHECK_READER_ADDRESS_DAYS after their answer (and unanswered ones
    FACTCHECK_READER_UNANSWERED_DAYS after they were given)."""
    now = None
    if now_text:
        try:
            now = dt.datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("give a moment like 2026-12-01T09:00:00+00:00", param_hint="--now") from None
        if now.tzinfo is None:
            raise click.BadParameter("give the time zone too, like 2026-12-01T09:00:00+00:00", param_hint="--now")
        if not 1970 <= now.year <= 9000:  # (a year later than any address's day, earlier than 1970 or past 9000: a slip)
            raise click.BadParameter("give a moment from 1970 to 9000", param_hint="--now")
    app = make_app()
    answered = int(setting(app.config, "READER_ADDRESS_DAYS"))
    unanswered = int(setting(app.config, "READER_UNANSWERED_DAYS"))
    with unit_of_work(app) as session:
        erased = purge_addresses(session, answered_days=answered, unanswered_days=unanswered, now=now)
        throttle.forget_ended(session, USED_FORM_PREFIX, FORM_VALID_SECONDS, now=now)  # forms past their day
    click.echo(f"Erased {erased} reader address{'es' if erased != 1 else ''} "
               f"({answered} days after the answer, {unanswered} days when never answered).")
