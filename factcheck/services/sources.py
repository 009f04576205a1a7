"""Sources: finding one by any of its names, creating it, and keeping its track record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, insert, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from factcheck.domain.merges import MAX_MERGE_DEPTH
from factcheck.domain import credibility as cred
from factcheck.domain.names import domain_key, name_key, near_name, person_tokens, surname_key
from factcheck.domain.workflow import (
    AuditAction,
    AuditEntity,
    Capacity,
    RelationType,
    Role,
    RoleRequired,
    SourceKind,
    StaleEdit,
    Status,
    check_version,
)
from factcheck.facts import best_match_similarity
from factcheck.models import (
    MAX_ID,
    Article,
    ChainLink,
    CheckItem,
    Evidence,
    ItemRelation,
    Rating,
    Source,
    SourceAlias,
    SourceRecord,
    User,
)
from factcheck.services.audit import event_row, insert_rows, record_event, record_events, table
from factcheck.standings import standings
from factcheck.services.errors import InvalidInput, NotFound, ServiceError


class MergeCycle(ServiceError):
    """Following merges from a source never ends: the data holds a circle of merges."""

    status_code = 409


def final_source(session: Session, source: Source) -> Source:
    """The source that ``source`` now stands for: itself, or the end of its chain of merges.

    The walk is bounded: a circle of merges (A into B, B into A) or a chain longer than
    ``MAX_MERGE_DEPTH`` raises ``MergeCycle`` with a plain message instead of looping forever.
    """
    seen = [source.id]
    while source.merged_into_id is not None:
        if source.merged_into_id in seen:
            circle = " → ".join(f"#{i}" for i in [*seen[seen.index(source.merged_into_id):], source.merged_into_id])
            raise MergeCycle(f"Sources {circle} were merged into each other in a circle, so none of their names "
                             "can be used. An administrator must undo one of these merges first.")
        if len(seen) > MAX_MERGE_DEPTH:
            raise MergeCycle(f"Source #{seen[0]} was merged more than {MAX_MERGE_DEPTH} times over; its names "
                             "cannot be used until an administrator repairs these merges.")
        following = session.get(Source, source.merged_into_id)
        if following is None:
            break
        seen.append(following.id)
        source = following
    return source


def find_source(session: Session, name: str) -> Source | None:
    """The source with ``name`` as one of its aliases (spelling variants included), or None.

    A merged source's names find the source it was merged into.
    """
    key = name_key(name)
    if not key:
        return None
    alias = session.scalars(select(SourceAlias).where(SourceAlias.key == key)).first()
    return final_source(session, alias.source) if alias is not None else None


def _find_person_by_surname(session: Session, name: str) -> Source | None:
    """A person already known under a longer or shorter form of this name, when exactly one fits.

    "Zelensky" finds "Volodymyr Zelenskyy"; "Volodymyr Zelensky" finds "Zelenskyy". A surname
    shared by two known people is ambiguous and matches neither.
    """
    fitting = _people_by_surname(session, name)
    return fitting[0] if len(fitting) == 1 else None


#: The last word of a name key, written as the index ``ix_source_aliases_last_word`` has it (migration
#: c4a9e7d2b1f8), so that the database reads the index (keys are folded, one space between words).
LAST_WORD: dict[str, ColumnElement[str]] = {
    "sqlite": literal_column("replace(source_aliases.key, rtrim(source_aliases.key, "
                             "replace(source_aliases.key, ' ', '')), '')"),
    "postgresql": literal_column("regexp_replace(source_aliases.key, '^.* ', '')"),
}


def _people_by_surname(session: Session, name: str) -> list[Source]:
    """Every person (not merged away) whose name ends with this name's surname and whose first names agree."""
    tokens = person_tokens(name)
    surname = surname_key(name)
    if not surname:
        return []
    candidates = session.scalars(
        select(Source).where(Source.kind == SourceKind.PERSON, Source.merged_into_id.is_(None))
        .join(SourceAlias, SourceAlias.source_id == Source.id)
        .where(LAST_WORD[session.get_bind().dialect.name] == bindparam("surname", surname))
        .distinct().order_by(Source.id)
    ).all()
    return [c for c in candidates if _first_names_agree(tokens, person_tokens(c.name))]


def find_sources(session: Session, name: str) -> list[Source]:
    """The sources ``name`` may mean, resolved as the source picker resolves a name it is given.

    One of a source's names or spelling variants (a merged source's names mean the source it was
    merged into) gives that source; otherwise a person's surname, or a longer or shorter form of
    their name, gives every known person it fits (several when the surname is shared). Empty when
    nothing fits. Unlike ``find_or_create_source`` it creates nothing.
    """
    if not name_key(name):
        return []
    source = find_source(session, name)
    if source is not None:
        return [source]
    return _people_by_surname(session, " ".join(name.split()))


#: At most this many near names are offered.
NEAR_LIMIT = 5


