"""Benchmark: import all of LIAR (12,836 statements) into a fresh SQLite database, then read scores.

Usage: python bench/import_speed.py [--data ../shared/data/liar] [--database-url URL]

Prints the seconds taken to import (one transaction per file, as ``factcheck import liar`` does),
to import everything again (idempotent: nothing is added), to list the sources sorted by score,
and to read one source's record and score.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck import migrate  # noqa: E402
from factcheck.db import Database  # noqa: E402
from factcheck.interchange.liar import read_liar  # noqa: E402
from factcheck.queries.sources import source_list  # noqa: E402
from factcheck.standings import standing  # noqa: E402
from factcheck.services.imports import import_liar_rows  # noqa: E402
from factcheck.services.sources import find_source  # noqa: E402

FILES = ("train.tsv", "valid.tsv", "test.tsv")


def import_all(db: Database, folder: Path) -> tuple[float, int, int]:
    """Import the three files, each in its own transaction; return seconds, imported, skipped."""
    started = time.perf_counter()
    imported = skipped = 0
    for name in FILES:
        with db.sessionmaker() as session:
            report = import_liar_rows(session, read_liar(folder / name), actor=None)
            session.commit()
        imported += report.imported
        skipped += report.skipped
    return time.perf_counter() - started, imported, skipped


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "liar")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database(url)
        seconds, imported, _ = import_all(db, args.data)
        print(f"import LIAR: {imported} statements in {seconds:.1f} s ({imported / seconds:.0f} rows/s)")
        seconds, _, skipped = import_all(db, args.data)
        print(f"import again: {skipped} already there, nothing added, in {seconds:.1f} s")
        with db.sessionmaker() as session:
            started = time.perf_counter()
            page = source_list(session, sort="score")
            print(f"source list by score: {page.total} sources, first page in "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms")
            started = time.perf_counter()
            result = standing(session, find_source(session, "chain-email"))
            print(f"chain-email: score {result.score.mean:.3f} [{result.score.low:.3f}, {result.score.high:.3f}] "
                  f"from {result.published} verdicts, read in {(time.perf_counter() - started) * 1000:.1f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
