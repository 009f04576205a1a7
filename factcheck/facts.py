"""What the domain's rules read of stored rows, shared by services and queries (below both).

ORM rows become the domain's plain facts here (who stands behind a piece of evidence, how a
panel voted), and the SQL conditions that both the reviewer queue's page and Review next must
agree on are written once. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from cachetools import LRUCache
from sqlalchemy import ColumnElement, TextClause, UnaryExpression, and_, exists, func, select, text
from sqlalchemy.orm import Session

from factcheck.db import rows_of
from factcheck.domain import workflow as wf
from factcheck.domain.changes import Snapshot, evidence_piece, review_key, snapshot_of
from factcheck.domain.matching import PRIORITY_MATCH, index_token
from factcheck.domain.ranking import (
    Analysed, CachedLookup, FrequencyLookup, Score, analyse, best_candidates, common_limit, query_terms, rank_claims_many, search_plan,
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


#: The expression PostgreSQL's GIN index is built on; it must be written exactly so for the index to be used.
#: PostgreSQL's stored full-text vector of an item's claim and restatement (a generated column with a
#: GIN index; the models leave it out, as SQLite has its FTS5 table instead).
_PG_VECTOR = "fts_vector"


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """An earlier item the ranker found, with how alike it is (``Score.similarity``, 0 … 1)."""

    item_id: int
    score: Score


#: The longest word, in UTF-8 bytes, PostgreSQL's full-text index keeps (a longer one is dropped from a text's
#: vector, and refused in a query): such a word is in no item there, so it counts 0 and finds nothing.
MAX_INDEXED_WORD_BYTES = 2046


def _indexable(token: str, dialect: str) -> bool:
    """Whether an index token's word can be in the index (``MAX_INDEXED_WORD_BYTES`` on PostgreSQL; FTS5 keeps any)."""
    return dialect != "postgresql" or len(token.removesuffix("*").encode("utf-8")) <= MAX_INDEXED_WORD_BYTES


def _fts_query(token: str, dialect: str) -> str:
    """One index token as a query: ``"word"`` / ``"stem"*`` for FTS5, ``word`` / ``stem:*`` for tsquery."""
    if dialect == "sqlite":
        return f'"{token[:-1]}"*' if token.endswith("*") else f'"{token}"'
    return f"{token[:-1]}:*" if token.endswith("*") else token


def _tokens(analysed: list[Analysed], terms: Collection[str]) -> dict[str, str]:
    """Each term's index token, named by the first of ``analysed`` that has the term."""
    return _Owners(analysed).tokens(terms)


class _Owners:
    """Which of several analysed texts first has each term (its words name the term's index token)."""

    def __init__(self, analysed: list[Analysed]) -> None:
        self.first: dict[str, Analysed] = {}
        for words in reversed(analysed):  # the earliest text's terms written last
            self.first.update(dict.fromkeys(words.weights, words))

    def tokens(self, terms: Collection[str]) -> dict[str, str]:
        """Each term's index token (terms no text has are left out)."""
        first = self.first
        return {term: index_token(first[term], term) for term in terms if term in first}


@dataclass(frozen=True, slots=True)
class Unwritten:
    """An article's items before they are written: the ids kept for them, and in how many of them each index
    token ``check_items_fts_counts`` keeps occurs (as the counts will once they are folded in)."""

    first_id: int
    last_id: int
    counts: Mapping[str, int]
    #: The highest id written before them (read with the ids kept).
    highest_written: int


class NotCounted(Exception):
    """A term's count needs the full-text index, which cannot count items not written yet."""


