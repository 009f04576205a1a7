"""Source merges never go round in a circle, and a circle already in the data is reported, not followed forever.

On SQLite and PostgreSQL in the rolled-back test session; two editors merging the same pair in
opposite directions at once run on PostgreSQL in a schema of their own.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from factcheck.db import Database, write_intent
from factcheck.domain.workflow import Role, SourceKind, Status
from factcheck.models import ChainLink, CheckItem, Source, User
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from factcheck.standings import standing
from factcheck.services.errors import InvalidInput
from factcheck.services.sources import (
    MAX_MERGE_DEPTH,
    MergeCycle,
    find_or_create_source,
    find_source,
    find_sources,
    merge_sources,
    resolve_source_ref,
)
from factcheck.services.imports import ImportContext
from tests.conftest import PG_URL
from tests.factories import gen_item_in, gen_source, gen_user


def _merged_into(session, source_id: int) -> int | None:
    return session.scalar(select(Source.merged_into_id).where(Source.id == source_id))


def _within(seconds: float, call):  # type: ignore[no-untyped-def]
    """Run ``call`` in a thread and return what it returned or raised; fail if it is still running after ``seconds``.

    Following merges used to loop forever on a circle; a test must fail then, not hang.
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "following the merges never ended"
    return outcome


def test_merging_back_into_a_source_merged_into_this_one_is_refused(session):
    editor = gen_user(session, Role.EDITOR)
    a, b = gen_source(session, "First Spelling Person"), gen_source(session, "Second Spelling Person")
    merge_sources(session, a.id, b.id, editor)
    with pytest.raises(InvalidInput, match="point at each other"):
        merge_sources(session, b.id, a.id, editor)
    assert _merged_into(session, a.id) == b.id and _merged_into(session, b.id) is None
    assert find_source(session, "First Spelling Person").id == b.id


def test_merging_into_a_merged_source_by_id_is_refused_naming_the_source_to_use(session):
    editor = gen_user(session, Role.EDITOR)
    a, b, c = (gen_source(session, name) for name in ("Alpha Source Person", "Beta Source Person",
                                                      "Gamma Source Person"))
    merge_sources(session, a.id, b.id, editor)
    with pytest.raises(InvalidInput, match="merge into that source instead") as refused:
        merge_sources(session, c.id, a.id, editor)
    assert "Beta Source Person" in str(refused.value) and f"#{b.id}" in str(refused.value)
    with pytest.raises(InvalidInput, match="merge into that source instead"):
        merge_sources(session, c.id, f"#{a.id}", editor)
    assert _merged_into(session, c.id) is None


def test_merging_into_a_merged_source_by_name_goes_to_the_source_it_was_merged_into(session):
    editor = gen_user(session, Role.EDITOR)
    a, b, c = (gen_source(session, name) for name in ("Alpha Source Person", "Beta Source Person",
                                                      "Gamma Source Person"))
    merge_sources(session, a.id, b.id, editor)
    kept = merge_sources(session, c.id, "Alpha Source Person", editor)
    assert kept.id == b.id and _merged_into(session, c.id) == b.id


def test_a_name_follows_a_chain_of_merges_to_its_end(session):
    editor = gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    a = item.claimant
    b, c = gen_source(session, "Middle Source Person"), gen_source(session, "Last Source Person")
    merge_sources(session, a.id, b.id, editor)
    merge_sources(session, b.id, c.id, editor)
    assert find_source(session, a.name).id == c.id
    assert standing(session, c).counts["claimant"] == {"false": 1}


@pytest.mark.parametrize("lookup", [
    lambda session, a, b: find_source(session, a.name),
    lambda session, a, b: find_or_create_source(session, b.name),
    lambda session, a, b: resolve_source_ref(session, a.name),
    lambda session, a, b: merge_sources(session, gen_source(session, "Third Source Person").id, b.name,
                                        gen_user(session, Role.EDITOR)),
    lambda session, a, b: ImportContext(session, None, "liar").prepare_sources([(a.name, a.name, SourceKind.PERSON)]),
], ids=["find", "find-or-create", "reference", "merge", "archive-import"])
def test_a_circle_of_merges_in_the_data_is_reported_instead_of_followed_forever(session, lookup):
    a, b = gen_source(session, "Norma Circlewood"), gen_source(session, "Sonia Roundhill")
    session.execute(update(Source).where(Source.id == a.id).values(merged_into_id=b.id))
    session.execute(update(Source).where(Source.id == b.id).values(merged_into_id=a.id))
    session.expire_all()
    outcome = _within(30, lambda: lookup(session, a, b))
    error = outcome.get("error")
    assert isinstance(error, MergeCycle), outcome
    assert f"#{a.id}" in str(error) and f"#{b.id}" in str(error) and "circle" in str(error)
    assert error.status_code == 409


