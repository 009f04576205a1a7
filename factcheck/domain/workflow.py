"""The check-item lifecycle: one transition table and the guards that need data.

Everything here is plain Python. Services ask this module whether an action is allowed and
what the next status is; nothing else in the code base decides a status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Where a check item stands. Stored as these lowercase strings."""

    CLAIM = "claim"
    EVIDENCE = "evidence"
    VERDICT = "verdict"
    PUBLISHED = "published"
    DISMISSED = "dismissed"

    @property
    def title(self) -> str:  # type: ignore[override]  # shadows str.title on purpose: templates read status.title
        """A label for people."""
        return self.value.capitalize()


class Action(StrEnum):
    """What a person (or the approval policy) does to a check item."""

    TAKE = "take"
    DISMISS = "dismiss"
    RESTORE = "restore"
    PROPOSE = "propose"
    VOTE = "vote"
    PUBLISH = "publish"
    RETURN = "return"
    REOPEN = "reopen"


class Role(StrEnum):
    """What a user may do. A user holds one or more roles."""

    CHECKER = "checker"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Stance(StrEnum):
    """How a piece of evidence bears on the claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class Decision(StrEnum):
    """A reviewer's vote on a proposed verdict."""

    APPROVE = "approve"
    RETURN = "return"


class CorrectionTier(StrEnum):
    """How serious a change to a published verdict is (IFCN corrections policy)."""

    CLARIFICATION = "clarification"
    CORRECTION = "correction"
    RATING_CHANGE = "rating_change"

    @property
    def title(self) -> str:  # type: ignore[override]  # shadows str.title on purpose: templates read tier.title
        """A label for people."""
        return self.value.replace("_", " ").capitalize()


class RelationType(StrEnum):
    """How one check item relates to another."""

    DENIES = "denies"
    SUPPORTS = "supports"
    REPEATS = "repeats"


class SourceKind(StrEnum):
    """What kind of thing a source is."""

    PERSON = "person"
    OUTLET = "outlet"
    ORGANISATION = "organisation"
    GOVERNMENT = "government"
    UNNAMED = "unnamed"


class AuditAction(StrEnum):
    """What an audit event records: every lifecycle action, and the edits and events around them."""

    CREATE = "create"
    IMPORT = "import"
    RESTORE_BACKUP = "restore_backup"
    TAKE = "take"
    DISMISS = "dismiss"
    RESTORE = "restore"
    PROPOSE = "propose"
    VOTE = "vote"
    PUBLISH = "publish"
    RETURN = "return"
    REOPEN = "reopen"
    EDIT = "edit"
    ADD_EVIDENCE = "add_evidence"
    EDIT_EVIDENCE = "edit_evidence"
    RELATE = "relate"
    LEASE = "lease"
    RELEASE = "release"
    PRIORITY = "priority"
    MERGE = "merge"
    SET_ROLES = "set_roles"
    ENABLE = "enable"
    DISABLE = "disable"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKOUT = "lockout"
    SIGN_OUT = "sign_out"
    PASSWORD_CHANGE = "password_change"
    RESET_REQUEST = "reset_request"
    RESET_USE = "reset_use"
    TWOFACTOR_ENROL = "twofactor_enrol"
    TWOFACTOR_RESET = "twofactor_reset"
    SESSIONS_REVOKE = "sessions_revoke"
    ASSIGN = "assign"
    NOTE = "note"
    TOKEN_CREATE = "token_create"
    TOKEN_REVOKE = "token_revoke"
    WEBHOOK_REGISTER = "webhook_register"
    WEBHOOK_PAUSE = "webhook_pause"
    WEBHOOK_RESUME = "webhook_resume"
    WEBHOOK_REMOVE = "webhook_remove"


class AuditEntity(StrEnum):
    """What kind of row an audit event is about."""

    ITEM = "item"
    EVIDENCE = "evidence"
    SOURCE = "source"
    USER = "user"
    RATING = "rating"
    ARTICLE = "article"
    VOTE = "vote"
    NOTE = "note"
    TOKEN = "token"
    WEBHOOK = "webhook"


class Origin(StrEnum):
    """How a check item came in."""

    EXTRACTED = "extracted"
    MANUAL = "manual"
    LIAR = "liar"
    CLAIMREVIEW = "claimreview"
    BACKUP = "backup"
    #: Sent by a reader through the public claim inbox (``/submit``).
    READER = "reader"

    @property
    def described(self) -> str:
        """How the item came in, in words for the item page."""
        return _ORIGIN_WORDS[self]


