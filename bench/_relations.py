"""Score extraction structure against the relation development set (tests/data/relations_dev.json).

Each gold assertion has an ``anchor``, an exact substring of its content. A predicted
assertion *matches* it when the predicted span covers at least half of the anchor; each
predicted assertion matches at most one gold assertion (the first, in text order, that it
covers best). The rows, as in the issue's table:

* assertions found: gold assertions with a match;
* claimant right: of those, the predicted claimant equals the gold one (null = null;
  names compared as in the PolNeAR bench: one side's last token among the other's tokens);
* chain complete: of found assertions whose gold chain has a relay (two or more links),
  the predicted chain has the same number of links and each matches in order;
* hedges found: gold hedges whose label the matched assertion carries, with a span that
  overlaps the gold span (when the extractor gives spans);
* denials linked / supports linked: gold relations where the source's match has a relation
  of that type to the target's match;
* denies/supports not in the annotation: stance relations of items matched to gold
  assertions that have none of that type (a precision check);
* boilerplate items: predicted assertions overlapping an annotated boilerplate line;
* overlapping items: pairs of predicted assertions whose spans overlap, plus gold anchors
  covered by two predicted assertions (a duplicate).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck.domain.extract import Assertion, extract

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "data" / "relations_dev.json"
SHARED_DATA = ROOT / ".." / "shared" / "data"
COVER = 0.5
_TOKENS = re.compile(r"[a-z0-9]+")
#: How far around an anchor the text of a gold hedge span is looked for.
_HEDGE_WINDOW = 600


def names_match(predicted: str, gold: str) -> bool:
    """One side's last token occurs among the other side's tokens (case-insensitive)."""
    p = _TOKENS.findall(predicted.lower().replace("'s", "").replace("\u2019s", ""))
    g = _TOKENS.findall(gold.lower().replace("'s", "").replace("\u2019s", ""))
    return bool(p and g) and (p[-1] in g or g[-1] in p)


def claimant_right(predicted: Assertion, gold: dict[str, Any]) -> bool:
    """The predicted claimant is the gold one (any of a list; None for the article's own voice)."""
    expected = gold["claimant"]
    if expected is None:
        return predicted.claimant is None
    if predicted.claimant is None:
        return False
    names = expected if isinstance(expected, list) else [expected]
    return any(names_match(predicted.claimant.name, name) for name in names)


def chain_complete(predicted: Assertion, gold: dict[str, Any]) -> bool:
    """The predicted chain names the gold links, originator first, and no others."""
    links = [link.name for link in predicted.chain]
    return len(links) == len(gold["chain"]) and all(names_match(p, g) for p, g in zip(links, gold["chain"]))


@dataclass
class Tally:
    """Counts over the development set; each row is (right, total)."""

    found: list[int] = field(default_factory=lambda: [0, 0])
    claimant: list[int] = field(default_factory=lambda: [0, 0])
    chain: list[int] = field(default_factory=lambda: [0, 0])
    hedges: list[int] = field(default_factory=lambda: [0, 0])
    hedge_labels: list[int] = field(default_factory=lambda: [0, 0])
    denials: list[int] = field(default_factory=lambda: [0, 0])
    supports: list[int] = field(default_factory=lambda: [0, 0])
    #: denies/supports from an item matched to a gold assertion that has no relation of that type.
    unannotated_relations: int = 0
    boilerplate_items: int = 0
    boilerplate_articles: int = 0
    overlapping_items: int = 0
    overlapping_articles: int = 0
    articles: int = 0
    errors: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        """The table rows as (label, value)."""
        def share(pair: list[int]) -> str:
            return f"{pair[0] / pair[1]:.0%} ({pair[0]}/{pair[1]})" if pair[1] else "n/a"
        return [
            ("assertions found", share(self.found)),
            ("claimant right", share(self.claimant)),
            ("attribution chain complete (every relay named)", share(self.chain)),
            ("hedges found (label and span)", share(self.hedges)),
            ("hedges found (label only)", share(self.hedge_labels)),
            ("denial linked to the assertion it denies", share(self.denials)),
            ("support linked to the assertion it supports", share(self.supports)),
            ("denies/supports not in the annotation", str(self.unannotated_relations)),
            ("boilerplate lines turned into items",
             f"{self.boilerplate_items} items in {self.boilerplate_articles} articles"),
            ("overlapping duplicate items", f"{self.overlapping_items} in {self.overlapping_articles} articles"),
        ]

    def as_dict(self) -> dict[str, Any]:
        """The numbers for --json."""
        def share(pair: list[int]) -> float | None:
            return round(pair[0] / pair[1], 3) if pair[1] else None
        return {"articles": self.articles, "found": share(self.found), "claimant": share(self.claimant),
                "chain": share(self.chain), "hedges": share(self.hedges), "hedge_labels": share(self.hedge_labels),
                "denials": share(self.denials), "supports": share(self.supports),
                "unannotated_relations": self.unannotated_relations, "boilerplate_items": self.boilerplate_items, "overlapping_items": self.overlapping_items,
                "counts": {k: getattr(self, k) for k in ("found", "claimant", "chain", "hedges", "denials", "supports")}}


def load_dev_set(path: Path = DEV_SET, shared: Path = SHARED_DATA) -> list[tuple[str, str, dict[str, Any]]]:
    """(file, text, annotation) for every article whose text is present."""
    if not path.is_file():
        return []
    loaded = []
    for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
        name = article["file"]
        text_path = ROOT / name if name.startswith("seeds/") else shared / name
        if text_path.is_file():
            text = text_path.read_text(encoding="utf-8")
            loaded.append((name, text, _with_text(name, text, article)))
    return loaded


def _quoted(name: str, text: str, ref: dict[str, Any] | str, digest: str | None = None) -> str:
    """The article's words an annotation points at: given as text, or as offsets with a digest (PolNeAR's
    copyrighted texts are not copied into the set); a digest that differs means the text changed."""
    if isinstance(ref, str):
        return ref
    start, end = ref["at"] if "at" in ref else ref["anchor_at"]
    quoted = text[start:end]
    if hashlib.sha1(quoted.encode("utf-8")).hexdigest()[:12] != (digest or ref.get("sha1") or ref.get("anchor_sha1")):
        raise ValueError(f"{name}: the annotated text at {start}–{end} is not what was annotated")
    return quoted


def _with_text(name: str, text: str, article: dict[str, Any]) -> dict[str, Any]:
    """The annotation with every anchor and boilerplate line as the article's own words."""
    assertions = [{**item, "anchor": item["anchor"] if "anchor" in item else _quoted(name, text, item)}
                  for item in article["assertions"]]
    return {**article, "assertions": assertions,
            "boilerplate": [_quoted(name, text, line) for line in article["boilerplate"]]}


def _hedge_spans(assertion: Assertion) -> tuple[tuple[str, int, int], ...] | None:
    spans = getattr(assertion, "hedge_spans", None)
    if spans is None:
        return None
    return tuple((h.label, h.start, h.end) for h in spans)


def _gold_span(text: str, anchor_start: int, span: str) -> tuple[int, int] | None:
    best = None
    low = max(0, anchor_start - _HEDGE_WINDOW)
    position = text.find(span, low, anchor_start + _HEDGE_WINDOW)
    while position != -1:
        if best is None or abs(position - anchor_start) < abs(best - anchor_start):
            best = position
        position = text.find(span, position + 1, anchor_start + _HEDGE_WINDOW)
    return None if best is None else (best, best + len(span))


def score_article(name: str, text: str, annotation: dict[str, Any], tally: Tally) -> None:
    """Add one article's counts to ``tally``."""
    predicted = list(extract(text).assertions)
    tally.articles += 1
    matched: dict[str, Assertion] = {}
    used: set[str] = set()
    duplicates = 0
    for gold in annotation["assertions"]:
        start = text.index(gold["anchor"])
        end = start + len(gold["anchor"])
        covers = [(min(end, a.end) - max(start, a.start)) / (end - start) for a in predicted]
        candidates = [(cover, a) for cover, a in zip(covers, predicted) if cover >= COVER]
        duplicates += len(candidates) > 1
        candidates = [(cover, a) for cover, a in candidates if a.id not in used]
        tally.found[1] += 1
        if not candidates:
            tally.errors.append(f"MISS {name} {gold['id']} {gold['anchor'][:70]!r}")
            continue
        best = max(candidates, key=lambda pair: pair[0])[1]
        used.add(best.id)
        matched[gold["id"]] = best
        tally.found[0] += 1
        tally.claimant[1] += 1
        if claimant_right(best, gold):
            tally.claimant[0] += 1
        else:
            tally.errors.append(f"CLAIMANT {name} {gold['id']} gold={gold['claimant']!r} "
                                f"predicted={best.claimant.name if best.claimant else None!r} {best.text[:80]!r}")
        if len(gold["chain"]) >= 2:
            tally.chain[1] += 1
            if chain_complete(best, gold):
                tally.chain[0] += 1
            else:
                tally.errors.append(f"CHAIN {name} {gold['id']} gold={gold['chain']} "
                                    f"predicted={[link.name for link in best.chain]} {best.text[:80]!r}")
    for gold in annotation["assertions"]:
        best = matched.get(gold["id"])
        if best is not None:
            annotated = {relation["type"] for relation in gold["relations"]}
            for relation in best.relations:
                if relation.type in {"denies", "supports"} and relation.type not in annotated:
                    tally.unannotated_relations += 1
                    tally.errors.append(f"UNANNOTATED {name} {gold['id']} {relation.type} {best.text[:80]!r}")
        for hedge in gold["hedges"]:
            tally.hedges[1] += 1
            tally.hedge_labels[1] += 1
            if best is None or hedge["label"] not in best.hedges:
                tally.errors.append(f"HEDGE {name} {gold['id']} {hedge['label']!r} ({hedge['span']!r}) "
                                    f"predicted={best.hedges if best else None}")
                continue
            tally.hedge_labels[0] += 1
            spans = _hedge_spans(best)
            anchor_start = text.index(gold["anchor"])
            where = _gold_span(text, anchor_start, hedge["span"])
            if spans is None or where is None or any(
                    label == hedge["label"] and s < where[1] and where[0] < e for label, s, e in spans):
                tally.hedges[0] += 1
            else:
                tally.errors.append(f"HEDGE-SPAN {name} {gold['id']} {hedge['label']!r} gold={where} predicted={spans}")
        for relation in gold["relations"]:
            row = tally.denials if relation["type"] == "denies" else tally.supports
            row[1] += 1
            target = matched.get(relation["target"])
            if best is not None and target is not None and any(
                    r.type == relation["type"] and r.target == target.id for r in best.relations):
                row[0] += 1
            else:
                tally.errors.append(f"RELATION {name} {gold['id']} {relation['type']} {relation['target']} "
                                    f"predicted={[(r.type, r.target) for r in best.relations] if best else None} "
                                    f"target={target.id if target else None}")
    boilerplate = 0
    for line in annotation.get("boilerplate", []):
        start = text.index(line)
        end = start + len(line)
        hits = [a for a in predicted if a.start < end and start < a.end]
        boilerplate += len(hits)
        for hit in hits:
            tally.errors.append(f"BOILERPLATE {name} {hit.text[:80]!r}")
    tally.boilerplate_items += boilerplate
    tally.boilerplate_articles += boilerplate > 0
    ordered = sorted(predicted, key=lambda a: a.start)
    overlapping = duplicates + sum(1 for a, b in zip(ordered, ordered[1:]) if b.start < a.end)
    tally.overlapping_items += overlapping
    tally.overlapping_articles += overlapping > 0


def score(path: Path = DEV_SET, shared: Path = SHARED_DATA) -> Tally:
    """Score every article of the development set that is present."""
    tally = Tally()
    for name, text, annotation in load_dev_set(path, shared):
        score_article(name, text, annotation, tally)
    return tally
