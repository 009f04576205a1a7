"""``factcheck users``: accounts from the command line."""

from __future__ import annotations

import sys

import click

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.domain.workflow import Role
from factcheck.services.errors import ServiceError
from factcheck.services import twofactor
from factcheck.services.users import create_user, get_user_by_email, set_active, set_password, set_roles


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
@click.option("--name", "display_name", help="The name others see (default: the email's local part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, roles: tuple[str, ...], display_name: str | None, password_stdin: bool) -> None:
    """Create a user with one or more roles."""
    password = _read_password(password_stdin)
    app = make_app()
    try:
        with unit_of_work(app) as session:
            user = create_user(session, email, password, roles, display_name=display_name,
                               hash_method=app.config["PASSWORD_HASH_METHOD"])
            click.echo(f"Created user {user.email} with roles {', '.join(sorted(r.value for r in user.roles))}.")
    except ServiceError as exc:
        raise fail(str(exc)) from None


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_group.command("roles")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles; replaces the current ones.")
def roles_command(email: str, roles: tuple[str, ...]) -> None:
    """Replace a user's roles (the last admin keeps the admin role)."""
    try:
        with unit_of_work(make_app()) as session:
            user = set_roles(session, get_user_by_email(session, email).id, roles, actor=None)
            click.echo(f"Roles of {user.email}: {', '.join(sorted(r.value for r in user.roles))}.")
    except ServiceError as exc:
        raise fail(str(exc)) from None


@users_group.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Stop a user from signing in (the last admin cannot be disabled)."""
    _set_active(email, False)


@users_group.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Let a disabled user sign in again."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    try:
        with unit_of_work(make_app()) as session:
            user = set_active(session, get_user_by_email(session, email).id, active, actor=None)
            click.echo(f"{user.email} is {'enabled' if active else 'disabled'}.")
    except ServiceError as exc:
        raise fail(str(exc)) from None


@users_group.command("passwd")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def passwd_command(email: str, password_stdin: bool) -> None:
    """Set a new password for a user; every session of the account ends."""
    password = _read_password(password_stdin)
    app = make_app()
    try:
        with unit_of_work(app) as session:
            user = set_password(session, get_user_by_email(session, email).id, password, actor=None,
                                hash_method=app.config["PASSWORD_HASH_METHOD"], how="command line")
            click.echo(f"New password set for {user.email}; its sessions have ended.")
    except ServiceError as exc:
        raise fail(str(exc)) from None


@users_group.command("reset-2fa")
@click.argument("email")
def reset_twofactor_command(email: str) -> None:
    """Remove a user's second factor (a lost phone); they set up a new one at their next sign-in."""
    try:
        with unit_of_work(make_app()) as session:
            user = twofactor.reset(session, get_user_by_email(session, email).id, actor=None)
            click.echo(f"The second factor of {user.email} is removed; its sessions have ended.")
    except ServiceError as exc:
        raise fail(str(exc)) from None
