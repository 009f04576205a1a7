"""A migrated PostgreSQL schema of its own, inside the test database, for tests that really commit.

Concurrency tests need many connections that commit, so they cannot share the rolled-back
connection of the other tests. Each gets a fresh schema in the database FACTCHECK_TEST_DATABASE_URL
names (its connections put that schema first on their search path), dropped afterwards: no other
database is created, and the shared ``public`` schema is left alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from factcheck import migrate
from factcheck.db import Database
from tests.conftest import PG_URL


@contextmanager
def private_schema_database(pool_size: int = 10) -> Iterator[Database]:
    """A ``Database`` on a new, migrated schema of the PostgreSQL test database; dropped on exit."""
    assert PG_URL, "FACTCHECK_TEST_DATABASE_URL must point at PostgreSQL"
    schema = f"concurrency_{uuid.uuid4().hex[:10]}"
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        migrate.upgrade(rendered)
        db = Database(rendered, pool_size=pool_size)
        try:
            yield db
        finally:
            db.dispose()
    finally:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