_ORIGIN_WORDS = {
    Origin.EXTRACTED: "found in the article",
    Origin.MANUAL: "added by hand",
    Origin.LIAR: "imported from LIAR",
    Origin.CLAIMREVIEW: "imported from ClaimReview",
    Origin.BACKUP: "restored from a backup",
    Origin.READER: "sent by a reader",
}


class Capacity(StrEnum):
    """In which role a source's record counts a published verdict."""

    CLAIMANT = "claimant"
    RELAY = "relay"


class ReviewMode(StrEnum):
    """How many approvals publish a verdict."""

    SINGLE = "single"
    PANEL = "panel"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the lifecycle table."""

    action: Action
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]


def _t(action: Action, sources: set[Status], target: Status, roles: set[Role]) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


#: The lifecycle, read top to bottom (DESIGN §2). VOTE keeps the status; PUBLISH has no role
#: because the approval policy fires it, never a person directly.
TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.TAKE, {Status.CLAIM}, Status.EVIDENCE, {Role.CHECKER}),
    _t(Action.DISMISS, {Status.CLAIM, Status.EVIDENCE}, Status.DISMISSED, {Role.CHECKER, Role.EDITOR}),
    _t(Action.RESTORE, {Status.DISMISSED}, Status.CLAIM, {Role.EDITOR}),
    _t(Action.PROPOSE, {Status.EVIDENCE}, Status.VERDICT, {Role.CHECKER}),
    _t(Action.VOTE, {Status.VERDICT}, Status.VERDICT, {Role.REVIEWER}),
    _t(Action.PUBLISH, {Status.VERDICT}, Status.PUBLISHED, set()),
    _t(Action.RETURN, {Status.VERDICT}, Status.EVIDENCE, {Role.REVIEWER}),
    _t(Action.REOPEN, {Status.PUBLISHED}, Status.EVIDENCE, {Role.EDITOR}),
)

_BY_ACTION = {t.action: t for t in TRANSITIONS}

#: Statuses in which the claim, its sources and its evidence may still be edited.
EDITABLE_STATUSES = frozenset({Status.CLAIM, Status.EVIDENCE})


# --- refusals -------------------------------------------------------------------------------


class WorkflowError(Exception):
    """An action was refused. The message is written for the person who tried it.

    Refusals carry no HTTP status: the web layer maps each class to one (``web/refusals.py``).
    """


class ActionNotAllowed(WorkflowError):
    """The action does not apply to an item in this status."""


class RoleRequired(WorkflowError):
    """The user lacks the role the action needs."""


class NotAssignee(WorkflowError):
    """Only the checker who holds the item (or an editor) may do this."""


class OwnVerdict(WorkflowError):
    """Reviewers may not vote on verdicts they wrote."""


class AlreadyVoted(WorkflowError):
    """A reviewer votes once per proposed verdict."""


class IncompleteVerdict(WorkflowError):
    """A proposed verdict lacks a rating, a summary or a rationale."""


class EvidencePolicyNotMet(WorkflowError):
    """Not enough evidence, or not from enough independent sources."""


class ReasonRequired(WorkflowError):
    """Dismissing needs a reason."""


class CommentRequired(WorkflowError):
    """Returning a verdict needs a comment for its author."""


class CorrectionRequired(WorkflowError):
    """Reopening a published verdict needs a correction tier and a public note."""


class StaleEdit(WorkflowError):
    """Somebody else changed the item since this person loaded it."""

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class NotEditable(WorkflowError):
    """The item is past the stage where this can be changed."""


class NotAssignable(WorkflowError):
    """The person chosen cannot be given this item (not a checker, disabled, or unknown)."""


# --- the table ------------------------------------------------------------------------------


def transition_for(action: Action) -> Transition:
    """The table row for an action."""
    return _BY_ACTION[action]


def resolve(action: Action, status: Status, roles: Iterable[Role]) -> Transition:
    """Return the transition for ``action`` from ``status``, or raise a refusal.

    ``roles`` are the acting user's roles; PUBLISH is fired by the policy and needs none.
    """
    transition = _BY_ACTION[action]
    if transition.roles and not transition.roles & set(roles):
        raise RoleRequired(f"Only {_roles_phrase(transition.roles)} can {action.value} a check item.")
    if status not in transition.sources:
        raise ActionNotAllowed(_not_from_status_message(action, status))
    return transition


def _roles_phrase(roles: Iterable[Role]) -> str:
    return " or ".join(_with_article(r.value) for r in sorted(roles))


def allowed_actions(status: Status, roles: Iterable[Role]) -> list[Action]:
    """Actions a user with ``roles`` could take on an item in ``status`` (data guards aside)."""
    roles = set(roles)
    return [
        t.action
        for t in TRANSITIONS
        if t.roles and status in t.sources and t.roles & roles
    ]


def _not_from_status_message(action: Action, status: Status) -> str:
    hints = {
        Action.TAKE: "Only items waiting in triage (status claim) can be taken.",
        Action.DISMISS: "Only items in claim or evidence can be dismissed.",
        Action.RESTORE: "Only dismissed items can be restored.",
        Action.PROPOSE: "A verdict can be proposed only while the item is in evidence.",
        Action.VOTE: "Votes are taken only while a verdict is waiting for review.",
        Action.PUBLISH: "Only a verdict under review can be published.",
        Action.RETURN: "Only a verdict under review can be returned.",
        Action.REOPEN: "Only a published verdict can be reopened.",
    }
    return f"This item is in {status.value}. {hints[action]}"


# --- guards that need data --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Policy:
    """The desk's rules for proposing and approving verdicts."""

    min_evidence: int = 2
    min_evidence_sources: int = 2
    review_mode: ReviewMode = ReviewMode.SINGLE
    panel_size: int = 3

    @property
    def approvals_needed(self) -> int:
        """How many approving votes publish a verdict."""
        return self.panel_size if self.review_mode is ReviewMode.PANEL else 1


