"""Two ingests that name the same new source at the same moment both store their article, with one source."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from factcheck.models import Article, CheckItem, ChainLink, Source
from factcheck.services.ingest import ingest_article
from tests.conftest import PG_URL

FIRST = "Port figures\n\nThe harbour pilots' guild said that the port handled 40 thousand ships last year."
SECOND = "Port fees\n\nThe harbour pilots' guild said that fees at the port rose by 12 percent in March."


def test_the_second_of_two_ingests_naming_the_same_new_source_finds_the_first_ones_source() -> None:
    """The second ingest's INSERT of the new name waits for the first transaction; when that commits,
    the second meets the unique name and must resolve the name again, not fail."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL): SQLite's writers queue, so names never clash")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=4) as db:
        first = Session(db.engine)
        ingest_article(first, FIRST, actor=None)  # its new source's name is written, not committed
        first_pid = first.scalar(text("SELECT pg_backend_pid()"))
        outcome: list[object] = []

        def second_ingest() -> None:
            try:
                with Session(db.engine) as second:
                    second.execute(text("SET LOCAL lock_timeout = '60s'"))  # a wait that never ends fails
                    outcome.append(ingest_article(second, SECOND, actor=None).article.id)
                    second.commit()
            except BaseException as exc:  # reported below; a thread cannot fail the test itself
                outcome.append(exc)

        thread = threading.Thread(target=second_ingest)
        thread.start()
        try:
            # The second transaction is blocked behind the first one's uncommitted name: a state, not a delay.
            with db.engine.connect() as watcher:
                waiting = 0
                for _ in range(60_000):
                    waiting = watcher.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                        {"pid": first_pid})
                    if waiting or not thread.is_alive():
                        break
                    watcher.rollback()
                    threading.Event().wait(0.005)
                assert waiting == 1, "the second ingest never waited for the first one's new source"
        except BaseException:
            first.rollback()  # lets the second transaction (and the schema's cleanup) go on
            first.close()
            thread.join(timeout=120)
            raise
        first.commit()
        first.close()
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], int), outcome
        with Session(db.engine) as session:
            assert session.scalar(select(func.count()).select_from(Article)) == 2
            guilds = session.scalars(select(Source.id).where(Source.name.ilike("%pilots%"))).all()
            assert len(guilds) == 1, "one source for the guild, made by the first ingest"
            claimants = session.scalars(select(ChainLink.source_id).join(CheckItem, CheckItem.id == ChainLink.item_id)
                                        .where(ChainLink.position == 0)).all()
            assert sorted(claimants) == [guilds[0], guilds[0]]
