"""Ingest: an article's text becomes an article, its check items, their sources and relations.

One call, one transaction: the caller commits, so a failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, selectinload

from factcheck.domain.links import link_problem
from factcheck.domain.names import domain_key
from factcheck.domain.ranking import take_analysed
from factcheck.domain.workflow import AuditAction, AuditEntity, Origin, RelationType, SourceKind, Status
from factcheck.facts import (
    KEPT_TERMS, Unwritten, new_article_match_similarities, texts_stamp, unwritten_match_similarities,
)
from factcheck.models import Article, ChainLink, CheckItem, ItemRelation, Source, User
from factcheck.services.audit import insert_rows, record_event, record_events, table as _table
from factcheck.services.errors import Duplicate, InvalidInput
from factcheck.services.items import created_events
from factcheck.services.reading import ReadArticle, checked_text, normalise_article_text, read_checked
from factcheck.services.sources import (
    find_or_create_source, find_or_create_sources, item_priority, priority_changed, priority_event,
    store_match_similarities, store_priority_changes, unnamed_links,
)
from factcheck.services.term_counts import FOLD_LOCK, Folded, fold_pending_term_counts, term_keys
from factcheck.standings import standings


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What an ingest stored: the article, its items' ids in text order, and how many passages were dropped."""

    article: Article
    item_ids: list[int]
    dropped: int

    @property
    def items(self) -> list[CheckItem]:
        """The items with their chains, in text order (read when asked for: ingest writes them without
        loading them)."""
        session = object_session(self.article)
        if session is None:
            raise RuntimeError("an ingest's items are read in the session that stored them, while it is open")
        found = {item.id: item for item in session.scalars(
            select(CheckItem).where(CheckItem.id.in_(self.item_ids)).options(selectinload(CheckItem.chain)))}
        return [found[item_id] for item_id in self.item_ids]


@dataclass(frozen=True, slots=True)
class _Written:
    """An item ingest wrote, as its first history line names it (``services.items.Made``)."""

    id: int
    origin: Origin = Origin.EXTRACTED


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same article is ingested once."""
    return hashlib.sha256(normalise_article_text(text).encode("utf-8")).hexdigest()


def find_article_by_text(session: Session, text: str) -> Article | None:
    """The article already stored with this text, if any."""
    return session.scalars(select(Article).where(Article.content_hash == content_hash(text))).first()


def _without_overlaps(assertions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assertions in text order, leaving out any whose span overlaps a fuller one kept before it.

    The extractor never returns overlapping spans; this keeps it so for stored articles, whose
    page highlights every item's span once.
    """
    kept: list[dict[str, Any]] = []
    for assertion in sorted(assertions, key=lambda a: (a["start"], -a["end"])):
        if not kept or assertion["start"] >= kept[-1]["end"]:
            kept.append(assertion)
    return kept


def _claim_content_hash(session: Session) -> None:
    """Write the new article row first, so the unique content hash decides between two identical ingests.

    The check above cannot see an ingest of the same text that has not committed yet. On PostgreSQL
    the second INSERT waits for the first transaction and then fails on the unique index; that is
    the same duplicate, reported as one. (SQLite's writers queue, so the check above sees it.)
    The session must be rolled back after this refusal, as after any failed flush.
    """
    try:
        session.flush()
    except IntegrityError as exc:
        if "content_hash" not in str(exc.orig):
            raise
        raise Duplicate("Somebody added this article at the same moment, so it is in factcheck once, as "
                        "theirs. Nothing was changed.") from None


def _default_title(text: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "Untitled article")
    return first[:500]


#: The unique key of source names (``source_aliases.key``): two ingests making the same source at once meet on it.
SOURCE_NAME_KEY = "uq_source_aliases_key"


