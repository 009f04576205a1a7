"""Check items: creating them and moving them through the lifecycle.

Every function loads what it needs, asks ``factcheck.domain.workflow``, writes the change and its
audit event, and flushes. None of them commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from factcheck.domain import workflow as wf
from factcheck.domain.notifications import NotificationKind
from factcheck.domain.permissions import (
    may_assign,
    may_decide,
    may_dismiss,
    may_edit,
    may_propose,
    may_reopen,
    may_restore,
    may_take,
    may_vote,
)
from factcheck.domain.webhooks import EventKind
from factcheck.domain.workflow import Action, AuditAction, AuditEntity, Decision, Origin, Policy, Role, Status
from factcheck.facts import (
    evidence_assessment, item_snapshot, panel_outcome, review_facts, shown_with_verdict, verdict_review_key,
)
from factcheck.models import (
    Article,
    ChainLink,
    CheckItem,
    Correction,
    Rating,
    Source,
    User,
    UserRole,
    Verdict,
    Vote,
    utcnow,
)
from factcheck.services import webhooks
from factcheck.services.answers import answer_readers
from factcheck.services.audit import event_row, record_event, record_events
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.leases import check_lease
from factcheck.services.notifications import notify
from factcheck.services.sources import apply_published_verdict, compute_priority
from factcheck.services.term_counts import fold_pending_term_counts


def get_item(session: Session, item_id: int, *, for_update: bool = False) -> CheckItem:
    """The item, or NotFound. ``for_update`` locks the row on PostgreSQL."""
    item = session.get(CheckItem, item_id, with_for_update=for_update or None)
    if item is None:
        raise NotFound(f"There is no check item #{item_id}.")
    return item


def get_rating(session: Session, key: str | None) -> Rating:
    """An active rating by key, or a refusal naming the problem."""
    rating = session.scalars(select(Rating).where(Rating.key == (key or ""))).first()
    if rating is None or not rating.is_active:
        raise wf.IncompleteVerdict("Choose a rating from the desk's scale.")
    return rating


@dataclass(frozen=True, slots=True)
class LinkInput:
    """One link of an attribution chain, as given to ``create_item`` or ``set_chain``."""

    source: Source
    verb: str


def create_item(
    session: Session,
    *,
    claim_text: str,
    actor: User | None,
    article: Article | None = None,
    span: tuple[int, int] | None = None,
    chain: Sequence[LinkInput] = (),
    claimant: Source | None = None,
    hedges: Sequence[str] = (),
    dates: Sequence[str] = (),
    checkworthiness: float = 0.0,
    priority: float | None = None,
    origin: Origin = Origin.MANUAL,
    external_ref: str | None = None,
) -> CheckItem:
    """Create a check item in ``claim`` with its chain; the claimant defaults to the chain's first link."""
    item = new_item(claim_text=claim_text, article=article, span=span, chain=chain, claimant=claimant, hedges=hedges,
                    dates=dates, checkworthiness=checkworthiness, priority=priority, origin=origin,
                    external_ref=external_ref)
    session.add(item)
    session.flush()
    record_created(session, [item], actor)
    fold_pending_term_counts(session)  # claim matching counts the new text from the stored counts at once
    return item


def new_item(
    *,
    claim_text: str,
    article: Article | None = None,
    span: tuple[int, int] | None = None,
    chain: Sequence[LinkInput] = (),
    claimant: Source | None = None,
    hedges: Sequence[str] = (),
    dates: Sequence[str] = (),
    checkworthiness: float = 0.0,
    priority: float | None = None,
    origin: Origin = Origin.MANUAL,
    external_ref: str | None = None,
) -> CheckItem:
    """A check item in ``claim`` with its chain, not yet added: ingest adds an article's items at once,
    then calls ``record_created`` for them (``create_item`` does both for one item)."""
    claim_text = claim_text.strip() if span is None else claim_text
    if not claim_text.strip():
        raise InvalidInput("A check item needs the claim as written.")
    if claimant is None and chain:
        claimant = chain[0].source
    item = CheckItem(
        article=article,
        span_start=span[0] if span else None,
        span_end=span[1] if span else None,
        claim_text=claim_text,
        claimant=claimant,
        hedges=list(hedges),
        dates=list(dates),
        status=Status.CLAIM,
        checkworthiness=checkworthiness,
        priority=checkworthiness if priority is None else priority,
        origin=origin,
        external_ref=external_ref,
    )
    item.chain = [ChainLink(position=i, source=link.source, verb=link.verb[:40]) for i, link in enumerate(chain)]
    return item


