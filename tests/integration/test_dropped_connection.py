"""A PostgreSQL connection dropped under the app is replaced on the next request (pool pre-ping)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from factcheck.db import Database
from tests.conftest import PG_URL, make_test_app
from tests.helpers import csrf_token
from tests.pg_schema import migrated_schema_url

APPLICATION_NAME = "factcheck-dropped-connection-test"


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_the_request_after_postgresql_drops_the_apps_connection_succeeds(database):
    # The failed sign-ins are committed (they count towards the throttle): in a schema of their own,
    # so the sign-in tests after this one do not find them.
    with migrated_schema_url() as url:
        app = make_test_app(database)
        app.extensions["factcheck.db"].dispose()
        app.extensions["factcheck.db"] = Database(url, connect_args={"application_name": APPLICATION_NAME},
                                                  pool_size=1, max_overflow=0)
        client = app.test_client()

        def failed_sign_in():
            page = client.get("/auth/login").get_data(as_text=True)
            return client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong password",
                                                    "csrf_token": csrf_token(page)})

        try:
            assert failed_sign_in().status_code == 401  # the pool now holds one open connection
            with database.engine.connect() as admin:
                killed = admin.execute(text(
                    # Only in this test database: parallel workers and other runs have their own.
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = :name AND datname = current_database()"),
                    {"name": APPLICATION_NAME}).scalar()
                admin.commit()
            assert killed == 1
            assert failed_sign_in().status_code == 401  # not 503: the dead connection was noticed and replaced
        finally:
            app.extensions["factcheck.db"].dispose()
