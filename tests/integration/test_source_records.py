"""Track records count every published verdict exactly once, also when reviewers publish at once.

The first tests run on SQLite and PostgreSQL in the rolled-back test session; the last one
publishes from many threads, each committing its own session, on PostgreSQL in a schema of its own.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import event, select, text

from factcheck.db import write_intent
from factcheck.domain.workflow import Decision, Policy, Role, SourceKind, Status
from factcheck.models import CheckItem, Rating, Source, SourceRecord, User
from factcheck.services import items as item_service
from factcheck.standings import standing, standings
from factcheck.services.items import LinkInput
from factcheck.services.sources import add_to_records, apply_published_verdict
from tests.conftest import PG_URL
from tests.factories import gen_evidence, gen_item_in, gen_source, gen_user


def _rating(session, key: str) -> Rating:
    return session.scalars(select(Rating).where(Rating.key == key)).one()


def _records(session, source_ids) -> Counter:
    """Non-zero record rows of the sources, by (source_id, capacity, rating key)."""
    rows = session.execute(
        select(SourceRecord.source_id, SourceRecord.capacity, Rating.key, SourceRecord.count)
        .join(Rating, Rating.id == SourceRecord.rating_id)
        .where(SourceRecord.source_id.in_(list(source_ids)), SourceRecord.count > 0)
    ).all()
    return Counter({(r[0], r[1], r[2]): r[3] for r in rows})


def _verdict_item(session, claimant, relay=None, rating: str = "false") -> CheckItem:
    """An item of ``claimant`` (relayed by ``relay``) in verdict, its verdict proposed with ``rating``."""
    chain = [LinkInput(claimant, "said")] + ([LinkInput(relay, "reported")] if relay is not None else [])
    item = item_service.create_item(session, claim_text=f"{claimant.name} said the river rose by {rating}.",
                                    actor=None, chain=chain, checkworthiness=0.5)
    checker = gen_user(session, Role.CHECKER)
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key=rating, summary="s", rationale="r",
                                 policy=Policy())
    return item


def test_publishing_counts_the_claimant_and_the_relay_and_reopening_takes_it_away(session, policy):
    claimant, relay = gen_source(session, "Claimant Person"), gen_source(session, "Relay Daily", SourceKind.OUTLET)
    item = _verdict_item(session, claimant, relay, rating="false")
    item_service.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                                 policy=policy)
    assert _records(session, [claimant.id, relay.id]) == {(claimant.id, "claimant", "false"): 1,
                                                          (relay.id, "relay", "false"): 1}
    item_service.reopen_item(session, item.id, gen_user(session, Role.EDITOR), tier="rating_change", note="Fix.")
    assert _records(session, [claimant.id, relay.id]) == {}


def test_taking_a_verdict_away_never_goes_below_zero_nor_creates_a_row(session):
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    false = _rating(session, "false")
    apply_published_verdict(session, item, false, -1)
    apply_published_verdict(session, item, false, -1)
    row = session.get(SourceRecord, (item.claimant_id, "claimant", false.id))
    assert row.count == 0
    add_to_records(session, {(item.claimant_id, "relay", false.id): -1})
    assert session.get(SourceRecord, (item.claimant_id, "relay", false.id)) is None


def test_a_record_row_loaded_before_a_publication_shows_the_new_count(session, policy):
    first = gen_item_in(session, Status.PUBLISHED, rating="false")
    claimant, false = first.claimant, _rating(session, "false")
    row = session.get(SourceRecord, (claimant.id, "claimant", false.id))
    assert row.count == 1
    second = _verdict_item(session, claimant, rating="false")
    item_service.vote_on_verdict(session, second.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                                 policy=policy)
    assert row.count == 2
    assert standing(session, claimant).counts["claimant"] == {"false": 2}


#: A LIAR row of the speaker ``jane-roe`` (PolitiFact's slug of the source "Jane Roe"), rated false.
def _liar_row(n: int):  # type: ignore[no-untyped-def]
    from factcheck.interchange.liar import parse_row

    return parse_row(n, f"{n}.json\tfalse\tThe port tax rose {n} times.\ttaxes\tjane-roe\t\t\tnone\t0\t0\t0\t0\t0\t"
                        "a speech".split("\t"))


def test_an_import_adds_its_verdicts_to_the_records_a_publication_counted(session, policy):
    from factcheck.services.imports import import_liar_rows

    claimant = gen_source(session, "Jane Roe")
    item_service.vote_on_verdict(session, _verdict_item(session, claimant).id, gen_user(session, Role.REVIEWER),
                                 decision=Decision.APPROVE, policy=policy)
    assert import_liar_rows(session, [_liar_row(n) for n in range(1, 4)], actor=None).imported == 3
    assert _records(session, [claimant.id]) == {(claimant.id, "claimant", "false"): 4}
    assert standing(session, claimant).published == 4 and session.get(Source, claimant.id).record_total == 4


@pytest.mark.postgres
def test_a_publication_committed_while_an_import_runs_is_counted(pg_database):
    """The import used to read the record rows once and write their counts back: a publication committed in
    between was lost. It now adds to them as a publication does (atomic statements, the sources locked)."""
    from factcheck.services.imports import import_liar_rows

    db = pg_database
    token = write_intent.set(True)
    try:
        with db.sessionmaker() as session:
            claimant = gen_source(session, "Jane Roe")
            reviewer = gen_user(session, Role.REVIEWER)
            first, second = _verdict_item(session, claimant), _verdict_item(session, claimant)
            item_service.vote_on_verdict(session, first.id, reviewer, decision=Decision.APPROVE, policy=Policy())
            session.commit()
            ids = (claimant.id, reviewer.id, second.id)

        def publish_meanwhile(_n: int) -> None:  # the import's progress: its transaction is open, its rows read
            if published:
                return
            with db.sessionmaker() as other:
                item_service.vote_on_verdict(other, ids[2], other.get(User, ids[1]), decision=Decision.APPROVE,
                                             policy=Policy())
                other.commit()
            published.append(True)

        published: list[bool] = []
        with db.sessionmaker() as session:
            assert import_liar_rows(session, [_liar_row(1)], actor=None, progress=publish_meanwhile).imported == 1
            session.commit()
        assert published
        with db.sessionmaker() as session:
            assert _records(session, [ids[0]]) == {(ids[0], "claimant", "false"): 3}
            assert session.get(Source, ids[0]).record_total == 3
    finally:
        write_intent.reset(token)


# --- reviewers publishing for one claimant at once (PostgreSQL) -----------------------------------

PUBLISHERS = 6
ROUNDS = 3
RATINGS = ("false", "mostly-false", "half-true")


@pytest.fixture
def pg_database():
    """A migrated schema of its own in the PostgreSQL test database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=PUBLISHERS + 2) as db:
        yield db


