"""``factcheck report ARTICLE_ID``: an article's verdict report for scripts (JSON, CSV or HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from flask import render_template, url_for

from factcheck.cli.common import fail, make_app
from factcheck.db import write_intent
from factcheck.queries.reports import article_exists, article_report, report_as_dict, report_csv


def _inline_stylesheets(html: str, static_folder: str) -> str:
    """Put the linked stylesheets into the page, so a saved report looks right on its own."""

    def inline(match: re.Match[str]) -> str:
        name, media = match.group("name"), match.group("media")
        path = Path(static_folder) / name
        if not path.is_file():
            return match.group(0)
        css = path.read_text(encoding="utf-8").replace("</", "<\\/")
        return f'<style{f" media={media}" if media else ""}>\n{css}\n</style>'

    return re.sub(r'<link rel="stylesheet" href="/static/(?P<name>[\w.-]+\.css)"(?: media=(?P<media>"\w+"))?>',
                  inline, html)


@click.command("report")
@click.argument("article_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json", show_default=True,
              help="JSON and CSV carry the same columns as the web downloads; HTML is the printable page.")
@click.option("--drafts", is_flag=True, help="Include proposed verdicts under review (marked as drafts).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def report_command(article_id: int, fmt: str, drafts: bool, output: Path | None) -> None:
    """Print ARTICLE_ID's verdict report: published verdicts only unless --drafts is given."""
    app = make_app()
    token = write_intent.set(False)  # only reads
    try:
        # Links in the report are built under the organisation's public address (when it is set).
        with app.test_request_context(base_url=app.config["ORGANISATION_URL"] or None):
            session = app.extensions["factcheck.db"].sessionmaker()
            try:
                report = article_report(session, article_id, include_drafts=drafts)
                if report is None:
                    if not article_exists(session, article_id):
                        raise fail(f"There is no article #{article_id}.")
                    raise fail(f"Article #{article_id} has no published verdict, so it has no public report; "
                               "add --drafts for the staff report.")
                if fmt == "json":
                    verdict_url = lambda item_id: url_for("verdicts.show", item_id=item_id, _external=True)  # noqa: E731
                    text = json.dumps(report_as_dict(report, verdict_url), ensure_ascii=False, indent=2) + "\n"
                elif fmt == "csv":
                    text = report_csv(report)
                else:
                    text = _inline_stylesheets(render_template("reports/article.html", report=report),
                                               app.static_folder or "")
            finally:
                session.close()
    finally:
        write_intent.reset(token)
        app.extensions["factcheck.db"].dispose()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise fail(f"Cannot write {output}: {exc.strerror or exc}.") from None
    click.echo(f"Wrote the report of article #{article_id} to {output}.", err=True)
