"""Ingest against extraction of the same articles: what storing costs beyond reading.

Usage: python bench/ingest_speed.py [--data DIR] [--database-url URL] [--rounds N]

Reads every PolNeAR dev text (84 news articles; a synthetic corpus without the data), then, in
interleaved rounds, times ``extract`` of all of them and ``ingest`` of all of them into a fresh
database, one transaction per article as ``factcheck ingest`` does: on SQLite, and with
``--database-url`` on that PostgreSQL database too, side by side (each ingest paired with an
extraction timed just before it, so both see the same load on the machine). Wall time is
reported: what a desk waits for is this process's work plus the database's. Prints each round's
seconds, items per second and the ratio ingest / extract, then the median ratio per database;
the goal is a ratio of at most 3.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._corpus import DEFAULT_DATA, load  # noqa: E402
from bench.extract_speed import synthetic_article  # noqa: E402
from factcheck import migrate  # noqa: E402
from factcheck.db import Database, session_scope  # noqa: E402
from factcheck.domain.extract import extract  # noqa: E402
from factcheck.services.ingest import ingest_article  # noqa: E402


def _texts(data: Path) -> list[str]:
    try:
        return [article.text for article in load(data)]
    except FileNotFoundError:
        rng = random.Random(7)
        return [synthetic_article(rng) for _ in range(84)]


def _fresh_database(url: str | None, folder: Path, round_no: int) -> Database:
    if url is None:
        url = f"sqlite:///{folder / f'ingest-{round_no}.sqlite3'}"
    else:
        with Database(url).engine.begin() as conn:  # the bench empties the database it is given
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    return Database(url)


def _round(texts: list[str], url: str | None, folder: Path, round_no: int) -> tuple[float, float, int, int]:
    """Extraction of all texts, then their ingest into a fresh database: (extract s, ingest s, found, stored)."""
    started = time.perf_counter()
    found = sum(len(extract(text).assertions) for text in texts)
    extract_s = time.perf_counter() - started
    db = _fresh_database(url, folder, round_no)
    started = time.perf_counter()
    stored = 0
    for article in texts:
        with session_scope(db.sessionmaker) as session:
            stored += len(ingest_article(session, article, actor=None).items)
    ingest_s = time.perf_counter() - started
    db.dispose()
    return extract_s, ingest_s, found, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url", help="a PostgreSQL URL to empty and use beside SQLite")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = _texts(args.data)
    databases: dict[str, str | None] = {"SQLite": None}
    if args.database_url:
        databases["PostgreSQL"] = args.database_url
    ratios: dict[str, list[float]] = {name: [] for name in databases}
    with tempfile.TemporaryDirectory() as folder:
        for round_no in range(args.rounds):
            for name, url in databases.items():
                extract_s, ingest_s, found, stored = _round(texts, url, Path(folder), round_no)
                ratios[name].append(ingest_s / extract_s)
                print(f"round {round_no + 1} {name:10s}: extract {extract_s:6.2f} s ({found / extract_s:6.0f} "
                      f"assertions/s)   ingest {ingest_s:6.2f} s ({stored / ingest_s:6.0f} items/s)   "
                      f"ratio {ingest_s / extract_s:5.2f}", flush=True)
    for name, values in ratios.items():
        print(f"{name}: median ratio ingest / extract {statistics.median(values):.2f} over {len(texts)} articles "
              "(goal ≤ 3)")


if __name__ == "__main__":
    main()