def test_following_merges_is_bounded_even_without_a_circle(session):
    sources = [gen_source(session, f"Chain Person{chr(97 + i // 26)}{chr(97 + i % 26)}")
               for i in range(MAX_MERGE_DEPTH + 2)]
    for merged, kept in zip(sources, sources[1:]):
        session.execute(update(Source).where(Source.id == merged.id).values(merged_into_id=kept.id))
    session.expire_all()
    with pytest.raises(MergeCycle, match="merged more than"):
        find_source(session, sources[0].name)
    assert find_source(session, sources[2].name).id == sources[-1].id


def test_the_database_refuses_a_source_merged_into_itself(session):
    source = gen_source(session, "Selfish Source Person")
    with pytest.raises(IntegrityError, match="not_merged_into_self"):
        with session.begin_nested():
            session.execute(update(Source).where(Source.id == source.id).values(merged_into_id=source.id))


# --- the picker's resolution, for the command line ------------------------------------------------


def test_find_sources_resolves_a_surname_as_the_picker_does_and_lists_shared_ones(session):
    putin = find_or_create_source(session, "Vladimir Putin")
    gen_source(session, "Reuters", SourceKind.OUTLET)
    assert find_source(session, "Putin") is None
    assert find_sources(session, "Putin") == [putin]
    assert find_or_create_source(session, "Putin").id == putin.id  # what the web picker does
    assert find_sources(session, "President Vladimir Putin") == [putin]
    donald, ivanka = find_or_create_source(session, "Donald Trump"), find_or_create_source(session, "Ivanka Trump")
    assert find_sources(session, "Trump") == [donald, ivanka]
    assert find_sources(session, "reuters")[0].name == "Reuters"
    assert find_sources(session, "Nobody Known Here") == [] and find_sources(session, " !! ") == []


# --- two editors at once (PostgreSQL) -------------------------------------------------------------