def _article_sources(session: Session, article: Article, assertions: list[dict[str, Any]], *,
                     outlet: str | None, url: str | None, actor: User | None) -> dict[tuple[str, str], Source]:
    """The article's outlet and every source its chains name, found or made at once, before the items
    (a speaker named in ten sentences is one source).

    On PostgreSQL two ingests may name the same new source at the same moment: the second one's
    INSERT of the name waits for the first transaction and, once it commits, meets the unique key
    of source names. The names are then resolved again after a savepoint, and find the source the
    other ingest made: once is enough, as that one has committed. (SQLite's writers queue.)
    """
    def resolve() -> dict[tuple[str, str], Source]:
        if outlet and outlet.strip():
            article.outlet = find_or_create_source(session, outlet, SourceKind.OUTLET,
                                                   domain=domain_key(url) if url else None, actor=actor)
        return find_or_create_sources(session, [(link["name"], link["kind"]) for assertion in assertions
                                                for link in assertion["chain"]], actor=actor)

    if session.get_bind().dialect.name != "postgresql":
        return resolve()
    savepoint = session.begin_nested()
    try:
        found = resolve()
    except IntegrityError as exc:
        savepoint.rollback()
        if SOURCE_NAME_KEY not in str(exc.orig):
            raise
        return resolve()
    savepoint.commit()
    return found


def ingest_article(
    session: Session,
    text: str | ReadArticle,
    *,
    actor: User | None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published_on: dt.date | None = None,
) -> IngestResult:
    """Store the article with every assertion the extractor finds as a check item in ``claim``.

    ``text``: the article's text, or what ``services.reading.read_article`` made of it (read beforehand,
    perhaps in another process).
    """
    checked = text if isinstance(text, ReadArticle) else checked_text(text)
    for field, value in (("title", title), ("link", url), ("outlet", outlet)):
        if value and "\x00" in value:  # (PostgreSQL cannot store one; SQLite would, and its backup be refused)
            raise InvalidInput(f"The article's {field} holds a NUL character, which cannot be stored: remove it.")
    url = (url or "").strip() or None
    if url and (problem := link_problem(url)) is not None:
        raise InvalidInput(f"The article's link {problem}.")
    # Extraction reads nothing stored, so it runs before the first statement: on SQLite that
    # statement takes the write lock, and a long article must not hold it while it is read.
    read = checked if isinstance(checked, ReadArticle) else read_checked(checked)
    text, extraction = read.text, read.extraction
    # What another process made of the claims' texts for matching is taken as this process's own.
    take_analysed(zip((a["text"] for a in extraction["assertions"]), read.analysed))
    assertions = _without_overlaps(extraction["assertions"])
    digest = content_hash(text)
    existing = session.scalars(select(Article).where(Article.content_hash == digest)).first()
    if existing is not None:
        raise Duplicate(f"This article is already in factcheck as article #{existing.id} "
                        f"(“{existing.title}”). Nothing was changed.")
    article = Article(
        title=((title or "").strip() or _default_title(text))[:500],
        url=url,
        published_on=published_on,
        text=text,
        content_hash=digest,
        dropped=[{"start": d["start"], "end": d["end"], "reason": d["reason"]} for d in extraction["dropped"]],
        created_by_id=actor.id if actor else None,
    )
    session.add(article)
    _claim_content_hash(session)
    record_event(session, action=AuditAction.CREATE, entity=AuditEntity.ARTICLE, entity_id=article.id, actor=actor,
                 payload={"title": article.title, "assertions": len(assertions)})
    sources = _article_sources(session, article, assertions, outlet=outlet, url=url, actor=actor)
    reserved = _reserve_ids(session, assertions)
    # Only a transaction that folds the counts knows them as they will be (others' texts may be waiting).
    if reserved is not None and reserved.folds:
        # The fold's lock is held: no other transaction moves the stamp or the counts before this one ends. Others
        # may still commit texts meanwhile (they wait to be counted): the fold below tells.
        before = texts_stamp(session)
        computed = _priorities_before_writing(session, assertions, sources, reserved, before)
        if computed is not None:
            early, similarities = computed
            # Each item is written once, with its priority (and its match's similarity): an UPDATE afterwards would
            # write the row and every one of its indexes again (the priority is in the queue's index, so it cannot
            # stay on its page).
            ids = _insert_items(session, article, assertions, sources, reserved.ids, [p for p, _ in early],
                                similarities)
            _insert_relations(session, assertions, ids, actor)
            folded = fold_pending_term_counts(session, locked=True)
            if folded.added != len(ids) or folded.removed:
                # Texts another transaction committed after ``before`` was read came in with the fold: the
                # priorities, computed without them (from the index as it was, or from what this process kept),
                # are computed again now that every text is written and counted, as after writing.
                early = _priorities_after_writing(session, assertions, sources, ids, early)
            record_events(session, [*created_events([_Written(item_id) for item_id in ids], actor), *(
                priority_event(item_id, float(assertion["checkworthiness"]), value, _PRIORITY_REASON)
                for item_id, assertion, (value, changed) in zip(ids, assertions, early) if changed)])
            _keep_on(session, before, folded, ids, reserved.keys, assertions)
            return IngestResult(article, ids, len(extraction["dropped"]))
    # The texts' stamp before this article's are written (SQLite: what this process kept of the index under it
    # moves on with the fold below, for the next article of a batch).
    before = texts_stamp(session) if session.get_bind().dialect.name == "sqlite" else None
    ids = _insert_items(session, article, assertions, sources, reserved.ids if reserved else None)
    folded = fold_pending_term_counts(session)
    # When the fold counted this article's texts and nothing else, its counts say which words no earlier
    # item has (their lists of earlier items are empty, and are not asked for).
    own_counts = folded.changes if folded.added == len(ids) and not folded.removed else None
    stamp = _keep_on(session, before, folded, ids, folded.added_keys, assertions)
    _insert_relations(session, assertions, ids, actor)
    # Priority needs earlier matches, so it is set once the items exist (the full-text index counts them):
    # all of the article's at once, with one UPDATE.
    matches = new_article_match_similarities(session, ids, [a["text"] for a in assertions], own_counts=own_counts,
                                             stamp=stamp)
    store_match_similarities(session, matches)  # (in the process on SQLite: costs little)
    priorities = _priorities(session, assertions, sources, ids, [matches[item_id] for item_id in ids])
    # An item's priority starts as its check-worthiness; the items' first history lines (``record_created``'s)
    # go in the same INSERT as their priorities' lines.
    changes = [(item_id, float(assertion["checkworthiness"]), value)
               for item_id, assertion, value in zip(ids, assertions, priorities)
               if priority_changed(float(assertion["checkworthiness"]), value)]
    store_priority_changes(session, changes, _PRIORITY_REASON,
                           preceding_events=created_events([_Written(item_id) for item_id in ids], actor))
    return IngestResult(article, ids, len(extraction["dropped"]))


