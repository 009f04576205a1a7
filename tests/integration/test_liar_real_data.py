"""All of LIAR (train + valid + test, 12,836 statements) imported: speakers' records match the archive.

LIAR's credit-history columns count each speaker's earlier verdicts (barely-true, false, half-true,
mostly-true, pants-fire; true is not counted). For the speakers whose credit vector equals their
label counts across the three files, the imported record must equal it exactly.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.db import Database
from factcheck.domain.workflow import replay
from factcheck.interchange.liar import CREDIT_LABELS, LIAR_LABELS, LiarRow, read_liar
from factcheck.domain.names import name_key
from factcheck.models import AuditEvent, CheckItem, Rating, SourceAlias, SourceRecord
from factcheck.standings import standing
from factcheck.services.imports import ImportReport, import_liar_rows
from factcheck.services.sources import find_source

FILES = ("train.tsv", "valid.tsv", "test.tsv")


@pytest.fixture(scope="module")
def liar(database: Database, shared_data: Path) -> Iterator[tuple[Session, ImportReport, float, list[LiarRow]]]:
    """All of LIAR imported once for this module, in a transaction rolled back at the end."""
    rows = [row for name in FILES for row in read_liar(shared_data / "liar" / name)]
    connection = database.engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    # This process's CPU time, not the wall clock: a busy machine must not fail the test.
    started = time.process_time()
    report = import_liar_rows(session, rows, actor=None)
    elapsed = time.process_time() - started
    yield session, report, elapsed, [r for r in rows if isinstance(r, LiarRow)]
    session.close()
    outer.rollback()
    connection.close()


def _record(session: Session, slug: str) -> list[int]:
    """The speaker's claimant counts in LIAR's credit order."""
    source = find_source(session, slug)
    assert source is not None, f"no source for {slug}"
    counts = standing(session, source).counts["claimant"]
    return [counts.get(LIAR_LABELS[label], 0) for label in CREDIT_LABELS]


def test_every_statement_is_imported_as_a_published_item(liar) -> None:
    session, report, elapsed, rows = liar
    assert (report.imported, len(report.rejected)) == (12_836, 0)
    published = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.origin == "liar"))
    assert published == 12_836


@pytest.mark.parametrize(("slug", "expected"), [
    ("chain-email", [11, 43, 8, 5, 105]),
    ("facebook-posts", [14, 18, 15, 11, 36]),
    ("jeb-bush", [17, 5, 17, 24, 2]),
    ("rand-paul", [7, 8, 10, 12, 3]),
])
def test_known_speakers_have_their_credit_history_as_record(liar, slug: str, expected: list[int]) -> None:
    session, *_ = liar
    assert _record(session, slug) == expected


def test_every_speaker_whose_credit_vector_matches_its_labels_has_that_record(liar) -> None:
    session, _, _, rows = liar
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    credit: dict[str, set[tuple[int, ...]]] = defaultdict(set)
    for row in rows:
        labels[row.speaker][row.label] += 1
        credit[row.speaker].add(row.credit)
    exact = {
        slug: list(next(iter(vectors)))
        for slug, vectors in credit.items()
        if len(vectors) == 1 and list(next(iter(vectors))) == [labels[slug][label] for label in CREDIT_LABELS]
    }
    assert len(exact) > 3000  # the archive's README counts 3,216
    records = _all_records(session)
    mismatched = {slug: (records.get(name_key(slug)), vector) for slug, vector in exact.items()
                  if records.get(name_key(slug)) != vector}
    assert mismatched == {}


def _all_records(session: Session) -> dict[str, list[int]]:
    """Every source's claimant counts in LIAR's credit order, by alias key, in one query."""
    position = {LIAR_LABELS[label]: i for i, label in enumerate(CREDIT_LABELS)}
    records: dict[str, list[int]] = defaultdict(lambda: [0] * len(CREDIT_LABELS))
    rows = session.execute(
        select(SourceAlias.key, Rating.key, SourceRecord.count)
        .join(SourceRecord, SourceRecord.source_id == SourceAlias.source_id)
        .join(Rating, Rating.id == SourceRecord.rating_id)
        .where(SourceRecord.capacity == "claimant")
    ).all()
    for alias_key, rating_key, count in rows:
        vector = records[alias_key]
        if rating_key in position:
            vector[position[rating_key]] += count
    return dict(records)


def test_an_imported_items_audit_trail_replays_to_published(liar) -> None:
    session, *_ = liar
    item = session.scalars(select(CheckItem).where(CheckItem.external_ref == "liar:2635.json")).one()
    events = session.execute(select(AuditEvent.action, AuditEvent.from_status, AuditEvent.to_status)
                             .where(AuditEvent.item_id == item.id).order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [("import", None, "published")]
    assert replay(events).value == "published"
    assert item.claimant is not None and item.claimant.name == "Dwayne Bohac"


def test_importing_all_of_liar_again_changes_nothing(liar) -> None:
    session, _, _, rows = liar
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    again = import_liar_rows(session, rows, actor=None)
    assert (again.imported, again.skipped) == (0, 12_836)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert _record(session, "chain-email") == [11, 43, 8, 5, 105]

