"""A long article is read before the write lock is taken, so other saves never wait on it (SQLite)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from factcheck import migrate
from factcheck.app import create_app
from factcheck.db import session_scope
from factcheck.domain.workflow import Role
from factcheck.services import reading as reading_service
from factcheck.services.users import create_user
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD
from tests.helpers import post_form, sign_in

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_text(encoding="utf-8")


def test_another_writer_can_write_while_an_added_article_is_being_read(tmp_path, monkeypatch):
    path = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        create_user(session, "checker@desk.test", PASSWORD, [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
    client = app.test_client()
    sign_in(client, "checker@desk.test")

    other_writer: list[str] = []
    real_extract = reading_service.extract

    def extract_while_another_writer_writes(text: str):
        # Another process's save, with no patience at all: it fails at once if the lock is held.
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other_writer.append("saved")
        except sqlite3.OperationalError as exc:
            other_writer.append(str(exc))
        finally:
            other.close()
        return real_extract(text)

    monkeypatch.setattr(reading_service, "extract", extract_while_another_writer_writes)
    response = post_form(client, "/articles/new", {"title": "Seed", "text": SEED})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert other_writer == ["saved"]
    app.extensions["factcheck.db"].dispose()