def index_frequencies(session: Session, analysed: list[Analysed], documents: int,
                      unwritten: Unwritten | None = None, kept: tuple[str, str] | None = None) -> FrequencyLookup:
    """Document frequencies of terms as the database's full-text index counts them, in one or two statements
    per call.

    A term is counted under its index token (``index_tokens``): the words its texts wrote it as;
    counts stop at ``common_limit``. Most tokens' counts are read from ``check_items_fts_counts``
    (``stored_counts``); the index counts the others, and all of them while texts are pending.
    ``unwritten``: items about to be written count as if they were (the lookup raises ``NotCounted``
    where only the index could count). ``kept``: the database's URL and the texts' stamp, under which stored
    counts are kept for the next lookups (``KEPT_TERMS``).
    """
    dialect = session.get_bind().dialect.name
    limit = common_limit(documents)
    owners = _Owners(analysed)
    extra = unwritten.counts if unwritten is not None else {}

    def lookup(terms: Collection[str]) -> dict[str, int]:
        tokens = owners.tokens(terms)
        wanted = [t for t in terms if t in tokens]
        found: dict[str, int] = {}
        stored = [t for t in wanted if _STORED_TOKEN.fullmatch(tokens[t])]
        if stored:
            known = KEPT_TERMS.counts(*kept, [tokens[t] for t in stored]) if kept is not None else {}
            asked = [tokens[t] for t in stored if tokens[t] not in known]
            counted = stored_counts(session, asked) if asked else {}
            if counted is not None and kept is not None:
                KEPT_TERMS.keep_counts(*kept, counted)
                counted.update(known)
            if counted is not None:
                found.update({t: min(counted[tokens[t]] + extra.get(tokens[t], 0), limit) for t in stored})
                wanted = [t for t in wanted if t not in found]
        if wanted and unwritten is not None:
            raise NotCounted(", ".join(tokens[t] for t in wanted[:5]))
        if wanted:
            # A word longer than the index keeps is in no item (and PostgreSQL refuses it in a query).
            found.update({t: 0 for t in wanted if not _indexable(tokens[t], dialect)})
            wanted = [t for t in wanted if _indexable(tokens[t], dialect)]
        if wanted:
            queries = [_fts_query(tokens[t], dialect) for t in wanted]
            parameters = {"queries": json.dumps(queries) if dialect == "sqlite" else queries, "limit": limit}
            counts = {int(n): int(count) for n, count in session.execute(_INDEX_COUNTS[dialect], parameters)}
            found.update({t: min(counts.get(n, 0), limit) for n, t in enumerate(wanted)})
        return found

    return lookup


#: The index tokens ``check_items_fts_counts`` counts (see its migration): words of ASCII letters and digits
#: of at most 40 characters, and such prefixes of 4 to 40 (a query token ends in "*").
_STORED_TOKEN = re.compile(r"[a-z0-9]{1,40}|[a-z0-9]{4,40}\*")


def stored_counts(session: Session, tokens: list[str]) -> dict[str, int] | None:
    """In how many items each index token occurs, as stored in ``check_items_fts_counts`` (one statement);
    None while texts wait to be counted there (``services.term_counts.fold_pending_term_counts``): the
    full-text index must count then.

    Only tokens ``_STORED_TOKEN`` matches are stored; the counts equal the index's for those (the
    migration's triggers feed the table from the same tokenizer).
    """
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(_SQLITE_STORED, {"tokens": json.dumps(tokens)}).all()
    else:
        rows = session.execute(_POSTGRESQL_STORED, {"tokens": tokens}).all()
    if not rows or rows[0][2]:
        return None
    return {token: int(documents or 0) for token, documents, _ in rows}


_SQLITE_STORED = text("SELECT w.value, c.documents, EXISTS (SELECT 1 FROM check_items_fts_pending) "
                      "FROM json_each(:tokens) AS w LEFT JOIN check_items_fts_counts AS c ON c.token = w.value")
#: (A subquery per token, each one lookup in the key's index whatever the plan: a join would let the planner read
#: the whole table into a hash for a few hundred tokens, and ``token = ANY(:tokens)`` under a generic plan made
#: while the table was small scans every row for every token.)
_POSTGRESQL_STORED = text("SELECT t.token, (SELECT c.documents FROM check_items_fts_counts AS c WHERE c.token = t.token), "
                          "EXISTS (SELECT 1 FROM check_items_fts_pending) FROM unnest(CAST(:tokens AS text[])) AS t(token)")


