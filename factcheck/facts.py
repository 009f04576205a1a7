"""What the domain's rules read of stored rows, shared by services and queries (below both).

ORM rows become the domain's plain facts here (who stands behind a piece of evidence, how a
panel voted), and the SQL conditions that both the reviewer queue's page and Review next must
agree on are written once. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, UnaryExpression, and_, exists, func, select, text
from sqlalchemy.orm import Session

from factcheck.domain import workflow as wf
from factcheck.domain.matching import PRIORITY_MATCH, index_tokens
from factcheck.domain.ranking import (
    Analysed, CachedLookup, FrequencyLookup, Score, analyse, query_terms, rank_claims,
)
from factcheck.domain.names import publisher_domain
from factcheck.domain.workflow import Decision, Policy, SourceKind, Status
from factcheck.models import CheckItem, Evidence, Source, User, Verdict, Vote


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


#: How many full-text candidates the ranker scores.
CANDIDATES = 60
#: Terms in more than this share of all items are left out of the candidate search (they would
#: make the index rank most of the table); the ranker still counts them.
COMMON_SHARE = 0.05
#: The candidate search keeps at least this many terms, the rarest, however common they are.
MIN_SEARCH_TERMS = 3

#: The expression PostgreSQL's GIN index is built on; it must be written exactly so for the index to be used.
_PG_VECTOR = "to_tsvector('simple', claim_text || ' ' || coalesce(restatement, ''))"


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """An earlier item the ranker found, with how alike it is (``Score.similarity``, 0 … 1)."""

    item_id: int
    score: Score


def _fts_query(token: str, dialect: str) -> str:
    """One index token as a query: ``"word"`` / ``"stem"*`` for FTS5, ``word`` / ``stem:*`` for tsquery."""
    if dialect == "sqlite":
        return f'"{token[:-1]}"*' if token.endswith("*") else f'"{token}"'
    return f"{token[:-1]}:*" if token.endswith("*") else token


def index_frequencies(session: Session, analysed: list[Analysed]) -> FrequencyLookup:
    """Document frequencies of terms as the database's full-text index counts them, one statement per call.

    A term is counted under its index token (``index_tokens``): the words its texts wrote it as.
    """
    dialect = session.get_bind().dialect.name

    def lookup(terms: Collection[str]) -> dict[str, int]:
        tokens: dict[str, str] = {}
        for words in analysed:
            tokens.update(index_tokens(words, [t for t in terms if t in words.weights and t not in tokens]))
        wanted = [t for t in terms if t in tokens]
        if dialect == "sqlite":
            counts = [f"(SELECT count(*) FROM check_items_fts WHERE check_items_fts MATCH :t{n})"
                      for n in range(len(wanted))]
        else:
            counts = [f"(SELECT count(*) FROM check_items WHERE {_PG_VECTOR} @@ to_tsquery('simple', :t{n}))"
                      for n in range(len(wanted))]
        if not wanted:
            return {}
        row = session.execute(text("SELECT " + ", ".join(counts)),
                              {f"t{n}": _fts_query(tokens[t], dialect) for n, t in enumerate(wanted)}).one()
        return {t: int(count) for t, count in zip(wanted, row)}

    return lookup


def rank_items(
    session: Session,
    claim: str,
    *,
    exclude_id: int | None = None,
    before_id: int | None = None,
    exclude_article_id: int | None = None,
    limit: int = 5,
) -> list[ItemMatch]:
    """Items whose claim ``claim`` most likely repeats, best first (``factcheck.domain.ranking``).

    The full-text index finds candidates by the text's rarer terms; the ranker scores them with the
    index's document frequencies. ``before_id`` keeps only earlier items; ``exclude_article_id``
    leaves out an article's own items, whose sentences often restate each other.
    """
    query = analyse(claim)
    terms = query_terms(query)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    documents = session.scalar(select(func.count(CheckItem.id))) or 0
    if documents == 0:
        return []
    lookup = CachedLookup(index_frequencies(session, [query]))
    frequencies = lookup(terms)
    present = sorted((t for t in terms if frequencies.get(t, 0) > 0), key=lambda t: frequencies[t])
    if not present:
        return []
    rare = [t for t in present if frequencies[t] <= COMMON_SHARE * documents]
    searched = present[:max(len(rare), MIN_SEARCH_TERMS)]
    tokens = index_tokens(query, searched)
    conditions = ["c.id != :exclude_id" if exclude_id is not None else "",
                  "c.id < :before_id" if before_id is not None else "",
                  "(c.article_id IS NULL OR c.article_id != :article_id)" if exclude_article_id is not None else ""]
    where = "".join(f" AND {c}" for c in conditions if c)
    parameters: dict[str, Any] = {"n": CANDIDATES, "exclude_id": exclude_id, "before_id": before_id,
                                  "article_id": exclude_article_id}
    if dialect == "sqlite":
        parameters["q"] = " OR ".join(_fts_query(tokens[t], dialect) for t in searched)
        statement = ("SELECT c.id, c.claim_text, c.restatement FROM check_items_fts "
                     "JOIN check_items AS c ON c.id = check_items_fts.rowid "
                     f"WHERE check_items_fts MATCH :q{where} ORDER BY check_items_fts.rank LIMIT :n")
    else:
        parameters["q"] = " | ".join(_fts_query(tokens[t], dialect) for t in searched)
        vector = _PG_VECTOR.replace("claim_text", "c.claim_text").replace("restatement", "c.restatement")
        statement = (f"SELECT c.id, c.claim_text, c.restatement FROM check_items AS c "
                     f"WHERE {vector} @@ to_tsquery('simple', :q){where} "
                     f"ORDER BY ts_rank({vector}, to_tsquery('simple', :q)) DESC, c.id LIMIT :n")
    rows = session.execute(text(statement), {k: v for k, v in parameters.items() if f":{k}" in statement}).all()
    candidates = [(row[0], analyse(row[1] if not row[2] else f"{row[1]} {row[2]}")) for row in rows]
    # The candidates' own words name their terms for the second lookup (coverage of the best ones).
    lookup.source = index_frequencies(session, [query] + [c for _, c in candidates])
    ranked = rank_claims(query, candidates, documents, lookup, limit)
    return [ItemMatch(item_id, result) for item_id, result in ranked]


def best_match_similarity(session: Session, item: CheckItem) -> float:
    """How alike the closest earlier item of another article is (0 below ``PRIORITY_MATCH``)."""
    text_ = item.claim_text if not item.restatement else f"{item.claim_text} {item.restatement}"
    matches = rank_items(session, text_, exclude_id=item.id, before_id=item.id,
                         exclude_article_id=item.article_id, limit=1)
    best = matches[0].score.similarity if matches else 0.0
    return best if best >= PRIORITY_MATCH else 0.0
