"""Claim matching: earlier check items making the same or a similar claim.

Candidates come from the full-text index the initial migration created (FTS5 table
``check_items_fts`` on SQLite, the GIN ``to_tsvector('simple', …)`` expression on PostgreSQL),
ranked there and then re-scored with rapidfuzz so that word order and small edits do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session, selectinload

from factcheck.domain.names import fold
from factcheck.domain.workflow import Status
from factcheck.models import CheckItem, Rating, Verdict

#: How many full-text candidates are re-scored.
CANDIDATES = 60
#: Below this similarity (0 … 1) an earlier item is not shown as a match.
MIN_SIMILARITY = 0.55
#: From this similarity on, the earlier item is taken as the same claim.
SAME_CLAIM = 0.9
#: From this similarity on, a match raises an item's priority (loose matches are shown, not counted).
PRIORITY_MATCH = 0.7

#: Words too common to find a claim by (English and Portuguese, the languages of the archives).
STOPWORDS = frozenset(
    """
    a an and are as at be been but by did do does for from had has have he her his i if in into is it its
    me my no not of on or our says said she so than that the their them then there these they this to
    was we were what when which who will with would you your also about after all more most over just
    o os as um uma de da das do dos e em no na nos nas que por para com se ao mais foi ser nao
    """.split()
)

_WORD = re.compile(r"\w+", re.UNICODE)


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


def search_terms(claim: str, limit: int = 24) -> list[str]:
    """The distinctive words of ``claim`` (accents folded, stopwords and short words out), in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(claim)):
        # Numbers of two digits and more ("20 cm", "1900") identify a claim as well as words do.
        keep = len(word) >= 2 if word.isdigit() else len(word) >= 3 and word not in STOPWORDS
        if keep:
            seen.setdefault(word, None)
    return list(seen)[:limit]


def _candidate_ids(session: Session, terms: list[str], exclude_id: int | None) -> list[int]:
    """Item ids ranked by the database's full-text search."""
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = session.execute(
            text("SELECT rowid FROM check_items_fts WHERE check_items_fts MATCH :q ORDER BY rank LIMIT :n"),
            {"q": query, "n": CANDIDATES + 1},
        ).all()
    else:
        # The expression must be exactly the indexed one for PostgreSQL to use the GIN index.
        vector = "to_tsvector('simple', claim_text || ' ' || coalesce(restatement, ''))"
        rows = session.execute(
            text(f"SELECT id FROM check_items WHERE {vector} @@ to_tsquery('simple', :q) "
                 f"ORDER BY ts_rank({vector}, to_tsquery('simple', :q)) DESC LIMIT :n"),
            {"q": " | ".join(terms), "n": CANDIDATES + 1},
        ).all()
    return [row[0] for row in rows if row[0] != exclude_id]


def similarity(a: str, b: str) -> float:
    """How alike two claims are, 0 … 1: token order ignored, a reworded subset scored a little lower."""
    sort = fuzz.token_sort_ratio(a, b, processor=utils.default_process)
    subset = fuzz.token_set_ratio(a, b, processor=utils.default_process)
    return round(max(sort, 0.9 * subset) / 100.0, 3)


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
    ids = _candidate_ids(session, search_terms(claim), exclude_id)
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
        best = max(similarity(claim, item.claim_text),
                   similarity(claim, item.restatement) if item.restatement else 0.0)
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


def best_match_similarity(session: Session, item: CheckItem) -> float:
    """The similarity of the closest earlier item making the same claim (0 below ``PRIORITY_MATCH``)."""
    matches = similar_items(session, item.claim_text, exclude_id=item.id, before_id=item.id,
                            exclude_article_id=item.article_id, limit=1, min_similarity=PRIORITY_MATCH)
    return matches[0].similarity if matches else 0.0