@dataclass(frozen=True, slots=True)
class EvidenceFacts:
    """What the evidence policy needs to know about one piece of evidence.

    ``source_keys`` name who stands behind the piece: its source (``"source:12"``), that source's
    known web domain and, where the piece has no source, the domain of its link
    (``"domain:bloomberg.com"``). Two pieces sharing any key come from one source.
    """

    source_keys: frozenset[str] = frozenset()
    is_anonymous: bool = False
    is_off_record: bool = False
    #: The piece's id, so the evidence list can say which pieces count.
    evidence_id: int | None = None

    @property
    def is_weak(self) -> bool:
        """Evidence resting on anonymous or off-the-record sourcing."""
        return self.is_anonymous or self.is_off_record


class Independence(StrEnum):
    """How one piece of evidence counts towards the desk's independence rule."""

    INDEPENDENT = "independent"
    SAME_SOURCE = "same_source"
    CLAIMANT = "claimant"
    CHAIN = "chain"
    NO_SOURCE = "no_source"


@dataclass(frozen=True, slots=True)
class EvidenceCount:
    """One piece of evidence as the independence rule sees it."""

    facts: EvidenceFacts
    standing: Independence
    #: The independent source the piece belongs to (1, 2, …), or None when it does not count.
    group: int | None
    #: The earlier piece (by position in the list, from 1) whose source it shares.
    same_as: int | None = None

    @property
    def counts(self) -> bool:
        """True when the piece adds an independent source."""
        return self.standing is Independence.INDEPENDENT

    @property
    def reason(self) -> str:
        """Why the piece counts or not, for the evidence list."""
        return {
            Independence.INDEPENDENT: f"independent source {self.group}",
            Independence.SAME_SOURCE: f"same source as piece {self.same_as}",
            Independence.CLAIMANT: "from the claimant itself: not independent",
            Independence.CHAIN: "from a source in the claim's chain: not independent",
            Independence.NO_SOURCE: "no source or link: names no one independent",
        }[self.standing]


@dataclass(frozen=True, slots=True)
class EvidenceAssessment:
    """The independence rule applied to an item's evidence."""

    pieces: tuple[EvidenceCount, ...]

    @property
    def independent_sources(self) -> int:
        """How many independent sources the evidence comes from."""
        return len({p.group for p in self.pieces if p.group is not None})

    @property
    def weak(self) -> list[EvidenceFacts]:
        """Pieces resting on anonymous or off-the-record sourcing, to flag to the reviewer."""
        return [p.facts for p in self.pieces if p.facts.is_weak]


