"""``factcheck match``: rank checked claims for each query text, without touching the database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from factcheck.interchange.files import read_bounded
from factcheck.domain.ranking import ClaimIndex

#: The largest TSV file read (a claims archive of a few hundred thousand rows fits).
MAX_TSV_BYTES = 200 * 1024 * 1024


class MatchInputError(click.ClickException):
    """An unreadable TSV file: printed as 'Error: …' with exit status 2, never a traceback."""

    exit_code = 2


def read_tsv(path: str) -> list[tuple[str, str]]:
    """``(id, text)`` rows of a TSV file with a header line; columns after the second are ignored.

    Quotes are not special (claims quote people: ``"A ""law"" was passed"`` is read as written).
    """
    data = read_bounded(path, MAX_TSV_BYTES, MatchInputError)
    if len(data) > MAX_TSV_BYTES:
        raise MatchInputError(f"{path} is larger than {MAX_TSV_BYTES // (1024 * 1024)} MB.")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MatchInputError(f"{path} is not UTF-8 text (byte {error.start} cannot be read).") from None
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    reader = csv.reader(io.StringIO(content, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=1):
        if number == 1 or not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip():
            raise MatchInputError(f"{path}, line {number}: expected an id, a tab and a text.")
        row_id = row[0].strip()
        if row_id in seen:
            raise MatchInputError(f"{path}, line {number}: the id {row_id} appears twice.")
        seen.add(row_id)
        rows.append((row_id, row[1]))
    if not rows:
        raise MatchInputError(f"{path} has no rows after its header line.")
    return rows


@click.command("match")
@click.argument("queries", metavar="QUERIES.tsv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--against", "claims", metavar="CLAIMS.tsv", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The checked claims: id<TAB>text.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 1000),
              help="How many claims to print per query.")
def match_command(queries: Path, claims: Path, top: int) -> None:
    """Print the claims each query most likely repeats: query_id, claim_id, rank, score (tab-separated).

    The ranking is the one the item page's "Similar earlier claims" uses; the score orders the
    matches (higher is better). Both files have a header line and rows of id<TAB>text.
    """
    index = ClaimIndex(read_tsv(str(claims)))
    lines = []
    for query_id, text in read_tsv(str(queries)):
        for ranked in index.search(text, top):
            lines.append(f"{query_id}\t{ranked.claim_id}\t{ranked.rank}\t{ranked.score.rank:.4f}")
    if lines:
        click.echo("\n".join(lines))
