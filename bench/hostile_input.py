"""Hostile input against normal news of the same size: extraction and HTML reading stay linear.

Usage: python bench/hostile_input.py [--data DIR] [--repeat N]

Each case is timed (best of N, this process's CPU time) beside a normal text of the same length
built from the PolNeAR dev articles (or a synthetic news-like text without the data), and the
ratio hostile / normal is printed. The goal is every ratio within 3.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._corpus import DEFAULT_DATA, load  # noqa: E402
from bench.extract_speed import synthetic_article  # noqa: E402
from factcheck.domain.extract import extract  # noqa: E402
from factcheck.interchange.htmltext import decode_article  # noqa: E402

CASES: dict[str, str] = {
    "one 60 KB sentence": "Z" * 30_000 + " said that " + "Y" * 30_000,
    "1,000 × 'Lavrov said that'": "Lavrov said that " * 1_000,
    "3,600 × 'Lavrov said that'": "Lavrov said that " * 3_600,
    "900 × 'denied reports by'": "The ministry denied reports by the newspaper that the plant closed. "
                                                * 900,
    "600 × 'the charges' denied": ("Officials said the plant closed. They said the charges were false. "
                                                "The ministry called the charges invented. ") * 600,
    "700 × modals and hedges": "The minister said the port could would may if could unless reportedly the alleged. "
                               * 700,
    "2,000 × 'denied reports that'": "The ministry denied reports that " * 2_000,
    "2,000 quoted \"…, he said, '\"": '"' + "Then, he said, 'we " * 2_000 + "'\"",
    "20,000 × 'a-'": "a-" * 20_000 + "a's RT interview",
    "2,000 × ', touting her record,'": "The senator met voters" + ", touting her record," * 2_000 + " and left.",
    "4,000 × 'Prices rose, Smith said.'": "Prices rose, Smith said. " * 4_000,
    "8,000 nested <div>s": "<html><body>" + "<div>" * 8_000 + "The ministry said the talks failed."
                            + "</div>" * 8_000 + "</body></html>",
}


def _normal_text(data: Path) -> str:
    try:
        texts = [article.text for article in load(data)]
    except FileNotFoundError:
        rng = random.Random(7)
        texts = [synthetic_article(rng) for _ in range(200)]
    return "\n\n".join(texts)


def _cpu(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = _normal_text(args.data)
    print(f"{'case':32} {'bytes':>8} {'hostile ms':>11} {'normal ms':>10} {'ratio':>6}")
    for name, text in CASES.items():
        data = text.encode("utf-8")
        filename = "page.html" if text.startswith("<html>") else "article.txt"
        normal = corpus[:len(data)].encode("utf-8")
        hostile_s = _cpu(lambda: extract(decode_article(data, filename)), args.repeat)
        normal_s = _cpu(lambda: extract(decode_article(normal, "article.txt")), args.repeat)
        print(f"{name:32} {len(data):8,} {hostile_s * 1000:11.1f} {normal_s * 1000:10.1f} {hostile_s / normal_s:6.2f}")


if __name__ == "__main__":
    main()