def _keep_on(session: Session, before: str | None, folded: Folded, ids: list[int],
             keys: Sequence[Collection[str]], assertions: list[dict[str, Any]]) -> str | None:
    """After this article's fold: what this process kept of the index under the stamp ``before`` moves on to
    the fold's (``facts.KEPT_TERMS``), given each new item's keys and text (its claim: it has no restatement
    yet); the stamp now, or None when it is not known (texts were waiting before, or nothing was folded)."""
    if before is None or folded.stamp is None:
        return None
    alone = folded.added == len(ids) and not folded.removed and len(keys) == len(ids)
    KEPT_TERMS.advance(str(session.get_bind().engine.url), before, folded.stamp, folded.changes,
                       list(zip(ids, keys)) if alone else None,
                       {item_id: assertion["text"] for item_id, assertion in zip(ids, assertions)})
    return folded.stamp


#: Why an ingested item's priority is what it is (its history line).
_PRIORITY_REASON = "computed when the article came in"


def _relations(assertions: list[dict[str, Any]], ids: list[int]) -> list[tuple[int, int, RelationType]]:
    """The relations the extractor found between the article's items (``ids``: each assertion's item), as
    (item, target, type), each once (as one ItemRelation per pair and type), in text order."""
    by_id = {assertion["id"]: item_id for assertion, item_id in zip(assertions, ids)}
    relations: dict[tuple[int, int, RelationType], None] = {}
    for assertion in assertions:
        for relation in assertion["relations"]:
            item_id, target_id = by_id[assertion["id"]], by_id.get(relation["target"])
            if target_id is not None and target_id != item_id:
                relations[item_id, target_id, RelationType(relation["type"])] = None
    return list(relations)


def _insert_relations(session: Session, assertions: list[dict[str, Any]], ids: list[int],
                      actor: User | None) -> None:
    """The relations between the article's items (``_relations``), with one INSERT."""
    rows = [{"item_id": item_id, "target_id": target_id, "type": type_, "created_by_id": actor.id if actor else None}
            for item_id, target_id, type_ in _relations(assertions, ids)]
    insert_rows(session, _table(ItemRelation), rows)


