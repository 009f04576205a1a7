"""Who may do what to a check item, in one place.

Each ``may_*`` function answers with a ``Permission``: allowed, or refused with the refusal a
service raises and the item page shows as the reason. Services call ``.enforce()``; the item page
lists ``.reason``; the web layer's role gate reads ``roles_for``. Nothing else decides these rules.

The functions take any objects with the attributes they read (ORM rows or plain test doubles):
an item has ``status`` and ``assignee_id``; an actor has ``id`` and ``roles``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from factcheck.domain.workflow import (
    EDITABLE_STATUSES,
    Action,
    ActionNotAllowed,
    EvidenceAssessment,
    NotAssignable,
    NotAssignee,
    NotEditable,
    Policy,
    Role,
    RoleRequired,
    Status,
    Tally,
    WorkflowError,
    check_deciding_vote,
    check_evidence,
    check_holder,
    check_panel_open,
    check_reviewer,
    resolve,
    transition_for,
)


class ItemFacts(Protocol):
    """What the rules read of an item."""

    @property
    def status(self) -> Status: ...

    @property
    def assignee_id(self) -> int | None: ...


class ActorFacts(Protocol):
    """What the rules read of the person acting."""

    @property
    def id(self) -> int: ...

    @property
    def roles(self) -> frozenset[Role]: ...


class Capability(StrEnum):
    """What the lifecycle table does not list: edits to an item, and the desk's other work."""

    #: Edit an item's claim, evidence, chain and relations.
    EDIT = "edit"
    #: Cast the deciding vote when a panel has no majority.
    DECIDE = "decide"
    #: Add an article (its assertions become check items).
    ADD_ARTICLE = "add_article"
    #: Record that one item repeats another from the intake panel.
    RECORD_REPEAT = "record_repeat"
    #: Work the reviewers' queue: review next, review, vote, release a lease.
    REVIEW = "review"
    #: Merge sources and set a source's prior.
    CURATE_SOURCES = "curate_sources"
    #: Open the desk's dashboard.
    SEE_DASHBOARD = "see_dashboard"
    #: See drafts and unpublished verdicts on the public pages.
    SEE_DRAFTS = "see_drafts"
    #: Manage accounts.
    ADMINISTER = "administer"
    #: Give an item in triage or in evidence to a checker.
    ASSIGN = "assign"
    #: Write in an item's internal notes (never shown to readers).
    WRITE_NOTES = "write_notes"


#: Roles for what the lifecycle table does not list.
CAPABILITY_ROLES: dict[Capability, frozenset[Role]] = {
    Capability.EDIT: frozenset({Role.CHECKER, Role.EDITOR}),
    Capability.DECIDE: frozenset({Role.EDITOR}),
    Capability.ADD_ARTICLE: frozenset({Role.CHECKER, Role.EDITOR}),
    Capability.RECORD_REPEAT: frozenset({Role.CHECKER, Role.EDITOR}),
    Capability.REVIEW: frozenset({Role.REVIEWER}),
    Capability.CURATE_SOURCES: frozenset({Role.EDITOR}),
    Capability.SEE_DASHBOARD: frozenset({Role.EDITOR, Role.ADMIN}),
    Capability.SEE_DRAFTS: frozenset(Role),
    Capability.ADMINISTER: frozenset({Role.ADMIN}),
    Capability.ASSIGN: frozenset({Role.EDITOR}),
    Capability.WRITE_NOTES: frozenset(Role),
}

#: Who may hold an item (be assigned one, or take one from triage).
ASSIGNABLE_ROLES = frozenset({Role.CHECKER})


def roles_for(what: Action | Capability) -> frozenset[Role]:
    """The roles that may attempt ``what`` at all (the web layer's first gate)."""
    if isinstance(what, Capability):
        return CAPABILITY_ROLES[what]
    return transition_for(what).roles


def may_attempt(what: Action | Capability, roles: Iterable[Role]) -> bool:
    """True when one of ``roles`` may attempt ``what`` (pages use it to show a link or a button)."""
    return not roles_for(what).isdisjoint(roles)


@dataclass(frozen=True, slots=True)
class Permission:
    """Allowed, or refused with the refusal to raise and its reason for people."""

    refusal: WorkflowError | None = None

    @property
    def allowed(self) -> bool:
        """True when nothing refuses."""
        return self.refusal is None

    @property
    def reason(self) -> str | None:
        """Why not, in plain words; None when allowed."""
        return str(self.refusal) if self.refusal is not None else None

    def enforce(self) -> None:
        """Raise the refusal, if there is one."""
        if self.refusal is not None:
            raise self.refusal


ALLOWED = Permission()


def _first_refusal(*checks: Callable[[], object]) -> Permission:
    for check in checks:
        try:
            check()
        except WorkflowError as exc:
            return Permission(exc)
    return ALLOWED


def may_take(item: ItemFacts, actor: ActorFacts) -> Permission:
    """A checker takes an item waiting in triage."""
    return _first_refusal(lambda: resolve(Action.TAKE, item.status, actor.roles))


def may_dismiss(item: ItemFacts, actor: ActorFacts) -> Permission:
    """A checker or an editor dismisses an item in claim or evidence; a held item only its holder or an editor."""
    return _first_refusal(lambda: resolve(Action.DISMISS, item.status, actor.roles),
                          lambda: check_holder(actor.id, item.assignee_id, actor.roles))


