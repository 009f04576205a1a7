"""Score the extractor against PolNeAR dev gold attributions.

Usage: python bench/extract_quality.py [--data DIR] [--json] [--errors N] [--relations-only] [--relation-errors N]

Matching (character overlap, content spans may be discontinuous):
  * a gold attribution is *found* when some predicted assertion with a claimant has
    content covering >= 50% of the gold Content characters (recall);
  * a predicted assertion with a claimant is *correct* when >= 50% of its content
    lies inside one gold Content (precision) - the same rule seen from the other side.
  A prediction's content is Assertion.content_spans (the pieces of a quotation that runs
  on after "he said") or else content_start..content_end - never the whole sentence.
Beside these it scores the relation development set (tests/data/relations_dev.json, see
bench/_relations.py): assertions found, claimant right, chain complete, hedges found, denials
and supports linked, boilerplate and overlapping items. --relation-errors N lists its misses.

Source accuracy is measured on found pairs whose gold Source is a name (has a capitalised
word other than "I" and determiners): the best-overlapping prediction's claimant matches
when, lower-cased and split into alphanumeric tokens, one side's last token occurs in the
other side ("Mr. Obama" ~ "Barack Obama", "Robby Mook" ~ "campaign manager Robby Mook"; the
articles the, a and an are left out, so a claimant cut down to "The" matches nothing), or
one side is initials in capitals that spell the other's capitalised words ("AROS" ~ "Alliance
to Reclaim Our Schools", as the article defines them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import _relations  # noqa: E402
from bench._corpus import DEFAULT_DATA, Article, GoldAttribution, load  # noqa: E402
from factcheck.domain.extract import Assertion, extract  # noqa: E402

_TOKENS = re.compile(r"[a-z0-9]+")
_NOT_NAMES = frozenset(
    "i he she it they we you who the a an his her their its this that these those my our your".split()
)
THRESHOLD = 0.5


def overlap(pieces: tuple[tuple[int, int], ...], gold: GoldAttribution) -> int:
    """Characters shared by predicted content pieces and a gold (multi-piece) content."""
    return sum(max(0, min(end, e) - max(start, s)) for start, end in pieces for s, e in gold.content)


def content_pieces(assertion: Assertion) -> tuple[tuple[int, int], ...]:
    """The reported content of an assertion: its pieces, else its content span."""
    return assertion.content_spans or ((assertion.content_start, assertion.content_end),)


def length(pieces: tuple[tuple[int, int], ...]) -> int:
    """Total characters of a multi-piece span."""
    return sum(end - start for start, end in pieces)


def is_name(source_text: str | None) -> bool:
    """True when a gold source is a name: the head (before any comma, bracket or "who") is capitalised.

    "Mr. Obama", "Kenneth Baer, a former official" and "GOP's" are names; "He", "officials"
    and "The GOP nominee" are not.
    """
    if not source_text:
        return False
    head = re.split(r",|\(| who\b", source_text.replace("\u2019", "'"))[0].replace("'s", "").split()
    return bool(head) and head[-1][:1].isupper() and head[-1].lower().strip(".") not in _NOT_NAMES


def names_match(predicted: str, gold: str) -> bool:
    """One side's last token occurs among the other side's tokens (case-insensitive)."""
    p, g = _name_tokens(predicted), _name_tokens(gold)
    return bool(p and g) and (p[-1] in g or g[-1] in p) or _initials_of(predicted, gold) or _initials_of(gold, predicted)


def _name_tokens(name: str) -> list[str]:
    # Articles name no one: a claimant cut down to "The" is no match for "The city of Phoenix".
    return [t for t in _TOKENS.findall(name.lower().replace("'s", "")) if t not in _ARTICLES]


_ARTICLES = frozenset({"the", "a", "an"})


def _initials_of(short: str, full: str) -> bool:
    """``short`` is capital initials spelling ``full``'s capitalised words ("AROS", "Alliance to Reclaim Our Schools")."""
    short = short.strip()
    if not (2 <= len(short) <= 8 and short.isalpha() and short.isupper()):
        return False
    return "".join(w[0] for w in full.split() if w[:1].isupper()) == short


