"""Sources: finding one by any of its names, creating it, and keeping its track record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.names import domain_key, name_key, person_tokens, surname_key
from factcheck.domain.workflow import SourceKind
from factcheck.models import CheckItem, Rating, Source, SourceAlias, SourceRecord, User
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput


def find_source(session: Session, name: str) -> Source | None:
    """The source with ``name`` as one of its aliases (spelling variants included), or None."""
    key = name_key(name)
    if not key:
        return None
    alias = session.scalars(select(SourceAlias).where(SourceAlias.key == key)).first()
    source = alias.source if alias is not None else None
    while source is not None and source.merged_into_id is not None:
        source = session.get(Source, source.merged_into_id)
    return source


def _find_person_by_surname(session: Session, name: str) -> Source | None:
    """A person already known under a longer or shorter form of this name, when exactly one fits.

    "Zelensky" finds "Volodymyr Zelenskyy"; "Volodymyr Zelensky" finds "Zelenskyy". A surname
    shared by two known people is ambiguous and matches neither.
    """
    tokens = person_tokens(name)
    surname = surname_key(name)
    if not surname:
        return None
    candidates = session.scalars(
        select(Source).where(Source.kind == SourceKind.PERSON, Source.merged_into_id.is_(None))
        .join(SourceAlias, SourceAlias.source_id == Source.id)
        .where((SourceAlias.key == surname) | SourceAlias.key.like(f"% {surname}"))
        .distinct()
    ).all()
    fitting = [
        c for c in candidates
        if _first_names_agree(tokens, person_tokens(c.name))
    ]
    return fitting[0] if len(fitting) == 1 else None


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


def find_or_create_source(
    session: Session,
    name: str,
    kind: SourceKind | str = SourceKind.PERSON,
    *,
    domain: str | None = None,
    actor: User | None = None,
) -> Source:
    """The source called ``name`` (by alias, spelling variant or, for people, surname), or a new one."""
    clean = " ".join(name.split())
    if not name_key(clean):
        raise InvalidInput("A source needs a name with at least one letter or digit.")
    kind = SourceKind(kind)
    source = find_source(session, clean)
    if source is None and domain:
        source = session.scalars(select(Source).where(Source.domain == domain_key(domain))).first()
    if source is None and kind is SourceKind.PERSON:
        source = _find_person_by_surname(session, clean)
    if source is not None:
        add_alias(session, source, clean)
        return source
    source = Source(kind=kind, name=clean[:200], domain=domain_key(domain) if domain else None)
    source.aliases.append(SourceAlias(name=clean[:200], key=name_key(clean)[:200]))
    session.add(source)
    session.flush()
    record_event(session, action="create", entity="source", entity_id=source.id, actor=actor,
                 payload={"name": source.name, "kind": source.kind.value})
    return source


def apply_published_verdict(session: Session, item: CheckItem, rating: Rating, delta: int) -> None:
    """Add (+1) or remove (-1) a published verdict from the claimant's and relays' records.

    Called when a verdict is published, and with -1 when it is reopened, so scores stay current
    without recounting every item.
    """
    capacities: dict[int, str] = {}
    if item.claimant_id is not None:
        capacities[item.claimant_id] = "claimant"
    for link in item.chain:
        capacities.setdefault(link.source_id, "relay")
    for source_id, capacity in capacities.items():
        row = session.get(SourceRecord, (source_id, capacity, rating.id))
        if row is None:
            row = SourceRecord(source_id=source_id, capacity=capacity, rating_id=rating.id, count=0)
            session.add(row)
        row.count = max(0, row.count + delta)