def _publish_at_once(db, votes: list[tuple[int, int]]) -> list[BaseException]:
    """Each (item, reviewer) pair approves in its own thread, session and commit, released together."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(votes))

    def publish(item_id: int, reviewer_id: int) -> None:
        token = write_intent.set(True)
        try:
            with db.sessionmaker() as session:
                reviewer = session.get(User, reviewer_id)
                session.commit()
                start.wait()
                item_service.vote_on_verdict(session, item_id, reviewer, decision=Decision.APPROVE, policy=Policy())
                session.commit()
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
            start.abort()  # the others stop waiting for a thread that failed
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=publish, args=pair) for pair in votes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.postgres
def test_reviewers_publishing_for_one_claimant_at_once_are_all_counted(pg_database):
    db = pg_database
    with db.sessionmaker() as session:
        claimant = gen_source(session, "Busy Claimant Person")
        relays = [gen_source(session, f"Relay Outlet{n}", SourceKind.OUTLET) for n in range(2)]
        for n in range(8):  # open items whose priority every publication recomputes
            item_service.create_item(session, claim_text=f"Open claim {n} about the river.", actor=None,
                                     chain=[LinkInput(claimant, "said")], checkworthiness=0.1 * n)
        rounds = []
        for r in range(ROUNDS):
            rounds.append([(_verdict_item(session, claimant, relays[n % 2] if n % 3 else None,
                                          rating=RATINGS[(n + r) % len(RATINGS)]).id,
                            gen_user(session, Role.REVIEWER).id) for n in range(PUBLISHERS)])
        session.commit()
        source_ids = [claimant.id] + [r.id for r in relays]
    errors = []
    for votes in rounds:  # the first round creates the record rows, the later ones add to them
        errors += _publish_at_once(db, votes)
    with db.sessionmaker() as session:
        published = session.scalars(select(CheckItem).where(CheckItem.status == Status.PUBLISHED)).all()
        expected: Counter = Counter()
        for item in published:
            rating = item.current_verdict.final_rating.key
            expected[(claimant.id, "claimant", rating)] += 1
            for link in item.chain[1:]:
                expected[(link.source_id, "relay", rating)] += 1
        assert _records(session, source_ids) == expected, "every published verdict is in the records"
        sources = session.scalars(select(Source).where(Source.id.in_(source_ids))).all()
        stored = {s.id: (s.standing_mean, s.record_total) for s in sources}
        assert stored == {i: (st.score.mean, st.published) for i, st in standings(session, sources).items()}, \
            "the stored standings include every publication"
    assert not errors, errors
    assert len(published) == PUBLISHERS * ROUNDS


def _wait_until(condition, what: str) -> None:
    """Poll ``condition`` (a database state, not a duration) until it holds; fail after a generous bound."""
    for _ in range(1200):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"still waiting for {what}")


def _backend_waits_on_a_lock(db, application_name: str) -> bool:
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                                "AND wait_event_type = 'Lock'"), {"name": application_name}) > 0


@pytest.mark.postgres
def test_a_publication_recomputing_priorities_does_not_deadlock_with_a_vote_on_an_item_proposed_meanwhile(
        pg_database):
    """A publication scores the claimant's open items, then writes them. If one of them is proposed
    and voted on in between, that vote holds the item and waits for the claimant's record: the
    publication must not then wait for the item."""
    db = pg_database
    with db.sessionmaker() as session:
        claimant = gen_source(session, "Claimant Person")
        item_service.create_item(session, claim_text="An open claim about the river.", actor=None,
                                 chain=[LinkInput(claimant, "said")], checkworthiness=0.3)
        published_now = _verdict_item(session, claimant, rating="false")
        proposed_meanwhile = item_service.create_item(session, claim_text="The river rose by a metre.", actor=None,
                                                      chain=[LinkInput(claimant, "said")], checkworthiness=0.6)
        checker = gen_user(session, Role.CHECKER)
        item_service.take_item(session, proposed_meanwhile.id, checker)
        gen_evidence(session, proposed_meanwhile, checker)
        first, second = gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)
        session.commit()
        ids = {"published": published_now.id, "meanwhile": proposed_meanwhile.id, "checker": checker.id,
               "first": first.id, "second": second.id}
    paused, resume = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    finished: dict[str, threading.Event] = {name: threading.Event() for name in ("publish", "propose", "vote")}

    def pause_before_writing_priorities(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "publish" and statement.startswith("UPDATE check_items SET priority"):
            if not paused.is_set():
                paused.set()
                resume.wait(timeout=60)

    def in_thread(name: str, work) -> threading.Thread:  # type: ignore[no-untyped-def]
        def run() -> None:
            token = write_intent.set(True)
            try:
                with db.sessionmaker() as session:
                    session.execute(text(f"SET application_name = 'factcheck-test-{name}'"))
                    work(session)
                    session.commit()
            except BaseException as exc:  # reported below; a thread cannot fail the test itself
                errors.append(exc)
            finally:
                write_intent.reset(token)
                finished[name].set()

        thread = threading.Thread(target=run, name=name)
        thread.start()
        return thread

    def publish(session) -> None:  # type: ignore[no-untyped-def]
        item_service.vote_on_verdict(session, ids["published"], session.get(User, ids["first"]),
                                     decision=Decision.APPROVE, policy=Policy())

    def propose(session) -> None:  # type: ignore[no-untyped-def]
        item_service.propose_verdict(session, ids["meanwhile"], session.get(User, ids["checker"]), rating_key="false",
                                     summary="s", rationale="r", policy=Policy())

    def vote(session) -> None:  # type: ignore[no-untyped-def]
        item_service.vote_on_verdict(session, ids["meanwhile"], session.get(User, ids["second"]),
                                     decision=Decision.APPROVE, policy=Policy())

    event.listen(db.engine, "before_cursor_execute", pause_before_writing_priorities)
    threads = []
    try:
        threads.append(in_thread("publish", publish))
        _wait_until(lambda: paused.is_set() or finished["publish"].is_set(), "the publication to score the items")
        threads.append(in_thread("propose", propose))
        _wait_until(lambda: finished["propose"].is_set() or _backend_waits_on_a_lock(db, "factcheck-test-propose"),
                    "the proposal to finish or to wait for the publication")
        if finished["propose"].is_set():  # the item was free: a reviewer votes on it at once
            threads.append(in_thread("vote", vote))
            _wait_until(lambda: finished["vote"].is_set() or _backend_waits_on_a_lock(db, "factcheck-test-vote"),
                        "the vote to finish or to wait for the publication")
        resume.set()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        if not finished["vote"].is_set():
            threads.append(in_thread("vote", vote))
            threads[-1].join(timeout=120)
    finally:
        resume.set()
        event.remove(db.engine, "before_cursor_execute", pause_before_writing_priorities)
    assert not errors, errors
    with db.sessionmaker() as session:
        assert _records(session, [claimant.id]) == {(claimant.id, "claimant", "false"): 2}


def test_an_import_locks_all_its_sources_at_once_in_order_of_id(session, monkeypatch):
    """Chunk by chunk it locked a later source and then an earlier one, while a publication locks them in order of
    id: each waited for the other (PostgreSQL ended one of them). It now locks them all before the first count."""
    from factcheck.services import imports

    calls: list[list[int]] = []
    real = imports.lock_sources
    monkeypatch.setattr(imports, "lock_sources", lambda s, ids: (calls.append(sorted(ids)), real(s, ids)))
    monkeypatch.setattr(imports, "CHUNK", 1)
    first, second = gen_source(session, "Orla Fenwick"), gen_source(session, "Tomas Brightwater")

    def row(n: int, speaker: str):  # type: ignore[no-untyped-def]
        from factcheck.interchange.liar import parse_row

        return parse_row(n, f"{n}.json\tfalse\tStatement {n} about taxes.\ttaxes\t{speaker}\t\t\tnone\t0\t0\t0\t0\t0\t"
                            "a speech".split("\t"))

    report = imports.import_liar_rows(session, [row(1, "tomas-brightwater"), row(2, "orla-fenwick")], actor=None)
    assert report.imported == 2
    assert calls == [sorted([first.id, second.id])]


def test_sources_are_locked_however_many_one_statement_could_not_name(session):
    """A statement binds at most 65,535 values on PostgreSQL; an archive import locks every source it names."""
    from factcheck.services.sources import lock_sources

    lock_sources(session, range(1, 70_001))  # (ids with no row are fine: nothing to lock, nothing refused)
    assert session.execute(select(Source.id).limit(1)).all() is not None  # the transaction is still usable