def assess_evidence(evidence: Sequence[EvidenceFacts], *, claimant_keys: Iterable[str] = (),
                    chain_keys: Iterable[str] = ()) -> EvidenceAssessment:
    """Group the pieces by who stands behind them; only sources outside the claim count as independent.

    Pieces sharing any source key are one source (a source and its link's domain are the same
    outlet). A piece from the claimant, or from a source in the claim's attribution chain, repeats
    the claim rather than checking it, so it never counts as independent.
    """
    claimant = frozenset(claimant_keys)
    chain = frozenset(chain_keys) - claimant
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:  # path compression keeps later look-ups flat
            parent[key], key = root, parent[key]
        return root

    for facts in evidence:
        keys = sorted(facts.source_keys)
        for other in keys[1:]:
            a, b = find(keys[0]), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    interested_claimant = {find(k) for k in claimant}
    interested_chain = {find(k) for k in chain}
    groups: dict[str, int] = {}
    first_piece: dict[str, int] = {}
    pieces = []
    for position, facts in enumerate(evidence, start=1):
        if not facts.source_keys:
            pieces.append(EvidenceCount(facts, Independence.NO_SOURCE, None))
            continue
        root = find(next(iter(facts.source_keys)))
        if root in interested_claimant:
            pieces.append(EvidenceCount(facts, Independence.CLAIMANT, None))
        elif root in interested_chain:
            pieces.append(EvidenceCount(facts, Independence.CHAIN, None))
        elif root in groups:
            pieces.append(EvidenceCount(facts, Independence.SAME_SOURCE, None, first_piece[root]))
        else:
            groups[root] = len(groups) + 1
            first_piece[root] = position
            pieces.append(EvidenceCount(facts, Independence.INDEPENDENT, groups[root]))
    return EvidenceAssessment(tuple(pieces))


def check_holder(actor_id: int, assignee_id: int | None, roles: Iterable[Role]) -> None:
    """Refuse unless the actor holds the item or is an editor."""
    if assignee_id is not None and assignee_id != actor_id and Role.EDITOR not in set(roles):
        raise NotAssignee("Another checker holds this item. Only they or an editor can act on it.")


def check_reason(reason: str | None) -> str:
    """Dismissing needs a reason; return it stripped."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired("Say why the item is dismissed (for example: opinion, not checkable, duplicate of #N).")
    return reason


def check_comment(comment: str | None) -> str:
    """Returning a verdict needs a comment; return it stripped."""
    comment = (comment or "").strip()
    if not comment:
        raise CommentRequired("Write a comment telling the author what to fix before returning the verdict.")
    return comment


def check_correction(tier: CorrectionTier | str | None, note: str | None) -> tuple[CorrectionTier, str]:
    """Reopening needs a correction tier and a public note."""
    note = (note or "").strip()
    try:
        tier = CorrectionTier(tier) if tier else None
    except ValueError:
        tier = None
    if tier is None:
        raise CorrectionRequired("Choose a correction tier: clarification, correction or rating change.")
    if not note:
        raise CorrectionRequired("Write the public note readers will see with the correction.")
    return tier, note


def check_verdict_fields(rating: str | None, summary: str | None, rationale: str | None) -> None:
    """A proposed verdict needs a rating, a summary and a rationale."""
    missing = [
        name
        for name, value in (("a rating", rating), ("a summary", summary), ("a rationale", rationale))
        if not (value or "").strip()
    ]
    if missing:
        raise IncompleteVerdict("A verdict needs " + _join(missing) + ".")


def check_evidence(policy: Policy, assessment: EvidenceAssessment) -> list[EvidenceFacts]:
    """Refuse unless the evidence meets the desk's policy; return the weak items to flag."""
    pieces, sources = len(assessment.pieces), assessment.independent_sources
    if pieces < policy.min_evidence or sources < policy.min_evidence_sources:
        raise EvidencePolicyNotMet(
            f"The desk's policy needs at least {policy.min_evidence} pieces of evidence from at least "
            f"{policy.min_evidence_sources} independent sources; this item has {pieces} "
            f"from {sources}. Evidence from the claimant or from a source in the claim's chain does "
            "not count as independent, and a source's own site is the same source."
        )
    return assessment.weak


def check_reviewer(reviewer_id: int, author_id: int | None, voter_ids: Iterable[int]) -> None:
    """A reviewer votes once, and never on their own verdict."""
    if reviewer_id == author_id:
        raise OwnVerdict("You wrote this verdict, so another reviewer has to review it.")
    if reviewer_id in set(voter_ids):
        raise AlreadyVoted("You have already voted on this verdict.")


def check_version(expected: int | None, current: int, what: str = "item") -> None:
    """Refuse a change made against an older version of the item (or of ``what`` is named)."""
    if expected is not None and expected != current:
        raise StaleEdit(
            f"Somebody else changed this {what} while you were working on it. "
            "Your input is kept below; review their change and submit again.",
            current_version=current,
        )


