"""Load the PolNeAR dev articles and their gold attributions (brat .ann) for the benchmarks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Default data location: ../shared/data/polnear-dev next to the repository.
DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear-dev"

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t", re.M)
_EVENT = re.compile(r"^E\d+\t(.+)$", re.M)


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One gold attribution relation: content pieces and the source span (if any)."""

    content: tuple[tuple[int, int], ...]
    source_text: str | None

    @property
    def content_length(self) -> int:
        """Number of characters in the (possibly discontinuous) content."""
        return sum(end - start for start, end in self.content)


@dataclass(frozen=True, slots=True)
class Article:
    """One dev article: its name, text and gold attributions from one annotator."""

    name: str
    text: str
    gold: tuple[GoldAttribution, ...]


def _spans(spec: str) -> tuple[tuple[int, int], ...]:
    pieces = []
    for piece in spec.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(pieces)


def parse_ann(ann: str, text: str) -> tuple[GoldAttribution, ...]:
    """Parse a brat .ann file into gold attributions (every E line with a Content span)."""
    bounds = {m.group(1): (m.group(2), _spans(m.group(3))) for m in _TEXT_BOUND.finditer(ann)}
    gold = []
    for event in _EVENT.finditer(ann):
        content: list[tuple[int, int]] = []
        source_text = None
        for argument in event.group(1).split():
            role, _, ref = argument.partition(":")
            if ref not in bounds:
                continue
            spans = bounds[ref][1]
            if role.startswith("Content"):
                content.extend(spans)
            elif role == "Source":
                source_text = " ".join(text[s:e] for s, e in spans)
        if content:
            gold.append(GoldAttribution(tuple(sorted(content)), source_text))
    return tuple(gold)


def load(data: Path = DEFAULT_DATA) -> list[Article]:
    """Load every article with the first annotator's file (sorted by name); [] when absent."""
    text_dir, ann_dir = data / "text", data / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        return []
    articles = []
    for text_path in sorted(text_dir.glob("*.txt")):
        annotations = sorted(ann_dir.glob(text_path.stem + "_*.ann"))
        if not annotations:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(text_path.stem, text, parse_ann(annotations[0].read_text(encoding="utf-8"), text)))
    return articles
