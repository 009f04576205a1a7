"""Train the check-worthiness model on the CLEF 2019 CheckThat! Task 1 training debates.

Usage: python bench/train_checkworthy.py [--data DIR] [--evaluate] [--write] [--json]

  --evaluate  leave-one-debate-out cross-validation: for each of the 19 debates, train on the
              other 18 (vocabulary included) and rank the held-out one; print each debate's
              average precision and their mean (MAP), the task's official measure.
  --write     train on every debate except HELD_OUT and write the shipped weights file
              (factcheck/domain/extract/checkworthy_model.json). HELD_OUT, a press conference
              of 1,250 sentences with 14 check-worthy ones (3 % of the positives), is left out
              so the test suite can rank a debate the shipped model never saw.

The features are ``factcheck.domain.extract.checkworthy.features``, so training and scoring
share one definition. The learner is a plain logistic regression written here with the
standard library (AdaGrad steps, L2 penalty, both classes weighted equally, a fixed shuffle
seed): nothing to install, and the same weights on every run.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.domain.extract.checkworthy import UNKNOWN_PAIR, UNKNOWN_WORD, Model, contexts, features  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "clef2019-checkworthy" / "training"
MODEL_PATH = REPO / "factcheck" / "domain" / "extract" / "checkworthy_model.json"
HELD_OUT = "20170216_trump_press.tsv"
#: A word or word pair enters the vocabulary only when it occurs in this many training debates,
#: so nothing particular to one debate (a name, a place, a running joke) is learned.
MIN_DEBATES = 3
EPOCHS = 12
RATE = 0.1
L2 = 0.1
SEED = 2019


@dataclass(frozen=True, slots=True)
class Debate:
    """One training file: its name, every line's features and label."""

    name: str
    rows: list[tuple[dict[str, float], int]]


def load(data: Path) -> list[Debate]:
    """Read every ``*.tsv`` training file: line, speaker, sentence, label."""
    debates = []
    for path in sorted(data.glob("*.tsv")):
        lines: list[tuple[str, str]] = []
        labels: list[int] = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                _, speaker, sentence, label = raw.split("\t")[:4]
                lines.append((speaker, sentence))
                labels.append(int(label))
        rows = [(features(sentence, context), label)
                for (_, sentence), context, label in zip(lines, contexts(lines), labels)]
        debates.append(Debate(path.name, rows))
    return debates


def vocabulary(debates: list[Debate]) -> set[str]:
    """Feature names kept for training: every shape and context feature, shared words and pairs."""
    spread: Counter[str] = Counter()
    for debate in debates:
        spread.update({name for values, _ in debate.rows for name in values})
    return {name for name, count in spread.items() if not name.startswith(("w:", "b:")) or count >= MIN_DEBATES}


def _known(values: dict[str, float], kept: set[str]) -> list[tuple[str, float]]:
    # Words and pairs outside the vocabulary pool into one feature each, as the model reads them.
    pairs: dict[str, float] = {}
    for name, value in values.items():
        if name not in kept:
            name = UNKNOWN_WORD if name.startswith("w:") else UNKNOWN_PAIR
        pairs[name] = pairs.get(name, 0.0) + value
    return list(pairs.items())


def train(debates: list[Debate]) -> Model:
    """Fit a class-balanced L2 logistic regression with AdaGrad over the debates' lines."""
    kept = vocabulary(debates)
    rows = [(_known(values, kept), label) for debate in debates for values, label in debate.rows]
    positives = sum(label for _, label in rows)
    weight_of = {1: len(rows) / (2.0 * positives), 0: len(rows) / (2.0 * (len(rows) - positives))}
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    rng = random.Random(SEED)
    order = list(range(len(rows)))
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            pairs, label = rows[index]
            margin = sum(weights.get(n, 0.0) * v for n, v in pairs)
            predicted = 1.0 / (1.0 + math.exp(-margin)) if margin >= 0 else 1.0 - 1.0 / (1.0 + math.exp(margin))
            error = (predicted - label) * weight_of[label]
            for name, value in pairs:
                current = weights.get(name, 0.0)
                gradient = error * value + (L2 * current if name != "bias" else 0.0)
                squares[name] = squares.get(name, 0.0) + gradient * gradient
                weights[name] = current - RATE * gradient / math.sqrt(squares[name] + 1e-8)
    # Every word and pair of the vocabulary keeps its weight, however small: one left out
    # would be read as unknown.
    model = Model({name: round(weight, 4) for name, weight in weights.items()})
    logits = sorted(model.logit(values) for debate in debates for values, _ in debate.rows)
    model.scale = [round(logits[round(step * (len(logits) - 1) / 100)], 4) for step in range(101)]
    return model


