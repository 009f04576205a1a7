"""Records the workflow keeps must come out right: evidence independence, panel majorities, priorities,
similar earlier claims, versions on every edit and one row per double submit."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from factcheck.db import write_intent
from factcheck.domain import workflow as wf
from factcheck.facts import evidence_assessment, panel_outcome
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, SourceKind, Stance, Status
from factcheck.models import AuditEvent, CheckItem, Evidence, User, Vote
from factcheck.queries.intake import intake_for
from factcheck.services import evidence as evidence_service
from factcheck.services import items as svc
from factcheck.services.relations import add_relation
from factcheck.services.sources import find_or_create_source, refresh_priorities_for_sources
from tests.factories import gen_evidence, gen_item, gen_item_in, gen_source, gen_user
from tests.integration.test_queue_claims import own_database  # noqa: F401  (a fixture)

PANEL = Policy(review_mode=ReviewMode.PANEL, panel_size=3)


def _add(session, item, checker, title, *, url=None, source=None, **flags):
    return evidence_service.add_evidence(session, item.id, checker, version=item.version, title=title,
                                         stance=Stance.REFUTES, url=url, source=source, **flags)


def _propose(session, item, checker, rating="false", policy=None):
    return svc.propose_verdict(session, item.id, checker, rating_key=rating, summary="Checked.",
                               rationale="The records.", policy=policy or Policy())


# --- 2. one outlet counted twice --------------------------------------------------------------------


def test_a_source_and_a_bare_link_to_its_site_are_one_source(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    bloomberg = find_or_create_source(session, "Bloomberg", SourceKind.OUTLET)
    _add(session, item, checker, "Bloomberg report", url="https://www.bloomberg.com/a", source=bloomberg)
    _add(session, item, checker, "Another Bloomberg page", url="https://bloomberg.com/b")
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 2 from 1"):
        _propose(session, item, checker)
    counts = [p.reason for p in evidence_assessment(item).pieces]
    assert counts == ["independent source 1", "same source as piece 1"]


def test_a_bare_link_to_a_known_outlets_domain_is_that_outlet(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    reuters = find_or_create_source(session, "Reuters", SourceKind.OUTLET, domain="reuters.com")
    _add(session, item, checker, "Wire copy", source=reuters)
    _add(session, item, checker, "The same agency's site", url="https://www.reuters.com/world/x")
    assert evidence_assessment(item).independent_sources == 1


def test_evidence_from_the_claimant_or_a_relay_does_not_count_as_independent(session):
    checker = gen_user(session, Role.CHECKER)
    claimant, relay = gen_source(session, "A Minister"), find_or_create_source(session, "State TV", SourceKind.OUTLET)
    item = svc.create_item(session, claim_text="The bridge opened in May.", actor=None,
                           chain=[svc.LinkInput(claimant, "said"), svc.LinkInput(relay, "reported")])
    svc.take_item(session, item.id, checker)
    _add(session, item, checker, "The minister's own statement", source=claimant)
    _add(session, item, checker, "The broadcast", source=relay)
    _add(session, item, checker, "Port records", url="https://port.example.org/records")
    assessment = evidence_assessment(item)
    assert [p.standing for p in assessment.pieces] == [
        wf.Independence.CLAIMANT, wf.Independence.CHAIN, wf.Independence.INDEPENDENT]
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 3 from 1"):
        _propose(session, item, checker)
    _add(session, item, checker, "City council minutes", url="https://council.example.org/minutes")
    _propose(session, item, checker)
    assert item.status is Status.VERDICT


def test_two_people_quoted_on_one_video_site_stay_two_sources(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    _add(session, item, checker, "Interview", url="https://youtube.com/watch?v=1", source=gen_source(session, "An Engineer"))
    _add(session, item, checker, "Lecture", url="https://youtube.com/watch?v=2", source=gen_source(session, "A Geologist"))
    assert evidence_assessment(item).independent_sources == 2


# --- 3. panel majority ---------------------------------------------------------------------------


def _panel_in_review(session, proposed="half-true"):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker)
    _propose(session, item, checker, proposed, PANEL)
    return item


def test_a_panel_without_a_majority_publishes_nothing_and_an_editor_decides(session):
    item = _panel_in_review(session)
    for rating in ("true", "false", "mostly-false"):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                            rating_key=rating, policy=PANEL)
    assert item.status is Status.VERDICT and item.current_verdict.published_at is None
    assert panel_outcome(PANEL, item.current_verdict).no_majority
    with pytest.raises(wf.PanelDeadlocked):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                            policy=PANEL)
    with pytest.raises(wf.RoleRequired):
        svc.decide_verdict(session, item.id, gen_user(session, Role.REVIEWER), rating_key="false", policy=PANEL)
    editor = gen_user(session, Role.EDITOR)
    vote = svc.decide_verdict(session, item.id, editor, rating_key="false", policy=PANEL, comment="Records agree.")
    assert item.status is Status.PUBLISHED and item.current_verdict.final_rating.key == "false"
    assert vote.is_deciding and vote.reviewer_id == editor.id
    events = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id).order_by(AuditEvent.id)).all()
    assert events[-2].action == "vote" and events[-2].payload["deciding"] is True
    assert events[-1].action == "publish" and events[-1].payload["deciding_vote"] == vote.id


def test_a_panel_majority_publishes_its_rating(session):
    item = _panel_in_review(session)
    for rating in ("false", None, "false"):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                            rating_key=rating, policy=PANEL)
    assert item.status is Status.PUBLISHED and item.current_verdict.final_rating.key == "false"


def test_no_deciding_vote_while_the_panel_is_still_voting(session):
    item = _panel_in_review(session)
    svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                        rating_key="true", policy=PANEL)
    with pytest.raises(wf.NoDecisionNeeded):
        svc.decide_verdict(session, item.id, gen_user(session, Role.EDITOR), rating_key="true", policy=PANEL)
    assert session.scalar(select(func.count(Vote.id)).where(Vote.is_deciding.is_(True))) == 0


# --- 7. similar earlier claims --------------------------------------------------------------------


def test_similar_earlier_claims_lists_only_earlier_items(session):
    claim = "The mayor said the harbour will close for two years from March."
    first, second, third = (gen_item(session, claim) for _ in range(3))
    session.flush()
    listed = {m.item_id for m in intake_for(session, second).matches}
    assert first.id in listed and third.id not in listed
    assert intake_for(session, first).matches == []


# --- 8. one priority scale; a hand-set priority stays ------------------------------------------------


def test_a_priority_outside_zero_to_one_is_refused(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    with pytest.raises(Exception, match="from 0 .* to 1"):
        svc.edit_item(session, item.id, checker, version=item.version, priority=5)


def test_a_hand_set_priority_survives_repeats_and_published_verdicts_and_every_change_is_in_the_history(session):
    checker = gen_user(session, Role.CHECKER)
    claimant = gen_source(session, "A Governor")
    claim = "The governor said unemployment fell to three percent in the spring."
    earlier = gen_item(session, claim, claimant=claimant)
    item = gen_item(session, claim + " ", claimant=claimant)
    svc.take_item(session, item.id, checker)
    svc.edit_item(session, item.id, checker, version=item.version, priority=0.9)
    assert item.priority == 0.9 and item.priority_is_manual
    add_relation(session, item.id, checker, relation_type="repeats", target_id=earlier.id)
    refresh_priorities_for_sources(session, {claimant.id})
    session.refresh(item)
    assert item.priority == 0.9
    # Handing it back to the computation is a change in the history too.
    svc.edit_item(session, item.id, checker, version=item.version, automatic_priority=True)
    assert not item.priority_is_manual and item.priority != 0.9
    edits = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id, AuditEvent.action == "edit")
                            .order_by(AuditEvent.id)).all()  # (PostgreSQL returns rows in no set order without it)
    assert [e.payload["priority"][1] for e in edits if "priority" in e.payload][0] == 0.9
    assert "priority_set_by" in edits[-1].payload


def test_a_recomputed_priority_is_recorded_with_its_reason(session):
    claimant = gen_source(session, "A Senator")
    item = gen_item(session, "The senator said the budget doubled.", claimant=claimant)
    before = item.priority
    published = gen_item_in(session, Status.PUBLISHED)  # a published verdict for another claimant changes nothing
    assert published.status is Status.PUBLISHED
    other = gen_item(session, "The senator said taxes fell.", claimant=claimant)
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    svc.take_item(session, other.id, checker)
    gen_evidence(session, other, checker)
    _propose(session, other, checker, "pants-on-fire")
    svc.vote_on_verdict(session, other.id, reviewer, decision=Decision.APPROVE, policy=Policy())
    session.refresh(item)
    assert item.priority != before
    event = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id,
                                                     AuditEvent.action == "priority")).one()
    assert event.payload["priority"] == [before, item.priority]
    assert event.payload["because"] == "the claimant's record changed"


# --- 10. lost updates ------------------------------------------------------------------------------


def test_an_edit_sending_only_some_fields_changes_only_those(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    svc.edit_item(session, item.id, checker, version=item.version, restatement="The sea rose 20 cm.",
                  hedges=["allegedly"])
    svc.edit_item(session, item.id, checker, version=item.version)
    assert item.restatement == "The sea rose 20 cm." and item.hedges == ["allegedly"]


def test_adding_the_same_evidence_twice_from_one_form_adds_one_row(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    version = item.version
    fields = dict(title="Tide gauge records", stance=Stance.REFUTES, url="https://tides.example.org/records")
    first = evidence_service.add_evidence(session, item.id, checker, version=version, **fields)
    second = evidence_service.add_evidence(session, item.id, checker, version=version, **fields)
    assert first.id == second.id
    assert session.scalar(select(func.count(Evidence.id)).where(Evidence.item_id == item.id)) == 1
    # A different piece sent on the old version is a conflict, not a silent second row.
    with pytest.raises(wf.StaleEdit):
        evidence_service.add_evidence(session, item.id, checker, version=version, title="Other",
                                      stance=Stance.CONTEXT)
    assert item.version > version


def test_the_same_piece_sent_again_with_other_flags_is_a_conflict_not_the_first_piece(session):
    """A piece sent again on the old version with other flags (not for readers, off the record) is another piece,
    not the first one's replay: it is refused as a conflict, and the first stays as it was, rather than answering
    with the first piece (publishable, on the record) as if the flags had been taken."""
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    version = item.version
    fields = dict(title="Tide gauge records", stance=Stance.REFUTES, url="https://tides.example.org/records",
                  passage="The gauge read 1.2 m.")
    first = evidence_service.add_evidence(session, item.id, checker, version=version, is_publishable=True, **fields)
    for flags in ({"is_publishable": False}, {"is_publishable": True, "is_off_record": True},
                  {"is_publishable": True, "is_anonymous": True}):
        with pytest.raises(wf.StaleEdit):
            evidence_service.add_evidence(session, item.id, checker, version=version, **fields, **flags)
    assert (first.is_publishable, first.is_off_record, first.is_anonymous) == (True, False, False)
    assert session.scalar(select(func.count(Evidence.id)).where(Evidence.item_id == item.id)) == 1
    again = evidence_service.add_evidence(session, item.id, checker, version=version, is_publishable=True, **fields)
    assert again.id == first.id  # the very same piece sent again is still its replay


def test_editing_evidence_without_a_field_keeps_it(session):
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    piece = _add(session, item, checker, "Minutes", url="https://council.example.org/m", source=gen_source(session))
    source_id = piece.source_id
    evidence_service.edit_evidence(session, piece.id, checker, version=piece.version, title="Council minutes")
    assert (piece.title, piece.url, piece.source_id) == ("Council minutes", "https://council.example.org/m", source_id)
    assert session.get(CheckItem, item.id).status is Status.EVIDENCE


# --- a double submit at the same moment, with real commits ------------------------------------------


def test_two_identical_evidence_posts_at_the_same_moment_add_one_piece(own_database):
    """On PostgreSQL the item's row lock orders the two; on SQLite the write lock does."""
    db = own_database
    with db.sessionmaker() as session:
        checker = gen_user(session, Role.CHECKER)
        item = gen_item_in(session, Status.EVIDENCE, checker=checker)
        session.commit()
        item_id, checker_id, version = item.id, checker.id, item.version
    start, errors, added = threading.Barrier(2), [], []

    def submit() -> None:
        token = write_intent.set(True)
        try:
            start.wait()
            with db.sessionmaker() as session:
                actor = session.get(User, checker_id)
                piece = evidence_service.add_evidence(session, item_id, actor, version=version, title="Harbour log",
                                                      stance=Stance.REFUTES, url="https://harbour.example/log")
                session.commit()
                added.append(piece.id)
        except BaseException as exc:  # reported below
            errors.append(exc)
            start.abort()  # the other submit stops waiting instead of hanging
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(added) == 2 and added[0] == added[1]
    with db.sessionmaker() as session:
        assert session.scalar(select(func.count(Evidence.id)).where(Evidence.item_id == item_id)) == 1


def test_a_panel_without_a_majority_leaves_the_reviewers_queue_for_an_editor(session):
    from factcheck.models import utcnow
    from factcheck.queries.queue import queue_page
    from factcheck.services.queue import claim_next_for_review

    item = _panel_in_review(session)
    open_item = _panel_in_review(session)
    for rating in ("true", "false", "mostly-false"):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                            rating_key=rating, policy=PANEL)
    reviewer = gen_user(session, Role.REVIEWER)
    listed = {r.id for r in queue_page(session, reviewer, approvals_needed=PANEL.approvals_needed).rows}
    assert item.id not in listed and open_item.id in listed
    claimed = claim_next_for_review(session, reviewer, utcnow(), 15, approvals_needed=PANEL.approvals_needed)
    assert claimed.id == open_item.id
    assert claim_next_for_review(session, gen_user(session, Role.REVIEWER), utcnow(), 15,
                                 approvals_needed=PANEL.approvals_needed) is None
