"""A merge of an item's relay that commits while a publication or a reopening of the item waits for it (PostgreSQL):
the verdict counts in, or leaves, the record of the source the item points at once the merge is done, so the
stored records equal a recount of the published items."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from factcheck.db import write_intent
from factcheck.domain.workflow import Decision, Policy, Role, SourceKind, Status
from factcheck.models import CheckItem, Rating, SourceRecord, User
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from factcheck.services.sources import merge_sources, record_capacities
from tests.conftest import PG_URL
from tests.factories import gen_evidence, gen_source, gen_user
from tests.pg_schema import behind_first, private_schema_database


pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")]


def stored(session) -> Counter:
    rows = session.execute(select(SourceRecord.source_id, SourceRecord.capacity, Rating.key, SourceRecord.count)
                           .join(Rating, Rating.id == SourceRecord.rating_id).where(SourceRecord.count > 0)).all()
    return Counter({(r[0], str(r[1]), r[2]): r[3] for r in rows})


def recount(session) -> Counter:
    """The records as the published items' rows say they should be."""
    counts: Counter = Counter()
    for item in session.scalars(select(CheckItem).where(CheckItem.status == Status.PUBLISHED)):
        rating = item.current_verdict.final_rating
        for source_id, capacity in record_capacities(item).items():
            counts[(source_id, str(capacity), rating.key)] += 1
    return counts


def _proposed(session, claimant, relay) -> CheckItem:
    checker = gen_user(session, Role.CHECKER)
    item = item_service.create_item(session, claim_text=f"{claimant.name} said the bridge cost 40 million.",
                                    actor=None, chain=[LinkInput(claimant, "said"), LinkInput(relay, "reported")])
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No.", rationale="Records.",
                                 policy=Policy())
    return item


def _behind_a_merge_of_the_relay(db, published: bool, act):  # type: ignore[no-untyped-def]
    """An item whose chain names a relay; a merge of the relay into another outlet holds the sources (not
    committed) while ``act(session, ids)`` (a vote, a reopening) runs in another transaction, waits, and goes on
    once the merge commits. ``published``: the item's verdict is published first. The item's id."""
    with db.sessionmaker() as session:
        claimant = gen_source(session, "Halvard Quist")
        merged = gen_source(session, "Harbour Gazette", SourceKind.OUTLET)
        kept = gen_source(session, "Harbor Gazette Online", SourceKind.OUTLET)
        editor, reviewer = gen_user(session, Role.EDITOR), gen_user(session, Role.REVIEWER)
        item = _proposed(session, claimant, merged)
        if published:
            item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=Policy())
        session.commit()
        ids = dict(merged=merged.id, kept=kept.id, editor=editor.id, reviewer=reviewer.id, item=item.id)
    first = db.sessionmaker()
    merge_sources(first, ids["merged"], ids["kept"], first.get(User, ids["editor"]))
    first.flush()
    outcome = behind_first(db, first, lambda second: act(second, ids))
    assert isinstance(outcome, int), outcome
    return ids["item"]


def test_a_publication_waiting_for_a_merge_of_its_relay_counts_in_the_kept_source():
    """Before, the vote counted the verdict for the merged relay: the kept source's record missed it."""
    token = write_intent.set(True)
    try:
        with private_schema_database(pool_size=4) as db:
            item_id = _behind_a_merge_of_the_relay(db, False, lambda s, ids: item_service.vote_on_verdict(
                s, ids["item"], s.get(User, ids["reviewer"]), decision=Decision.APPROVE, policy=Policy()).id)
            with db.sessionmaker() as session:
                assert session.get(CheckItem, item_id).status is Status.PUBLISHED
                assert stored(session) == recount(session)
    finally:
        write_intent.reset(token)


def test_a_reopening_waiting_for_a_merge_of_its_relay_takes_the_verdict_away():
    """The merge moves the published verdict into the kept source; before, the reopening that waited for it took
    it away from the merged source (0 already), so the kept source kept it."""
    token = write_intent.set(True)
    try:
        with private_schema_database(pool_size=4) as db:
            item_id = _behind_a_merge_of_the_relay(db, True, lambda s, ids: item_service.reopen_item(
                s, ids["item"], s.get(User, ids["editor"]), tier="correction", note="Wrong figure.").id)
            with db.sessionmaker() as session:
                assert session.get(CheckItem, item_id).status is Status.EVIDENCE
                assert stored(session) == recount(session)
    finally:
        write_intent.reset(token)
