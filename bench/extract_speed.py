"""Measure extraction speed on one core: sentences/s, articles/s, and one 5,000-word article.

Usage: python bench/extract_speed.py [--data DIR] [--repeat N] [--json] [--against TREE [--rounds N]]

The corpus is every PolNeAR dev text repeated N times (default 5); without the data a
synthetic news-like corpus of the same size is generated, so the script always runs.
Wall-clock and CPU time (time.process_time) are both reported. ``--against TREE`` times
another checkout of the project (e.g. a worktree of the previous commit) side by side:
the two run alternately in fresh processes, ``--rounds`` times each, and each round's
CPU-time speeds are printed with their ratio, which a loaded machine disturbs far less
than wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

_ROOT_ENV = "FACTCHECK_BENCH_ROOT"  # the tree whose extractor is timed (default: this one)
sys.path.insert(0, os.environ.get(_ROOT_ENV) or str(Path(__file__).resolve().parents[1]))

from bench._corpus import DEFAULT_DATA, load  # noqa: E402
from factcheck.domain.extract import extract  # noqa: E402
from factcheck.domain.extract.normalise import fold  # noqa: E402
from factcheck.domain.extract.segment import paragraphs, sentences  # noqa: E402

_SYNTHETIC = (
    "Foreign Minister {name} said on Feb. 14 that the talks had failed, according to Russian media.",
    '"We will not accept any concessions," {name} told reporters in Kyiv.',
    "The agency's sources said the deal may be signed next week.",
    "Officials allegedly offered to freeze the conflict, Reuters reported.",
    "The ministry denied this statement and called it propaganda.",
    "Prices rose 4 percent in January, the statistics office said.",
    "Read also: Ten things to know about the talks",
)
_NAMES = ("Sergei Lavrov", "Anna Berg", "Tom Hale", "Olga Petrenko", "Mark Olsen")


def synthetic_article(rng: random.Random, paragraphs_count: int = 25) -> str:
    """A news-like article built from template sentences."""
    chosen = (rng.choice(_SYNTHETIC).format(name=rng.choice(_NAMES)) for _ in range(paragraphs_count))
    return "Headline says the talks failed\n\n" + "\n\n".join(chosen)


def count_sentences(text: str) -> int:
    """Sentences as the extractor's own segmenter sees them."""
    folded = fold(text)
    return sum(len(sentences(folded, start, end)) for start, end in paragraphs(folded))


def long_article(texts: list[str], words: int = 5000) -> str:
    """Join articles paragraph by paragraph until the text has ``words`` words."""
    parts: list[str] = []
    total = 0
    for paragraph in (p for text in texts for p in text.split("\n\n")):
        parts.append(paragraph)
        total += len(paragraph.split())
        if total >= words:
            break
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Run the timings and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR dev directory")
    parser.add_argument("--repeat", type=int, default=5, help="times the corpus is processed")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--against", type=Path, help="another checkout to time side by side (CPU time)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds with --against")
    args = parser.parse_args(argv)
    if args.against is not None:
        return side_by_side(args)
    texts = [article.text for article in load(args.data)]
    corpus = "polnear-dev"
    if not texts:
        rng = random.Random(7)
        texts = [synthetic_article(rng) for _ in range(84)]
        corpus = "synthetic"
    sentence_count = sum(count_sentences(text) for text in texts)
    for text in texts[:5]:
        extract(text)  # warm up caches before timing
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for text in texts:
            extract(text)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    big = long_article(texts * 20)
    big_started = time.perf_counter()
    extract(big)
    big_elapsed = time.perf_counter() - big_started
    report = {
        "corpus": corpus, "articles": len(texts) * args.repeat, "sentences": sentence_count * args.repeat,
        "seconds": round(elapsed, 3), "sentences_per_second": round(sentence_count * args.repeat / elapsed),
        "articles_per_second": round(len(texts) * args.repeat / elapsed, 1),
        "cpu_seconds": round(cpu, 3), "cpu_sentences_per_second": round(sentence_count * args.repeat / max(cpu, 1e-9)),
        "long_article_words": len(big.split()), "long_article_seconds": round(big_elapsed, 3),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{corpus}: {report['articles']} articles, {report['sentences']} sentences in {elapsed:.2f} s")
        print(f"{report['sentences_per_second']} sentences/s, {report['articles_per_second']} articles/s (one core)")
        print(f"CPU time {cpu:.2f} s: {report['cpu_sentences_per_second']} sentences/s")
        print(f"{report['long_article_words']}-word article: {big_elapsed:.3f} s")
    return 0


def _run_tree(root: Path, args: argparse.Namespace) -> dict[str, float]:
    env = {**os.environ, _ROOT_ENV: str(root.resolve())}
    command = [sys.executable, str(Path(__file__).resolve()), "--json", "--data", str(args.data),
               "--repeat", str(args.repeat)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def side_by_side(args: argparse.Namespace) -> int:
    """Time this tree and ``args.against`` alternately in fresh processes; print CPU-time speeds."""
    here = Path(__file__).resolve().parents[1]
    rows = []
    for round_number in range(1, args.rounds + 1):
        other = _run_tree(args.against, args)
        this = _run_tree(here, args)
        ratio = this["cpu_sentences_per_second"] / other["cpu_sentences_per_second"]
        rows.append({"round": round_number, "against": other["cpu_sentences_per_second"],
                     "this": this["cpu_sentences_per_second"], "ratio": round(ratio, 3),
                     "against_wall": other["sentences_per_second"], "this_wall": this["sentences_per_second"]})
    if args.json:
        print(json.dumps({"against": str(args.against), "rounds": rows}))
    else:
        print(f"CPU-time sentences/s, {args.against} (against) beside this tree, alternating:")
        for row in rows:
            print(f"  round {row['round']}: against {row['against']}, this {row['this']}, "
                  f"ratio {row['ratio']} (wall clock {row['against_wall']} / {row['this_wall']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
