"""Each source's stored score mean and record total (what the source list sorts by) follow every
change of its record or prior: publishing, reopening, merging, an editorial prior, an import, and
the migration that added them."""

from __future__ import annotations

from sqlalchemy import create_engine, select, text

from factcheck import migrate
from factcheck.domain.workflow import Origin, Role, SourceKind, Status
from factcheck.models import Source
from factcheck.queries.sources import source_list
from factcheck.services import items as item_service
from factcheck.services.imports import ImportContext, ImportedClaim, import_published_claim
from factcheck.services.sources import find_or_create_source, merge_sources, set_prior
from factcheck.standings import standings
from tests.conftest import migrated_sqlite_url
from tests.factories import gen_item_in, gen_source, gen_user


def _stored(session, source: Source) -> tuple[float, int]:
    """The source's stored (mean, total), read from the database, not from the loaded object."""
    row = session.execute(select(Source.standing_mean, Source.record_total).where(Source.id == source.id)).one()
    return row[0], row[1]


def _computed(session, source: Source) -> tuple[float, int]:
    found = standings(session, [source])[source.id]
    return found.score.mean, found.published


def test_a_new_source_starts_at_its_priors_mean(session):
    person = gen_source(session, "Fresh Person")
    outlet = find_or_create_source(session, "Reuters", SourceKind.OUTLET, domain="reuters.com")
    session.flush()
    assert _stored(session, person) == (0.5, 0)
    assert _stored(session, outlet) == _computed(session, outlet)
    assert _stored(session, outlet)[0] > 0.9  # a highly rated domain


def test_publishing_and_reopening_move_the_stored_standing(session):
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    claimant = item.claimant
    assert _stored(session, claimant) == _computed(session, claimant) == (1 / 3, 1)
    editor = gen_user(session, Role.EDITOR)
    item_service.reopen_item(session, item.id, editor, tier="correction", note="New records came to light.")
    assert _stored(session, claimant) == (0.5, 0)


def test_a_prior_and_a_merge_move_the_stored_standing(session):
    editor = gen_user(session, Role.EDITOR)
    kept = gen_item_in(session, Status.PUBLISHED, rating="true").claimant
    merged = gen_item_in(session, Status.PUBLISHED, rating="false").claimant
    set_prior(session, merged.id, editor, mean=0.2, strength=8, version=merged.version)
    assert _stored(session, merged) == _computed(session, merged)
    merge_sources(session, merged.id, kept.id, editor)
    assert _stored(session, kept) == _computed(session, kept)
    assert _stored(session, kept)[1] == 2


def test_an_import_stores_the_standings_of_the_sources_it_counted_in(session):
    ctx = ImportContext(session, None, Origin.LIAR)
    ctx.prepare_sources([("archive-speaker", "Archive Speaker", SourceKind.PERSON)])
    speaker = ctx.source("archive-speaker")
    for n, rating in enumerate(("false", "false", "true")):
        import_published_claim(ctx, ImportedClaim(
            external_ref=f"standing-test-{n}", origin=Origin.LIAR, claim_text=f"Archive claim {n} about the budget.",
            rating_key=rating, summary="", rationale="Imported.", rated_by="PolitiFact", claimant=speaker))
    ctx.finish()
    assert _stored(session, speaker) == _computed(session, speaker)
    assert _stored(session, speaker)[1] == 3


def test_the_list_pages_through_the_stored_order_without_overlap(session):
    for n in range(7):
        gen_item_in(session, Status.PUBLISHED, rating=("true", "false", "half-true")[n % 3])
    everyone = [s.source.id for s in source_list(session, sort="score").rows]
    import factcheck.queries.sources as queries

    original = queries.PAGE_SIZE
    queries.PAGE_SIZE = 3
    try:
        paged = [s.source.id for page in range(1, 20) for s in source_list(session, sort="score", page=page).rows]
    finally:
        queries.PAGE_SIZE = original
    assert paged == everyone and len(set(paged)) == len(paged)
    means = [s.score.mean for s in source_list(session, sort="score").rows]
    assert means == sorted(means, reverse=True)


def test_the_migration_fills_the_standings_of_existing_sources(tmp_path):
    url = migrated_sqlite_url(tmp_path / "standings.sqlite3")
    migrate.downgrade(url, "0c5aae39ab4b")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, kind, name, domain, created_at, version) VALUES "
                          "(1, 'person', 'Old Person', NULL, '2026-01-01 00:00:00', 1), "
                          "(2, 'outlet', 'Old Outlet', 'apnews.com', '2026-01-01 00:00:00', 1)"))
        false_id = conn.scalar(text("SELECT id FROM ratings WHERE key = 'false'"))
        conn.execute(text("INSERT INTO source_records (source_id, capacity, rating_id, count) VALUES "
                          "(1, 'claimant', :r, 2), (1, 'relay', :r, 2)"), {"r": false_id})
    engine.dispose()
    migrate.upgrade(url)
    engine = create_engine(url)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        for source in session.scalars(select(Source)):
            assert _stored(session, source) == _computed(session, source)
        assert _stored(session, session.get(Source, 1)) == (1 / 5, 4)  # Beta(1, 1 + 2 + 2·½)
    engine.dispose()


def test_standings_without_lines_have_the_same_record_and_score(session):
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    published = [gen_item_in(session, Status.PUBLISHED, checker=checker, reviewer=reviewer) for _ in range(3)]
    sources = [item.claimant for item in published if item.claimant is not None]
    assert sources
    full, bare = standings(session, sources), standings(session, sources, lines=False)
    assert full.keys() == bare.keys()
    for source_id, standing in full.items():
        assert standing.lines and bare[source_id].lines == []
        assert (bare[source_id].score, bare[source_id].counts) == (standing.score, standing.counts)
    assert any(s.published for s in bare.values())
