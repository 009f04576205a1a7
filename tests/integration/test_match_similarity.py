"""An item keeps how alike its closest earlier claim is (``check_items.match_similarity``): ingest keeps it, a
priority recomputed because the claimant's record changed reads it instead of matching again, so publishing for
a claimant with many open items costs the same few statements however many there are."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.domain.workflow import Decision, Policy, Role, Status
from factcheck.facts import best_match_similarity
from factcheck.models import CheckItem
from factcheck.services import items as item_service
from factcheck.services.ingest import ingest_article
from factcheck.services.items import LinkInput
from factcheck.services.sources import compute_priority, fill_match_similarities
from tests.factories import gen_evidence, gen_source, gen_user
from tests.helpers import recorded_statements

ARTICLE = ("The harbour master said on Monday that the port would close for repairs in May. "
           "The mayor said the closure would cost the town 40 jobs. "
           "A union spokesperson told reporters that the harbour master had promised to keep the port open.")
CLAIMS = ["The port will close for repairs in May.", "The closure will cost the town 40 jobs.",
          "The harbour master promised to keep the port open.", "The new bridge cost 40 million euros.",
          "Unemployment in the region rose by 2 percent last year.", "The school budget was cut by a third."]


def test_ingest_keeps_each_items_similarity_as_matching_finds_it(session):
    ingest_article(session, ARTICLE, actor=None, title="First")
    result = ingest_article(session, ARTICLE.replace("Monday", "Tuesday") + " The port opened in 1901.",
                            actor=None, title="Second")
    items = session.scalars(select(CheckItem).where(CheckItem.id.in_(result.item_ids))).all()
    assert items and all(item.match_similarity is not None for item in items)
    assert [item.match_similarity for item in items] == [best_match_similarity(session, item) for item in items]
    assert any(item.match_similarity > 0 for item in items)  # the second article repeats the first


def _prolific(session, claimant, n: int) -> list[CheckItem]:
    return [item_service.create_item(session, claim_text=f"{CLAIMS[k % len(CLAIMS)]} ({k})", actor=None,
                                     chain=[LinkInput(claimant, "said")], checkworthiness=0.5) for k in range(n)]


def _publish(session, claimant) -> list[str]:
    """Publish one more verdict of ``claimant`` (the others' priorities are recomputed); the statements it sent."""
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    item = item_service.create_item(session, claim_text="The harbour will close next spring.", actor=None,
                                    chain=[LinkInput(claimant, "said")], checkworthiness=0.5)
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No.", rationale="Minutes.",
                                 policy=Policy())
    session.flush()
    with recorded_statements(session.get_bind().engine) as sent:
        item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=Policy())
        session.flush()
    return list(sent)


#: What a statement reads or writes per item when a priority is recomputed (and matching, were it done again).
_PER_ITEM = ("check_items", "chain_links", "item_relations", "audit_events", "source_records", "fts")


def _per_item(sent: list[str]) -> int:
    return sum(1 for statement in sent if any(name in statement for name in _PER_ITEM))


@pytest.mark.parametrize("open_items", [4, 24])
def test_publishing_for_a_claimant_costs_the_same_statements_however_many_open_items_it_has(session, open_items):
    few, many = gen_source(session, "Ingrid Fewsome"), gen_source(session, "Magnus Manyfold")
    _prolific(session, few, 4)
    _prolific(session, many, open_items)
    fill_match_similarities(session, 1000)  # (what ingest keeps, and the first recomputation)
    _publish(session, few)  # (the first publication reads what later ones find kept)
    for_many = _publish(session, many)
    assert not [statement for statement in for_many if "fts" in statement]  # nothing matched again
    assert _per_item(for_many) == _per_item(_publish(session, few))


def test_a_recomputed_priority_equals_matching_again_and_an_edited_restatement_is_matched_again(session):
    claimant = gen_source(session, "Oskar Lindqvist")
    ingest_article(session, ARTICLE, actor=None, title="Earlier")
    items = _prolific(session, claimant, 6)
    _publish(session, claimant)  # the claimant's record changed: every open item's priority recomputed
    for item in items:
        session.refresh(item)
        assert item.match_similarity == best_match_similarity(session, item)
        kept = item.match_similarity
        item.match_similarity = None  # as if never kept: matched again now
        assert compute_priority(session, item) == pytest.approx(item.priority)
        assert item.match_similarity == kept
    editor = gen_user(session, Role.EDITOR)
    edited = item_service.edit_item(session, items[0].id, editor, version=items[0].version,
                                    restatement="The port will close for repairs in May, the harbour master said.")
    assert edited.match_similarity is None


def test_the_similarities_left_to_find_are_found_in_batches(session):
    claimant = gen_source(session, "Petra Halvorsen")
    items = _prolific(session, claimant, 5)
    assert all(item.match_similarity is None for item in items)  # typed in: never prioritised yet
    assert fill_match_similarities(session, 3) == 3
    assert fill_match_similarities(session, 3) >= 2
    for item in items:
        session.refresh(item)
        assert item.match_similarity == best_match_similarity(session, item)
    assert fill_match_similarities(session, 3) == 0 or all(
        i.status is not Status.CLAIM for i in session.scalars(select(CheckItem).where(CheckItem.match_similarity.is_(None))))


def test_keeping_a_similarity_is_no_edit_and_no_update_to_show(session):
    import datetime as dt

    from sqlalchemy import text

    item = item_service.create_item(session, claim_text="The port will close for repairs in May.", actor=None,
                                    checkworthiness=0.5)
    session.execute(text("UPDATE check_items SET updated_at = :t WHERE id = :id"),
                    {"t": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "id": item.id})
    session.expire_all()
    before = session.get(CheckItem, item.id)
    stamp, version = before.updated_at, before.version
    fill_match_similarities(session, 10)
    session.expire_all()
    after = session.get(CheckItem, item.id)
    assert after.match_similarity is not None and after.version == version and after.updated_at == stamp
