"""``factcheck tokens``: personal API tokens from the command line.

A token's name is unique per account, so a token is named by the account's email and its name:
``factcheck tokens revoke NAME --email EMAIL``.
"""

from __future__ import annotations

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.domain.accounts import TokenScope
from factcheck.services import tokens as token_service
from factcheck.services.errors import ServiceError
from factcheck.services.users import get_user_by_email


@click.group("tokens")
def tokens_group() -> None:
    """Make and revoke personal API tokens."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for; unique among the account's tokens.")
@click.option("--scope", type=click.Choice([s.value for s in TokenScope]), required=True,
              help="read: GET only; write: also take, add evidence, propose, vote and add articles.")
@click.option("--expires-days", type=click.IntRange(1, token_service.MAX_DAYS), default=token_service.DEFAULT_DAYS,
              show_default=True, help="Days until the token stops working.")
def create_command(email: str, name: str, scope: str, expires_days: int) -> None:
    """Make a token for EMAIL's account and print it once (only its hash is kept)."""
    app = make_app()
    try:
        with unit_of_work(app) as session:
            user = get_user_by_email(session, email)
            row, secret = token_service.create_token(session, user, name=name, scope=scope,
                                                     expires_days=expires_days)
            expires = row.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    except ServiceError as exc:
        raise fail(str(exc)) from None
    click.echo(secret)
    click.echo(f"Token “{name}” ({scope}) for {email}, valid until {expires}. It is shown only now: "
               "keep it somewhere safe.", err=True)


@tokens_group.command("revoke")
@click.argument("name")
@click.option("--email", required=True, help="The account the token belongs to (names are unique per account).")
def revoke_command(name: str, email: str) -> None:
    """Revoke the token NAME of the account EMAIL."""
    app = make_app()
    try:
        with unit_of_work(app) as session:
            user = get_user_by_email(session, email)
            token_service.revoke_token(session, user.id, name)
    except ServiceError as exc:
        raise fail(str(exc)) from None
    click.echo(f"Revoked token “{name}” of {email}.")
