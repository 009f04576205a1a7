"""Changes of an item's parts at the same moment as a move of the item (PostgreSQL, real transactions): an
evidence edit or a new relation holds the item as every change of it does, so the other waits and then sees it."""

from __future__ import annotations

import pytest

from factcheck.db import write_intent
from factcheck.domain.workflow import AuditAction, Policy, Role, Status, WorkflowError
from factcheck.models import AuditEvent, CheckItem, ItemRelation, User
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.relations import add_relation
from tests.conftest import PG_URL
from tests.factories import gen_evidence, gen_item_in, gen_user


@pytest.fixture
def pg_database():
    """A migrated schema of its own in the PostgreSQL test database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=4) as db:
        token = write_intent.set(True)
        try:
            yield db
        finally:
            write_intent.reset(token)


def _item_with_two_sources(db):  # type: ignore[no-untyped-def]
    """An item in evidence with two pieces from two sites (the default policy's minimum), its holder, an editor."""
    with db.sessionmaker() as session:
        checker, editor = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
        item = gen_item_in(session, Status.EVIDENCE, checker=checker)
        gen_evidence(session, item, checker)
        session.commit()
        return item.id, checker.id, editor.id, [(e.id, e.url, e.version) for e in item.evidence]


def _refused_or_done(session, act):  # type: ignore[no-untyped-def]
    """What ``act`` came to in ``session``: the workflow's refusal (rolled back), or "done"."""
    try:
        act()
    except WorkflowError as exc:
        session.rollback()
        return exc
    return "done"


@pytest.mark.postgres
def test_a_proposal_waits_for_an_evidence_edit_and_judges_the_evidence_as_edited(pg_database):
    """The edit locked only its piece: the proposal, reading the pieces as they were, moved the item to verdict, and
    the edit (both pieces now from one site) committed after it: a verdict on evidence the policy refuses."""
    from factcheck.domain.workflow import EvidencePolicyNotMet
    from tests.pg_schema import behind_first

    db = pg_database
    item_id, checker_id, editor_id, [(first_id, _, version), (_, other_url, _)] = _item_with_two_sources(db)
    editing = db.sessionmaker()
    evidence_service.edit_evidence(editing, first_id, editing.get(User, editor_id), version=version,
                                   url=other_url.replace("/doc", "/another-page"))  # the same site as the other
    editing.flush()

    refusal = behind_first(db, editing, lambda session: _refused_or_done(session, lambda: item_service.propose_verdict(
        session, item_id, session.get(User, checker_id), rating_key="false", summary="False.",
        rationale="Two records.", policy=Policy())))
    assert isinstance(refusal, EvidencePolicyNotMet), refusal
    with db.sessionmaker() as session:
        assert session.get(CheckItem, item_id).status is Status.EVIDENCE


@pytest.mark.postgres
def test_a_relation_waits_for_a_dismissal_and_is_then_refused(pg_database):
    """The relation read the item unlocked: it was stored on an item dismissed at the same moment."""
    from sqlalchemy import select

    from tests.pg_schema import behind_first

    db = pg_database
    item_id, checker_id, editor_id, _ = _item_with_two_sources(db)
    with db.sessionmaker() as session:
        other = gen_item_in(session, Status.CLAIM)
        session.commit()
        other_id = other.id
    dismissing = db.sessionmaker()
    item_service.dismiss_item(dismissing, item_id, dismissing.get(User, editor_id), reason="Not a factual claim.")
    dismissing.flush()

    refusal = behind_first(db, dismissing, lambda session: _refused_or_done(session, lambda: add_relation(
        session, item_id, session.get(User, checker_id), relation_type="supports", target_id=other_id)))
    assert isinstance(refusal, WorkflowError), refusal
    with db.sessionmaker() as session:
        assert session.scalars(select(ItemRelation).where(ItemRelation.item_id == item_id)).all() == []
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.item_id == item_id)
                                  .order_by(AuditEvent.id)).all()
        assert actions[-1] is AuditAction.DISMISS and AuditAction.RELATE not in actions


def test_an_evidence_edit_moves_the_items_version_on(session):
    """A propose or edit form opened before a piece changed must find the item changed, as after a new piece."""
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker)
    before = item.version
    piece = item.evidence[0]
    evidence_service.edit_evidence(session, piece.id, checker, version=piece.version, title="A clearer title")
    assert item.version > before
    unchanged = item.version
    evidence_service.edit_evidence(session, piece.id, checker, version=piece.version, title="A clearer title")
    assert item.version == unchanged  # the same values again change nothing