def near_sources(session: Session, name: str, limit: int = NEAR_LIMIT) -> list[Source]:
    """Sources (not merged away) with a name near ``name`` that does not already name them: the matches a
    person should choose between before a new source is created ("Kremlin" → "Kremlin press office").

    Empty when ``name`` is one of a known source's names. Candidates are the aliases that share a word
    with the name or begin like it (one statement); ``domain.names.near_name`` decides.
    """
    clean = " ".join(name.split())
    key = name_key(clean)
    if not key or find_source(session, clean) is not None:
        return []
    words = [w for w in key.split() if len(w) >= 3]
    conditions = [SourceAlias.key.like(f"{key[:2]}%")]
    conditions += [SourceAlias.key.like(f"%{w}%") for w in words[:8]]
    if len(key) <= 6 and " " not in key:  # an acronym: every source whose name starts with its first letter
        conditions.append(SourceAlias.key.like(f"{key[0]}%"))
    rows = session.execute(
        select(SourceAlias.name, Source).join(Source, Source.id == SourceAlias.source_id)
        .where(Source.merged_into_id.is_(None), or_(*conditions)).order_by(Source.id).limit(2000)
    ).all()
    found: dict[int, Source] = {}
    for alias_name, source in rows:
        if source.id not in found and near_name(clean, alias_name):
            found[source.id] = source
    return list(found.values())[:limit]


def _first_names_agree(a: list[str], b: list[str]) -> bool:
    """Names with the same surname agree unless both give different first names."""
    if len(a) < 2 or len(b) < 2:
        return True
    return a[0] == b[0] or a[0][0] == b[0][0] and (len(a[0]) <= 2 or len(b[0]) <= 2)


def add_alias(session: Session, source: Source, name: str) -> None:
    """Record another name for ``source`` unless it is known already."""
    key = name_key(name)
    if not key:
        return
    existing = session.scalars(select(SourceAlias).where(SourceAlias.key == key)).first()
    if existing is None:
        source.aliases.append(SourceAlias(name=name.strip()[:200], key=key[:200]))


def known_source(session: Session, name: str, kind: SourceKind | str = SourceKind.PERSON, *,
                 domain: str | None = None) -> Source | None:
    """The existing source ``find_or_create_source`` would use for ``name``, or None when it would create one."""
    clean = " ".join(name.split())
    if not name_key(clean):
        return None
    source = find_source(session, clean)
    if source is None and domain:
        by_domain = session.scalars(select(Source).where(Source.domain == domain_key(domain))).first()
        # A merged outlet keeps its domain when the one it was merged into has its own: the survivor is meant.
        source = final_source(session, by_domain) if by_domain is not None else None
    if source is None and SourceKind(kind) is SourceKind.PERSON:
        source = _find_person_by_surname(session, clean)
    return source


def find_or_create_source(
    session: Session,
    name: str,
    kind: SourceKind | str = SourceKind.PERSON,
    *,
    domain: str | None = None,
    actor: User | None = None,
    create_new: bool = False,
) -> Source:
    """The source called ``name`` (by alias, spelling variant or, for people, surname), or a new one.

    ``create_new``: the person chose to create a new source over the near names offered to them, so
    only one of a source's own names (which cannot belong to two sources) finds an existing one.
    """
    clean = " ".join(name.split())
    if not name_key(clean):
        raise InvalidInput("A source needs a name with at least one letter or digit.")
    kind = SourceKind(kind)
    source = find_source(session, clean) if create_new else known_source(session, clean, kind, domain=domain)
    if source is not None:
        add_alias(session, source, clean)
        return source
    source = Source(kind=kind, name=clean[:200], domain=domain_key(domain) if domain else None)
    source.aliases.append(SourceAlias(name=clean[:200], key=name_key(clean)[:200]))
    session.add(source)
    session.flush()
    record_event(session, action=AuditAction.CREATE, entity=AuditEntity.SOURCE, entity_id=source.id, actor=actor,
                 payload={"name": source.name, "kind": source.kind.value})
    return source


