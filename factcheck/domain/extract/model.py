"""Result types of the extraction pipeline, serialised exactly as DESIGN §4."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Kinds a source may have; "unnamed" covers "sources", "Russian media", "officials".
SOURCE_KINDS = ("person", "outlet", "organisation", "government", "unnamed")

#: Relation types between assertions ("disputes" is folded into "denies").
RELATION_TYPES = ("denies", "supports", "repeats")


@dataclass(frozen=True, slots=True)
class Source:
    """Who made or passed on a statement: a clean name and its kind."""

    name: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form ``{"name", "kind"}``."""
        return {"name": self.name, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Link:
    """One step of an attribution chain: the source and the verb it used."""

    name: str
    kind: str
    role: str

    @property
    def source(self) -> Source:
        """The source of this link without its role."""
        return Source(self.name, self.kind)

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form ``{"name", "kind", "role"}``."""
        return {"name": self.name, "kind": self.kind, "role": self.role}


@dataclass(frozen=True, slots=True)
class Relation:
    """A link from one assertion to an earlier one it denies, supports or repeats."""

    type: str
    target: str

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form ``{"type", "target"}``."""
        return {"type": self.type, "target": self.target}


@dataclass(frozen=True, slots=True)
class Hedge:
    """A hedge label with the span of the words that hedge (offsets into the article)."""

    label: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"label", "start", "end"}``."""
        return {"label": self.label, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Assertion:
    """One checkable assertion with its exact span in the original text.

    ``text == original[start:end]`` always holds, and no two assertions of one article
    overlap.  ``content_start``/``content_end`` delimit the reported content (without
    "X said that"); ``content_spans`` lists its pieces when a quotation runs on after "he
    said" or when overlapping reports were merged into this one; these and ``cue`` are
    kept for callers but are not part of the JSON schema.
    """

    id: str
    text: str
    start: int
    end: int
    chain: tuple[Link, ...] = ()
    hedges: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    checkworthiness: float = 0.0
    content_start: int = 0
    content_end: int = 0
    cue: str | None = None
    content_spans: tuple[tuple[int, int], ...] = ()
    #: Where each hedge of ``hedges`` is written (one span per label, in the same order).
    hedge_spans: tuple[Hedge, ...] = ()

    @property
    def claimant(self) -> Source | None:
        """The originator (first chain link), or None when the article speaks itself."""
        return self.chain[0].source if self.chain else None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of DESIGN §4, plus ``hedge_spans``."""
        claimant = self.claimant
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "claimant": claimant.to_dict() if claimant else None,
            "chain": [link.to_dict() for link in self.chain],
            "hedges": list(self.hedges),
            "hedge_spans": [hedge.to_dict() for hedge in self.hedge_spans],
            "dates": list(self.dates),
            "relations": [relation.to_dict() for relation in self.relations],
            "checkworthiness": self.checkworthiness,
        }


@dataclass(frozen=True, slots=True)
class Dropped:
    """A stretch of the input left out of extraction, and why."""

    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"text", "start", "end", "reason"}``."""
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    assertions: tuple[Assertion, ...] = field(default_factory=tuple)
    dropped: tuple[Dropped, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of DESIGN §4."""
        return {
            "assertions": [assertion.to_dict() for assertion in self.assertions],
            "dropped": [item.to_dict() for item in self.dropped],
        }