def record_created(session: Session, items: Sequence[CheckItem], actor: User | None) -> None:
    """The history's first line for each of ``items`` (flushed, so they have ids), in one INSERT."""
    record_events(session, created_events(items, actor))


class Made(Protocol):
    """What an item's first history line names: the item, and where it came from (a ``CheckItem``, or
    ingest's rows written without loading them)."""

    @property
    def id(self) -> int: ...

    @property
    def origin(self) -> Origin: ...


def created_events(items: Sequence[Made], actor: User | None) -> list[dict[str, Any]]:
    """``record_created``'s rows (``event_row``), for a caller that writes them with others."""
    return [event_row(action=AuditAction.CREATE, entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id,
                      actor=actor, to_status=Status.CLAIM.value, payload={"origin": item.origin}) for item in items]


def _move(session: Session, item: CheckItem, action: Action, actor: User | None,
          roles: frozenset[Role] | None = None, payload: dict[str, Any] | None = None) -> None:
    """Apply the table's transition for ``action`` and record it."""
    if roles is None:
        if actor is None:
            raise TypeError("a move without an actor needs the roles it is made with")
        roles = actor.roles
    transition = wf.resolve(action, item.status, roles)
    before = item.status
    item.status = transition.target
    item.status_changed_at = utcnow()
    item.lease_user_id = None
    item.lease_expires_at = None
    record_event(session, action=AuditAction(action.value), entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id, actor=actor,
                 from_status=before.value, to_status=transition.target.value, payload=payload)