def may_restore(item: ItemFacts, actor: ActorFacts) -> Permission:
    """An editor brings a dismissed item back to triage."""
    return _first_refusal(lambda: resolve(Action.RESTORE, item.status, actor.roles))


def may_reopen(item: ItemFacts, actor: ActorFacts) -> Permission:
    """An editor reopens a published verdict for a correction."""
    return _first_refusal(lambda: resolve(Action.REOPEN, item.status, actor.roles))


def _check_editable(item: ItemFacts, actor: ActorFacts) -> None:
    if not actor.roles & CAPABILITY_ROLES[Capability.EDIT]:
        raise RoleRequired("Only checkers and editors can edit check items.")
    if item.status not in EDITABLE_STATUSES:
        hint = " An editor can reopen it for a correction." if item.status is Status.PUBLISHED else ""
        raise NotEditable(f"This item is in {item.status.value}; it can no longer be edited.{hint}")
    check_holder(actor.id, item.assignee_id, actor.roles)


def may_edit(item: ItemFacts, actor: ActorFacts) -> Permission:
    """The claim's restatement, hedges, priority, chain, relations and evidence: the holder or an editor,
    while the item is in claim or evidence."""
    return _first_refusal(lambda: _check_editable(item, actor))


def _check_gathering(item: ItemFacts) -> None:
    if item.status is not Status.EVIDENCE:
        raise NotEditable("Take the item first: evidence is gathered while an item is in evidence.")


def may_add_evidence(item: ItemFacts, actor: ActorFacts) -> Permission:
    """Evidence is added by whoever may edit, while the item is in evidence."""
    return _first_refusal(lambda: _check_editable(item, actor), lambda: _check_gathering(item))


def _check_proposer(item: ItemFacts, actor: ActorFacts) -> None:
    if item.assignee_id is not None and item.assignee_id != actor.id:
        raise NotAssignee("Only the checker who holds this item can propose its verdict.")


def may_propose(item: ItemFacts, actor: ActorFacts, policy: Policy, evidence: EvidenceAssessment) -> Permission:
    """The holder proposes a verdict once the evidence meets the desk's policy."""
    return _first_refusal(lambda: resolve(Action.PROPOSE, item.status, actor.roles),
                          lambda: _check_proposer(item, actor),
                          lambda: check_evidence(policy, evidence))


def may_vote(item: ItemFacts, actor: ActorFacts, author_id: int | None, voter_ids: Iterable[int],
             outcome: Tally) -> Permission:
    """A reviewer who neither wrote the verdict nor voted on it yet, while the panel is still open."""
    voters = list(voter_ids)
    return _first_refusal(lambda: resolve(Action.VOTE, item.status, actor.roles),
                          lambda: check_reviewer(actor.id, author_id, voters),
                          lambda: check_panel_open(outcome))


def may_decide(item: ItemFacts, actor: ActorFacts, author_id: int | None, voter_ids: Iterable[int],
               outcome: Tally) -> Permission:
    """An editor outside the panel casts the deciding vote on a panel without a majority."""
    voters = list(voter_ids)
    return _first_refusal(lambda: _check_in_review(item),
                          lambda: check_deciding_vote(actor.id, actor.roles, author_id, voters, outcome))


def _check_in_review(item: ItemFacts) -> None:
    if item.status is not Status.VERDICT:
        raise ActionNotAllowed(f"This item is in {item.status.value}. A deciding vote is cast only while a "
                               "verdict is waiting for review.")


class AssigneeFacts(Protocol):
    """What the rules read of the person an item is given to."""

    @property
    def id(self) -> int: ...

    @property
    def roles(self) -> frozenset[Role]: ...

    @property
    def is_active(self) -> bool: ...


def _check_assignment(item: ItemFacts, actor: ActorFacts, assignee: AssigneeFacts | None) -> None:
    if not actor.roles & CAPABILITY_ROLES[Capability.ASSIGN]:
        raise RoleRequired("Only editors can assign check items.")
    if item.status not in EDITABLE_STATUSES:
        raise ActionNotAllowed(f"This item is in {item.status.value}. Only items in triage (claim) or in evidence "
                               "can be assigned.")
    if assignee is None:
        raise NotAssignable("Choose a checker of the desk to assign the item to.")
    if not assignee.is_active:
        raise NotAssignable("This account is disabled; choose an active checker.")
    if not assignee.roles & ASSIGNABLE_ROLES:
        raise NotAssignable("Only checkers can hold an item; this person is not a checker.")
    if assignee.id == item.assignee_id:
        raise NotAssignable("This checker already holds the item.")


def may_assign(item: ItemFacts, actor: ActorFacts, assignee: AssigneeFacts | None = None,
               *, check_assignee: bool = True) -> Permission:
    """An editor gives an item in claim or evidence to an active checker (from triage it moves to
    evidence, as if the checker took it). ``check_assignee=False`` asks only about the item and the
    editor (the item page shows the form before anyone is chosen)."""
    if not check_assignee:
        return _first_refusal(lambda: _check_assignment(item, actor, _ANYONE))
    return _first_refusal(lambda: _check_assignment(item, actor, assignee))


@dataclass(frozen=True, slots=True)
class _AnyChecker:
    id: int = -1
    roles: frozenset[Role] = ASSIGNABLE_ROLES
    is_active: bool = True


_ANYONE = _AnyChecker()
