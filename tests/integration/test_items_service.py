"""The lifecycle through the services: every transition writes its audit event; refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.domain import workflow as wf
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Status
from factcheck.models import AuditEvent, SourceRecord
from factcheck.services import items as svc
from factcheck.services.errors import InvalidInput, NotFound
from tests.factories import gen_evidence, gen_item, gen_item_in, gen_user


def _events(session, item):
    return session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id).order_by(AuditEvent.id)).all()


def test_creating_an_item_puts_it_in_claim_with_a_create_event(session):
    item = gen_item(session)
    assert item.status is Status.CLAIM and item.claimant is not None
    assert [(e.action, e.to_status) for e in _events(session, item)] == [("create", "claim")]


def test_taking_an_item_assigns_it_and_records_the_transition(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item(session)
    svc.take_item(session, item.id, checker)
    assert item.status is Status.EVIDENCE and item.assignee_id == checker.id
    last = _events(session, item)[-1]
    assert (last.action, last.from_status, last.to_status, last.actor_id) == ("take", "claim", "evidence", checker.id)


def test_a_reviewer_cannot_take_an_item(session):
    item = gen_item(session)
    with pytest.raises(wf.RoleRequired):
        svc.take_item(session, item.id, gen_user(session, Role.REVIEWER))
    assert item.status is Status.CLAIM and len(_events(session, item)) == 1


def test_an_unknown_item_is_not_found(session):
    with pytest.raises(NotFound, match="#999999"):
        svc.take_item(session, 999999, gen_user(session))


def test_dismissing_needs_a_reason_and_restoring_needs_an_editor(session):
    checker, editor = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
    item = gen_item(session)
    with pytest.raises(wf.ReasonRequired):
        svc.dismiss_item(session, item.id, checker, "  ")
    svc.dismiss_item(session, item.id, checker, "opinion, not checkable")
    assert item.status is Status.DISMISSED
    assert _events(session, item)[-1].payload == {"reason": "opinion, not checkable"}
    with pytest.raises(wf.RoleRequired):
        svc.restore_item(session, item.id, checker)
    svc.restore_item(session, item.id, editor)
    assert item.status is Status.CLAIM and item.assignee_id is None


def test_a_checker_cannot_dismiss_an_item_another_checker_holds_but_an_editor_can(session):
    item = gen_item_in(session, Status.EVIDENCE)
    with pytest.raises(wf.NotAssignee):
        svc.dismiss_item(session, item.id, gen_user(session, Role.CHECKER), "duplicate of #1")
    svc.dismiss_item(session, item.id, gen_user(session, Role.EDITOR), "duplicate of #1")
    assert item.status is Status.DISMISSED


def test_proposing_needs_the_evidence_policy(session, policy):
    checker = gen_user(session)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker, n=1)
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 1 from 1"):
        svc.propose_verdict(session, item.id, checker, rating_key="false", summary="s", rationale="r", policy=policy)
    assert item.status is Status.EVIDENCE and not item.verdicts


def test_proposing_needs_a_known_rating_and_text(session, policy):
    checker = gen_user(session)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker)
    with pytest.raises(wf.IncompleteVerdict, match="a summary"):
        svc.propose_verdict(session, item.id, checker, rating_key="false", summary="", rationale="r", policy=policy)
    with pytest.raises(wf.IncompleteVerdict, match="scale"):
        svc.propose_verdict(session, item.id, checker, rating_key="sort-of", summary="s", rationale="r", policy=policy)
    assert item.status is Status.EVIDENCE


def test_only_the_assignee_proposes(session, policy):
    checker = gen_user(session)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker)
    with pytest.raises(wf.NotAssignee):
        svc.propose_verdict(session, item.id, gen_user(session), rating_key="false", summary="s", rationale="r",
                            policy=policy)


def test_a_reviewer_cannot_approve_their_own_verdict(session, policy):
    both = gen_user(session, Role.CHECKER, Role.REVIEWER)
    item = gen_item_in(session, Status.VERDICT, checker=both)
    with pytest.raises(wf.OwnVerdict):
        svc.vote_on_verdict(session, item.id, both, decision=Decision.APPROVE, policy=policy)
    assert item.status is Status.VERDICT and not item.current_verdict.votes


def test_one_approval_publishes_and_counts_in_the_claimants_record(session, policy):
    item = gen_item_in(session, Status.VERDICT)
    svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision="approve", policy=policy)
    assert item.status is Status.PUBLISHED
    verdict = item.current_verdict
    assert verdict.final_rating.key == "false" and verdict.published_at is not None
    record = session.get(SourceRecord, (item.claimant_id, "claimant", verdict.final_rating_id))
    assert record.count == 1
    assert [e.action for e in _events(session, item)][-2:] == ["vote", "publish"]


def test_returning_needs_a_comment_and_sends_the_item_back_to_its_author(session, policy):
    checker = gen_user(session)
    item = gen_item_in(session, Status.VERDICT, checker=checker)
    reviewer = gen_user(session, Role.REVIEWER)
    with pytest.raises(wf.CommentRequired):
        svc.vote_on_verdict(session, item.id, reviewer, decision="return", policy=policy)
    svc.vote_on_verdict(session, item.id, reviewer, decision="return", comment="Cite the census.", policy=policy)
    assert item.status is Status.EVIDENCE and item.assignee_id == checker.id
    assert item.current_verdict.closed_at is not None


def test_a_vote_that_is_neither_approve_nor_return_is_refused(session, policy):
    item = gen_item_in(session, Status.VERDICT)
    with pytest.raises(InvalidInput):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision="maybe", policy=policy)


def test_panel_mode_publishes_on_the_third_approval_with_the_majority_rating(session):
    panel = Policy(review_mode=ReviewMode.PANEL)
    item = gen_item_in(session, Status.VERDICT, policy=panel)
    reviewers = [gen_user(session, Role.REVIEWER) for _ in range(3)]
    svc.vote_on_verdict(session, item.id, reviewers[0], decision="approve", rating_key="mostly-false", policy=panel)
    svc.vote_on_verdict(session, item.id, reviewers[1], decision="approve", policy=panel)
    assert item.status is Status.VERDICT
    with pytest.raises(wf.AlreadyVoted):
        svc.vote_on_verdict(session, item.id, reviewers[1], decision="approve", policy=panel)
    svc.vote_on_verdict(session, item.id, reviewers[2], decision="approve", rating_key="mostly-false", policy=panel)
    assert item.status is Status.PUBLISHED
    assert item.current_verdict.final_rating.key == "mostly-false"


def test_reopening_needs_an_editor_a_tier_and_a_note_and_takes_the_verdict_off_the_record(session):
    item = gen_item_in(session, Status.PUBLISHED)
    rating_id = item.current_verdict.final_rating_id
    with pytest.raises(wf.RoleRequired):
        svc.reopen_item(session, item.id, gen_user(session, Role.REVIEWER), tier="correction", note="n")
    editor = gen_user(session, Role.EDITOR)
    with pytest.raises(wf.CorrectionRequired):
        svc.reopen_item(session, item.id, editor, tier="correction", note="")
    correction = svc.reopen_item(session, item.id, editor, tier="rating_change", note="A new census was published.")
    assert item.status is Status.EVIDENCE and correction.tier is wf.CorrectionTier.RATING_CHANGE
    assert session.get(SourceRecord, (item.claimant_id, "claimant", rating_id)).count == 0


def test_a_published_item_cannot_be_edited(session):
    item = gen_item_in(session, Status.PUBLISHED)
    with pytest.raises(wf.NotEditable, match="reopen"):
        svc.edit_item(session, item.id, gen_user(session, Role.EDITOR), version=item.version, restatement="x")


def test_a_stale_edit_is_refused_and_changes_nothing(session):
    checker = gen_user(session)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    version = item.version
    svc.edit_item(session, item.id, checker, version=version, restatement="The sea rose 20 cm.")
    with pytest.raises(wf.StaleEdit):
        svc.edit_item(session, item.id, checker, version=version, restatement="Something else.")
    assert item.restatement == "The sea rose 20 cm."
    edits = [e for e in _events(session, item) if e.action == "edit"]
    assert len(edits) == 1 and edits[0].payload == {"restatement": [None, "The sea rose 20 cm."]}


def test_a_write_that_loses_the_version_race_at_flush_is_a_conflict_not_a_crash(session):
    """Another writer bumps the version between this one's check and its flush: StaleEdit, nothing saved."""
    from sqlalchemy import event, update

    from factcheck.models import CheckItem

    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    version = item.version

    fired = []

    def another_writer(flushing, _context, _instances) -> None:
        if not fired:
            fired.append(True)
            flushing.execute(update(CheckItem).where(CheckItem.id == item.id)
                             .values(version=CheckItem.version + 1).execution_options(synchronize_session=False))

    event.listen(session, "before_flush", another_writer)
    try:
        with pytest.raises(wf.StaleEdit, match="at the same moment"):
            svc.edit_item(session, item.id, checker, version=version, restatement="Mine.")
    finally:
        event.remove(session, "before_flush", another_writer)
    assert fired
