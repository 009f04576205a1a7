"""What a backup may hold is what the desk could have written: an editorial prior beyond the strength the
desk allows (its interval cannot be computed, so the source's page failed) is refused with the line and field,
and nothing is imported; the service that sets a prior holds the same limits; NUL in an article's title, link
or outlet is refused when it is ingested (the desk's own backup would otherwise be refused)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from factcheck.domain.credibility import PRIOR_STRENGTH_LIMITS
from factcheck.domain.workflow import Role, SourceKind
from factcheck.interchange.backup import BackupError, export_backup, import_backup
from factcheck.models import Source
from factcheck.services.errors import InvalidInput
from factcheck.services.ingest import ingest_article
from factcheck.services.sources import set_prior
from tests.factories import gen_source, gen_user

ARTICLE = "The mayor said on Monday that the harbour would close for two years from March.\n"


def test_a_prior_stronger_than_the_desk_allows_is_refused_by_the_service(session):
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session, "Gazette Harbourside", SourceKind.OUTLET)
    for mean, strength in ((0.5, 1e308), (0.5, PRIOR_STRENGTH_LIMITS[1] * 2), (0.999, 10.0), (0.5, 0.01)):
        with pytest.raises(InvalidInput):
            set_prior(session, source.id, editor, mean=mean, strength=strength, version=source.version)
    set_prior(session, source.id, editor, mean=0.5, strength=PRIOR_STRENGTH_LIMITS[1], version=source.version)
    assert source.prior_alpha == source.prior_beta == PRIOR_STRENGTH_LIMITS[1] / 2


@pytest.mark.parametrize("field", ["title", "url", "outlet"])
def test_a_nul_in_an_articles_title_link_or_outlet_is_refused_at_ingest(session, field):
    value = {"title": "Harbour\x00", "url": "https://example.org/a\x00b", "outlet": "Gaz\x00ette"}[field]
    with pytest.raises(InvalidInput, match="NUL"):
        ingest_article(session, ARTICLE, actor=None, **{field: value})


def test_a_backup_holding_a_prior_no_desk_could_set_is_refused_whole(tmp_path):
    from factcheck.db import Database
    from tests.conftest import migrated_sqlite_url

    source_db = Database(migrated_sqlite_url(tmp_path / "desk.sqlite3"))
    with source_db.sessionmaker() as s:
        ingest_article(s, ARTICLE, actor=None, outlet="Harbour Gazette")
        s.commit()
    out = io.StringIO()
    with source_db.engine.connect() as connection:
        export_backup(connection, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    row = next(line["row"] for line in lines if line.get("table") == "sources" and line["row"]["name"] == "Harbour Gazette")
    row["prior_alpha"] = row["prior_beta"] = 1e308
    doctored = [json.dumps(line) + "\n" for line in lines]
    target = Database(migrated_sqlite_url(tmp_path / "restored.sqlite3"))
    with target.engine.connect() as connection:
        with pytest.raises(BackupError, match="sources.prior_alpha"):
            import_backup(connection, doctored)
        connection.rollback()
    with target.sessionmaker() as s:
        assert s.scalars(select(Source)).all() == []
    source_db.dispose()
    target.dispose()
