"""Ingest of real articles stores exactly what the ingest before batching stored.

The expectations (``tests/data/ingest_expectations.json.gz``) were recorded by the ingest that
found sources, wrote priorities and their history one at a time (see ``tests/ingest_record.py``); the
extractor's output recorded with them is replayed, so only storing is compared: items, spans,
claimants, chains, relations, sources and their aliases, priorities, every audit event in order,
and the claim matches found afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factcheck.models import CheckItem
from factcheck.services import ingest as ingest_service, reading as reading_service
from tests.ingest_record import dump, expectations, ingest_all, replaying


@pytest.fixture(scope="module")
def recorded(shared_data: Path) -> dict:
    folder = shared_data / "polnear-dev" / "text"
    if not folder.is_dir():
        pytest.skip(f"PolNeAR dev texts not available at {folder}")
    stored = expectations()
    stored["texts"] = [(folder / f"{name}.txt").read_text(encoding="utf-8") for name in stored["articles"]]
    return stored


def _first_difference(expected: list, found: list) -> str:
    for n, (a, b) in enumerate(zip(expected, found)):
        if a != b:
            return f"row {n}: expected {a!r}, found {b!r}"
    return f"expected {len(expected)} rows, found {len(found)}"


def test_twenty_real_articles_are_stored_as_the_ingest_before_batching_stored_them(session, recorded):
    backend = session.get_bind().dialect.name
    assert session.scalar(select(func.count()).select_from(CheckItem)) == 0
    if backend == "postgresql":
        # Matching counts the collection by its highest item id, so the items must be numbered from 1
        # as when the expectations were recorded (PostgreSQL's sequences do not roll back with the
        # tests before this one; SQLite numbers from the highest id left, none here).
        session.execute(text("SELECT setval(pg_get_serial_sequence('check_items', 'id'), 1, false)"))
    with replaying(reading_service, recorded["extractions"]):
        ingest_all(session, recorded["texts"], ingest_service.ingest_article)
    found = dump(session)
    expected = recorded[backend]
    for part in ("articles", "sources", "items", "relations", "events", "matches"):
        assert found[part] == expected[part], f"{part}: {_first_difference(expected[part], found[part])}"