def _chains(assertions: list[dict[str, Any]], sources: dict[tuple[str, str], Source]) -> list[list[Source]]:
    """Each assertion's chain of sources, claimant first (``find_or_create_sources``' keys)."""
    return [[sources[link["name"], SourceKind(link["kind"]).value] for link in assertion["chain"]]
            for assertion in assertions]


def _priorities(session: Session, assertions: list[dict[str, Any]], sources: dict[tuple[str, str], Source],
                ids: list[int], similarities: list[float]) -> list[float]:
    """The article's items' priorities (``ids``: each assertion's item; ``similarities``: each one's closest
    earlier item of another article), the same whether the items are written yet or not: ``compute_priority``
    of values ingest knows. The claimants' records are read at once, and an item that repeats another of
    the article's counts as a perfect match (as ``compute_priority`` reads a recorded repeat)."""
    chains = _chains(assertions, sources)
    claimants = {chain[0].id: chain[0] for chain in chains if chain}
    means = {source_id: s.score.mean for source_id, s in standings(session, claimants.values()).items()}
    repeating = {item_id for item_id, _, type_ in _relations(assertions, ids) if type_ is RelationType.REPEATS}
    return [item_priority(float(assertion["checkworthiness"]), means[chain[0].id] if chain else None,
                          len(assertion["hedges"]), unnamed_links(chain), 1.0 if item_id in repeating else similarity)
            for assertion, item_id, chain, similarity in zip(assertions, ids, chains, similarities)]


@dataclass(frozen=True, slots=True)
class _Reserved:
    """Ids taken from the items' sequence for an article's items (in text order), and the keys of each text's
    index words (``term_keys``: what the fold will count of it)."""

    ids: list[int]
    keys: list[set[str]]
    #: The highest id of the items written before.
    highest_written: int
    #: Whether this transaction folds the term counts (it holds the lock until it ends).
    folds: bool


#: PostgreSQL: one id from the items' sequence for each text, the text's words as its stored vector will hold
#: them (the same expression as the generated column ``fts_vector``, for an item without a restatement), the
#: highest id written, and whether this transaction now holds the fold's lock (asked once).
_POSTGRESQL_RESERVE = text(
    "SELECT t.n, nextval(pg_get_serial_sequence('check_items', 'id')), "
    "tsvector_to_array(to_tsvector('simple', t.claim || ' ' || '')), (SELECT max(id) FROM check_items), "
    "(SELECT pg_try_advisory_xact_lock(:key)) FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS t(claim, n)")


def _reserve_ids(session: Session, assertions: list[dict[str, Any]]) -> _Reserved | None:
    """PostgreSQL: ids for the article's items before they are written, with their texts' words, and the
    fold's lock if no other transaction holds it. None on SQLite, whose UPDATE of the priorities after
    writing costs little."""
    if not assertions or session.get_bind().dialect.name != "postgresql":
        return None
    rows = sorted(session.execute(_POSTGRESQL_RESERVE, {"texts": [a["text"] for a in assertions],
                                                        "key": FOLD_LOCK}).all())
    # In text order, as the items' INSERT would number them.
    return _Reserved(sorted(int(row[1]) for row in rows), [term_keys(list(row[2])) for row in rows],
                     int(rows[0][3] or 0), bool(rows[0][4]))


def _priorities_before_writing(session: Session, assertions: list[dict[str, Any]],
                               sources: dict[tuple[str, str], Source], reserved: _Reserved,
                               stamp: str | None) -> tuple[list[tuple[float, bool]], list[float]] | None:
    """Each item's priority, and whether it differs from its check-worthiness (a history line), computed
    before the items are written exactly as after: matching counts their words as the fold will
    (``facts.Unwritten``); and each one's closest earlier item's similarity. None where matching needs the
    full-text index for a word (non-ASCII, very long, or texts of other transactions waiting to be counted).
    ``stamp``: the texts' stamp, read while this transaction holds the fold's lock."""
    counts: dict[str, int] = {}
    for keys in reserved.keys:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    unwritten = Unwritten(reserved.ids[0], reserved.ids[-1], counts, reserved.highest_written)
    similarities = unwritten_match_similarities(session, [a["text"] for a in assertions], unwritten, stamp=stamp)
    if similarities is None:
        return None
    priorities = _priorities(session, assertions, sources, reserved.ids, similarities)
    # Changed as ``store_priorities`` tells it after writing (an item's priority starts as its check-worthiness).
    return [(value, priority_changed(float(assertion["checkworthiness"]), value))
            for assertion, value in zip(assertions, priorities)], similarities


