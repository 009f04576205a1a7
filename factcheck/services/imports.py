"""Importing published verdicts from archives (LIAR, ClaimReview): items, verdicts, records.

``import_published_claim`` is the one way an archived verdict enters the database: it creates the
item directly in ``published`` with its verdict, writes the audit event ``import`` (the workflow's
replay accepts it as a creating action) and adds the verdict to the sources' records in the capacities a
publication counts (``record_capacities``), with the same atomic statements (``add_to_records``) once its chunk
is written. The verdict keeps who rated the claim
(``rated_by``: "PolitiFact" for LIAR, the publisher for ClaimReview), the review's address and date
where the archive has them: it is never presented as the desk's own. Importers batch around it: sources and
ratings are cached, existing external references are read once, and the session is flushed in chunks.
Nothing here commits: the command commits once per file, so a file is imported whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from factcheck.domain.names import name_key
from factcheck.domain.workflow import AuditAction, AuditEntity, Origin, SourceKind, Status
from factcheck.domain.labels import LabelNormaliser
from factcheck.domain.archives import RATED_BY as LIAR_RATED_BY
from factcheck.domain.archives import ClaimRecord, LiarRow, Rejected
from factcheck.models import ChainLink, CheckItem, Rating, Source, SourceAlias, User, Verdict, utcnow
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput
from factcheck.services.sources import add_to_records, final_source, lock_sources, record_capacities
from factcheck.services.term_counts import fold_pending_term_counts

#: Rows flushed together: large enough to batch the INSERTs, small enough to keep memory flat.
CHUNK = 500


@dataclass(frozen=True, slots=True)
class ImportedClaim:
    """An archived claim with its published verdict, ready to store."""

    external_ref: str
    origin: Origin
    claim_text: str
    rating_key: str
    summary: str
    rationale: str
    #: The fact-checker who rated the claim (never the desk: imported verdicts are not its own).
    rated_by: str
    claimant: Source | None = None
    verb: str = "said"
    published_at: dt.datetime | None = None
    #: The original review's address and date, when the archive has them.
    review_url: str | None = None
    reviewed_on: dt.date | None = None
    payload: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class ImportReport:
    """What an import did: how many items it created, skipped as already there, and rejected why."""

    imported: int = 0
    skipped: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self, name: str) -> str:
        """One line for people."""
        return (f"{name}: {self.imported} imported, {self.skipped} already there, "
                f"{len(self.rejected)} rejected")


class ImportContext:
    """Caches shared by the rows of one import: ratings, sources by alias, known external references."""

    def __init__(self, session: Session, actor: User | None, origin: str) -> None:
        self.session = session
        self.actor = actor
        #: The ratings a verdict may have now (a retired one is refused, as the desk's own verdicts refuse it).
        self.ratings = {r.key: r for r in session.scalars(select(Rating).where(Rating.is_active.is_(True)))}
        self.sources: dict[str, Source] = {}
        #: Verdicts to add to the sources' records at the next bulk write, by record row (source, capacity, rating).
        self.deltas: dict[tuple[int, str, int], int] = {}
        #: The sources this transaction holds locked (``_write_records``).
        self.locked: set[int] = set()
        self.known_refs = set(session.scalars(
            select(CheckItem.external_ref).where(CheckItem.external_ref.like(f"{origin}:%"))
        ))
        #: Items waiting for the next bulk write.
        self.pending: list[_PendingItem] = []

    def rating(self, key: str) -> Rating:
        """The desk's rating with ``key`` (the importers only produce keys of the default scale)."""
        rating = self.ratings.get(key)
        if rating is None:
            raise InvalidInput(f"The desk's scale has no rating “{key}”; an admin must restore it before importing.")
        return rating

    def prepare_sources(self, specs: Iterable[tuple[str, str, SourceKind]]) -> None:
        """Find or create, in one batch, the sources named by exact alias in ``specs`` (alias, name, kind).

        Archive ids such as LIAR's speaker slugs are exact, so there is no surname guessing here;
        a source already known under the alias (from an article or an earlier import) is reused.
        """
        wanted: dict[str, tuple[str, str, SourceKind]] = {}
        for alias, name, kind in specs:
            key = name_key(alias)[:200]
            if key and key not in self.sources:
                wanted.setdefault(key, (alias, name, kind))
        if not wanted:
            return
        found = self._sources_by_keys(list(wanted))
        for key, source in found.items():
            self.sources[key] = source
        missing = {k: v for k, v in wanted.items() if k not in found}
        display_keys = {name_key(" ".join(name.split()))[:200]: k for k, (_, name, _) in missing.items()}
        taken = set(self._sources_by_keys([k for k in display_keys if k not in missing]))
        created = []
        for key, (alias, name, kind) in missing.items():
            source = Source(kind=kind, name=" ".join(name.split())[:200] or alias[:200])
            source.aliases.append(SourceAlias(name=alias.strip()[:200], key=key))
            display_key = name_key(source.name)[:200]
            # The display name is an alias too, unless another source (or another new one) has it.
            if display_key and display_key not in missing and display_key not in taken:
                source.aliases.append(SourceAlias(name=source.name, key=display_key))
                taken.add(display_key)
            self.sources[key] = source
            created.append((source, alias))
        self.session.add_all(source for source, _ in created)
        self.session.flush()
        for source, alias in created:
            record_event(self.session, action=AuditAction.CREATE, entity=AuditEntity.SOURCE, entity_id=source.id, actor=self.actor,
                         payload={"name": source.name, "kind": source.kind.value, "alias": alias})

    def _sources_by_keys(self, keys: list[str]) -> dict[str, Source]:
        """Sources by alias key (merged ones replaced by the source they were merged into)."""
        result: dict[str, Source] = {}
        for start in range(0, len(keys), 500):
            rows = self.session.execute(
                select(SourceAlias.key, Source).join(Source, Source.id == SourceAlias.source_id)
                .where(SourceAlias.key.in_(keys[start:start + 500]))
            ).all()
            for key, source in rows:
                result[key] = final_source(self.session, source)  # (a circle of merges: MergeCycle, in plain words)
        return result

    def source(self, alias: str) -> Source:
        """A source prepared by ``prepare_sources``."""
        return self.sources[name_key(alias)[:200]]

    def flush_if_due(self) -> None:
        """Write the pending items every ``CHUNK`` rows."""
        if len(self.pending) >= CHUNK:
            self.finish()

    def finish(self) -> None:
        """Write the pending items, their chains, verdicts and audit events, in a few bulk INSERTs."""
        if not self.pending:
            self.session.flush()
            self._write_records()
            return
        self.session.flush()
        # sort_by_parameter_order: the ids come back in the order of the rows, on SQLite and PostgreSQL.
        ids = self.session.scalars(
            insert(CheckItem).returning(CheckItem.id, sort_by_parameter_order=True),
            [p.item for p in self.pending],
        ).all()
        links, verdicts = [], []
        for item_id, pending in zip(ids, self.pending, strict=True):
            if pending.link is not None:
                links.append({"item_id": item_id, "position": 0, **pending.link})
            verdicts.append({"item_id": item_id, **pending.verdict})
            record_event(self.session, action=AuditAction.IMPORT, entity=AuditEntity.ITEM, entity_id=item_id, item_id=item_id,
                         actor=self.actor, to_status=Status.PUBLISHED.value, payload=pending.payload)
        if links:
            self.session.execute(insert(ChainLink), links)
        self.session.execute(insert(Verdict), verdicts)
        self.pending.clear()
        self.session.flush()
        fold_pending_term_counts(self.session)  # the imported claims' words counted for claim matching at once
        self._write_records()

    def _write_records(self) -> None:
        """Add the written verdicts to their sources' records as a publication does: the sources locked in order of
        id, each row's count raised by one atomic statement (``add_to_records``, which stores their standings). A
        count read earlier and written back would lose a publication committed meanwhile."""
        if self.deltas:
            # Every source of the import at once, in order of id, the first time (as a publication locks its own):
            # chunk by chunk, the import would hold a later source while a publication held an earlier one, and each
            # would wait for the other.
            wanted = ({source.id for source in self.sources.values()}
                      | {source_id for source_id, _, _ in self.deltas}) - self.locked
            if wanted:
                lock_sources(self.session, wanted)
                self.locked |= wanted
            add_to_records(self.session, self.deltas)
            self.deltas.clear()


