"""``factcheck extract``: print the assertions of articles without touching the database."""

from __future__ import annotations

import json
from typing import Any

import click

from factcheck.interchange.files import read_bounded
from factcheck.domain.extract import Assertion, Extraction, extract
from factcheck.interchange.htmltext import MAX_ARTICLE_BYTES, ArticleInputError, decode_article


class ArticleError(click.ClickException):
    """An unreadable article: printed as 'Error: …' with exit status 2, never a traceback."""

    exit_code = 2


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="JSON as in DESIGN §4, or a listing for people.")
def extract_command(paths: tuple[str, ...], output_format: str) -> None:
    """Find the assertions in articles (files, or - for standard input) and print them."""
    for path in paths:
        text = _read_article(path)
        result = extract(text)
        if output_format == "text":
            click.echo(render_text(result, path if len(paths) > 1 else None))
        elif len(paths) == 1:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps({"path": path, **result.to_dict()}, ensure_ascii=False))


def _read_article(path: str) -> str:
    data = read_bounded(path, MAX_ARTICLE_BYTES, ArticleError)
    try:
        return decode_article(data, "standard input" if path == "-" else path)
    except ArticleInputError as error:
        raise ArticleError(str(error)) from None


def render_text(result: Extraction, heading: str | None = None) -> str:
    """Return a human-readable listing of an extraction."""
    lines: list[str] = [f"== {heading}"] if heading else []
    for assertion in result.assertions:
        lines.extend(_assertion_lines(assertion))
    if result.dropped:
        lines.append("Dropped:")
        lines.extend(f"  [{d.start}-{d.end}] {d.reason}: {_short(d.text)}" for d in result.dropped)
    if not result.assertions:
        lines.append("No assertions found.")
    return "\n".join(lines)


def _assertion_lines(assertion: Assertion) -> list[str]:
    claimant = assertion.claimant
    who = "(article's own voice)" if claimant is None else f"{claimant.name} ({claimant.kind})"
    lines = [f"{assertion.id} [{assertion.start}-{assertion.end}] check-worthiness {assertion.checkworthiness:.2f}",
             f"  {_short(assertion.text, 160)}",
             f"  claimant: {who}"]
    if assertion.chain:
        lines.append("  chain: " + " \u25b8 ".join(f"{link.name} ({link.role})" for link in assertion.chain))
    details: dict[str, Any] = {
        "hedges": ", ".join(assertion.hedges),
        "dates": ", ".join(assertion.dates),
        "relations": ", ".join(f"{r.type} {r.target}" for r in assertion.relations),
    }
    lines.extend(f"  {key}: {value}" for key, value in details.items() if value)
    return lines


def _short(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"
