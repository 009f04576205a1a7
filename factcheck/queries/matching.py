"""Claim matching: earlier check items making the same or a similar claim.

Candidates come from the full-text index (the FTS5 table ``check_items_fts`` on SQLite; on
PostgreSQL the stored ``fts_vector`` column and its GIN index);
``factcheck.facts.rank_items`` scores them with the ranker of ``factcheck.domain.ranking``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.domain.matching import MIN_SIMILARITY, SAME_CLAIM
from factcheck.domain.workflow import Status
from factcheck.facts import rank_items
from factcheck.models import CheckItem, Rating, Verdict
from factcheck.standings import rating_scale


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
        """True when enough of the earlier claim is repeated to call it the same claim."""
        return self.similarity >= SAME_CLAIM


#: The matched items with their claimants, and their verdicts in the relationship's order (built once).
_MATCHED_ITEMS = (select(CheckItem).where(CheckItem.id.in_(bindparam("ids", expanding=True)))
                  .options(joinedload(CheckItem.claimant)))
_MATCHED_VERDICTS = (select(Verdict).where(Verdict.item_id.in_(bindparam("ids", expanding=True)))
                     .order_by(Verdict.id))


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
    """Items making the same or a similar claim, best first (the ranker's order).

    ``before_id`` keeps only earlier items; ``exclude_article_id`` leaves out the item's own article,
    whose sentences often restate each other.
    """
    ranked = [m for m in rank_items(session, claim, exclude_id=exclude_id, before_id=before_id,
                                    exclude_article_id=exclude_article_id, limit=limit)
              if m.score.similarity >= min_similarity]
    if not ranked:
        return []
    rating_scale(session)  # the matches' verdicts then find their ratings in the session
    parameters = {"ids": [m.item_id for m in ranked]}
    items = {item.id: item for item in session.scalars(_MATCHED_ITEMS, parameters)}
    # Their verdicts by a statement built once (a "selectin" load would build its own on every page),
    # set as each item's loaded collection.
    verdicts: dict[int, list[Verdict]] = {item_id: [] for item_id in items}
    for loaded in session.scalars(_MATCHED_VERDICTS, parameters):
        verdicts[loaded.item_id].append(loaded)
    for item_id, item in items.items():
        set_committed_value(item, "verdicts", verdicts[item_id])
    matches = []
    for found in ranked:
        item = items[found.item_id]
        verdict = _shown_verdict(item)
        matches.append(Match(
            item_id=item.id,
            claim_text=item.claim_text,
            status=item.status,
            similarity=found.score.similarity,
            rating=(verdict.final_rating or verdict.rating) if verdict else None,
            summary=verdict.summary if verdict else None,
            claimant_name=item.claimant.name if item.claimant else None,
        ))
    return matches


def _shown_verdict(item: CheckItem) -> Verdict | None:
    """The published verdict, else the one under review; returned and reopened ones are not shown."""
    for verdict in reversed(item.verdicts):
        if verdict.published_at is not None and verdict.closed_at is None:
            return verdict
    current = item.current_verdict
    if current is not None and current.closed_at is None and item.status is Status.VERDICT:
        return current
    return None
