"""A Hypothesis state machine drives the services with random users and actions.

After every step it checks the lifecycle's invariants against the database: statuses are only
reached through the table, published items carry approvals from reviewers other than their
author, the audit trail replays to every item's status, and no audit row ever changes.
"""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select

from factcheck.domain import workflow as wf
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Stance, Status
from factcheck.models import AuditEvent, CheckItem
from factcheck.services import evidence as evidence_service
from factcheck.services import items as svc
from factcheck.services.errors import ServiceError
from tests.factories import gen_item, gen_user

ROLE_SETS = [
    (Role.CHECKER,), (Role.CHECKER,), (Role.REVIEWER,), (Role.REVIEWER,), (Role.REVIEWER,),
    (Role.EDITOR,), (Role.CHECKER, Role.REVIEWER), (Role.ADMIN,),
]
ITEM = st.integers(0, 2)
RATINGS = ["true", "false", "half-true", "mostly-false", "nonsense"]
TEXT = st.sampled_from(["", "  ", "Because the records say so.", "duplicate of #3"])


def build_machine(session_factory, policy: Policy, reached: set[Status]):
    """A state machine class bound to one test's database connection; ``reached`` collects statuses seen."""

    class WorkflowMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.session = session_factory()
            self.nested = self.session.begin_nested()
            self.users = []
            self.items = []
            self.audit_snapshot: dict[int, tuple] = {}
            #: The items as the database has them after the last step, read once for all the invariants.
            self.found: list[CheckItem] | None = None

        @initialize()
        def create_people_and_items(self) -> None:
            self.users = [gen_user(self.session, *roles) for roles in ROLE_SETS]
            self.items = [gen_item(self.session, f"Claim number {n} about the census.") for n in range(3)]
            self.found = None

        def _attempt(self, call) -> None:
            """Run a service; a refusal must leave the session usable and the item unchanged."""
            self.found = None
            savepoint = self.session.begin_nested()
            try:
                call()
            except (wf.WorkflowError, ServiceError):
                savepoint.rollback()
            else:
                savepoint.commit()

        # Purposeful rules pick an item where the action can succeed, so random runs reach verdict and
        # publication; ``anybody_tries_anything`` throws every kind of refused action in between.
        def _in(self, status):
            return [item for item in self.items if item.status is status]

        def _holder(self, item):
            return next(u for u in self.users if u.id == item.assignee_id)

        @precondition(lambda self: any(i.status is Status.CLAIM for i in self.items))
        @rule(data=st.data())
        def a_checker_takes_a_claim(self, data):
            item = data.draw(st.sampled_from(self._in(Status.CLAIM)))
            checker = self.users[data.draw(st.sampled_from([0, 1, 6]))]
            self._attempt(lambda: svc.take_item(self.session, item.id, checker))

        @precondition(lambda self: any(i.status is Status.EVIDENCE for i in self.items))
        @rule(data=st.data(), k=ITEM)
        def the_holder_adds_evidence(self, data, k):
            item = data.draw(st.sampled_from(self._in(Status.EVIDENCE)))
            self._attempt(lambda: evidence_service.add_evidence(
                self.session, item.id, self._holder(item), version=item.version, title=f"Record {k}", stance=Stance.SUPPORTS,
                url=f"https://source{k}.example.org/record"))

        @precondition(lambda self: any(i.status is Status.EVIDENCE for i in self.items))
        @rule(data=st.data(), rating=st.sampled_from(RATINGS))
        def the_holder_proposes(self, data, rating):
            item = data.draw(st.sampled_from(self._in(Status.EVIDENCE)))
            self._attempt(lambda: svc.propose_verdict(
                self.session, item.id, self._holder(item), rating_key=rating, summary="Checked.",
                rationale="Two records.", policy=policy))

        @precondition(lambda self: any(i.status is Status.VERDICT for i in self.items))
        @rule(data=st.data(), rating=st.sampled_from([None, None, "half-true"]))
        def a_reviewer_approves(self, data, rating):
            item = data.draw(st.sampled_from(self._in(Status.VERDICT)))
            reviewer = data.draw(st.sampled_from([u for u in self.users if Role.REVIEWER in u.roles]))
            self._attempt(lambda: svc.vote_on_verdict(
                self.session, item.id, reviewer, decision=Decision.APPROVE, rating_key=rating, policy=policy))

        @rule(data=st.data(), action=st.sampled_from(
            ["take", "dismiss", "restore", "evidence", "propose", "vote", "reopen", "edit"]))
        def anybody_tries_anything(self, data, action):
            """Any user, any item, any input: most of these are refused, and must change nothing."""
            user = self.users[data.draw(st.integers(0, len(ROLE_SETS) - 1))]
            item = self.items[data.draw(ITEM)]
            text = data.draw(TEXT)
            calls = {
                "take": lambda: svc.take_item(self.session, item.id, user),
                "dismiss": lambda: svc.dismiss_item(self.session, item.id, user, text),
                "restore": lambda: svc.restore_item(self.session, item.id, user),
                "evidence": lambda: evidence_service.add_evidence(
                    self.session, item.id, user, version=item.version, title=text, stance=Stance.REFUTES,
                    url=f"https://source{data.draw(ITEM)}.example.org/r", is_anonymous=data.draw(st.booleans())),
                "propose": lambda: svc.propose_verdict(
                    self.session, item.id, user, rating_key=data.draw(st.sampled_from(RATINGS)), summary=text,
                    rationale=data.draw(TEXT), policy=policy),
                "vote": lambda: svc.vote_on_verdict(
                    self.session, item.id, user, decision=data.draw(st.sampled_from(["approve", "return", "abstain"])),
                    rating_key=data.draw(st.sampled_from([None, "false", "nonsense"])), comment=text, policy=policy),
                "reopen": lambda: svc.reopen_item(
                    self.session, item.id, user, note=text,
                    tier=data.draw(st.sampled_from([None, "clarification", "correction", "rating_change", "x"]))),
                "edit": lambda: svc.edit_item(
                    self.session, item.id, user, version=item.version - data.draw(st.integers(0, 1)),
                    restatement=text),
            }
            self._attempt(calls[action])

        @precondition(lambda self: any(i.status is Status.PUBLISHED for i in self.items))
        @rule(data=st.data(), tier=st.sampled_from(["clarification", "correction", "rating_change"]))
        def an_editor_reopens(self, data, tier):
            item = data.draw(st.sampled_from(self._in(Status.PUBLISHED)))
            self._attempt(lambda: svc.reopen_item(self.session, item.id, self.users[5], tier=tier, note="New data."))

        def _items(self):
            """The items read from the database (once per step: every step changes them through ``_attempt``)."""
            if self.found is None:
                self.found = list(self.session.scalars(
                    select(CheckItem).where(CheckItem.id.in_([i.id for i in self.items]))).all())
                reached.update(item.status for item in self.found)
            return self.found

        @invariant()
        def audit_trail_replays_to_every_items_status(self):
            if not self.items:
                return
            items = self._items()
            events: dict[int, list[AuditEvent]] = {item.id: [] for item in items}
            for event in self.session.scalars(
                select(AuditEvent).where(AuditEvent.item_id.in_(list(events)), AuditEvent.entity == "item")
                .order_by(AuditEvent.id)
            ):
                events[event.item_id].append(event)
            for item in items:
                trail = events[item.id]
                assert wf.replay((e.action, e.from_status, e.to_status) for e in trail) is item.status

        @invariant()
        def published_items_are_approved_by_reviewers_other_than_the_author(self):
            for item in self._items():
                if item.status is not Status.PUBLISHED:
                    continue
                verdict = item.current_verdict
                approvals = [v for v in verdict.votes if v.decision is Decision.APPROVE]
                assert len(approvals) >= policy.approvals_needed
                assert all(v.reviewer_id != verdict.author_id for v in approvals)
                assert all(Role.REVIEWER in v.reviewer.roles for v in approvals)
                assert verdict.final_rating is not None

        @invariant()
        def claims_are_unassigned_and_worked_items_are_held(self):
            for item in self._items():
                if item.status is Status.CLAIM:
                    assert item.assignee_id is None
                if item.status in (Status.EVIDENCE, Status.VERDICT):
                    assert item.assignee_id is not None

        @invariant()
        def no_audit_row_ever_changes(self):
            rows = self.session.execute(
                select(AuditEvent.id, AuditEvent.action, AuditEvent.from_status, AuditEvent.to_status,
                       AuditEvent.actor_id, AuditEvent.item_id)
            ).all()
            current = {row[0]: tuple(row) for row in rows}
            for event_id, snapshot in self.audit_snapshot.items():
                assert current.get(event_id) == snapshot, f"audit event {event_id} changed or vanished"
            self.audit_snapshot = current

        def teardown(self) -> None:
            self.nested.rollback()
            self.session.close()

    return WorkflowMachine


@pytest.mark.parametrize("mode", [ReviewMode.SINGLE, ReviewMode.PANEL])
def test_random_workflows_keep_the_lifecycle_invariants(session_factory, mode):
    reached: set[Status] = set()
    machine = build_machine(session_factory, Policy(review_mode=mode, min_evidence=2, min_evidence_sources=2), reached)
    machine.TestCase.settings = settings(
        max_examples=15, stateful_step_count=50, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    machine.TestCase().runTest()
    # The run must have driven items deep into the lifecycle, or it proved little.
    assert {Status.EVIDENCE, Status.VERDICT, Status.PUBLISHED, Status.DISMISSED} <= reached, reached