def find_or_create_sources(
    session: Session,
    names: Iterable[tuple[str, SourceKind | str]],
    *,
    actor: User | None = None,
) -> dict[tuple[str, str], Source]:
    """``find_or_create_source`` for each ``(name, kind)`` in turn, with a fixed number of statements.

    The result is the same as calling it for each name in order (an article's speakers at
    ingest): a name finds a source created or given an alias for an earlier name. The aliases of
    all the names are read in one query and the people their surnames may mean in another; the
    new sources are written in one flush, with their audit events in one INSERT. Keys of the
    result are ``(name, kind)`` as given.
    """
    wanted = list(dict.fromkeys((name, SourceKind(kind).value) for name, kind in names))
    cleans: dict[str, tuple[str, str]] = {}  # each name as written once spaces are folded, and its key
    for name, _ in wanted:
        if name not in cleans:
            clean = " ".join(name.split())
            cleans[name] = clean, name_key(clean)
            if not cleans[name][1]:
                raise InvalidInput("A source needs a name with at least one letter or digit.")
    if not wanted:
        return {}
    keys = {key for _, key in cleans.values()}
    by_key: dict[str, Source] = {}
    for key, known in session.execute(select(SourceAlias.key, Source).join(Source, Source.id == SourceAlias.source_id)
                                      .where(SourceAlias.key.in_(keys))):
        by_key[key] = known
    people = _PeopleBySurname(session, {surname_key(cleans[name][0]) for name, kind in wanted
                                        if kind == SourceKind.PERSON and cleans[name][1] not in by_key})
    found: dict[tuple[str, str], Source] = {}
    created: list[Source] = []  # not added to the session: written below with one INSERT
    aliases: list[tuple[Source, str, str]] = []  # new names of sources, in the order they were met
    for name, kind in wanted:
        clean, key = cleans[name]
        source: Source | None = by_key.get(key)
        if source is not None:
            source = final_source(session, source)
        if source is None and kind == SourceKind.PERSON:
            source = people.only_one(clean)
        if source is None:
            source = Source(kind=SourceKind(kind), name=clean[:200], domain=None)
            created.append(source)
        if key not in by_key:  # a new source's first name, or another name for a known one (add_alias)
            aliases.append((source, clean[:200], key[:200]))
            by_key[key[:200]] = source
            people.add_key(source, key[:200])
        found[name, kind] = source
    if created:
        # Names and kinds tell the new rows apart: a name met twice found the source made for it.
        made = {(name, kind): source_id for source_id, name, kind in session.execute(
            insert(table(Source)).returning(table(Source).c.id, table(Source).c.name, table(Source).c.kind),
            [{"kind": source.kind, "name": source.name, "domain": None} for source in created])}
        stored = {source.id: source for source in session.scalars(select(Source).where(Source.id.in_(made.values())))}
        new = {id(source): stored[made[source.name, source.kind]] for source in created}
        found = {wanted_: new.get(id(source), source) for wanted_, source in found.items()}
        aliases = [(new.get(id(source), source), alias, key) for source, alias, key in aliases]
        created = [new[id(source)] for source in created]
    if aliases:
        insert_rows(session, table(SourceAlias), [{"source_id": source.id, "name": alias, "key": key}
                                                  for source, alias, key in aliases])
        for source in {id(source): source for source, _, _ in aliases}.values():
            if source not in created:
                session.expire(source, ["aliases"])  # a list loaded before must show the new name
    record_events(session, [event_row(action=AuditAction.CREATE, entity=AuditEntity.SOURCE, entity_id=source.id,
                                      actor=actor, payload={"name": source.name, "kind": source.kind.value})
                            for source in created])
    return found


class _PeopleBySurname:
    """The people (not merged away) whom some surnames may mean, read in one query and kept up to date
    as names are resolved in turn: what ``_people_by_surname`` would find for each."""

    def __init__(self, session: Session, surnames: set[str | None]) -> None:
        #: Each person (by ``id()``: new ones have no id yet) and their alias keys that may matter.
        self.people: dict[int, tuple[Source, set[str]]] = {}
        wanted = sorted(s for s in surnames if s)
        if not wanted:
            return
        # A key equal to the surname or ending in " surname": its last word, as the index of last words has it.
        last_word = LAST_WORD[session.get_bind().dialect.name]
        rows = session.execute(
            select(SourceAlias.key, Source).join(Source, Source.id == SourceAlias.source_id)
            .where(Source.kind == SourceKind.PERSON, Source.merged_into_id.is_(None),
                   last_word.in_(bindparam("surnames", wanted, expanding=True)))
        )
        for key, source in rows:
            self.add_key(source, key)

    def add_key(self, source: Source, key: str) -> None:
        """``source`` is now known by ``key`` too (people only: other kinds are never found by surname)."""
        if source.kind is SourceKind.PERSON and source.merged_into_id is None:
            self.people.setdefault(id(source), (source, set()))[1].add(key)

    def only_one(self, name: str) -> Source | None:
        """The one person ``name`` fits by surname (``_find_person_by_surname``), or None."""
        surname = surname_key(name)
        if not surname:
            return None
        tokens = person_tokens(name)
        fitting = [source for source, keys in self.people.values()
                   if any(k == surname or k.endswith(f" {surname}") for k in keys)
                   and _first_names_agree(tokens, person_tokens(source.name))]
        return fitting[0] if len(fitting) == 1 else None


def record_capacities(item: CheckItem) -> dict[int, str]:
    """The sources whose records a published verdict of ``item`` counts in, with their capacity.

    The claimant counts as "claimant"; every other source of the chain as "relay" (a source in
    both places counts once, as claimant).
    """
    return _capacities(item.claimant_id, (link.source_id for link in item.chain))


def _capacities(claimant_id: int | None, chain_source_ids: Iterable[int]) -> dict[int, str]:
    """``record_capacities`` of a claimant and the sources of a chain in order."""
    capacities: dict[int, str] = {}
    if claimant_id is not None:
        capacities[claimant_id] = Capacity.CLAIMANT
    for source_id in chain_source_ids:
        capacities.setdefault(source_id, Capacity.RELAY)
    return capacities


