"""``factcheck seed`` and ``factcheck serve`` (with ``--demo`` for a ready-to-try desk)."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask
from sqlalchemy import select

from factcheck import jobs, migrate
from factcheck.app import settle_for_serving
from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.config import default_database_url, instance_path, is_weak_secret
from factcheck.domain.workflow import Role
from factcheck.interchange.htmltext import ArticleInputError, decode_article
from factcheck.interchange.reading import file_bytes
from factcheck.models import User
from factcheck.resources import resource_dir
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.users import create_user

#: One demo account per role; each gets a random password, printed once when the account is made.
DEMO_USERS = [
    ("checker@demo.factcheck", "A checker", [Role.CHECKER]),
    ("reviewer@demo.factcheck", "A reviewer", [Role.REVIEWER]),
    ("editor@demo.factcheck", "An editor", [Role.EDITOR]),
    ("admin@demo.factcheck", "An admin", [Role.ADMIN]),
]
#: Addresses the demo may listen on without --allow-remote-demo: this machine only.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def load_seeds(app: Flask, directory: Path) -> list[str]:
    """Ingest every .txt/.html file in ``directory`` once; return a line per file for the terminal.

    A JSON file of the same name beside an article (``000_….json``) says what the text itself does not
    carry in a field: ``title``, ``outlet``, ``url``, ``published_on`` (YYYY-MM-DD), each optional.
    """
    from factcheck.services.ingest import ingest_article

    lines = []
    for path in sorted(directory.glob("*")):
        if path.suffix.lower() not in {".txt", ".html", ".htm"} or not path.is_file():
            continue
        try:
            text = decode_article(file_bytes(path), path.name)
            about = _seed_metadata(path)
            with unit_of_work(app) as session:
                result = ingest_article(session, text, actor=None, **about)
                lines.append(f"{path.name}: article #{result.article.id} with {len(result.item_ids)} check items.")
        except Duplicate:
            lines.append(f"{path.name}: already loaded.")
        except (ArticleInputError, ServiceError) as exc:
            lines.append(f"{path.name}: not loaded: {exc}")
    return lines


def _seed_metadata(path: Path) -> dict[str, Any]:
    """The article's fields from its JSON file, if it has one (see ``load_seeds``)."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        raw = json.loads(sidecar.read_text(encoding="utf-8"))
        about: dict[str, Any] = {key: raw[key] for key in ("title", "outlet", "url") if raw.get(key)}
        wrong = [key for key, value in about.items() if not isinstance(value, str)]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} must be text")
        if raw.get("published_on"):
            about["published_on"] = dt.date.fromisoformat(raw["published_on"])
    except (ValueError, TypeError, AttributeError) as exc:
        raise click.ClickException(f"{sidecar.name} is not a seed's description ({exc}): fix or remove it.") from None
    return about


@click.command("seed")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of articles (default: the shipped seeds/).")
def seed_command(directory: Path | None) -> None:
    """Load the seed articles (idempotent: loading twice changes nothing)."""
    app = make_app()
    try:
        for line in load_seeds(app, directory or resource_dir("seeds")):
            click.echo(line)
    except (ServiceError, ValueError) as exc:
        raise fail(str(exc)) from None


def _demo_secret() -> str:
    """A random key kept under instance/ so demo sessions survive restarts."""
    path = instance_path() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_password() -> str:
    """A random password for one demo account (about 96 bits; not a word from any list)."""
    return secrets.token_urlsafe(12)


def _create_demo_users(app: Flask) -> dict[str, str | None]:
    """Make the demo accounts that are missing; each email with its new password (None: it existed)."""
    made: dict[str, str | None] = {}
    with unit_of_work(app) as session:
        for email, name, roles in DEMO_USERS:
            if session.scalars(select(User).where(User.email == email)).first() is None:
                password = demo_password()
                create_user(session, email, password, roles, display_name=name,
                            hash_method=app.config["PASSWORD_HASH_METHOD"])
                made[email] = password
            else:
                made[email] = None
    return made


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Create and migrate the database, load the seeds, add demo users, and "
                                          "run a background-job worker in this process.")
@click.option("--allow-remote-demo", is_flag=True,
              help="Let --demo listen on an address other machines can reach (its accounts are for trying only).")
@click.option("--with-worker", is_flag=True, help="Run a background-job worker in this process (on with --demo).")
def serve_command(host: str, port: int, demo: bool, allow_remote_demo: bool, with_worker: bool) -> None:
    """Serve the web app (a development server; use gunicorn in production)."""
    if demo:
        if host not in LOOPBACK_HOSTS and not allow_remote_demo:
            raise fail(f"--demo listens on this machine only (127.0.0.1), not on {host}: its accounts and data "
                       "are for trying factcheck. Add --allow-remote-demo if others must reach it.")
        if not os.environ.get("SECRET_KEY"):
            os.environ["SECRET_KEY"] = _demo_secret()
        migrate.upgrade(default_database_url())
        app = make_app()
        for line in load_seeds(app, resource_dir("seeds")):
            click.echo(line)
        passwords = _create_demo_users(app)
        click.echo("\nDemo sign-ins (each password is shown this once; "
                   "`factcheck users passwd EMAIL` sets a new one):")
        for email, name, roles in DEMO_USERS:
            password = passwords.get(email)
            click.echo(f"  {roles[0].value:<9} {email:<26} {password or '(made earlier: password shown then)'}")
        click.echo(f"\nOpen http://{host}:{port}/ in a browser.\n")
    else:
        if is_weak_secret(os.environ.get("SECRET_KEY")):
            raise fail(
                "SECRET_KEY is not set (or is a well-known default). Set it to a long random value, "
                "for example:\n  export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')\n"
                "or run `factcheck serve --demo` to try factcheck locally."
            )
        app = make_app()
    if demo and host in ("127.0.0.1", "localhost") and not app.config.get("TRUSTED_HOSTS"):
        # The demo, served on this machine only, answers to this machine's names alone (a page of another site
        # cannot reach it under its own name), so the links it writes, reset links too, are on the address it
        # serves. (A server behind a proxy on this machine may be reached under other names: set them.)
        app.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost"]
    if demo or with_worker:
        jobs.start_in_process(app)
    settle_for_serving()
    app.run(host=host, port=port, threaded=True)
