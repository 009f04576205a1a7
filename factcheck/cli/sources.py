"""``factcheck sources``: a source's record and score, for people and for scripts."""

from __future__ import annotations

import json

import click
from sqlalchemy.orm import Session

from factcheck.cli.common import fail, make_app, unit_of_work
from factcheck.models import Source
from factcheck.queries.items import search_sources
from factcheck.standings import Standing, standing
from factcheck.services.errors import ServiceError
from factcheck.services.sources import find_sources, source_id_ref


@click.group("sources")
def sources_group() -> None:
    """Look at sources and their track records."""


def standing_to_dict(result: Standing) -> dict[str, object]:
    """The JSON form of a source's record and score."""
    source, score = result.source, result.score
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind.value,
        "domain": source.domain,
        "aliases": [alias.name for alias in source.aliases],
        "record": {
            "claimant": {line.rating.key: line.claimant for line in result.lines if line.claimant},
            "relay": {line.rating.key: line.relay for line in result.lines if line.relay},
        },
        "published": result.published,
        "prior": {"alpha": round(score.prior.alpha, 6), "beta": round(score.prior.beta, 6), "origin": score.prior.origin},
        "score": {
            "mean": round(score.mean, 6),
            "interval": [round(score.low, 6), round(score.high, 6)],
            "mass": 0.9,
            "alpha": round(score.alpha, 6),
            "beta": round(score.beta, 6),
        },
    }


def _text(result: Standing) -> str:
    source, score = result.source, result.score
    lines = [
        f"{source.name} (#{source.id}, {source.kind.value}{', ' + source.domain if source.domain else ''})",
        "also known as: " + ", ".join(alias.name for alias in source.aliases),
        f"score: {score.mean:.2f}, 90% interval [{score.low:.2f}, {score.high:.2f}] "
        f"from {score.claimant_n} verdicts as claimant and {score.relay_n} as relay; "
        f"prior {score.prior.origin} Beta({score.prior.alpha:.2f}, {score.prior.beta:.2f})",
        f"{'rating':<16}{'as claimant':>12}{'as relay':>10}",
    ]
    for line in result.lines:
        lines.append(f"{line.rating.label:<16}{line.claimant:>12}{line.relay:>10}")
    return "\n".join(lines)


@sources_group.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(name: str, fmt: str) -> None:
    """Print the record (per rating, as claimant and as relay), score and interval of the source NAME.

    NAME is found as the source picker finds it: any of the source's names, aliases or spelling
    variants (a LIAR speaker slug such as chain-email works), a person's surname ("Putin"), or #ID.
    When NAME fits several sources they are listed, with their ids, and nothing is shown.
    """
    app = make_app()
    with unit_of_work(app) as session:
        try:
            source = _resolve(session, name)
        except ServiceError as exc:  # e.g. a circle of merges in damaged data
            raise fail(str(exc)) from None
        result = standing(session, source)
        if fmt == "json":
            click.echo(json.dumps(standing_to_dict(result), ensure_ascii=False, indent=2))
        else:
            click.echo(_text(result))


def _resolve(session: Session, name: str) -> Source:
    """The one source NAME means, or a plain error listing the candidates (or close names)."""
    try:
        source_id = source_id_ref(name, bare=False)
    except ServiceError as exc:
        raise fail(str(exc)) from None
    if source_id is not None:
        source = session.get(Source, source_id)
        if source is None:
            raise fail(f"There is no source #{source_id}.")
        return source
    matches = find_sources(session, name)
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "\n".join(f"  #{s.id}  {s.name} ({s.kind.value})" for s in matches)
        raise fail(f"“{name}” fits {len(matches)} sources; run the command again with one of their ids "
                   f"(for example #{matches[0].id}):\n{listed}")
    close = search_sources(session, name, limit=5)
    hint = ("\nClose names: " + ", ".join(f"{hit.name} (#{hit.id})" for hit in close)) if close else ""
    raise fail(f"No source is called “{name}”.{hint}")
