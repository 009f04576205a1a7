"""What the domain's rules read of stored rows, shared by services and queries (below both).

ORM rows become the domain's plain facts here (who stands behind a piece of evidence, how a
panel voted), and the SQL conditions that both the reviewer queue's page and Review next must
agree on are written once. Nothing here writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, UnaryExpression, and_, exists, func, select, text
from sqlalchemy.orm import Session

from factcheck.domain import workflow as wf
from factcheck.domain.matching import PRIORITY_MATCH, claim_similarity, search_terms
from factcheck.domain.names import publisher_domain
from factcheck.domain.workflow import Decision, Policy, SourceKind, Status
from factcheck.models import CheckItem, Evidence, Source, User, Verdict, Vote

#: How many full-text candidates are re-scored.
CANDIDATES = 60


# --- evidence and review ---------------------------------------------------------------------------


def evidence_facts(evidence: Evidence) -> wf.EvidenceFacts:
    """Who stands behind a piece of evidence: its source, the source's known domain, its link's domain.

    A link's domain names the piece's source only where nothing better does: for a piece without
    a source, and for an outlet or organisation whose domain the desk does not know yet (a person
    quoted on an outlet's site is not that outlet). Shared hosts (video sites, social networks,
    archives) never name anyone.
    """
    keys = set(_source_keys(evidence.source))
    link = publisher_domain(evidence.url)
    source = evidence.source
    if link and (source is None or (source.domain is None and source.kind not in _PEOPLE)):
        keys.add(f"domain:{link}")
    return wf.EvidenceFacts(frozenset(keys), evidence.is_anonymous, evidence.is_off_record, evidence.id)


#: Source kinds whose evidence links point at somebody else's site.
_PEOPLE = frozenset({SourceKind.PERSON, SourceKind.UNNAMED})


def _source_keys(source: Source | None) -> list[str]:
    if source is None:
        return []
    return [f"source:{source.id}"] + ([f"domain:{source.domain}"] if source.domain else [])


def evidence_assessment(item: CheckItem) -> wf.EvidenceAssessment:
    """The independence rule applied to the item's evidence (see ``wf.assess_evidence``)."""
    chain_keys = [key for link in item.chain for key in _source_keys(link.source)]
    return wf.assess_evidence([evidence_facts(e) for e in item.evidence],
                              claimant_keys=_source_keys(item.claimant), chain_keys=chain_keys)


def review_facts(item: CheckItem, policy: Policy) -> tuple[int | None, list[int], wf.Tally]:
    """What the review rules read: the current verdict's author, who voted on it, and the panel's outcome."""
    verdict = item.current_verdict
    if verdict is None:
        return None, [], wf.tally(policy, "", [])
    return verdict.author_id, [v.reviewer_id for v in verdict.votes], panel_outcome(policy, verdict)


def panel_outcome(policy: Policy, verdict: Verdict) -> wf.Tally:
    """The reviewers' outcome so far on ``verdict``; deciding votes are not part of the panel."""
    approvals = [v for v in verdict.votes if v.decision is Decision.APPROVE and not v.is_deciding]
    return wf.tally(policy, verdict.rating.key, [v.rating.key if v.rating else None for v in approvals])



# --- the reviewer queue ------------------------------------------------------------------------------


def _open_verdict() -> ColumnElement[bool]:
    """The verdict under review of the outer item: not returned, not published."""
    return and_(Verdict.item_id == CheckItem.id, Verdict.closed_at.is_(None), Verdict.published_at.is_(None))


def reviewable_by(reviewer: User | Any, approvals_needed: int | Any | None = None) -> ColumnElement[bool]:
    """SQL condition: the item waits for review, ``reviewer`` neither wrote it nor voted on it, and its
    panel is still open (fewer approvals than ``approvals_needed``: a complete panel without a
    majority waits for an editor's deciding vote, not for more reviewers).

    ``reviewer`` is a user, or a bound parameter standing for a user's id (cached statements);
    ``approvals_needed`` is a number or a bound parameter; None leaves the panel out.
    """
    reviewer_id = reviewer.id if isinstance(reviewer, User) else reviewer
    authored = exists().where(_open_verdict(), Verdict.author_id == reviewer_id)
    voted = exists().where(_open_verdict(), Vote.verdict_id == Verdict.id, Vote.reviewer_id == reviewer_id)
    condition = and_(CheckItem.status == Status.VERDICT, ~authored, ~voted)
    if approvals_needed is None:
        return condition
    approvals = (select(func.count(Vote.id)).join(Verdict, Verdict.id == Vote.verdict_id)
                 .where(_open_verdict(), Vote.decision == Decision.APPROVE, Vote.is_deciding.is_(False))
                 .correlate(CheckItem).scalar_subquery())
    return and_(condition, approvals < approvals_needed)


def queue_order() -> tuple[UnaryExpression[Any], ...]:
    """The domain's ``WORK_ORDER`` as SQL: highest priority first, then the longest waiting."""
    columns = (getattr(CheckItem, name) for name, _ in wf.WORK_ORDER)
    return tuple(c.desc() if descending else c.asc() for c, (_, descending) in zip(columns, wf.WORK_ORDER))



# --- claim matching ---------------------------------------------------------------------------------


def candidate_ids(session: Session, terms: list[str], exclude_id: int | None) -> list[int]:
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


def best_match_similarity(session: Session, item: CheckItem) -> float:
    """How alike the closest earlier item of another article is (0 below ``PRIORITY_MATCH``)."""
    ids = [i for i in candidate_ids(session, search_terms(item.claim_text), item.id) if i < item.id]
    if not ids:
        return 0.0
    rows = session.execute(
        select(CheckItem.claim_text, CheckItem.restatement, CheckItem.article_id).where(CheckItem.id.in_(ids))
    ).all()
    best = 0.0
    for claim_text, restatement, article_id in rows:
        if item.article_id is not None and article_id == item.article_id:
            continue
        best = max(best, claim_similarity(item.claim_text, claim_text, restatement))
    return best if best >= PRIORITY_MATCH else 0.0