@dataclass(slots=True)
class _PendingItem:
    """An imported item waiting for the next bulk write."""

    item: dict[str, object]
    link: dict[str, object] | None
    verdict: dict[str, object]
    payload: dict[str, object]


def import_published_claim(ctx: ImportContext, claim: ImportedClaim) -> bool:
    """Store one archived claim as a published item with its verdict; False when it is already there.

    The item is created directly in ``published`` (the audit event ``import`` records it, and the
    workflow's replay accepts ``import`` as a creating action), and the verdict joins the sources'
    records as a publication's would (``ImportContext._write_records``). Rows are written in chunks by
    ``ImportContext.finish``; the caller calls it once at the end.
    """
    if claim.external_ref in ctx.known_refs:
        return False
    text = claim.claim_text.strip()
    if not text:
        raise InvalidInput("An imported claim needs its text.")
    if not claim.rated_by.strip():
        raise InvalidInput("An imported verdict needs the fact-checker who rated it.")
    rating = ctx.rating(claim.rating_key)
    published_at = claim.published_at or utcnow()
    claimant = claim.claimant
    ctx.pending.append(_PendingItem(
        item={
            "claim_text": text,
            "claimant_id": claimant.id if claimant is not None else None,
            "status": Status.PUBLISHED,
            "origin": claim.origin,
            "external_ref": claim.external_ref[:200],
            "checkworthiness": 0.0,
            "priority": 0.0,
            "hedges": [],
            "dates": [],
            "status_changed_at": published_at,
            "version": 1,
        },
        link={"source_id": claimant.id, "verb": claim.verb[:40]} if claimant is not None else None,
        verdict={"rating_id": rating.id, "final_rating_id": rating.id, "summary": claim.summary,
                 "rationale": claim.rationale, "published_at": published_at,
                 "rated_by": claim.rated_by.strip()[:200], "review_url": claim.review_url,
                 "reviewed_on": claim.reviewed_on},
        payload={"origin": claim.origin, "external_ref": claim.external_ref, "rating": rating.key, **claim.payload},
    ))
    # The records count the verdict in the capacities a publication counts it in (``record_capacities`` of a
    # transient item with the claimant and chain the real row is written with, in bulk with the chunk).
    shape = CheckItem(claimant_id=claimant.id if claimant is not None else None)
    if claimant is not None:
        shape.chain = [ChainLink(position=0, source_id=claimant.id, verb=claim.verb[:40])]
    for source_id, capacity in record_capacities(shape).items():
        ctx.deltas[source_id, capacity, rating.id] = ctx.deltas.get((source_id, capacity, rating.id), 0) + 1
    ctx.known_refs.add(claim.external_ref)
    ctx.flush_if_due()
    return True


