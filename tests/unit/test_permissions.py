"""Who may do what: the domain's answers, with the reason a person is shown."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from factcheck.domain.permissions import (
    CAPABILITY_ROLES,
    Capability,
    may_attempt,
    may_dismiss,
    may_edit,
    may_take,
    roles_for,
)
from factcheck.domain.workflow import Action, NotAssignee, NotEditable, Role, RoleRequired, Status


@dataclass(frozen=True)
class Item:
    status: Status
    assignee_id: int | None = None


@dataclass(frozen=True)
class Actor:
    id: int
    roles: frozenset[Role]


CHECKER = Actor(1, frozenset({Role.CHECKER}))
OTHER_CHECKER = Actor(2, frozenset({Role.CHECKER}))
EDITOR = Actor(3, frozenset({Role.EDITOR}))
REVIEWER = Actor(4, frozenset({Role.REVIEWER}))


def test_every_capability_names_the_roles_that_have_it():
    assert set(CAPABILITY_ROLES) == set(Capability)
    assert all(CAPABILITY_ROLES[c] for c in Capability)


@pytest.mark.parametrize(("what", "roles"), [
    (Capability.REVIEW, {Role.REVIEWER}),
    (Capability.ADD_ARTICLE, {Role.CHECKER, Role.EDITOR}),
    (Capability.RECORD_REPEAT, {Role.CHECKER, Role.EDITOR}),
    (Capability.CURATE_SOURCES, {Role.EDITOR}),
    (Capability.SEE_DASHBOARD, {Role.EDITOR, Role.ADMIN}),
    (Capability.ADMINISTER, {Role.ADMIN}),
    (Capability.SEE_DRAFTS, set(Role)),
    (Action.TAKE, {Role.CHECKER}),
    (Action.RESTORE, {Role.EDITOR}),
])
def test_the_desks_work_goes_to_the_roles_the_brief_names(what, roles):
    assert roles_for(what) == roles
    for role in Role:
        assert may_attempt(what, {role}) is (role in roles)


def test_nobody_without_a_role_may_attempt_anything():
    assert not any(may_attempt(what, set()) for what in [*Capability, Action.TAKE, Action.VOTE])


def test_taking_is_for_checkers_and_only_from_triage():
    assert may_take(Item(Status.CLAIM), CHECKER).allowed
    refused = may_take(Item(Status.CLAIM), REVIEWER)
    assert not refused.allowed and refused.reason
    assert not may_take(Item(Status.EVIDENCE), CHECKER).allowed


def test_a_held_item_is_edited_by_its_holder_or_an_editor_and_the_refusal_says_why():
    held = Item(Status.EVIDENCE, assignee_id=CHECKER.id)
    assert may_edit(held, CHECKER).allowed
    assert may_edit(held, EDITOR).allowed
    other = may_edit(held, OTHER_CHECKER)
    assert isinstance(other.refusal, NotAssignee)
    with pytest.raises(NotAssignee):
        other.enforce()
    assert isinstance(may_edit(held, REVIEWER).refusal, RoleRequired)
    published = may_edit(Item(Status.PUBLISHED), EDITOR)
    assert isinstance(published.refusal, NotEditable) and "reopen" in (published.reason or "")


def test_dismissing_a_held_item_is_for_its_holder_or_an_editor():
    held = Item(Status.EVIDENCE, assignee_id=CHECKER.id)
    assert may_dismiss(held, CHECKER).allowed and may_dismiss(held, EDITOR).allowed
    assert not may_dismiss(held, OTHER_CHECKER).allowed
