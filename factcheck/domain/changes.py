"""What changed in an item since its verdict was returned: a compact diff for the reviewer.

At a return the service records a snapshot of what the reviewer saw (``Snapshot.as_payload``, kept
in the audit trail's return event); on resubmission the review page compares it with the item now.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The fields of a piece of evidence the diff compares, with their labels.
EVIDENCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"), ("url", "link"), ("source", "source"), ("stance", "stance"), ("passage", "passage"),
    ("is_anonymous", "anonymous"), ("is_off_record", "off the record"),
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The parts of an item a reviewer judges: restatement, evidence pieces, rating and summary."""

    restatement: str | None
    rating: str | None
    summary: str | None
    #: One mapping per piece with ``id`` and the keys of ``EVIDENCE_FIELDS``.
    evidence: tuple[Mapping[str, Any], ...] = ()

    def as_payload(self) -> dict[str, Any]:
        """The snapshot as JSON for the audit trail."""
        return {"restatement": self.restatement, "rating": self.rating, "summary": self.summary,
                "evidence": [dict(piece) for piece in self.evidence]}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Snapshot:
        """A snapshot read back from the audit trail."""
        pieces = payload.get("evidence") or []
        return cls(payload.get("restatement"), payload.get("rating"), payload.get("summary"),
                   tuple(p for p in pieces if isinstance(p, Mapping)))


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field, before and after."""

    label: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class EvidenceChange:
    """A piece of evidence added, removed or edited since the return."""

    kind: str  # "added", "removed" or "edited"
    evidence_id: int | None
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    """Everything that differs between the snapshot at the return and the item now."""

    fields: tuple[FieldChange, ...] = ()
    evidence: tuple[EvidenceChange, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        """True when the author resubmitted without changing anything the reviewer judges."""
        return not self.fields and not self.evidence


def _clean(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """The compact diff from ``before`` (at the return) to ``after`` (now)."""
    fields = tuple(
        FieldChange(label, _clean(old), _clean(new))
        for label, old, new in (("restatement", before.restatement, after.restatement),
                                ("rating", before.rating, after.rating),
                                ("summary", before.summary, after.summary))
        if _clean(old) != _clean(new)
    )
    old_pieces = {p.get("id"): p for p in before.evidence}
    new_pieces = {p.get("id"): p for p in after.evidence}
    changes: list[EvidenceChange] = []
    for piece_id, piece in new_pieces.items():
        old = old_pieces.get(piece_id)
        if old is None:
            changes.append(EvidenceChange("added", piece_id, str(piece.get("title") or "")))
            continue
        edited = tuple(FieldChange(label, _clean(old.get(key)), _clean(piece.get(key)))
                       for key, label in EVIDENCE_FIELDS if _clean(old.get(key)) != _clean(piece.get(key)))
        if edited:
            changes.append(EvidenceChange("edited", piece_id, str(piece.get("title") or ""), edited))
    changes.extend(EvidenceChange("removed", piece_id, str(piece.get("title") or ""))
                   for piece_id, piece in old_pieces.items() if piece_id not in new_pieces)
    return Changes(fields, tuple(changes))


def evidence_piece(evidence_id: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """One piece of evidence as a snapshot keeps it."""
    return {"id": evidence_id, **{key: values.get(key) for key, _label in EVIDENCE_FIELDS}}


def review_key(verdict_id: int, snapshot: Snapshot) -> str:
    """What names a verdict under review as a reviewer reads it: the verdict (a new proposal is a new one) and
    what it rests on (``Snapshot``: restatement, rating, summary, evidence). A vote names the key of what its
    reviewer read, and is refused when the key is no longer the item's (something changed meanwhile)."""
    pieces = sorted((dict(piece) for piece in snapshot.evidence), key=lambda piece: repr(piece.get("id")))
    payload = {**snapshot.as_payload(), "evidence": pieces, "verdict": verdict_id}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def snapshot_of(restatement: str | None, rating: str | None, summary: str | None,
                evidence: Sequence[Mapping[str, Any]]) -> Snapshot:
    """A snapshot from plain values (the service and the review page build theirs the same way)."""
    return Snapshot(restatement, rating, summary, tuple(evidence))
