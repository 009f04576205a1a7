"""Benchmark: claim matching on CLEF 2020 CheckThat! Task 2 (tweets → the Snopes claim they repeat).

Usage: python bench/match_quality.py [--data DIR] [--database-url URL] [--scale N] [--thresholds]

The train tweets with a qrel are split by a hash of their id: two thirds to tune on, one third
held out (reported separately; the rules were never fitted to it). Side by side, in one run:

  * ranker   — ``factcheck.domain.ranking.ClaimIndex``, what ``factcheck match`` runs;
  * app      — the 784 claims loaded as check items and the app's own ``similar_items`` asked
               (full-text candidates from the database, the same ranker);
  * BM25     — plain Okapi BM25 (rank_bm25, lower-cased word tokens) over the same claims.

Reports MAP@5, P@1 and queries per second for each; with ``--scale N`` (default 100,000) the
milliseconds per match against N items (the claims plus synthetic ones spliced from them and from
LIAR statements), app and plain BM25 side by side; with ``--thresholds`` how precise the top match
is at each similarity (the calibration of ``factcheck.domain.matching``).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert  # noqa: E402

from factcheck import migrate  # noqa: E402
from factcheck.cli.match import read_tsv  # noqa: E402
from factcheck.db import Database  # noqa: E402
from factcheck.domain.ranking import ClaimIndex  # noqa: E402
from factcheck.models import CheckItem  # noqa: E402
from factcheck.queries.matching import similar_items  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "clef2020-claim-retrieval"
LIAR = REPO.parent / "shared" / "data" / "liar" / "train.tsv"
_WORD = re.compile(r"\w+")

Ranker = Callable[[str], list[str]]


def load(folder: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, set[str]]]:
    """Claims, queries with a qrel, and each query's relevant claims."""
    claims = read_tsv(str(folder / "verified_claims.docs.tsv"))
    qrels: dict[str, set[str]] = {}
    for line in (folder / "train" / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            qrels.setdefault(parts[0], set()).add(parts[2])
    queries = [q for q in read_tsv(str(folder / "train" / "tweets.queries.tsv")) if q[0] in qrels]
    return claims, queries, qrels


def is_held_out(query_id: str) -> bool:
    """One query in three, by a hash of its id, is held out from tuning."""
    return zlib.crc32(query_id.encode()) % 3 == 0


def average_precision_at_5(ranked: Sequence[str], relevant: set[str]) -> float:
    """AP@5 as the CheckThat! lab scored it."""
    hits = 0
    total = 0.0
    for place, claim_id in enumerate(ranked[:5], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / place
    return total / min(len(relevant), 5)


def evaluate(rank: Ranker, queries: Sequence[tuple[str, str]], qrels: dict[str, set[str]]) -> tuple[float, float, float]:
    """MAP@5, P@1 and queries per second of ``rank`` over ``queries``."""
    started = time.perf_counter()
    results = [(rank(text), qrels[qid]) for qid, text in queries]
    seconds = time.perf_counter() - started
    map5 = sum(average_precision_at_5(r, rel) for r, rel in results) / len(results)
    p1 = sum(1 for r, rel in results if r and r[0] in rel) / len(results)
    return map5, p1, len(results) / seconds


def bm25_ranker(claims: Sequence[tuple[str, str]]) -> Ranker:
    """Plain Okapi BM25 (rank_bm25's defaults) over lower-cased word tokens."""
    from rank_bm25 import BM25Okapi

    ids = [c for c, _ in claims]
    model = BM25Okapi([_WORD.findall(text.lower()) for _, text in claims])

    def rank(text: str) -> list[str]:
        scores = model.get_scores(_WORD.findall(text.lower()))
        best = sorted(range(len(ids)), key=lambda i: -scores[i])[:5]
        return [ids[i] for i in best]

    return rank


def load_items(db: Database, texts: Sequence[str]) -> list[int]:
    """Store ``texts`` as check items (one bulk insert; the full-text index follows by trigger)."""
    with db.sessionmaker() as session:
        first = (session.query(CheckItem.id).order_by(CheckItem.id.desc()).limit(1).scalar() or 0) + 1
        for start in range(0, len(texts), 5000):
            session.execute(insert(CheckItem), [{"claim_text": t} for t in texts[start:start + 5000]])
        session.commit()
    return list(range(first, first + len(texts)))


def app_ranker(db: Database, item_to_claim: dict[int, str]) -> Ranker:
    """The app's ``similar_items`` (no similarity floor), its item ids mapped back to claim ids."""

    def rank(text: str) -> list[str]:
        with db.sessionmaker() as session:
            matches = similar_items(session, text, limit=5, min_similarity=0.0)
        return [item_to_claim.get(m.item_id, "") for m in matches]

    return rank


def synthetic_claims(claims: Sequence[str], count: int, seed: int = 7) -> list[str]:
    """``count`` claim-like texts: halves of real claims (CLEF, and LIAR when present) spliced together."""
    pool = list(claims)
    if LIAR.exists():
        pool += [line.split("\t")[2] for line in LIAR.read_text(encoding="utf-8").splitlines() if line.count("\t") > 3]
    chooser = random.Random(seed)
    texts = []
    for _ in range(count):
        a, b = chooser.choice(pool).split(), chooser.choice(pool).split()
        texts.append(" ".join(a[:max(1, len(a) // 2)] + b[len(b) // 2:]))
    return texts


def print_thresholds(db: Database, item_to_claim: dict[int, str], queries: Sequence[tuple[str, str]],
                     qrels: dict[str, set[str]]) -> None:
    """How often the top match at each similarity is the claim the text repeats (tuning queries only)."""
    top: list[tuple[float, bool]] = []
    for qid, text in queries:
        with db.sessionmaker() as session:
            matches = similar_items(session, text, limit=1, min_similarity=0.0)
        if matches:
            top.append((matches[0].similarity, item_to_claim[matches[0].item_id] in qrels[qid]))
    print("\nTop match by similarity (tuning queries): similarity ≥ t → precision, share of all right answers")
    right = sum(1 for _, ok in top if ok)
    for threshold in (0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        above = [ok for s, ok in top if s >= threshold]
        precision = sum(above) / len(above) if above else 0.0
        print(f"  t={threshold:.2f}: {len(above):4d} top matches, precision {precision:.3f}, "
              f"recall {sum(above) / right if right else 0.0:.3f}")


def print_scale(db: Database, claims: Sequence[tuple[str, str]], queries: Sequence[tuple[str, str]],
                scale: int) -> None:
    """Milliseconds of one core per match against ``scale`` items: the app, the in-memory ranker, plain BM25."""
    extra = max(0, scale - len(claims))
    started = time.perf_counter()
    texts = synthetic_claims([t for _, t in claims], extra)
    load_items(db, texts)
    print(f"\nLoaded {extra} synthetic items in {time.perf_counter() - started:.0f} s "
          f"({len(claims) + extra} in all)")
    sample = queries[:100]
    every = list(claims) + [(f"s{n}", t) for n, t in enumerate(texts)]

    def per_match(rank: Ranker) -> tuple[float, float]:
        timings = []
        for _, text in sample:
            # Processor time of this process (SQLite runs in it): the machine's other load does not count.
            started = time.process_time()
            rank(text)
            timings.append((time.process_time() - started) * 1000)
        timings.sort()
        return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]

    app_median, app_p95 = per_match(app_ranker(db, {}))
    index = ClaimIndex(every)
    mem_median, mem_p95 = per_match(lambda text: [r.claim_id for r in index.search(text, 5)])
    bm25_median, bm25_p95 = per_match(bm25_ranker(every))
    print(f"  app similar_items ({db.engine.dialect.name}): median {app_median:.1f} ms, p95 {app_p95:.1f} ms")
    print(f"  ranker in memory:          median {mem_median:.1f} ms, p95 {mem_p95:.1f} ms")
    print(f"  plain BM25 (rank_bm25):    median {bm25_median:.1f} ms, p95 {bm25_p95:.1f} ms")
    print(f"  app / plain BM25: {app_median / bm25_median:.2f}×; in memory / plain BM25: "
          f"{mem_median / bm25_median:.2f}×")


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--scale", type=int, default=100_000, help="items for the latency run (0: skip it)")
    parser.add_argument("--thresholds", action="store_true", help="print the similarity calibration table")
    args = parser.parse_args()
    claims, queries, qrels = load(args.data)
    splits = {
        "tuning": [q for q in queries if not is_held_out(q[0])],
        "held-out": [q for q in queries if is_held_out(q[0])],
        "all": queries,
    }
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database(url)
        item_ids = load_items(db, [text for _, text in claims])
        item_to_claim = {item_id: claim_id for item_id, (claim_id, _) in zip(item_ids, claims)}
        index = ClaimIndex(claims)
        rankers: dict[str, Ranker] = {
            "ranker (factcheck match)": lambda text: [r.claim_id for r in index.search(text, 5)],
            f"app similar_items ({db.engine.dialect.name})": app_ranker(db, item_to_claim),
            "plain BM25 (rank_bm25)": bm25_ranker(claims),
        }
        print(f"{len(claims)} claims; {len(queries)} queries with a qrel: "
              f"{len(splits['tuning'])} tuning, {len(splits['held-out'])} held out")
        print(f"{'':28s} " + "  ".join(f"{name:>26s}" for name in splits))
        print(f"{'':28s} " + "  ".join(f"{'MAP@5   P@1     q/s':>26s}" for _ in splits))
        for name, rank in rankers.items():
            cells = []
            for split in splits.values():
                map5, p1, qps = evaluate(rank, split, qrels)
                cells.append(f"{map5:.3f}  {p1:.3f}  {qps:8.0f}")
            print(f"{name:28s} " + "  ".join(f"{cell:>26s}" for cell in cells))
        if args.thresholds:
            print_thresholds(db, item_to_claim, splits["tuning"], qrels)
        if args.scale:
            print_scale(db, claims, queries, args.scale)
        db.dispose()


if __name__ == "__main__":
    main()