def apply_published_verdict(
    session: Session,
    item: CheckItem,
    rating: Rating,
    delta: int,
    *,
    refresh: bool = True,
) -> None:
    """Add (+1) or remove (-1) a published verdict from the claimant's and relays' records.

    Called when a verdict is published, and with -1 when it is reopened, so scores stay current
    without recounting every item; the open items of the claimant then get their priority again.

    Each row changes with one atomic statement (``INSERT … ON CONFLICT DO UPDATE SET count =
    count + …``, or an UPDATE that stops at 0), so two reviewers publishing for one source at the
    same moment both count, and neither fails on a row the other just created. The sources are
    locked first, in order of id, and their rows written in the same order: publications touching
    the same sources queue one behind the other instead of deadlocking (see ``lock_sources``).

    Archive imports add many verdicts' counts at once with the same statements (``add_to_records``).
    """
    capacities = record_capacities(item)
    lock_sources(session, capacities)
    if session.get_bind().dialect.name == "postgresql":
        # A merge of one of these sources that committed while this waited for its lock has moved the item's
        # claimant or links to the kept source: the verdict counts where the item points now. The kept source
        # is locked too before anything is counted (a merge in progress holds it; once this holds it, none can
        # move the item again before this transaction ends).
        session.flush()
        for _ in range(MAX_MERGE_DEPTH + 1):
            stored = _stored_capacities(session, item.id)
            if stored == capacities:
                break
            lock_sources(session, stored.keys() - capacities.keys())
            capacities = stored
        else:
            raise ServiceError("The item's sources kept changing while its record was counted; nothing was "
                               "recorded. Try again.")
        if capacities != record_capacities(item):  # what the session holds of the item follows the rows
            for link in item.chain:
                session.expire(link)
            session.expire(item, ["claimant_id", "claimant", "chain"])
    add_to_records(session, {(source_id, capacity, rating.id): delta for source_id, capacity in capacities.items()})
    if refresh and item.claimant_id is not None:
        _refresh_open_items_of(session, item.claimant_id)


def _stored_capacities(session: Session, item_id: int) -> dict[int, str]:
    """``record_capacities`` of the item as its rows are now (not as the session loaded them)."""
    return _capacities(session.scalar(select(CheckItem.claimant_id).where(CheckItem.id == item_id)),
                       session.scalars(select(ChainLink.source_id).where(ChainLink.item_id == item_id)
                                       .order_by(ChainLink.position)))


#: Sources locked by one statement of ``lock_sources``.
_LOCK_CHUNK = 10_000