@dataclass(frozen=True, slots=True)
class Tally:
    """The outcome of the votes so far on one proposed verdict."""

    approvals: int
    needed: int
    #: The rating a strict majority of the panel agreed on; None while there is none.
    rating: str | None

    @property
    def is_reached(self) -> bool:
        """True when the verdict is to be published."""
        return self.rating is not None

    @property
    def no_majority(self) -> bool:
        """Every panel member has approved, but no rating has a strict majority: an editor decides."""
        return self.rating is None and self.approvals >= self.needed


def tally(policy: Policy, proposed_rating: str, approved_ratings: Sequence[str | None]) -> Tally:
    """Count approvals; publish only when all have voted and a strict majority agrees on one rating.

    ``approved_ratings`` holds, in vote order, the rating each approving reviewer chose, or None
    for "approve as proposed". With one approval needed (single review) that approval decides.
    On a panel of N, a rating must have more than N / 2 of the votes: True, False and Mostly
    False on a panel of three is no majority, and the verdict waits for an editor's deciding vote.
    """
    ratings = [r or proposed_rating for r in approved_ratings]
    needed = policy.approvals_needed
    if len(ratings) < needed:
        return Tally(len(ratings), needed, None)
    rating, count = Counter(ratings).most_common(1)[0]
    return Tally(len(ratings), needed, rating if count * 2 > needed else None)


class PanelDeadlocked(WorkflowError):
    """Every panel member has voted without a majority; only an editor's deciding vote is left."""


def check_panel_open(outcome: Tally) -> None:
    """Refuse another reviewer's vote once the panel is complete without a majority."""
    if outcome.no_majority:
        raise PanelDeadlocked("The panel has voted without a majority on one rating. An editor casts the "
                              "deciding vote.")


class NoDecisionNeeded(WorkflowError):
    """A deciding vote is cast only on a panel that reached no majority."""


def check_deciding_vote(actor_id: int, roles: Iterable[Role], author_id: int | None, voter_ids: Iterable[int],
                        outcome: Tally) -> None:
    """An editor who neither wrote nor voted on the verdict breaks a panel's deadlock."""
    if Role.EDITOR not in set(roles):
        raise RoleRequired("Only an editor can cast the deciding vote.")
    if not outcome.no_majority:
        raise NoDecisionNeeded("The panel has not finished voting, or it agreed: there is nothing to decide.")
    if actor_id == author_id:
        raise OwnVerdict("You wrote this verdict, so another editor has to cast the deciding vote.")
    if actor_id in set(voter_ids):
        raise AlreadyVoted("You voted on this panel, so another editor has to cast the deciding vote.")


# --- the order of work ---------------------------------------------------------------------------

#: Triage and the reviewer queue: the highest priority first, then the longest waiting, then the
#: oldest item. ``(field, descending)``; the SQL ``ORDER BY`` of both lists is built from this.
WORK_ORDER: tuple[tuple[str, bool], ...] = (("priority", True), ("status_changed_at", False), ("id", False))


def work_order_key(priority: float, status_changed_at: object, item_id: int) -> tuple[float, object, int]:
    """The sort key of ``WORK_ORDER`` for items in memory (sorting ascending by it gives that order)."""
    return (-priority, status_changed_at, item_id)


# --- replaying the audit trail ------------------------------------------------------------------

#: Audit actions that bring an item into existence at a given status.
CREATING_ACTIONS = frozenset({AuditAction.CREATE, AuditAction.IMPORT, AuditAction.RESTORE_BACKUP})


def replay(events: Iterable[tuple[str, str | None, str | None]]) -> Status | None:
    """Rebuild an item's status from its audit events ``(action, from_status, to_status)``.

    Raises ``ValueError`` when the trail contains a step the table does not allow.
    """
    status: Status | None = None
    for action, from_status, to_status in events:
        if action in CREATING_ACTIONS:
            if status is not None:
                raise ValueError(f"{action} on an item that already exists")
            if to_status is None:
                raise ValueError(f"{action} recorded without the status it created")
            status = Status(to_status)
            continue
        if to_status is None:
            continue  # edits and other events that do not move the item
        if status is None:
            raise ValueError(f"{action} before the item was created")
        if from_status != status.value:
            raise ValueError(f"{action} recorded from {from_status}, but the item was {status.value}")
        transition = _BY_ACTION.get(Action(action))
        if transition is None or status not in transition.sources or transition.target.value != to_status:
            raise ValueError(f"{action} from {status.value} to {to_status} is not in the table")
        status = transition.target
    return status


def _with_article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