def average_precision(scores: list[float], labels: list[int]) -> float:
    """Average precision of a ranking by descending score (ties keep line order), as the task scores it."""
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits = 0
    total = 0.0
    for rank, index in enumerate(ranked, start=1):
        if labels[index]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def rank(model: Model, debate: Debate) -> float:
    """Average precision of the model's ranking of one debate."""
    return average_precision([model.logit(values) for values, _ in debate.rows], [label for _, label in debate.rows])


def length_baseline(debates: list[Debate]) -> float:
    """MAP of the plain reference, longest sentence first: what the learned ranking has to beat."""
    return sum(average_precision([-_length_band(values) for values, _ in d.rows], [label for _, label in d.rows])
               for d in debates) / len(debates)


def _length_band(values: dict[str, float]) -> int:
    bands = ("f:length=26+", "f:length=16-25", "f:length=11-15", "f:length=7-10", "f:length=4-6", "f:length=1-3")
    return next(index for index, band in enumerate(bands) if band in values)


def evaluate(debates: list[Debate]) -> dict[str, float]:
    """Leave-one-debate-out average precision for every debate."""
    results = {}
    for held in debates:
        model = train([d for d in debates if d is not held])
        results[held.name] = rank(model, held)
    return results


def main(argv: list[str] | None = None) -> int:
    """Evaluate, write the shipped model, or both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the CLEF 2019 training TSVs")
    parser.add_argument("--evaluate", action="store_true", help="print leave-one-debate-out MAP")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    debates = load(args.data)
    if not debates:
        print(f"No training files in {args.data}", file=sys.stderr)
        return 2
    if not (args.evaluate or args.write):
        parser.error("choose --evaluate, --write or both")
    report: dict[str, object] = {"debates": len(debates), "sentences": sum(len(d.rows) for d in debates),
                                 "check_worthy": sum(label for d in debates for _, label in d.rows)}
    if args.evaluate:
        started = time.perf_counter()
        per_debate = evaluate(debates)
        report["loo_map"] = round(sum(per_debate.values()) / len(per_debate), 4)
        report["reference_map_longest_first"] = round(length_baseline(debates), 4)
        report["loo_average_precision"] = {name: round(ap, 4) for name, ap in per_debate.items()}
        report["loo_seconds"] = round(time.perf_counter() - started, 1)
    if args.write:
        training = [d for d in debates if d.name != HELD_OUT]
        model = train(training)
        held = next((d for d in debates if d.name == HELD_OUT), None)
        model.notes = {
            "trained_on": "CLEF 2019 CheckThat! Task 1 training debates (telsayed/clef2019-factchecking-task1)",
            "held_out": HELD_OUT,
            "sentences": sum(len(d.rows) for d in training),
            "min_debates": MIN_DEBATES, "epochs": EPOCHS, "rate": RATE, "l2": L2, "seed": SEED,
        }
        if held is not None:
            report["held_out_average_precision"] = round(rank(model, held), 4)
        MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
        report["weights"] = len(model.weights)
        report["written"] = str(MODEL_PATH.relative_to(REPO))
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            if isinstance(value, dict):
                for name, number in value.items():
                    print(f"  {name}\t{number}")
            else:
                print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
