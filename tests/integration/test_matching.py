"""Claim matching and the intake panel's data, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.domain.workflow import RelationType, Role, SourceKind, Status
from factcheck.models import AuditEvent, ItemRelation
from factcheck.queries.intake import intake_for
from factcheck.domain.matching import search_terms
from factcheck.queries.matching import similar_items
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from factcheck.services.relations import add_relation
from tests.factories import gen_item, gen_item_in, gen_source, gen_user


def test_search_terms_drop_stopwords_and_fold_accents() -> None:
    assert search_terms("The Governo não suspendeu a distribuição de insulina") == [
        "governo", "suspendeu", "distribuicao", "insulina"]


def test_an_earlier_item_with_the_same_claim_is_found_with_its_published_verdict(session) -> None:
    earlier = gen_item_in(session, Status.PUBLISHED, rating="false")
    gen_item(session, "Bananas are the most popular fruit in Norway.")
    later = gen_item(session, "Since 1900 the sea level has risen by 20 cm.")
    matches = similar_items(session, later.claim_text, exclude_id=later.id)
    assert [m.item_id for m in matches] == [earlier.id]
    assert matches[0].rating is not None and matches[0].rating.key == "false"


def test_unrelated_items_are_not_matches(session) -> None:
    gen_item(session, "Bananas are the most popular fruit in Norway.")
    assert similar_items(session, "The sea level rose by 20 cm since 1900.") == []


def test_the_intake_shows_claimant_relays_hedges_and_matches(session) -> None:
    earlier = gen_item(session, "Putin is ready for a significant compromise on Ukraine.")
    putin = gen_source(session, "Vladimir Putin")
    carlson = gen_source(session, "Tucker Carlson")
    media = gen_source(session, "Russian media", SourceKind.UNNAMED)
    item = item_service.create_item(
        session, claim_text="Putin was ready for a significant compromise on Ukraine", actor=None,
        chain=[LinkInput(putin, "told"), LinkInput(carlson, "stated"), LinkInput(media, "reported")],
        hedges=["off the record"], checkworthiness=0.9)
    intake = intake_for(session, item)
    assert intake.claimant is not None and intake.claimant.source.id == putin.id
    assert [r.standing.source.name for r in intake.relays] == ["Tucker Carlson", "Russian media"]
    assert intake.hedges == ["off the record"] and intake.unnamed_links == 1
    # uniform prior 0.5, one hedge (×0.85), one unnamed link (×0.8)
    assert abs(intake.prior_true - 0.5 * 0.85 * 0.8) < 1e-9
    assert [m.item_id for m in intake.matches] == [earlier.id]


def test_recording_a_repeat_creates_the_relation_an_audit_event_and_raises_priority(session) -> None:
    checker = gen_user(session, Role.CHECKER)
    earlier = gen_item(session, "Bananas are the most popular fruit in Norway.")
    item = gen_item(session, "Unrelated words about the moon landing hoax.")
    before = item.priority
    relation = add_relation(session, item.id, checker, relation_type=RelationType.REPEATS, target_id=earlier.id)
    assert relation.type is RelationType.REPEATS
    assert session.scalars(select(ItemRelation).where(ItemRelation.item_id == item.id)).one().target_id == earlier.id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "relate")).one()
    assert event.payload["target_id"] == earlier.id and event.actor_id == checker.id
    assert item.priority > before


def test_a_claim_going_round_again_gets_a_higher_priority_than_a_new_one(session) -> None:
    from factcheck.services.sources import compute_priority

    claimant = gen_source(session, "Repeat Claimant Person")
    fresh = gen_item(session, "Dragons nested in the harbour crane last winter.", claimant=claimant)
    gen_item(session, "Wind turbines make the cows stop giving milk.")
    repeated = gen_item(session, "Wind turbines make cows stop giving milk!", claimant=claimant)
    assert compute_priority(session, repeated) > compute_priority(session, fresh)
