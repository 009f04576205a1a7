"""Time a search page on a filled desk, side by side with claim matching on the same database.

    python bench/search_speed.py                       # SQLite, 20,000 items
    python bench/search_speed.py --items 50000 --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database given, which is
migrated and emptied first) with --items check items, one article per 10 items and one source per
10 items with an alias each (bulk inserts through SQLAlchemy Core: the full-text indexes are kept by
the migrations' triggers and generated columns, as in production). Then, in one run and alternating,
times a search page (20 hits, snippets included) for several queries and ``similar_items`` — the
claim matching every new item runs — for the same texts, and prints the medians and their ratio.
Every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = ("harbour ferry minister election budget vaccine border tariff drought flood grain pension school "
         "hospital bridge railway airport refinery pipeline wage strike court senate mayor police army navy "
         "export import inflation rate bank loan debt subsidy tax fuel price rent housing climate storm").split()
QUERIES = ["ferry", "harbour budget", '"minister said"', "refin*", "drought OR flood", "pension -strike"]
ROUNDS = 15


def _claim(rng: random.Random) -> str:
    words = rng.sample(WORDS, 9)
    return f"The {words[0]} {words[1]} minister said the {words[2]} {words[3]} rose by {rng.randint(2, 90)}% " \
           f"while {words[4]} {words[5]} and {words[6]} {words[7]} fell in {rng.randint(1990, 2025)} {words[8]}."


def fill(url: str, items: int) -> None:
    """An empty migrated database at ``url``, filled with items, articles and sources."""
    from sqlalchemy import insert, text

    from factcheck import migrate
    from factcheck.db import Database
    from factcheck.models import Article, CheckItem, Source, SourceAlias

    db = Database(url)
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(url)
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with db.engine.begin() as conn:
        sources = [{"id": n + 1, "kind": "person", "name": f"{rng.choice(WORDS).title()} Speaker{n}",
                    "created_at": now, "version": 1} for n in range(max(1, items // 10))]
        conn.execute(insert(Source), sources)
        conn.execute(insert(SourceAlias), [{"source_id": s["id"], "name": f"{s['name']} Jr", "key": f"k{s['id']}"}
                                           for s in sources])
        articles = [{"id": n + 1, "title": " ".join(rng.sample(WORDS, 5)).capitalize(),
                     "text": "\n\n".join(_claim(rng) for _ in range(10)), "content_hash": f"{n:064d}",
                     "dropped": [], "created_at": now} for n in range(max(1, items // 10))]
        conn.execute(insert(Article), articles)
        for start in range(0, items, 5000):
            conn.execute(insert(CheckItem), [
                {"claim_text": _claim(rng), "article_id": rng.randint(1, len(articles)),
                 "claimant_id": rng.randint(1, len(sources)), "status": "claim", "hedges": [], "dates": [],
                 "priority": 0.0, "checkworthiness": 0.5, "origin": "manual", "status_changed_at": now,
                 "created_at": now, "updated_at": now, "version": 1}
                for _ in range(start, min(items, start + 5000))])
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # statistics for the planner, as autovacuum would gather them
    db.dispose()


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(url: str) -> list[tuple[str, float, float, int]]:
    """(query, search page ms, claim matching ms, hits) medians, measured alternately."""
    from factcheck.db import Database
    from factcheck.queries.matching import similar_items
    from factcheck.queries.search import search

    db = Database(url)
    rows = []
    with db.sessionmaker() as session:
        for query in QUERIES:
            page_times, match_times = [], []
            text = query.replace('"', "").replace("*", "").replace(" OR ", " ").replace("-", "")
            hits = 0
            for _ in range(ROUNDS):
                started = time.perf_counter()
                hits = len(search(session, query).hits)
                page_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                similar_items(session, f"The {text} figures were wrong.")
                match_times.append(time.perf_counter() - started)
            rows.append((query, _median_ms(page_times), _median_ms(match_times), hits))
    db.dispose()
    return rows


def main() -> None:
    """Fill, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'search.sqlite3'}"
        started = time.perf_counter()
        fill(url, args.items)
        print(f"filled {args.items:,} items, {args.items // 10:,} articles and sources in "
              f"{time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        print("| query | search page (ms) | claim matching (ms) | ratio | hits |")
        print("|---|---|---|---|---|")
        for query, page_ms, match_ms, hits in measure(url):
            print(f"| `{query}` | {page_ms:.1f} | {match_ms:.1f} | {page_ms / match_ms:.2f} | {hits} |")


if __name__ == "__main__":
    main()