#: Each term's document count, one row per term numbered from 0, in one statement for any number of
#: terms, each counted in the index on its own (on PostgreSQL a GIN lookup, whose entries go straight
#: into the index: see migration b8e4f1a2c3d5); the LIMIT stops counting at the common limit.
#: Terms are folded words and stems, so a plain tsquery literal equals to_tsquery('simple', …).
_INDEX_COUNTS = {
    "sqlite": text("SELECT t.key, (SELECT count(*) FROM (SELECT 1 FROM check_items_fts WHERE check_items_fts "
                   "MATCH t.value LIMIT :limit)) FROM json_each(:queries) AS t"),
    "postgresql": text(f"SELECT t.n - 1, (SELECT count(*) FROM (SELECT 1 FROM check_items WHERE {_PG_VECTOR} @@ t.q "
                       "LIMIT :limit) AS found) FROM unnest(CAST(:queries AS tsquery[])) WITH ORDINALITY AS t(q, n)"),
}


@lru_cache(maxsize=256)
def _postings_statement(dialect: str, where: str) -> TextClause:
    """Each term's items (their ids gathered in one value: thousands cost little as one string or
    array), one row per term numbered from 0, under the conditions ``where`` on ``check_items AS c``.

    Each term's items are found in the index on their own: on PostgreSQL a GIN lookup per term
    (``where`` must not offer the planner another index: the conditions on ``c.id`` are written
    ``c.id + 0``), so the cost follows the lengths of the rare terms' lists, not the collection.
    """
    if dialect == "sqlite":
        items = " JOIN check_items AS c ON c.id = check_items_fts.rowid" if "c." in where else ""
        return text(f"SELECT t.key, (SELECT group_concat(check_items_fts.rowid) FROM check_items_fts{items} "
                    f"WHERE check_items_fts MATCH t.value{where}) FROM json_each(:queries) AS t")
    return text(f"SELECT t.n - 1, ARRAY(SELECT c.id FROM check_items AS c WHERE c.{_PG_VECTOR} @@ t.q{where}) "
                "FROM unnest(CAST(:queries AS tsquery[])) WITH ORDINALITY AS t(q, n)")


def _postings(session: Session, dialect: str, plan: list[str], tokens: dict[str, str], where: str,
              conditions: dict[str, Any]) -> dict[str, list[int]]:
    """The ids of the items each of ``plan``'s terms finds (one statement)."""
    postings: dict[str, list[int]] = {}
    plan = [term for term in plan if _indexable(tokens[term], dialect)]  # (a longer word finds nothing)
    if not plan:
        return postings
    statement = _postings_statement(dialect, where)
    queries = [_fts_query(tokens[term], dialect) for term in plan]
    parameters: dict[str, Any] = {"queries": json.dumps(queries) if dialect == "sqlite" else queries}
    parameters.update({k: v for k, v in conditions.items() if f":{k}" in where})
    for n, ids in session.execute(statement, parameters):
        if ids:
            postings[plan[int(n)]] = [int(i) for i in ids.split(",")] if isinstance(ids, str) else list(ids)
    return postings


