"""The app's PostgreSQL connections run without JIT (compiling a page's statement cost more than running it)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from factcheck.db import create_db_engine
from tests.conftest import PG_URL


def test_every_pooled_postgresql_connection_has_jit_off_even_after_a_rollback() -> None:
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    engine = create_db_engine(PG_URL, pool_size=2)
    try:
        with engine.connect() as first, engine.connect() as second:
            assert first.scalar(text("SHOW jit")) == second.scalar(text("SHOW jit")) == "off"
            first.rollback()
        with engine.connect() as again:  # back from the pool, its transaction rolled back
            assert again.scalar(text("SHOW jit")) == "off"
    finally:
        engine.dispose()
