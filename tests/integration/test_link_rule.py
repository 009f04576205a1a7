"""One rule for links (``domain.links``): every writer of a link refuses (or, for an archive's review address, leaves
out) what the backup could not take back, so a backup of whatever the desk stored restores."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from factcheck.db import Database
from factcheck.domain.links import link_problem
from factcheck.domain.workflow import Role, Stance
from factcheck.interchange.backup import export_backup, import_backup
from factcheck.models import Verdict
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.errors import InvalidInput
from factcheck.services.ingest import ingest_article
from factcheck.services.submissions import clean_url
from tests.conftest import migrated_sqlite_url
from tests.factories import gen_item, gen_user
from tests.integration.test_imports_integrity import import_reviews, review

#: Links that start like one and are not: no site, a host that cannot be read, the scheme alone.
NOT_LINKS = ["https://", "https://[2001:db8::1/review", "http:///path-only", "https:", "ftp://files.example.org/a"]


@pytest.mark.parametrize("link", NOT_LINKS)
def test_the_rule_names_what_is_wrong(link: str) -> None:
    assert link_problem(link) is not None


def test_the_rule_takes_real_links_and_counts_their_length() -> None:
    assert link_problem("https://news.example.com/2024/03/story?id=1#top") is None
    assert link_problem("HTTP://[2001:db8::1]:8080/a") is None
    assert "2,000" in (link_problem("https://example.org/" + "a" * 2000) or "")


@pytest.mark.parametrize("link", [*NOT_LINKS, "https://example.org/" + "a" * 2000])
def test_every_writer_of_a_link_refuses_one_the_backup_would_refuse(session, link: str) -> None:
    with pytest.raises(InvalidInput):
        ingest_article(session, "The minister said that the bridge will open in May.", actor=None, url=link)
    checker = gen_user(session, Role.CHECKER)
    item = gen_item(session)
    item_service.take_item(session, item.id, checker)
    with pytest.raises(InvalidInput):
        evidence_service.add_evidence(session, item.id, checker, version=item.version, title="A record",
                                      stance=Stance.REFUTES, url=link)
    with pytest.raises(InvalidInput):
        clean_url(link)


def test_an_archive_review_without_a_readable_address_is_stored_without_one_and_the_backup_restores(tmp_path):
    source, restored = (Database(migrated_sqlite_url(tmp_path / f"{name}.sqlite3")) for name in ("source", "restored"))
    try:
        path = tmp_path / "reviews.json"
        path.write_text(json.dumps([review("A claim without a site.", url="https:"),
                                    review("A claim with a broken host.", url="https://[2001:db8::1/review")]),
                        encoding="utf-8")
        with source.sessionmaker() as session:
            assert import_reviews(session, path).imported == 2
            assert session.scalars(select(Verdict.review_url)).all() == [None, None]
            session.commit()
        backup = io.StringIO()
        with source.engine.connect() as conn:
            export_backup(conn, backup)
        with restored.engine.begin() as conn:
            import_backup(conn, io.StringIO(backup.getvalue()))
        with restored.sessionmaker() as session:
            assert len(session.scalars(select(Verdict)).all()) == 2
    finally:
        source.dispose()
        restored.dispose()