def score_article(article: Article) -> dict[str, object]:
    """Return counts for one article and the mismatches for error analysis."""
    predicted = [a for a in extract(article.text).assertions if a.claimant is not None]
    spans = [content_pieces(a) for a in predicted]
    correct = sum(
        1 for span in spans
        if length(span) and any(overlap(span, g) / length(span) >= THRESHOLD for g in article.gold)
    )
    found = named = named_right = 0
    errors: list[str] = []
    for gold in article.gold:
        best: Assertion | None = None
        best_cover = 0.0
        for assertion, span in zip(predicted, spans):
            cover = overlap(span, gold) / max(1, gold.content_length)
            if cover > best_cover:
                best, best_cover = assertion, cover
        if best is None or best_cover < THRESHOLD:
            first, last = gold.content[0][0], gold.content[-1][1]
            errors.append(f"MISS [{gold.source_text}] {article.text[first:last][:110]!r}")
            continue
        found += 1
        if is_name(gold.source_text):
            named += 1
            if names_match(best.claimant.name, gold.source_text):
                named_right += 1
            else:
                errors.append(f"NAME gold={gold.source_text!r} predicted={best.claimant.name!r} in {best.text[:140]!r}")
    for assertion, span in zip(predicted, spans):
        if not any(overlap(span, g) / max(1, length(span)) >= THRESHOLD for g in article.gold):
            errors.append(f"FALSE [{assertion.claimant.name}] {article.text[span[0][0]:span[-1][1]][:110]!r}")
    return {"predicted": len(predicted), "correct": correct, "gold": len(article.gold), "found": found,
            "named": named, "named_right": named_right, "errors": errors}


def polnear(articles: list[Article]) -> tuple[dict[str, object], list[str]]:
    """P, R, F1 and source accuracy over the PolNeAR dev articles, and the mismatches."""
    totals = {"predicted": 0, "correct": 0, "gold": 0, "found": 0, "named": 0, "named_right": 0}
    errors: list[str] = []
    for article in articles:
        result = score_article(article)
        errors.extend(result.pop("errors"))
        for key in totals:
            totals[key] += result[key]
    precision = totals["correct"] / totals["predicted"] if totals["predicted"] else 0.0
    recall = totals["found"] / totals["gold"] if totals["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = totals["named_right"] / totals["named"] if totals["named"] else 0.0
    report = {"articles": len(articles), **totals, "precision": round(precision, 3), "recall": round(recall, 3),
              "f1": round(f1, 3), "source_accuracy": round(accuracy, 3)}
    return report, errors


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print P, R, F1 and source accuracy, then the relation development set's rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR dev directory")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--errors", type=int, default=0, help="print up to N PolNeAR mismatches")
    parser.add_argument("--relation-errors", type=int, default=0, help="print up to N development set mismatches")
    parser.add_argument("--relations-only", action="store_true", help="score only the relation development set")
    args = parser.parse_args(argv)
    articles = [] if args.relations_only else load(args.data)
    report: dict[str, object] = {}
    errors: list[str] = []
    if articles:
        report, errors = polnear(articles)
    elif not args.relations_only:
        print(f"No PolNeAR data at {args.data}; PolNeAR not scored (pass --data DIR).")
    tally = _relations.score(shared=args.data.parent)
    if args.json:
        print(json.dumps({"polnear": report, "relations": tally.as_dict()}))
    else:
        if report:
            print(f"articles {report['articles']}  gold {report['gold']}  predicted {report['predicted']}")
            print(f"P {report['precision']:.3f}  R {report['recall']:.3f}  F1 {report['f1']:.3f}  "
                  f"source accuracy {report['source_accuracy']:.3f} ({report['named_right']}/{report['named']})")
        print(f"relation development set: {tally.articles} articles"
              + (f"  (PolNeAR dev F1 {report['f1']:.3f})" if report else ""))
        for label, value in tally.rows():
            print(f"  {label:<50} {value}")
    for line in errors[: args.errors]:
        print(line)
    for line in tally.errors[: args.relation_errors]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