def _priorities_after_writing(session: Session, assertions: list[dict[str, Any]],
                              sources: dict[tuple[str, str], Source], ids: list[int],
                              written: list[tuple[float, bool]]) -> list[tuple[float, bool]]:
    """The written items' priorities computed again, now that they and every other text are counted, the ones that
    differ from ``written`` (what they were written with) updated; each with whether it differs from its
    check-worthiness (a history line), as ``_priorities_before_writing`` gives them."""
    matches = new_article_match_similarities(session, ids, [a["text"] for a in assertions])
    store_match_similarities(session, matches)
    priorities = _priorities(session, assertions, sources, ids, [matches[item_id] for item_id in ids])
    changed = [{"changed_id": item_id, "changed_priority": value}
               for item_id, value, (before, _) in zip(ids, priorities, written) if value != before]
    if changed:
        items = _table(CheckItem)
        session.execute(update(items).where(items.c.id == bindparam("changed_id"))
                        .values(priority=bindparam("changed_priority")), changed)
    return [(value, priority_changed(float(assertion["checkworthiness"]), value))
            for assertion, value in zip(assertions, priorities)]


def _hedge_spans(assertion: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the assertion's hedges are written, for labels it lists (the extractor gives one span per label)."""
    labels = set(assertion["hedges"])
    return [{"label": str(h["label"]), "start": int(h["start"]), "end": int(h["end"])}
            for h in assertion.get("hedge_spans", ()) if h["label"] in labels]


def _insert_items(session: Session, article: Article, assertions: list[dict[str, Any]],
                  sources: dict[tuple[str, str], Source], ids: list[int] | None = None,
                  priorities: list[float] | None = None, similarities: list[float] | None = None) -> list[int]:
    """The article's items and their chains, written with one INSERT each (however many items there are); the
    items' ids in text order. ``ids``: the ids kept for them (``_reserve_ids``); ``priorities``: theirs (else
    their check-worthiness); ``similarities``: their closest earlier items' (else computed later)."""
    if not assertions:
        return []
    rows = []
    chains = _chains(assertions, sources)
    for n, assertion in enumerate(assertions):
        if not assertion["text"].strip():
            raise InvalidInput("A check item needs the claim as written.")
        chain = chains[n]
        rows.append({"article_id": article.id, "span_start": assertion["start"], "span_end": assertion["end"],
                     "claim_text": assertion["text"], "claimant_id": chain[0].id if chain else None,
                     "hedges": list(assertion["hedges"]), "hedge_spans": _hedge_spans(assertion),
                     "dates": list(assertion["dates"]), "status": Status.CLAIM,
                     "checkworthiness": float(assertion["checkworthiness"]),
                     "priority": float(assertion["checkworthiness"]) if priorities is None else priorities[n],
                     "origin": Origin.EXTRACTED})
        if ids is not None:
            rows[-1]["id"] = ids[n]
        if similarities is not None:
            rows[-1]["match_similarity"] = similarities[n]
    if ids is not None:  # (PostgreSQL: the ids are known, so nothing is read back)
        insert_rows(session, _table(CheckItem), rows)
        by_start = {assertion["start"]: item_id for assertion, item_id in zip(assertions, ids)}
    else:  # Spans never overlap, so an item's start names it within the article.
        by_start = {start: item_id for start, item_id in session.execute(
            insert(_table(CheckItem)).returning(_table(CheckItem).c.span_start, _table(CheckItem).c.id), rows)}
    links = [{"item_id": by_start[assertion["start"]], "position": position, "source_id": source.id,
              "verb": link["role"][:40]}
             for assertion, chain in zip(assertions, chains)
             for position, (link, source) in enumerate(zip(assertion["chain"], chain))]
    insert_rows(session, _table(ChainLink), links)
    return [by_start[assertion["start"]] for assertion in assertions]