@pytest.fixture
def pg_database():
    """A migrated schema of its own in the PostgreSQL test database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=4) as db:
        yield db


@pytest.mark.postgres
def test_two_editors_merging_a_pair_in_opposite_directions_at_once_leave_no_circle(pg_database):
    db = pg_database
    with db.sessionmaker() as session:
        a, b = gen_source(session, "Left Spelling Person"), gen_source(session, "Right Spelling Person")
        editors = [gen_user(session, Role.EDITOR).id, gen_user(session, Role.EDITOR).id]
        session.commit()
        pairs = [(a.id, b.id), (b.id, a.id)]
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def merge(index: int) -> None:
        token = write_intent.set(True)
        try:
            with db.sessionmaker() as session:
                editor = session.get(User, editors[index])
                session.get(Source, pairs[index][0]), session.get(Source, pairs[index][1])
                session.commit()
                start.wait()
                try:
                    merge_sources(session, pairs[index][0], pairs[index][1], editor)
                    session.commit()
                    outcomes.append("merged")
                except InvalidInput as exc:
                    session.rollback()
                    outcomes.append(exc)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            outcomes.append(exc)
            start.abort()  # the others stop waiting for a thread that failed
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    with db.sessionmaker() as session:
        pointers = {a.id: _merged_into(session, a.id), b.id: _merged_into(session, b.id)}
    assert None in pointers.values(), f"the two sources point at each other: {pointers}"
    assert outcomes.count("merged") == 1, outcomes
    refusal = next(o for o in outcomes if o != "merged")
    assert isinstance(refusal, InvalidInput), refusal


# --- a merge and a writer naming the merged source at the same moment (PostgreSQL) ---------------------------


def _pair_and_editor(db):  # type: ignore[no-untyped-def]
    with db.sessionmaker() as session:
        a, b = gen_source(session, "Orla Fenwick"), gen_source(session, "Tomas Brightwater")
        editor = gen_user(session, Role.EDITOR)
        session.commit()
        return a.id, b.id, editor.id


@pytest.mark.postgres
def test_an_item_written_while_a_merge_waits_is_moved_by_the_merge(pg_database):
    """The writer names the source first: the merge waits for it to commit, then moves its rows too."""
    from tests.pg_schema import behind_first

    db = pg_database
    a_id, b_id, editor_id = _pair_and_editor(db)
    first = db.sessionmaker()
    item = item_service.create_item(first, claim_text="Orla Fenwick said the ferry costs less.", actor=None,
                                    chain=[LinkInput(first.get(Source, a_id), "said")])
    first.flush()
    item_id = item.id
    outcome = behind_first(db, first, lambda second: merge_sources(second, a_id, b_id, second.get(User, editor_id)).id)
    assert outcome == b_id
    with db.sessionmaker() as session:
        moved = session.get(CheckItem, item_id)
        assert moved.claimant_id == b_id and [link.source_id for link in moved.chain] == [b_id]


@pytest.mark.postgres
def test_an_item_naming_a_source_being_merged_waits_and_is_refused_in_plain_words(pg_database):
    """The merge holds the source first: the writer waits, then the database refuses its row (a conflict, nothing
    written); asked again by name, the source is the one it was merged into."""
    from tests.pg_schema import behind_first

    db = pg_database
    a_id, b_id, editor_id = _pair_and_editor(db)
    first = db.sessionmaker()
    merge_sources(first, a_id, b_id, first.get(User, editor_id))
    first.flush()

    def write(second):  # type: ignore[no-untyped-def]
        try:
            item_service.create_item(second, claim_text="Orla Fenwick said the ferry costs less.", actor=None,
                                     chain=[LinkInput(second.get(Source, a_id), "said")])
            second.flush()
        except IntegrityError as exc:
            second.rollback()
            return exc
        return "written"

    refusal = behind_first(db, first, write)
    assert isinstance(refusal, IntegrityError) and "was merged into another" in str(refusal.orig)
    with db.sessionmaker() as session:
        assert session.scalars(select(CheckItem).where(CheckItem.claim_text.like("Orla Fenwick said%"))).all() == []
        assert find_source(session, "Orla Fenwick").id == b_id


def test_the_database_refuses_a_row_naming_a_merged_source(session):
    """The rule holds whoever writes (SQLite too): a chain link, a claimant, evidence or an outlet."""
    editor = gen_user(session, Role.EDITOR)
    a, b = gen_source(session, "Ines Galloway"), gen_source(session, "Ravi Thornbury")
    merge_sources(session, a.id, b.id, editor)
    session.flush()
    with session.begin_nested():
        item = item_service.create_item(session, claim_text="Ravi Thornbury said so.", actor=None,
                                        chain=[LinkInput(b, "said")])
    for statement in (update(CheckItem).where(CheckItem.id == item.id).values(claimant_id=a.id),
                      update(ChainLink).where(ChainLink.item_id == item.id).values(source_id=a.id)):
        with pytest.raises(IntegrityError, match="was merged into another"), session.begin_nested():
            session.execute(statement)


def test_an_address_of_a_merged_outlet_finds_the_outlet_it_was_merged_into(session):
    """A merged outlet keeps its domain when the one it was merged into has its own; a new name on an address of
    that domain is the survivor, not the merged outlet."""
    editor = gen_user(session, Role.EDITOR)
    kept = find_or_create_source(session, "Reuters", SourceKind.OUTLET, domain="reuters.com")
    merged = find_or_create_source(session, "Reuters UK", SourceKind.OUTLET, domain="uk.reuters.com")
    merge_sources(session, merged.id, kept.id, editor)
    found = find_or_create_source(session, "Reuters U.K. edition", SourceKind.OUTLET,
                                  domain="https://uk.reuters.com/world/story")
    assert found.id == kept.id and found.merged_into_id is None


def _proposed_item_of(session, claimant: Source) -> CheckItem:  # type: ignore[no-untyped-def]
    """An item of ``claimant`` taken by a checker, with evidence, its verdict (false) proposed."""
    from factcheck.domain.workflow import Policy
    from tests.factories import gen_evidence

    checker = gen_user(session, Role.CHECKER)
    item = item_service.create_item(session, claim_text=f"{claimant.name} said the river rose.", actor=None,
                                    chain=[LinkInput(claimant, "said")])
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No.", rationale="Records.",
                                 policy=Policy())
    return item


@pytest.mark.postgres
def test_a_merge_and_a_vote_publishing_an_item_of_the_merged_source_wait_for_each_other(pg_database):
    """The vote holds its item and then wants the sources; the merge took the sources first and then wanted to
    rewrite the item: a deadlock, which PostgreSQL ended by failing one. The merge now takes the items first."""
    from sqlalchemy import text

    from factcheck.domain.workflow import Decision, Policy
    from factcheck.standings import standings

    db = pg_database
    token = write_intent.set(True)
    try:
        with db.sessionmaker() as session:
            merged, kept = gen_source(session, "Orla Fenwick"), gen_source(session, "Tomas Brightwater")
            editor, reviewer = gen_user(session, Role.EDITOR), gen_user(session, Role.REVIEWER)
            item = _proposed_item_of(session, merged)
            session.commit()
            ids = (merged.id, kept.id, editor.id, reviewer.id, item.id)
        voting = db.sessionmaker()
        item_service.get_item(voting, ids[4], for_update=True)  # the vote's first step: its item is held
        voter = voting.scalar(text("SELECT pg_backend_pid()"))
        outcome: list[object] = []

        def merge() -> None:
            token = write_intent.set(True)
            try:
                with db.sessionmaker() as session:
                    merge_sources(session, ids[0], ids[1], session.get(User, ids[2]))
                    session.commit()
                    outcome.append("merged")
            except BaseException as exc:  # returned to the test; a thread cannot fail the test itself
                outcome.append(exc)
            finally:
                write_intent.reset(token)

        thread = threading.Thread(target=merge)
        thread.start()
        with db.engine.connect() as watcher:
            for _ in range(60_000):  # until the merge waits for the vote (a state, not a delay)
                if watcher.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                                  {"pid": voter}) or not thread.is_alive():
                    break
                watcher.rollback()
                threading.Event().wait(0.005)
        item_service.vote_on_verdict(voting, ids[4], voting.get(User, ids[3]), decision=Decision.APPROVE,
                                     policy=Policy())
        voting.commit()
        voting.close()
        thread.join(120)
        assert outcome == ["merged"], outcome
        with db.sessionmaker() as session:
            published = session.get(CheckItem, ids[4])
            assert published.status is Status.PUBLISHED and published.claimant_id == ids[1]
            kept_standing = standings(session, [session.get(Source, ids[1])])[ids[1]]
            assert kept_standing.counts["claimant"] == {"false": 1}
    finally:
        write_intent.reset(token)


def test_the_migration_moves_rows_left_on_a_merged_source_and_counts_their_records_again(empty_db, tmp_path):
    """A race before the triggers (migration e8a1c3f5b7d9) could leave an item on a merged source, its verdict
    counted there; the triggers would then refuse that row in a restore. The migration moves such rows to the
    source kept and counts the records of both again."""
    import io

    from sqlalchemy.orm import Session

    from factcheck import migrate
    from factcheck.domain.workflow import Decision, Policy
    from factcheck.interchange.backup import export_backup, import_backup
    from factcheck.standings import standings
    from tests.conftest import migrated_sqlite_url

    migrate.upgrade(empty_db.url)
    token = write_intent.set(True)
    try:
        with Session(empty_db.engine) as session:
            merged, kept = gen_source(session, "Orla Fenwick"), gen_source(session, "Tomas Brightwater")
            item = _proposed_item_of(session, merged)
            item_service.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                                         policy=Policy())
            # What the race left: the source merged, the item (written meanwhile) still naming it.
            session.execute(update(Source).where(Source.id == merged.id).values(merged_into_id=kept.id))
            session.commit()
            ids = (merged.id, kept.id, item.id)
        migrate.downgrade(empty_db.url, "d6e8f0a2b4c7")
        migrate.upgrade(empty_db.url)
        empty_db.dispose()
        with Session(empty_db.engine) as session:
            moved = session.get(CheckItem, ids[2])
            assert moved.claimant_id == ids[1] and [link.source_id for link in moved.chain] == [ids[1]]
            sources = session.scalars(select(Source).where(Source.id.in_(ids[:2]))).all()
            counted = standings(session, sources)
            assert counted[ids[0]].counts["claimant"] == {} and counted[ids[1]].counts["claimant"] == {"false": 1}
            assert {s.id: (s.standing_mean, s.record_total) for s in sources} == {
                i: (st.score.mean, st.published) for i, st in counted.items()}
        backup = io.StringIO()
        with empty_db.engine.connect() as conn:
            export_backup(conn, backup)
        restored = Database(migrated_sqlite_url(tmp_path / "restored.sqlite3"))
        try:
            with restored.engine.begin() as conn:
                import_backup(conn, io.StringIO(backup.getvalue()))
        finally:
            restored.dispose()
    finally:
        write_intent.reset(token)
