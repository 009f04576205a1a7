"""A process forked after the app's engine has pooled a connection (gunicorn --preload) starts with an
empty pool, so parent and child never talk over the same database connection."""

from __future__ import annotations

import os

from sqlalchemy import text

from factcheck.db import Database
from tests.conftest import migrated_sqlite_url


def test_a_forked_child_opens_its_own_connection(tmp_path):
    db = Database(migrated_sqlite_url(tmp_path / "fork.sqlite3"))
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        parent_connection = id(connection.connection.dbapi_connection)
    assert db.engine.pool.checkedin() == 1  # the parent keeps one pooled connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what its pool holds, then use the database
        try:
            pooled = db.engine.pool.checkedin()
            with db.engine.connect() as connection:
                same = id(connection.connection.dbapi_connection) == parent_connection
                value = connection.execute(text("SELECT count(*) FROM ratings")).scalar()
            os.write(write, f"{pooled} {same} {value}".encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    report = os.read(read, 100).decode().split()
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report[0] == "0" and report[1] == "False" and int(report[2]) > 0
    with db.engine.connect() as connection:  # the parent's pooled connection still works
        assert connection.execute(text("SELECT 1")).scalar() == 1
    db.dispose()