def lock_sources(session: Session, source_ids: Iterable[int]) -> None:
    """Lock the sources' rows in order of id until the transaction ends (PostgreSQL; SQLite's write lock suffices).

    Publishing changes a source's record and then the priority of its open items; two publications
    for one source doing that side by side could lock those items in different orders. With the
    source locked first they run one after the other. ``FOR NO KEY UPDATE`` does not block rows that
    merely refer to the source (chain links, evidence, records).
    """
    ids = sorted(set(source_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        # In ascending chunks (a statement binds at most 65,535 values; an archive import names tens of thousands),
        # which keeps the order of id across them.
        for start in range(0, len(ids), _LOCK_CHUNK):
            session.execute(select(Source.id).where(Source.id.in_(ids[start:start + _LOCK_CHUNK])).order_by(Source.id)
                            .with_for_update(key_share=True))


def _refresh_open_items_of(session: Session, source_id: int, reason: str = "the claimant's record changed") -> None:
    """Recompute the priorities of the source's open items, locking first the ones nobody else holds.

    The recomputation reads the open items, scores them (slow: claim matching) and then writes
    them. Meanwhile one of them may have been proposed and then taken by a reviewer, whose vote
    holds its row and waits for this source's lock: writing that item would close a circle of
    waits. Locking the open items up front with ``SKIP LOCKED`` (PostgreSQL) keeps the items this
    transaction will write from changing under it, and never waits for anyone.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(CheckItem.id)
                        .where(CheckItem.claimant_id == source_id, CheckItem.status.in_(OPEN_STATUSES))
                        .order_by(CheckItem.id).with_for_update(skip_locked=True, key_share=True))
    refresh_priorities_for_sources(session, {source_id}, reason)


def add_to_records(session: Session, deltas: Mapping[tuple[int, str, int], int]) -> None:
    """Add each delta to its record row ``(source_id, capacity, rating_id)``, atomically, in key order,
    then store the standings of the sources whose records changed (``refresh_standings``).

    A positive delta inserts the row or adds to it (one statement run for all of them, row by row in key order:
    an archive import adds thousands); a negative one subtracts from an existing row and never goes below 0 (there
    is nothing to take away from a missing row).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    added = [{"source_id": key[0], "capacity": key[1], "rating_id": key[2], "count": deltas[key]}
             for key in sorted(deltas) if deltas[key] > 0]
    if added:
        statement = insert(SourceRecord)
        session.execute(statement.on_conflict_do_update(
            index_elements=[SourceRecord.source_id, SourceRecord.capacity, SourceRecord.rating_id],
            set_={"count": SourceRecord.count + statement.excluded.count},
        ), added)
    for (source_id, capacity, rating_id) in sorted(key for key, delta in deltas.items() if delta < 0):
        lowered = SourceRecord.count + deltas[source_id, capacity, rating_id]
        session.execute(
            update(SourceRecord)
            .where(SourceRecord.source_id == source_id, SourceRecord.capacity == capacity,
                   SourceRecord.rating_id == rating_id)
            .values(count=case((lowered < 0, 0), else_=lowered))
            .execution_options(synchronize_session=False)
        )
    for key in (key for key, delta in deltas.items() if delta):  # rows loaded earlier must not show the old count
        loaded = session.identity_map.get(session.identity_key(SourceRecord, key))
        if loaded is not None:
            session.expire(loaded, ["count"])
    refresh_standings(session, {source_id for (source_id, _, _), delta in deltas.items() if delta})


#: Sources whose standings are written back in one statement.
_REFRESH_CHUNK = 500

#: The UPDATE behind ``refresh_standings``: a Core statement on the table, so the optimistic-lock
#: ``version`` stays (a score that moves is not an edit of the source).
_STORE_STANDING = (
    update(Source.__table__)  # type: ignore[arg-type]  # a mapped class's Table
    .where(Source.__table__.c.id == bindparam("sid"))
    .values(standing_mean=bindparam("mean"), record_total=bindparam("total"))
)


def refresh_standings(session: Session, source_ids: Iterable[int]) -> None:
    """Store the sources' score means and record totals again, from their records and priors.

    Everything that changes a record or a prior calls it (publishing and reopening through
    ``add_to_records``, merges, imports, the editorial prior), so the source list can sort by the
    stored values. The sources are locked first (``lock_sources``; a no-op when the caller holds
    them), and only then are their records read: a publication that committed meanwhile is in
    them, and two transactions never store a mean computed from a record the other had changed.
    """
    ids = sorted(set(source_ids))
    if not ids:
        return
    session.flush()
    for start in range(0, len(ids), _REFRESH_CHUNK):
        chunk = ids[start:start + _REFRESH_CHUNK]
        lock_sources(session, chunk)
        loaded = session.scalars(select(Source).where(Source.id.in_(chunk))).all()
        by_id = standings(session, loaded)
        rows = [{"sid": source_id, "mean": standing.score.mean, "total": standing.published}
                for source_id, standing in by_id.items()]
        if rows:
            session.execute(_STORE_STANDING, rows)
        for source in loaded:
            set_committed_value(source, "standing_mean", by_id[source.id].score.mean)
            set_committed_value(source, "record_total", by_id[source.id].published)


# --- priority -------------------------------------------------------------------------------------

#: Statuses whose items wait for someone and so are ordered by priority.
OPEN_STATUSES = (Status.CLAIM, Status.EVIDENCE)


def compute_priority(session: Session, item: CheckItem, *,
                     claimant_means: Mapping[int, float] | None = None,
                     matches: Mapping[int, float] | None = None,
                     repeating: set[int] | None = None) -> float:
    """The item's triage priority from check-worthiness, the claimant's score, hedges and matches.

    See ``factcheck.domain.credibility.priority`` and docs/credibility.md. A recorded "repeats #N"
    counts as a perfect match. ``claimant_means`` holds claimants' scores and ``matches`` items'
    match terms (a recorded repeat included), read already: ingest reads them for a whole article
    at once, and knows its items' relations because it has just written them. ``repeating``: the items
    (of those being computed) that record a repeat, read at once. Otherwise the closest earlier item's
    similarity is the one kept with the item (``match_similarity``), or is found now and kept.
    """
    claimant_mean = None
    if item.claimant is not None:
        if claimant_means is not None and item.claimant.id in claimant_means:
            claimant_mean = claimant_means[item.claimant.id]
        else:
            claimant_mean = standings(session, [item.claimant])[item.claimant.id].score.mean
    unnamed = unnamed_links([link.source for link in item.chain])
    if matches is not None and item.id in matches:
        match = matches[item.id]
    elif item.id in (repeating if repeating is not None else _repeating(session, [item.id])):
        match = 1.0
    else:
        match = match_similarity(session, item)
    return item_priority(item.checkworthiness, claimant_mean, len(item.hedges or ()), unnamed, match,
                         item.reader_requests or 0)


def _repeating(session: Session, item_ids: list[int]) -> set[int]:
    """Which of the items record that they repeat another ("repeats #N")."""
    return set(session.scalars(select(ItemRelation.item_id).where(ItemRelation.item_id.in_(item_ids),
                                                                  ItemRelation.type == RelationType.REPEATS)))


def match_similarity(session: Session, item: CheckItem) -> float:
    """How alike the closest earlier item of another article is: the one kept with the item, else found now
    (``facts.best_match_similarity``) and kept (``store_match_similarities``)."""
    if item.match_similarity is not None:
        return item.match_similarity
    found = best_match_similarity(session, item)
    store_match_similarities(session, {item.id: found}, [item])
    return found


def fill_match_similarities(session: Session, limit: int = 200) -> int:
    """Find and keep the similarity of up to ``limit`` open items that have none (stored before it was kept, or
    typed in and never prioritised since), lowest id first; how many were found. After an upgrade, so that the
    first publication for a claimant with many open items does not match them all inside the request."""
    items = session.scalars(select(CheckItem).where(CheckItem.status.in_(OPEN_STATUSES),
                                                    CheckItem.match_similarity.is_(None))
                            .order_by(CheckItem.id).limit(limit)).all()
    store_match_similarities(session, {item.id: best_match_similarity(session, item) for item in items}, items)
    return len(items)


def store_match_similarities(session: Session, similarities: Mapping[int, float],
                             loaded: Iterable[CheckItem] = ()) -> None:
    """Keep the items' similarities (by id) with one UPDATE, leaving their optimistic-lock versions and their
    ``updated_at`` alone (a computed value is not an edit, and shows nowhere); ``loaded``: those of the items in
    the session, given the value too. For a loaded item, only while its restatement is the one matched: an edit
    committed meanwhile (which forgets the similarity) is not written over with what its old words found."""
    if not similarities:
        return
    items = table(CheckItem)
    # (An item ingest has just written has no restatement, and nobody else can have edited it yet.)
    read = {item_id: None for item_id in similarities} | {item.id: item.restatement for item in loaded}
    session.execute(update(items).where(items.c.id == bindparam("kept_id"),
                                        items.c.restatement.is_not_distinct_from(bindparam("kept_read")))
                    .values(match_similarity=bindparam("kept_similarity"), updated_at=items.c.updated_at),
                    [{"kept_id": item_id, "kept_similarity": value, "kept_read": read[item_id]}
                     for item_id, value in similarities.items()])
    for item in loaded:
        if item.id in similarities:
            set_committed_value(item, "match_similarity", similarities[item.id])


def unnamed_links(chain: Iterable[Source]) -> int:
    """How many of a chain's sources are unnamed (each lowers the prior that the claim is true)."""
    return sum(1 for source in chain if source.kind is SourceKind.UNNAMED)


def item_priority(checkworthiness: float, claimant_mean: float | None, hedges: int, unnamed: int, match: float,
                  reader_requests: int = 0) -> float:
    """``compute_priority`` of the values it reads (ingest knows them before an item is written)."""
    prior_true = cred.item_prior_true(claimant_mean, hedges, unnamed)
    return cred.asked_by_readers(cred.priority(checkworthiness, prior_true, match), reader_requests)


def refresh_priority(session: Session, item: CheckItem, reason: str = "recomputed", *,
                     claimant_means: Mapping[int, float] | None = None,
                     matches: Mapping[int, float] | None = None) -> float:
    """Compute and store the item's priority, unless a person set it; the change goes in its history.

    Written with a plain UPDATE that leaves the optimistic-lock version alone: a recomputed
    priority is not an edit, and must not make a checker's open form stale. ``reason`` says what
    moved it ("repeats #12", "claimant's record changed") in the history.
    """
    if item.priority_is_manual:
        return item.priority
    value = compute_priority(session, item, claimant_means=claimant_means, matches=matches)
    store_priorities(session, [(item, value)], reason)
    return value


def store_priorities(session: Session, computed: Sequence[tuple[CheckItem, float]], reason: str, *,
                     preceding_events: Sequence[dict[str, Any]] = ()) -> None:
    """Store the computed priorities that changed, each with its history line, leaving items a person
    prioritised alone: one UPDATE and one INSERT however many items there are (an article's at ingest).

    ``preceding_events`` (``event_row``s) are written in the same INSERT, before the history lines
    (ingest's items' first lines: one statement fewer an article).
    """
    changed = [(item, value) for item, value in computed
               if not item.priority_is_manual and priority_changed(item.priority, value)]
    store_priority_changes(session, [(item.id, item.priority, value) for item, value in changed], reason,
                           preceding_events=preceding_events)
    for item, value in changed:
        set_committed_value(item, "priority", value)


def store_priority_changes(session: Session, changes: Sequence[tuple[int, float, float]], reason: str, *,
                           preceding_events: Sequence[dict[str, Any]] = ()) -> None:
    """Store computed priorities, given as (item id, priority before, after), each with its history line, for
    items not loaded (a new article's at ingest): what ``store_priorities`` writes, the items a person
    prioritised left alone by the UPDATE's condition. Unchanged priorities must be left out by the caller."""
    if not changes:
        record_events(session, preceding_events)
        return
    items = table(CheckItem)
    session.execute(update(items).where(items.c.id == bindparam("changed_id"), items.c.priority_is_manual.is_(False))
                    .values(priority=bindparam("changed_priority")),
                    [{"changed_id": item_id, "changed_priority": after} for item_id, _, after in changes])
    record_events(session, [*preceding_events, *(priority_event(item_id, before, after, reason)
                                                 for item_id, before, after in changes)])


def priority_changed(before: float, after: float) -> bool:
    """Whether a computed priority differs from the stored one enough to store it (and write its history line)."""
    return round(after, 6) != round(before, 6)


def priority_event(item_id: int, before: float, after: float, reason: str) -> dict[str, Any]:
    """The history line of a computed priority's change (``event_row``)."""
    return event_row(action=AuditAction.PRIORITY, entity=AuditEntity.ITEM, entity_id=item_id, item_id=item_id,
                     actor=None, payload={"priority": [before, after], "because": reason})


def refresh_priorities_for_sources(session: Session, source_ids: set[int] | list[int],
                                   reason: str = "the claimant's record changed") -> int:
    """Recompute the priority of open items whose claimant is one of ``source_ids``; return how many.

    Items whose priority a person set keep it. A fixed number of statements however many items there are: the
    items with their chains, the claimants' scores, the items' recorded repeats, one UPDATE of the priorities that
    changed and one INSERT of their history lines; besides, matching for each item whose similarity was never kept
    (``match_similarity``).
    """
    if not source_ids:
        return 0
    query = (select(CheckItem).where(CheckItem.claimant_id.in_(list(source_ids)), CheckItem.status.in_(OPEN_STATUSES),
                                     CheckItem.priority_is_manual.is_(False))
             .options(selectinload(CheckItem.chain).joinedload(ChainLink.source), joinedload(CheckItem.claimant))
             .order_by(CheckItem.id))
    items = session.scalars(query).unique().all()
    if not items:
        return 0
    claimants = {item.claimant.id: item.claimant for item in items if item.claimant is not None}
    means = {source_id: standing.score.mean for source_id, standing in standings(session, claimants.values()).items()}
    repeating = _repeating(session, [item.id for item in items])
    store_priorities(session, [(item, compute_priority(session, item, claimant_means=means, repeating=repeating))
                               for item in items], reason)
    return len(items)


# --- editing sources --------------------------------------------------------------------------


def get_source(session: Session, source_id: int) -> Source:
    """The source, or NotFound."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"There is no source #{source_id}.")
    return source


def _require_editor(actor: User, what: str) -> None:
    if Role.EDITOR not in actor.roles:
        raise RoleRequired(f"Only an editor can {what}.")


def set_prior(
    session: Session,
    source_id: int,
    actor: User,
    *,
    mean: float | None,
    strength: float | None,
    note: str | None = None,
    version: int | None = None,
) -> Source:
    """Set (or, with neither mean nor strength, clear) a source's editorial prior.

    The prior is stored as Beta pseudo-counts α = mean·strength, β = (1 − mean)·strength. A change
    made against an older version of the source is refused, so two editors never overwrite each other.
    """
    _require_editor(actor, "change a source's prior")
    source = get_source(session, source_id)
    check_version(version, source.version, "source")
    if (mean is None) != (strength is None):
        raise InvalidInput("Give both the mean and the strength, or neither to clear the prior.")
    (low_mean, high_mean), (low_strength, high_strength) = cred.PRIOR_MEAN_LIMITS, cred.PRIOR_STRENGTH_LIMITS
    if mean is not None and not low_mean <= mean <= high_mean:
        raise InvalidInput(f"The mean is a share between {low_mean} and {high_mean}.")
    if strength is not None and not low_strength <= strength <= high_strength:
        raise InvalidInput(f"The strength lies between {low_strength:g} and {high_strength:g} verdicts.")
    before = [source.prior_alpha, source.prior_beta, source.prior_note]
    if mean is None or strength is None:
        source.prior_alpha = source.prior_beta = None
    else:
        prior = cred.Prior.from_mean(mean, strength)
        source.prior_alpha, source.prior_beta = round(prior.alpha, 6), round(prior.beta, 6)
    source.prior_note = (note or "").strip() or None
    after = [source.prior_alpha, source.prior_beta, source.prior_note]
    if after != before:
        record_event(session, action=AuditAction.EDIT, entity=AuditEntity.SOURCE, entity_id=source.id, actor=actor,
                     payload={"prior": [before, after]})
    _flush_source(session)
    if after != before:
        refresh_standings(session, [source.id])
        _refresh_open_items_of(session, source.id, "the claimant's prior changed")
    return source


def _flush_source(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit("Somebody else changed this source at the same moment. Reload it and try again.") from exc


def source_id_ref(ref: str, *, bare: bool = True) -> int | None:
    """The id a reference "#12" (or, with ``bare``, "12") names, or None when it names no id (a name). ASCII digits
    only; an id no row can have (0, past the integers' range) is NotFound, as an unknown id is."""
    ref = (ref or "").strip()
    digits = ref.removeprefix("#")
    if not (digits.isascii() and digits.isdigit()) or not (bare or ref.startswith("#")):
        return None
    if not 1 <= int(digits) <= MAX_ID:
        raise NotFound(f"There is no source #{digits}.")
    return int(digits)


def resolve_source_ref(session: Session, ref: str) -> Source:
    """A source named by "#12", "12" or any of its names; NotFound otherwise."""
    ref = (ref or "").strip()
    source_id = source_id_ref(ref)
    if source_id is not None:
        return get_source(session, source_id)
    source = find_source(session, ref)
    if source is None:
        raise NotFound(f"No source is called “{ref}”. Give one of its names or its #id.")
    return source


def _published_items_of(session: Session, source_ids: list[int]) -> list[CheckItem]:
    """Published items whose claimant or chain includes one of ``source_ids``."""
    in_chain = select(ChainLink.item_id).where(ChainLink.source_id.in_(source_ids))
    return list(session.scalars(
        select(CheckItem).where(CheckItem.status == Status.PUBLISHED,
                                CheckItem.claimant_id.in_(source_ids) | CheckItem.id.in_(in_chain))
        .order_by(CheckItem.id)
    ).all())


def _published_rating(item: CheckItem) -> Rating | None:
    verdict = item.current_verdict
    return verdict.final_rating if verdict is not None else None


def check_merge(session: Session, source_id: int, into: str | int, actor: User) -> tuple[Source, Source]:
    """The sources a merge of ``source_id`` into ``into`` would join, (merged, kept), after every check a
    merge makes; refused as ``merge_sources`` refuses. Changes nothing (the rows are locked, as for the merge).

    The web asks this first to show what a merge will move before the editor confirms it.
    """
    _require_editor(actor, "merge sources")
    merged = get_source(session, source_id)
    kept = get_source(session, into) if isinstance(into, int) else resolve_source_ref(session, into)
    if kept.id == merged.id:
        raise InvalidInput("A source cannot be merged into itself.")
    _lock_claimed_items(session, merged.id)
    _lock_for_merge(session, merged.id, kept.id)
    if merged.merged_into_id is not None:
        raise InvalidInput(f"“{merged.name}” was already merged into source #{merged.merged_into_id}.")
    if kept.merged_into_id is not None:
        survivor = final_source(session, kept)
        if survivor.id == merged.id:
            raise InvalidInput(f"“{kept.name}” was merged into “{merged.name}” earlier, so “{merged.name}” cannot "
                               f"be merged into it: the two would point at each other.")
        raise InvalidInput(f"“{kept.name}” was merged into “{survivor.name}” (#{survivor.id}); "
                           f"merge into that source instead.")
    return merged, kept


def merge_sources(session: Session, source_id: int, into: str | int, actor: User) -> Source:
    """Merge source ``source_id`` into another (by id or name): one source from now on.

    Aliases combine; chain links, claimants, evidence and article outlets repoint; the records move
    (published verdicts are taken out of both records and counted again, so an item naming both
    sources counts once); the merged source keeps ``merged_into_id`` for history. Returns the kept one.

    Merges never form a circle: a source already merged cannot be merged again, and nothing can be
    merged into a merged source (a name finds the source it was merged into; an id of a merged
    source is refused, naming the source to use instead). Both rows are locked first, so two
    editors merging the same pair in opposite directions at once cannot both succeed.
    """
    merged, kept = check_merge(session, source_id, into, actor)
    session.flush()
    ids = [merged.id, kept.id]
    published = _published_items_of(session, ids)
    add_to_records(session, _record_deltas(published, -1))
    alias_count = len(merged.aliases)
    session.flush()
    # Bulk UPDATEs: repointing is not an edit of the items, so their optimistic-lock versions stay.
    moves = (
        update(ChainLink).where(ChainLink.source_id == merged.id).values(source_id=kept.id),
        update(CheckItem).where(CheckItem.claimant_id == merged.id).values(claimant_id=kept.id),
        update(Evidence).where(Evidence.source_id == merged.id).values(source_id=kept.id),
        update(Article).where(Article.outlet_id == merged.id).values(outlet_id=kept.id),
        update(SourceAlias).where(SourceAlias.source_id == merged.id).values(source_id=kept.id),
    )
    for statement in moves:
        session.execute(statement.execution_options(synchronize_session=False))
    session.expire_all()
    merged = get_source(session, source_id)
    kept = get_source(session, kept.id)
    add_to_records(session, _record_deltas(published, +1))
    domain = merged.domain
    if domain and not kept.domain:
        merged.domain = None
        session.flush()  # the domain is unique: free it before the kept source takes it
        kept.domain = domain
    if kept.prior_alpha is None and merged.prior_alpha is not None:
        kept.prior_alpha, kept.prior_beta = merged.prior_alpha, merged.prior_beta
        kept.prior_note = merged.prior_note
    if kept.same_as is None and merged.same_as:
        kept.same_as = merged.same_as
    merged.merged_into_id = kept.id
    _flush_source(session)
    refresh_standings(session, [merged.id, kept.id])  # the kept source may have taken a domain or prior
    record_event(session, action=AuditAction.MERGE, entity=AuditEntity.SOURCE, entity_id=merged.id, actor=actor,
                 payload={"into_id": kept.id, "merged": merged.name, "kept": kept.name,
                          "aliases": alias_count, "published_items": len(published)})
    _refresh_open_items_of(session, kept.id, "sources were merged")
    session.flush()
    return kept


def _lock_claimed_items(session: Session, source_id: int) -> None:
    """PostgreSQL: lock the items whose claimant is the source to be merged (the merge rewrites them), in order of
    id, before the sources: the order a publication takes (its item, then its sources), so a vote and a merge wait
    for each other instead of deadlocking."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(CheckItem.id).where(CheckItem.claimant_id == source_id).order_by(CheckItem.id)
                        .with_for_update(key_share=True))


def _lock_for_merge(session: Session, *source_ids: int) -> None:
    """Lock the sources' rows in order of id and reload them, so the checks that follow see the latest merges.

    PostgreSQL: ``FOR UPDATE``, which waits for every transaction that wrote a row naming one of them (its
    foreign key holds ``FOR KEY SHARE``) to end, so the merge's statements see and move those rows; a writer that
    names one while the merge holds it waits, then is refused by the database (migration e8a1c3f5b7d9).
    """
    statement = select(Source).where(Source.id.in_(sorted(source_ids))).order_by(Source.id)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    session.scalars(statement.execution_options(populate_existing=True)).all()


def _record_deltas(items: list[CheckItem], delta: int) -> dict[tuple[int, str, int], int]:
    """``delta`` for every record row the published ``items`` count in, summed per row."""
    deltas: dict[tuple[int, str, int], int] = {}
    for item in items:
        rating = _published_rating(item)
        if rating is None:
            continue
        for source_id, capacity in record_capacities(item).items():
            key = (source_id, capacity, rating.id)
            deltas[key] = deltas.get(key, 0) + delta
    return deltas
