"""Claim matching: earlier check items making the same or a similar claim.

Candidates come from the full-text index the initial migration created (FTS5 table
``check_items_fts`` on SQLite, the GIN ``to_tsvector('simple', …)`` expression on PostgreSQL),
ranked there and then re-scored with rapidfuzz so that word order and small edits do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from factcheck.domain.matching import MIN_SIMILARITY, SAME_CLAIM, claim_similarity, search_terms
from factcheck.domain.workflow import Status
from factcheck.facts import candidate_ids
from factcheck.models import CheckItem, Rating, Verdict

@dataclass(frozen=True, slots=True)
class Match:
    """An earlier item that makes the same or a similar claim, with its verdict if it has one."""

    item_id: int
    claim_text: str
    status: Status
    similarity: float
    rating: Rating | None
    summary: str | None
    claimant_name: str | None

    @property
    def is_same(self) -> bool:
        """True when the wording is close enough to call it the same claim."""
        return self.similarity >= SAME_CLAIM


def similar_items(
    session: Session,
    claim: str,
    *,
    exclude_id: int | None = None,
    before_id: int | None = None,
    exclude_article_id: int | None = None,
    limit: int = 5,
    min_similarity: float = MIN_SIMILARITY,
) -> list[Match]:
    """Items making the same or a similar claim, best first.

    ``before_id`` keeps only earlier items; ``exclude_article_id`` leaves out the item's own article,
    whose sentences often restate each other.
    """
    ids = candidate_ids(session, search_terms(claim), exclude_id)
    if before_id is not None:
        ids = [i for i in ids if i < before_id]
    if not ids:
        return []
    items = session.scalars(
        select(CheckItem)
        .where(CheckItem.id.in_(bindparam("ids", expanding=True)))
        .options(
            selectinload(CheckItem.claimant),
            selectinload(CheckItem.verdicts).selectinload(Verdict.final_rating),
            selectinload(CheckItem.verdicts).selectinload(Verdict.rating),
        ),
        {"ids": ids},
    ).all()
    matches = []
    for item in items:
        if exclude_article_id is not None and item.article_id == exclude_article_id:
            continue
        best = claim_similarity(claim, item.claim_text, item.restatement)
        if best < min_similarity:
            continue
        verdict = _shown_verdict(item)
        matches.append(Match(
            item_id=item.id,
            claim_text=item.claim_text,
            status=item.status,
            similarity=best,
            rating=(verdict.final_rating or verdict.rating) if verdict else None,
            summary=verdict.summary if verdict else None,
            claimant_name=item.claimant.name if item.claimant else None,
        ))
    matches.sort(key=lambda m: (-m.similarity, -m.item_id))
    return matches[:limit]


def _shown_verdict(item: CheckItem) -> Verdict | None:
    """The published verdict, else the one under review; returned and reopened ones are not shown."""
    for verdict in reversed(item.verdicts):
        if verdict.published_at is not None and verdict.closed_at is None:
            return verdict
    current = item.current_verdict
    if current is not None and current.closed_at is None and item.status is Status.VERDICT:
        return current
    return None
