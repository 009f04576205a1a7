"""Timestamps read back aware and in UTC, as SQLite's own parser reads them (``models.UTCDateTime``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from factcheck.models import UTCDateTime

SQLITE = sqlite.dialect()

#: What SQLite may hold: SQLAlchemy's own text, and text written by hand in SQL (CURRENT_TIMESTAMP, a
#: date alone, fewer or more digits of a second, a "T", an offset).
STORED = [
    "2026-12-02 05:14:27.123456",
    "2026-12-02 05:14:27",
    "2026-12-02 05:14",
    "2026-12-02",
    "2026-12-02 05:14:27.1",
    "2026-12-02 05:14:27.123",
    "2026-12-02T05:14:27",
    "2026-12-02 05:14:27.123456789",
    "2026-12-02 05:14:27+00:00",
    "2026-12-02 05:14:27Z",
]


def _read(dialect, value):
    return UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)(value)


@pytest.mark.parametrize("text", STORED)
def test_sqlite_text_reads_as_sqlites_parser_reads_it_in_utc(text):
    expected = sqlite.DATETIME().result_processor(SQLITE, None)(text).replace(tzinfo=dt.UTC)
    read = _read(SQLITE, text)
    assert read == expected
    assert read.tzinfo is dt.UTC


def test_a_written_timestamp_reads_back_as_the_same_instant_in_utc():
    kyiv = dt.timezone(dt.timedelta(hours=2))
    written = dt.datetime(2026, 2, 14, 10, 30, 5, 250, tzinfo=kyiv)
    stored = UTCDateTime().dialect_impl(SQLITE).bind_processor(SQLITE)(written)
    read = _read(SQLITE, stored)
    assert read == written
    assert read.tzinfo is dt.UTC
    assert _read(SQLITE, None) is None


def test_postgresql_values_pass_through_and_naive_ones_are_taken_as_utc():
    dialect = postgresql.psycopg.dialect()
    aware = dt.datetime(2026, 2, 14, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _read(dialect, aware) is aware
    assert _read(dialect, dt.datetime(2026, 2, 14, 12, 0)) == dt.datetime(2026, 2, 14, 12, 0, tzinfo=dt.UTC)
    assert _read(dialect, None) is None