def flush_or_conflict(session: Session, what: str = "item") -> None:
    """Flush, turning a lost optimistic-lock race into the workflow's conflict refusal."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise wf.StaleEdit(
            f"Somebody else changed this {what} at the same moment. Reload it and try again."
        ) from exc


def _flush(session: Session, item: CheckItem) -> None:
    flush_or_conflict(session)


def take_item(session: Session, item_id: int, actor: User, *, version: int | None = None) -> CheckItem:
    """A checker takes an item from triage: claim → evidence, assigned to them."""
    item = get_item(session, item_id, for_update=True)
    may_take(item, actor).enforce()  # "somebody took it first" beats "it changed"
    wf.check_version(version, item.version)
    _move(session, item, Action.TAKE, actor)
    item.assignee_id = actor.id
    _flush(session, item)
    return item


def assign_item(session: Session, item_id: int, actor: User, assignee_id: int | None, *,
                version: int | None = None) -> CheckItem:
    """An editor gives an item in claim or evidence to a checker, who is told.

    From triage the item moves to evidence as if the checker took it (the history's "take" names the
    editor who assigned it); in evidence it changes hands. Either way an "assign" event records who
    holds it now.
    """
    item = get_item(session, item_id, for_update=True)
    assignee = session.get(User, assignee_id) if assignee_id is not None else None
    may_assign(item, actor, assignee).enforce()
    assert assignee is not None  # may_assign refuses nobody
    wf.check_version(version, item.version)
    before = item.assignee_id
    if item.status is Status.CLAIM:
        _move(session, item, Action.TAKE, actor, roles=assignee.roles,
              payload={"assigned_by": actor.id, "assignee_id": assignee.id})
    item.assignee_id = assignee.id
    item.updated_at = utcnow()
    record_event(session, action=AuditAction.ASSIGN, entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id,
                 actor=actor, payload={"assignee": assignee.display_name, "assignee_id": assignee.id,
                                       "previous_assignee_id": before})
    notify(session, [assignee.id], NotificationKind.ASSIGNED, item_id=item.id, actor=actor,
           message=f"{actor.display_name} assigned item #{item.id} to you",
           detail=item.restatement or item.claim_text)
    _flush(session, item)
    return item


def dismiss_item(session: Session, item_id: int, actor: User, reason: str | None,
                 *, version: int | None = None) -> CheckItem:
    """Dismiss an item (opinion, not checkable, duplicate …) with a reason."""
    item = get_item(session, item_id, for_update=True)
    may_dismiss(item, actor).enforce()
    wf.check_version(version, item.version)
    reason = wf.check_reason(reason)
    _move(session, item, Action.DISMISS, actor, payload={"reason": reason})
    _flush(session, item)
    return item


def restore_item(session: Session, item_id: int, actor: User, *, version: int | None = None) -> CheckItem:
    """An editor brings a dismissed item back to triage."""
    item = get_item(session, item_id, for_update=True)
    may_restore(item, actor).enforce()
    wf.check_version(version, item.version)
    _move(session, item, Action.RESTORE, actor)
    item.assignee_id = None
    _flush(session, item)
    return item


def propose_verdict(
    session: Session,
    item_id: int,
    actor: User,
    *,
    rating_key: str | None,
    summary: str | None,
    rationale: str | None,
    policy: Policy,
    version: int | None = None,
) -> Verdict:
    """The assignee proposes a verdict: evidence → verdict, once the evidence policy is met."""
    item = get_item(session, item_id, for_update=True)
    evidence = evidence_assessment(item)
    may_propose(item, actor, policy, evidence).enforce()
    wf.check_version(version, item.version)
    wf.check_verdict_fields(rating_key, summary, rationale)
    rating = get_rating(session, rating_key)
    weak = evidence.weak
    # check_verdict_fields refused a missing summary or rationale: `or ""` only tells the type checker.
    verdict = Verdict(item=item, rating=rating, summary=(summary or "").strip(), rationale=(rationale or "").strip(),
                      author_id=actor.id)
    session.add(verdict)
    item.assignee_id = actor.id
    _move(session, item, Action.PROPOSE, actor, payload={
        "rating": rating.key,
        "summary": verdict.summary,
        "weak_evidence_ids": [f.evidence_id for f in weak],
    })
    if policy.approvals_needed > 1:
        notify(session, _active_reviewers(session), NotificationKind.VOTE_NEEDED, item_id=item.id, actor=actor,
               message=f"The panel needs your vote on item #{item.id} ({rating.label})", detail=verdict.summary)
    _flush(session, item)
    return verdict


def _active_reviewers(session: Session) -> list[int]:
    return list(session.scalars(select(User.id).join(UserRole, UserRole.user_id == User.id)
                                .where(User.is_active.is_(True), UserRole.role == Role.REVIEWER)))


def vote_on_verdict(
    session: Session,
    item_id: int,
    actor: User,
    *,
    decision: Decision | str,
    policy: Policy,
    rating_key: str | None = None,
    comment: str | None = None,
    seen: str | None = None,
    seen_required: bool = False,
) -> Vote:
    """A reviewer approves (optionally as another rating) or returns the current verdict.

    A return sends the item back to its author at once. Approvals publish it once the panel is
    complete and a strict majority agrees on one rating (``wf.tally``); a complete panel without
    a majority waits for an editor's deciding vote (``decide_verdict``). ``seen``: the review key of
    what the reviewer read (``facts.verdict_review_key``); a vote on a verdict that has changed since
    (a new proposal, another restatement or evidence) is refused, as nobody has read it yet; with
    ``seen_required`` (a reviewer's vote from the queue or the API) a vote naming nothing is refused too.
    """
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidInput("A vote is either approve or return.") from None
    item = get_item(session, item_id, for_update=True)
    may_vote(item, actor, *review_facts(item, policy)).enforce()
    check_lease(session, item, actor)  # another reviewer's live reservation: theirs to vote on
    verdict = _open_verdict(item)
    if seen_required and not seen:
        raise InvalidInput("The vote does not say which verdict you read, so nothing was recorded: open the item's "
                           "review page again, read the verdict, then vote.")
    if seen is not None and seen != verdict_review_key(item, verdict):
        raise wf.StaleEdit("The verdict or what it rests on changed while you were reviewing it (a new proposal, "
                           "the restatement or the evidence). Nothing was recorded: read it again, then vote.",
                           current_version=item.version)
    rating = get_rating(session, rating_key) if rating_key else None
    if decision is Decision.RETURN:
        comment = wf.check_comment(comment)
    vote = _record_vote(session, item, verdict, actor, decision, rating, comment)
    if decision is Decision.RETURN:
        # What the reviewer saw, so the resubmission's review shows what changed since.
        snapshot = item_snapshot(item, verdict).as_payload()
        _move(session, item, Action.RETURN, actor, payload={"comment": vote.comment, "verdict_id": verdict.id,
                                                            "snapshot": snapshot})
        verdict.closed_at = utcnow()
        notify(session, [verdict.author_id], NotificationKind.RETURNED, item_id=item.id, actor=actor,
               message=f"{actor.display_name} returned your verdict on item #{item.id}", detail=vote.comment)
    else:
        outcome = panel_outcome(policy, verdict)
        if outcome.is_reached:
            _publish(session, item, verdict, get_rating(session, outcome.rating), actor,
                     {"approvals": outcome.approvals})
        else:
            notify(session, [verdict.author_id], NotificationKind.APPROVED, item_id=item.id, actor=actor,
                   message=f"{actor.display_name} approved your verdict on item #{item.id} "
                           f"({outcome.approvals} of {outcome.needed} approvals)", detail=vote.comment)
    item.updated_at = utcnow()
    _flush(session, item)
    return vote


def decide_verdict(session: Session, item_id: int, actor: User, *, rating_key: str | None, policy: Policy,
                   comment: str | None = None) -> Vote:
    """An editor's deciding vote on a panel that voted without a majority: it publishes that rating.

    The vote is recorded as deciding (``Vote.is_deciding`` and the audit trail), so readers of the
    history see who broke the deadlock and how.
    """
    item = get_item(session, item_id, for_update=True)
    may_decide(item, actor, *review_facts(item, policy)).enforce()
    verdict = _open_verdict(item)
    if not (rating_key or "").strip():
        raise wf.IncompleteVerdict("Choose the rating the deciding vote publishes.")
    rating = get_rating(session, rating_key)
    vote = _record_vote(session, item, verdict, actor, Decision.APPROVE, rating, comment, deciding=True)
    _publish(session, item, verdict, rating, actor, {"approvals": len(verdict.votes), "deciding_vote": vote.id})
    item.updated_at = utcnow()
    _flush(session, item)
    return vote


def _open_verdict(item: CheckItem) -> Verdict:
    verdict = item.current_verdict
    if verdict is None:  # the table guarantees one in ``verdict``; a damaged row must not vote on nothing
        raise wf.ActionNotAllowed("This item has no proposed verdict to vote on.")
    return verdict


def _record_vote(session: Session, item: CheckItem, verdict: Verdict, actor: User, decision: Decision,
                 rating: Rating | None, comment: str | None, *, deciding: bool = False) -> Vote:
    vote = Vote(verdict=verdict, reviewer_id=actor.id, decision=decision, rating=rating,
                comment=(comment or "").strip() or None, is_deciding=deciding)
    session.add(vote)
    session.flush()
    payload: dict[str, object] = {"decision": decision.value, "rating": rating.key if rating else None,
                                  "comment": vote.comment, "verdict_id": verdict.id}
    if deciding:
        payload["deciding"] = True
    record_event(session, action=AuditAction.VOTE, entity=AuditEntity.VOTE, entity_id=vote.id, item_id=item.id,
                 actor=actor, payload=payload)
    return vote


def _publish(session: Session, item: CheckItem, verdict: Verdict, final: Rating, actor: User,
             payload: dict[str, object]) -> None:
    verdict.final_rating = final
    verdict.published_at = published_at = utcnow()
    _move(session, item, Action.PUBLISH, actor, roles=frozenset(),
          payload={"rating": final.key, "verdict_id": verdict.id, **payload})
    apply_published_verdict(session, item, final, +1)
    notify(session, [verdict.author_id], NotificationKind.PUBLISHED, item_id=item.id, actor=actor,
           message=f"Your verdict on item #{item.id} is published as {final.label}")
    webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {
        "item_id": item.id, "verdict_id": verdict.id, "claim": item.claim_text, "rating": final.key,
        "rating_label": final.label, "summary": verdict.summary, "published_at": published_at.isoformat(),
        "claimant": item.claimant.name if item.claimant else None,
    })
    answer_readers(session, item, verdict, final)


def reopen_item(session: Session, item_id: int, actor: User, *, tier: str | None, note: str | None,
                version: int | None = None) -> Correction:
    """An editor reopens a published verdict for a correction: published → evidence."""
    item = get_item(session, item_id, for_update=True)
    may_reopen(item, actor).enforce()
    wf.check_version(version, item.version)
    tier, note = wf.check_correction(tier, note)
    verdict = item.current_verdict
    if verdict is None or verdict.final_rating is None:
        raise wf.ActionNotAllowed("This item has no published verdict to reopen.")
    apply_published_verdict(session, item, verdict.final_rating, -1)
    # Readers keep seeing what was published until a corrected verdict is: not the edits made meanwhile.
    verdict.shown = shown_with_verdict(item)
    verdict.closed_at = closed_at = utcnow()
    correction = Correction(item_id=item.id, tier=tier, note=note, verdict=verdict, editor_id=actor.id)
    session.add(correction)
    _move(session, item, Action.REOPEN, actor, payload={"tier": tier.value, "note": note,
                                                        "verdict_id": verdict.id})
    notify(session, [verdict.author_id], NotificationKind.CORRECTED, item_id=item.id, actor=actor,
           message=f"{actor.display_name} reopened your published verdict on item #{item.id} for a "
                   f"{tier.title.lower()}", detail=note)
    webhooks.record_event(session, EventKind.VERDICT_CORRECTED, {
        "item_id": item.id, "verdict_id": verdict.id, "claim": item.claim_text, "tier": tier.value, "note": note,
        "previous_rating": verdict.final_rating.key, "corrected_at": closed_at.isoformat(),
    })
    _flush(session, item)
    return correction


def edit_item(
    session: Session,
    item_id: int,
    actor: User,
    *,
    version: int,
    restatement: str | None = None,
    hedges: Sequence[str] | None = None,
    priority: float | None = None,
    automatic_priority: bool = False,
) -> CheckItem:
    """Change the checkable restatement, the hedges or the priority; stale versions are refused.

    ``None`` leaves a field as it is. A ``priority`` (0 … 1) set here is the person's: it stays
    until a person changes it, whatever the desk recomputes; ``automatic_priority`` hands the
    priority back to the computation.
    """
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    may_edit(item, actor).enforce()
    if priority is not None and not 0.0 <= priority <= 1.0:
        raise InvalidInput("Priority is a number from 0 (least urgent) to 1 (most urgent).")
    changes: dict[str, object] = {}
    if restatement is not None and (restatement.strip() or None) != item.restatement:
        changes["restatement"] = [item.restatement, restatement.strip() or None]
        item.restatement = restatement.strip() or None
        item.match_similarity = None  # matched with its new words when its priority is next computed
    if hedges is not None:
        clean = [h.strip() for h in hedges if h.strip()]
        if clean != list(item.hedges):
            changes["hedges"] = [list(item.hedges), clean]
            item.hedges = clean
            # A hedge a person removed is no longer marked in the text; one they added has no span.
            item.hedge_spans = [span for span in item.hedge_spans or [] if span.get("label") in clean]
    # Priorities are shown to two decimals: the form sending back what it showed is no change.
    if priority is not None and round(priority, 2) != round(item.priority, 2):
        changes["priority"] = [item.priority, priority]
        item.priority, item.priority_is_manual = priority, True
    elif automatic_priority and item.priority_is_manual:
        item.priority_is_manual = False
        value = compute_priority(session, item)
        changes["priority"] = [item.priority, value]
        changes["priority_set_by"] = ["a person", "the desk's computation"]
        item.priority = value
    if changes:
        record_event(session, action=AuditAction.EDIT, entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id, actor=actor,
                     payload=changes)
        item.updated_at = utcnow()
    _flush(session, item)
    if "restatement" in changes:
        fold_pending_term_counts(session)  # the restatement is matched on: its words are counted at once
    return item


def set_chain(session: Session, item_id: int, actor: User, links: Sequence[LinkInput], *,
              version: int) -> CheckItem:
    """Replace the attribution chain; its first link becomes the claimant (none: the article's own voice)."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    may_edit(item, actor).enforce()
    before = [[link.source.name, link.verb] for link in item.chain]
    item.chain.clear()
    session.flush()
    item.chain.extend(ChainLink(position=i, source=link.source, verb=link.verb.strip()[:40] or "said")
                      for i, link in enumerate(links))
    item.claimant = links[0].source if links else None
    item.updated_at = utcnow()
    record_event(session, action=AuditAction.EDIT, entity=AuditEntity.ITEM, entity_id=item.id, item_id=item.id, actor=actor,
                 payload={"chain": [before, [[link.source.name, link.verb] for link in links]]})
    _flush(session, item)
    return item