def _kept_postings(session: Session, dialect: str, plan: list[str], tokens: dict[str, str], kept: tuple[str, str],
                   before_id: int) -> dict[str, Sequence[int]]:
    """``_postings`` of items before ``before_id``, the lists of tokens ``KEPT_TERMS`` may keep read whole (kept
    for the next article) or taken from what is kept, and cut at ``before_id``."""
    keepable = [term for term in plan if _STORED_TOKEN.fullmatch(tokens[term])]
    known = KEPT_TERMS.lists(*kept, [tokens[term] for term in keepable])
    asked = [term for term in keepable if tokens[term] not in known]
    whole = _postings(session, dialect, asked, tokens, "", {})
    KEPT_TERMS.keep_lists(*kept, {tokens[term]: whole.get(term, []) for term in asked})  # (an empty list too)
    others = [term for term in plan if not _STORED_TOKEN.fullmatch(tokens[term])]
    earlier = " AND check_items_fts.rowid < :before_id" if dialect == "sqlite" else " AND c.id + 0 < :before_id"
    postings: dict[str, Sequence[int]] = dict(_postings(session, dialect, others, tokens, earlier,
                                                        {"before_id": before_id}))
    for term in keepable:
        ids: Sequence[int] = known[tokens[term]] if tokens[term] in known else whole.get(term, [])
        cut = ids[:bisect_left(ids, before_id)]  # (a slice of a kept list is a copy)
        if cut:
            postings[term] = cut
    return postings


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

    The full-text index counts the text's terms and lists the items of the rarer ones; the ranker
    picks candidates from those lists and scores them. ``before_id`` keeps only earlier items;
    ``exclude_article_id`` leaves out an article's own items, whose sentences often restate each other.

    What is found depends on the items' texts alone, so it is kept (``KEPT_MATCHES``) under the stamp
    that names them (``texts_stamp``) and found again without ranking until a text changes.
    """
    stamp = texts_stamp(session)
    if stamp is None:  # a text waits to be counted: nothing kept can be trusted, nor kept
        return rank_many(session, [claim], exclude_id=exclude_id, before_id=before_id,
                         exclude_article_id=exclude_article_id, limit=limit)[0]
    # The text by its digest: a kept question costs a few dozen bytes however long the text.
    digest = hashlib.blake2b(claim.encode(), digest_size=16).digest()
    key = (stamp, str(session.get_bind().engine.url), digest, exclude_id, before_id, exclude_article_id, limit)
    kept = KEPT_MATCHES.get(key)
    if kept is None:
        kept = tuple(rank_many(session, [claim], exclude_id=exclude_id, before_id=before_id,
                               exclude_article_id=exclude_article_id, limit=limit)[0])
        KEPT_MATCHES.put(key, kept)
    return list(kept)


#: The stamp of the items' texts, or NULL while some wait to be counted (see migration e2b7c4f9a6d3).
_TEXTS_STAMP = text("SELECT s.stamp, EXISTS (SELECT 1 FROM check_items_fts_pending) FROM check_items_fts_stamp AS s")


def texts_stamp(session: Session) -> str | None:
    """What names the claims and restatements of all items as they are now, or None while a change waits
    to be counted (one statement).

    Every insert, deletion or change of an item's text is queued by ``check_items``' triggers, and only
    a fold (``services.term_counts``) takes the queue, giving the stamp a new random value in the same
    transaction: while the queue is empty, two reads of the same stamp saw the same texts.
    """
    row = rows_of(session, _TEXTS_STAMP).first()  # flushed first: an unflushed text change shows as waiting
    return None if row is None or row[1] else str(row[0])


class KeptMatches:
    """What ``rank_items`` found, by its question and the texts' stamp: the last ``size`` questions asked
    (per process; a new stamp leaves the others' answers unused until they are pushed out)."""

    def __init__(self, size: int) -> None:
        self._kept: LRUCache[tuple[Any, ...], tuple[ItemMatch, ...]] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> tuple[ItemMatch, ...] | None:
        with self._lock:
            return self._kept.get(key)

    def put(self, key: tuple[Any, ...], found: tuple[ItemMatch, ...]) -> None:
        with self._lock:
            self._kept[key] = found

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


#: Each entry holds the question (its text as a 16-byte digest) and up to ``limit`` (id, score) pairs: well
#: under a kilobyte, so a worker keeps at most a few MiB.
KEPT_MATCHES = KeptMatches(4096)


_K = TypeVar("_K")
_V = TypeVar("_V")


class KeptTerms:
    """What the full-text index told this process of some index tokens at ingest — in how many items each
    occurs (``check_items_fts_counts``) and which items (the index's lists) — kept under the texts' stamp
    (``texts_stamp``) for the next article of a batch: most of an article's words were asked about before.

    Exact while the stamp is the one kept, since a stamp names the items' texts. A fold of this process's own
    new items moves what is kept on to the fold's stamp (``advance``): their counts and words are known then.
    Any other change of the texts (another process's, a fold rolled back) shows as a stamp not kept, and
    everything kept is forgotten. The stamp must name what each statement of the ingest reads: on SQLite a
    write transaction reads one snapshot; on PostgreSQL the transaction holds the fold's lock, so no other
    one moves the counts or the stamp, and texts others commit meanwhile (in the index, waiting to be
    counted) are taken by this transaction's fold, which then forgets what was kept. Only tokens
    ``_STORED_TOKEN`` matches are kept (the fold knows which items' words give them). Lists are kept up to
    ``max_ids`` ids in all, counts up to ``max_counts`` tokens.

    The texts of items read as candidates (claim, and restatement after it) are kept too, up to ``max_texts``:
    an earlier item is a candidate of many later articles' claims. A stamp names every item's texts, and the
    items a fold of this process adds are new, so a text kept under a stamp is still the item's under the next.
    """

    def __init__(self, max_ids: int, max_counts: int, max_texts: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._max_ids, self._max_counts, self._max_texts = max_ids, max_counts, max_texts
        self._where: tuple[str, str] | None = None
        self._counts: dict[str, int] = {}
        self._lists: dict[str, array[int]] = {}
        self._ids = 0  # in all of the lists kept
        self._texts: dict[int, str] = {}

    def _forget(self) -> None:
        self._counts, self._lists, self._ids, self._texts = {}, {}, 0, {}

    def _at(self, url: str, stamp: str) -> bool:
        """Whether what is kept names these texts (under the lock); if not, it is forgotten, and kept for them."""
        if self._where != (url, stamp):
            self._where = (url, stamp)
            self._forget()
            return False
        return True

    def _found(self, url: str, stamp: str, kept: Callable[[KeptTerms], Mapping[_K, _V]],
               keys: Collection[_K]) -> dict[_K, _V]:
        """What ``kept`` (counts, lists or texts) holds of ``keys`` under this stamp (nothing under another)."""
        with self._lock:
            if not self._at(url, stamp):
                return {}
            found = kept(self)
            return {key: found[key] for key in keys if key in found}

    def counts(self, url: str, stamp: str, tokens: Collection[str]) -> dict[str, int]:
        """The kept counts of those of ``tokens`` that are kept."""
        return self._found(url, stamp, lambda kept: kept._counts, tokens)

    def keep_counts(self, url: str, stamp: str, counts: Mapping[str, int]) -> None:
        with self._lock:
            self._at(url, stamp)
            if len(self._counts) + len(counts) > self._max_counts:  # full: start again (a batch's words recur)
                self._forget()
            self._counts.update(counts)

    def lists(self, url: str, stamp: str, tokens: Collection[str]) -> dict[str, array[int]]:
        """The kept lists of items (ascending ids) of those of ``tokens`` that are kept: not to be changed."""
        return self._found(url, stamp, lambda kept: kept._lists, tokens)

    def keep_lists(self, url: str, stamp: str, lists: Mapping[str, list[int]]) -> None:
        with self._lock:
            self._at(url, stamp)
            size = sum(len(ids) for ids in lists.values())
            if self._ids + size > self._max_ids:
                self._forget()
            if size <= self._max_ids:
                self._lists.update((token, array("q", sorted(ids))) for token, ids in lists.items())
                self._ids += size

    def texts(self, url: str, stamp: str, ids: Collection[int]) -> dict[int, str]:
        """The kept texts of those of the items ``ids`` that are kept."""
        return self._found(url, stamp, lambda kept: kept._texts, ids)

    def keep_texts(self, url: str, stamp: str, texts: Mapping[int, str]) -> None:
        with self._lock:
            self._at(url, stamp)
            self._add_texts(texts)

    def _add_texts(self, texts: Mapping[int, str]) -> None:
        """Keep ``texts`` too (under the lock); when full, start again (as counts do)."""
        if len(self._texts) + len(texts) > self._max_texts:
            self._texts = {}
        if len(texts) <= self._max_texts:
            self._texts.update(texts)

    def advance(self, url: str, before: str | None, after: str, changes: Mapping[str, int],
                added: Sequence[tuple[int, Collection[str]]] | None, texts: Mapping[int, str] | None = None) -> None:
        """This process's own fold in a transaction that read the stamp ``before`` (None: texts were waiting) and
        wrote ``after``: ``changes`` of counts, and ``added``: each item it added (ascending ids) with its
        text's keys (None if the fold took texts away or took others' texts); ``texts``: the added items' texts.
        What is kept moves on to ``after`` when it was kept for ``before`` and ``added`` is known; otherwise it
        is forgotten."""
        with self._lock:
            if before is None or added is None or self._where != (url, before):
                self._at(url, after)
                return
            self._where = (url, after)
            if texts:
                self._add_texts(texts)
            counts = self._counts
            for token in counts.keys() & changes.keys():
                counts[token] += changes[token]
            lists = self._lists
            for item_id, keys in added:
                for token in lists.keys() & keys:
                    lists[token].append(item_id)
                    self._ids += 1

    def clear(self) -> None:
        with self._lock:
            self._where = None
            self._forget()


#: At most 1,000,000 item ids (8 MB) and 100,000 counts kept by a process that ingests.
KEPT_TERMS = KeptTerms(max_ids=1_000_000, max_counts=100_000)


def rank_many(
    session: Session,
    claims: list[str],
    *,
    exclude_id: int | None = None,
    before_id: int | None = None,
    exclude_article_id: int | None = None,
    limit: int = 5,
    own_counts: Mapping[str, int] | None = None,
    unwritten: Unwritten | None = None,
    stamp: str | None = None,
) -> list[list[ItemMatch]]:
    """``rank_items`` for several texts at once, with the same conditions for each (an article's claims
    at ingest): their terms are counted in one statement, the items of their rarer terms listed in one,
    and the candidates' texts read in one; each text is then ranked on its own.

    ``own_counts``: in how many of the items from ``before_id`` on each index token occurs (an ingested
    article's, all of the items from there); a term in no other item finds no earlier one, and its
    list is not asked for. ``unwritten``: an article's items about to be written, ranked as they would
    be once written (every stored item is earlier; raises ``NotCounted`` where that cannot be known).
    It gives ``before_id`` (its first id) and ``own_counts`` (its counts) itself, so neither may be passed with it.
    ``stamp``: the texts' stamp, where it names what each statement of this transaction reads (ingest's: on
    SQLite after its fold, on PostgreSQL under the fold's lock): with only ``before_id`` as a condition, counts
    and lists of items are then kept for the next article (``KEPT_TERMS``).
    """
    if unwritten is not None:
        if before_id is not None or own_counts is not None:
            raise TypeError("rank_many takes the unwritten items' first id and counts from `unwritten`: "
                            "pass neither before_id nor own_counts with it")
        before_id, own_counts = unwritten.first_id, unwritten.counts
    queries = [analyse(claim) for claim in claims]
    terms = [query_terms(query) for query in queries]
    # Items are never renumbered, so the highest id counts them (deleted ones too: close enough for idf).
    if unwritten is None:
        documents = session.scalar(select(func.max(CheckItem.id))) or 0
    else:
        documents = max(unwritten.highest_written, unwritten.last_id)
    results: list[list[ItemMatch]] = [[] for _ in claims]
    if documents == 0 or not any(terms):
        return results
    dialect = session.get_bind().dialect.name
    kept = (str(session.get_bind().engine.url), stamp) if (
        stamp is not None and exclude_id is None and exclude_article_id is None and before_id is not None) else None
    lookup = CachedLookup(index_frequencies(session, queries, documents, unwritten, kept))
    frequencies = lookup([t for ts in terms for t in ts])
    plans = [search_plan(ts, frequencies, documents) if ts else [] for ts in terms]
    plan = list(dict.fromkeys(t for p in plans for t in p))
    if not plan:
        return results
    tokens = _tokens(queries, plan)
    if own_counts is not None and before_id is not None:
        common = common_limit(documents)
        plan = [t for t in plan if frequencies[t] >= common or frequencies[t] > own_counts.get(tokens[t], 0)]
    # SQLite reads the items' table only for the article (an id is the index's rowid).
    id_column = ("c.id" if exclude_article_id is not None else "check_items_fts.rowid") if dialect == "sqlite" \
        else "c.id + 0"
    conditions = [f"{id_column} != :exclude_id" if exclude_id is not None else "",
                  f"{id_column} < :before_id" if before_id is not None else "",
                  "(c.article_id IS NULL OR c.article_id != :article_id)" if exclude_article_id is not None else ""]
    where = "".join(f" AND {c}" for c in conditions if c)
    postings: Mapping[str, Sequence[int]]
    if kept is None:
        postings = _postings(session, dialect, plan, tokens, where,
                             {"exclude_id": exclude_id, "before_id": before_id, "article_id": exclude_article_id})
    else:
        postings = _kept_postings(session, dialect, plan, tokens, kept, before_id or 0)
    chosen = [best_candidates({t: postings[t] for t in p if t in postings}, documents,
                              {t: frequencies[t] for t in ts}) for p, ts in zip(plans, terms)]
    wanted = sorted({item_id for ids in chosen for item_id in ids})
    if not wanted:
        return results
    texts = KEPT_TERMS.texts(*kept, wanted) if kept is not None else {}
    asked = [item_id for item_id in wanted if item_id not in texts] if texts else wanted
    if asked:
        rows = session.execute(_CANDIDATE_TEXTS[dialect], {"ids": json.dumps(asked) if dialect == "sqlite" else asked})
        read = {row[0]: row[1] if not row[2] else f"{row[1]} {row[2]}" for row in rows}
        if kept is not None:
            KEPT_TERMS.keep_texts(*kept, read)
        texts.update(read)
    # Each candidate as the ranker takes it, (id, analysed): one pair however many texts it is a candidate for.
    # In order of id: the first text with a term names its index token, so the order must not
    # depend on where PostgreSQL happens to keep the rows.
    candidates = {item_id: (item_id, analyse(texts[item_id])) for item_id in wanted if item_id in texts}
    # The candidates' own words name their other terms for the second lookup (coverage of the best ones).
    lookup.source = index_frequencies(session, queries + [words for _, words in candidates.values()], documents,
                                      unwritten, kept)
    searches = [(query, [candidates[item_id] for item_id in ids if item_id in candidates])
                for query, ids in zip(queries, chosen)]
    ranked = rank_claims_many(searches, documents, lookup, limit)
    return [[ItemMatch(item_id, result) for item_id, result in found] for found in ranked]


#: The candidates' texts in order of id, their ids in one parameter (a list of a thousand bound values
#: costs PostgreSQL a new plan each time).
_CANDIDATE_TEXTS = {
    "sqlite": text("SELECT id, claim_text, restatement FROM check_items WHERE id IN (SELECT value FROM json_each(:ids)) "
                   "ORDER BY id"),
    "postgresql": text("SELECT id, claim_text, restatement FROM check_items WHERE id = ANY(CAST(:ids AS integer[])) "
                       "ORDER BY id"),
}


def new_article_match_similarities(session: Session, item_ids: list[int], claims: list[str], *,
                                   own_counts: Mapping[str, int] | None = None,
                                   stamp: str | None = None) -> dict[int, float]:
    """``best_match_similarity`` of each of a new article's items at once, just written (``item_ids``, with their
    ``claims``), without loading them: every earlier item is another article's, so the condition on the article
    is left out. ``own_counts``: in how many of the article's items each index token occurs; ``stamp``: the texts' stamp
    now (see ``rank_many``)."""
    if not item_ids:
        return {}
    ranked = rank_many(session, claims, before_id=min(item_ids), limit=1, own_counts=own_counts, stamp=stamp)
    return {item_id: _closest(matches) for item_id, matches in zip(item_ids, ranked)}


def _closest(matches: list[ItemMatch]) -> float:
    """The best match's similarity, 0 below ``PRIORITY_MATCH``."""
    best = matches[0].score.similarity if matches else 0.0
    return best if best >= PRIORITY_MATCH else 0.0


def unwritten_match_similarities(session: Session, texts: list[str], unwritten: Unwritten, *,
                                 stamp: str | None = None) -> list[float] | None:
    """``new_article_match_similarities`` of a new article's items before they are written (their texts, in the order
    of the ids kept for them): the same values, or None where they cannot be known so (``NotCounted``)."""
    try:
        ranked = rank_many(session, texts, limit=1, unwritten=unwritten, stamp=stamp)
    except NotCounted:
        return None
    return [_closest(matches) for matches in ranked]


def best_match_similarity(session: Session, item: CheckItem) -> float:
    """How alike the closest earlier item of another article is (0 below ``PRIORITY_MATCH``)."""
    text_ = item.claim_text if not item.restatement else f"{item.claim_text} {item.restatement}"
    matches = rank_items(session, text_, exclude_id=item.id, before_id=item.id,
                         exclude_article_id=item.article_id, limit=1)
    return _closest(matches)


# --- what a reviewer judges -------------------------------------------------------------------


def verdict_review_key(item: CheckItem, verdict: Verdict) -> str:
    """``changes.review_key`` of ``verdict`` under review as the item shows it now."""
    return review_key(verdict.id, item_snapshot(item, verdict))


def item_snapshot(item: CheckItem, verdict: Verdict | None) -> Snapshot:
    """What a reviewer judges of ``item`` now: restatement, evidence, the verdict's rating and summary."""
    return snapshot_of(item.restatement, verdict.rating.key if verdict is not None else None,
                       verdict.summary if verdict is not None else None,
                       [_piece(e) for e in item.evidence])


def _piece(evidence: Evidence) -> dict[str, Any]:
    return evidence_piece(evidence.id, {
        "title": evidence.title, "url": evidence.url, "passage": evidence.passage,
        "source": evidence.source.name if evidence.source is not None else None,
        "stance": evidence.stance.value, "is_anonymous": evidence.is_anonymous,
        "is_off_record": evidence.is_off_record})


# --- what readers saw with a published verdict --------------------------------------------------------


def shown_with_verdict(item: CheckItem) -> dict[str, Any]:
    """What a published card shows of ``item`` besides its verdict, as plain JSON: the claim, the
    restatement, the claimant and chain, the hedges and dates, and each piece of evidence with its flags
    (a reader's view is taken from them when the card is built). Kept on the public verdict when the item
    is reopened (``Verdict.shown``), and read back by ``queries.verdicts`` while the correction is worked on."""
    return {
        "claim_text": item.claim_text,
        "restatement": item.restatement,
        "span": [item.span_start, item.span_end] if item.span_start is not None and item.span_end is not None
        else None,
        "claimant": _shown_source(item.claimant),
        "chain": [{"source": _shown_source(link.source), "verb": link.verb} for link in item.chain],
        "hedges": [str(h) for h in item.hedges or ()],
        "dates": [str(d) for d in item.dates or ()],
        "evidence": [{"id": e.id, "title": e.title, "url": e.url, "passage": e.passage, "stance": e.stance.value,
                      "source": _shown_source(e.source), "is_anonymous": e.is_anonymous,
                      "is_off_record": e.is_off_record, "is_publishable": e.is_publishable}
                     for e in item.evidence],
    }


def _shown_source(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"id": source.id, "name": source.name, "kind": source.kind.value, "same_as": source.same_as,
            "domain": source.domain}
