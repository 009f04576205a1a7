"""Two ingests that name the same new source at the same moment both store their article, with one source."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
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
    from tests.pg_schema import behind_first, private_schema_database

    with private_schema_database(pool_size=4) as db:
        first = Session(db.engine)
        ingest_article(first, FIRST, actor=None)  # its new source's name is written, not committed
        outcome = behind_first(db, first, lambda second: ingest_article(second, SECOND, actor=None).article.id)
        assert isinstance(outcome, int), outcome
        with Session(db.engine) as session:
            assert session.scalar(select(func.count()).select_from(Article)) == 2
            guilds = session.scalars(select(Source.id).where(Source.name.ilike("%pilots%"))).all()
            assert len(guilds) == 1, "one source for the guild, made by the first ingest"
            claimants = session.scalars(select(ChainLink.source_id).join(CheckItem, CheckItem.id == ChainLink.item_id)
                                        .where(ChainLink.position == 0)).all()
            assert sorted(claimants) == [guilds[0], guilds[0]]