def import_liar_rows(
    session: Session,
    rows: Iterable[LiarRow | Rejected],
    *,
    actor: User | None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import parsed LIAR rows: sources by speaker slug, items, published verdicts, records."""
    ctx = ImportContext(session, actor, "liar")
    report = ImportReport()
    rows = list(rows)
    ctx.prepare_sources(
        (row.speaker, row.speaker_name, SourceKind.PERSON if row.speaker_is_person else SourceKind.ORGANISATION)
        for row in rows if isinstance(row, LiarRow) and row.external_ref not in ctx.known_refs
    )
    for row in rows:
        if progress is not None:
            progress(1)
        if isinstance(row, Rejected):
            report.rejected.append(row)
            continue
        if row.external_ref in ctx.known_refs:
            report.skipped += 1
            continue
        if row.rating_key not in ctx.ratings:
            report.rejected.append(Rejected(row.line, f"the desk's scale has no rating “{row.rating_key}” in use"))
            continue
        speaker = ctx.source(row.speaker)
        claim = ImportedClaim(
            external_ref=row.external_ref,
            origin=Origin.LIAR,
            claim_text=row.statement,
            rating_key=row.rating_key,
            summary=f"Rated “{row.label}” by {LIAR_RATED_BY}.",
            rationale=_liar_rationale(row),
            rated_by=LIAR_RATED_BY,
            claimant=speaker,
            payload={"line": row.line, "label": row.label},
        )
        if not import_published_claim(ctx, claim):
            report.skipped += 1
        else:
            report.imported += 1
    ctx.finish()
    return report


def _liar_rationale(row: LiarRow) -> str:
    """The archive's context for the verdict page (LIAR carries no rationale of its own)."""
    lines = [f"Imported from the LIAR dataset ({LIAR_RATED_BY} statement {row.ref})."]
    if row.context:
        lines.append(f"Context: {row.context}.")
    details = [d for d in (row.job, row.state, row.party) if d and d != "none"]
    if details:
        lines.append("Speaker: " + ", ".join(details) + ".")
    if row.subjects:
        lines.append("Subjects: " + ", ".join(row.subjects) + ".")
    return "\n\n".join(lines)


def import_claimreview_records(
    session: Session,
    records: Iterable[ClaimRecord | Rejected],
    *,
    actor: User | None,
    normaliser: LabelNormaliser,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ClaimReview records: ratings normalised (label first, then the publisher's scale), claimants
    as sources by exact name, items with published verdicts, records updated."""
    ctx = ImportContext(session, actor, "claimreview")
    report = ImportReport()
    ready: list[tuple[ClaimRecord, str]] = []
    for record in records:
        if isinstance(record, Rejected):
            report.rejected.append(record)
            continue
        outcome = normaliser.normalise(record.label, record.value, record.best, record.worst, record.publisher)
        if outcome.key is None:
            report.rejected.append(Rejected(record.line, outcome.reason or "no rating"))
            continue
        if outcome.key not in ctx.ratings:
            report.rejected.append(Rejected(record.line, f"the desk's scale has no rating “{outcome.key}” in use"))
            continue
        ready.append((record, outcome.key))
    ctx.prepare_sources(
        (r.claimant, r.claimant, SourceKind.PERSON if r.claimant_is_person else SourceKind.ORGANISATION)
        for r, _ in ready if r.claimant and name_key(r.claimant) and r.external_ref not in ctx.known_refs
    )
    for record, key in ready:
        if progress is not None:
            progress(1)
        if record.external_ref in ctx.known_refs:  # (its claimant was not prepared: nothing of it is read)
            report.skipped += 1
            continue
        published = (dt.datetime.combine(record.date, dt.time(12), tzinfo=dt.UTC) if record.date else None)
        claimant = ctx.source(record.claimant) if record.claimant and name_key(record.claimant) else None
        claim = ImportedClaim(
            external_ref=record.external_ref,
            origin=Origin.CLAIMREVIEW,
            claim_text=record.claim_text,
            rating_key=key,
            summary=(record.title or f"Rated “{record.label or key}” by {record.rated_by}.")[:2000],
            rationale=_claimreview_rationale(record),
            rated_by=record.rated_by,
            claimant=claimant,
            published_at=published,
            review_url=record.review_url,
            reviewed_on=record.date,
            payload={"line": record.line, "label": record.label, "rating_value": record.value,
                     "best_rating": record.best, "publisher": record.publisher},
        )
        if not import_published_claim(ctx, claim):
            report.skipped += 1
        else:
            report.imported += 1
    if progress is not None:
        progress(len(report.rejected))
    ctx.finish()
    return report


def _claimreview_rationale(record: ClaimRecord) -> str:
    """The review's own text and where it was published."""
    parts = [record.body] if record.body else []
    rating = record.label or ""
    if record.value is not None:
        rating += f" ({record.value:g}" + (f"/{record.best:g}" if record.best is not None else "") + ")"
    parts.append(f"Imported from a ClaimReview by {record.rated_by}"
                 + (f", rated {rating.strip()}" if rating.strip() else "")
                 + (f": {record.review_url}" if record.review_url else "."))
    return "\n\n".join(parts)
