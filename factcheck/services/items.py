"""Check items: creating them and moving them through the lifecycle.

Every function loads what it needs, asks ``factcheck.domain.workflow``, writes the change and its
audit event, and flushes. None of them commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from factcheck.domain import workflow as wf
from factcheck.domain.names import domain_key
from factcheck.domain.workflow import Action, Decision, Policy, Role, Status
from factcheck.models import (
    Article,
    ChainLink,
    CheckItem,
    Correction,
    Evidence,
    Rating,
    Source,
    User,
    Verdict,
    Vote,
    utcnow,
)
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.leases import check_lease
from factcheck.services.sources import apply_published_verdict


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
    origin: str = "manual",
    external_ref: str | None = None,
) -> CheckItem:
    """Create a check item in ``claim`` with its chain; the claimant defaults to the chain's first link."""
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
    session.add(item)
    session.flush()
    record_event(session, action="create", entity="item", entity_id=item.id, item_id=item.id, actor=actor,
                 to_status=Status.CLAIM.value, payload={"origin": origin})
    return item


def _move(session: Session, item: CheckItem, action: Action, actor: User | None,
          roles: frozenset[Role] | None = None, payload: dict | None = None) -> None:
    """Apply the table's transition for ``action`` and record it."""
    roles = actor.roles if roles is None else roles
    transition = wf.resolve(action, item.status, roles)
    before = item.status
    item.status = transition.target
    item.status_changed_at = utcnow()
    item.lease_user_id = None
    item.lease_expires_at = None
    record_event(session, action=action.value, entity="item", entity_id=item.id, item_id=item.id, actor=actor,
                 from_status=before.value, to_status=transition.target.value, payload=payload)


def _flush(session: Session, item: CheckItem) -> None:
    """Flush, turning a lost optimistic-lock race into the workflow's conflict refusal."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise wf.StaleEdit(
            "Somebody else changed this item at the same moment. Reload it and try again."
        ) from exc


def take_item(session: Session, item_id: int, actor: User, *, version: int | None = None) -> CheckItem:
    """A checker takes an item from triage: claim → evidence, assigned to them."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    _move(session, item, Action.TAKE, actor)
    item.assignee_id = actor.id
    _flush(session, item)
    return item


def dismiss_item(session: Session, item_id: int, actor: User, reason: str | None,
                 *, version: int | None = None) -> CheckItem:
    """Dismiss an item (opinion, not checkable, duplicate …) with a reason."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    wf.resolve(Action.DISMISS, item.status, actor.roles)
    wf.check_holder(actor.id, item.assignee_id, actor.roles)
    reason = wf.check_reason(reason)
    _move(session, item, Action.DISMISS, actor, payload={"reason": reason})
    _flush(session, item)
    return item


def restore_item(session: Session, item_id: int, actor: User, *, version: int | None = None) -> CheckItem:
    """An editor brings a dismissed item back to triage."""
    item = get_item(session, item_id, for_update=True)
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
    wf.check_version(version, item.version)
    wf.resolve(Action.PROPOSE, item.status, actor.roles)
    if item.assignee_id is not None and item.assignee_id != actor.id:
        raise wf.NotAssignee("Only the checker who holds this item can propose its verdict.")
    wf.check_verdict_fields(rating_key, summary, rationale)
    rating = get_rating(session, rating_key)
    wf.check_evidence(policy, [evidence_facts(e) for e in item.evidence])
    verdict = Verdict(item=item, rating=rating, summary=summary.strip(), rationale=rationale.strip(),
                      author_id=actor.id)
    session.add(verdict)
    item.assignee_id = actor.id
    _move(session, item, Action.PROPOSE, actor, payload={
        "rating": rating.key,
        "summary": verdict.summary,
        "weak_evidence_ids": [e.id for e in item.evidence if evidence_facts(e).is_weak],
    })
    _flush(session, item)
    return verdict


def evidence_facts(evidence: Evidence) -> wf.EvidenceFacts:
    """What the evidence policy needs to know: sources count by id, else by the link's domain."""
    key = f"source:{evidence.source_id}" if evidence.source_id else (
        f"domain:{domain_key(evidence.url)}" if evidence.url else None
    )
    return wf.EvidenceFacts(key, evidence.is_anonymous, evidence.is_off_record)


def vote_on_verdict(
    session: Session,
    item_id: int,
    actor: User,
    *,
    decision: Decision | str,
    policy: Policy,
    rating_key: str | None = None,
    comment: str | None = None,
) -> Vote:
    """A reviewer approves (optionally as another rating) or returns the current verdict.

    A return sends the item back to its author at once. Approvals publish it when the policy's
    count is reached; in panel mode the majority rating wins.
    """
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidInput("A vote is either approve or return.") from None
    item = get_item(session, item_id, for_update=True)
    check_lease(session, item, actor)
    wf.resolve(Action.VOTE, item.status, actor.roles)
    verdict = item.current_verdict
    assert verdict is not None, "an item in verdict always has a proposed verdict"
    wf.check_reviewer(actor.id, verdict.author_id, (v.reviewer_id for v in verdict.votes))
    rating = get_rating(session, rating_key) if rating_key else None
    if decision is Decision.RETURN:
        comment = wf.check_comment(comment)
    vote = Vote(verdict=verdict, reviewer_id=actor.id, decision=decision, rating=rating,
                comment=(comment or "").strip() or None)
    session.add(vote)
    session.flush()
    record_event(session, action=Action.VOTE.value, entity="vote", entity_id=vote.id, item_id=item.id,
                 actor=actor, payload={"decision": decision.value, "rating": rating.key if rating else None,
                                       "comment": vote.comment, "verdict_id": verdict.id})
    if decision is Decision.RETURN:
        _move(session, item, Action.RETURN, actor, payload={"comment": vote.comment, "verdict_id": verdict.id})
        verdict.closed_at = utcnow()
    else:
        _publish_if_approved(session, item, verdict, policy, actor)
    item.updated_at = utcnow()
    _flush(session, item)
    return vote


def _publish_if_approved(session: Session, item: CheckItem, verdict: Verdict, policy: Policy, actor: User) -> None:
    approvals = [v for v in verdict.votes if v.decision is Decision.APPROVE]
    outcome = wf.tally(policy, verdict.rating.key, [v.rating.key if v.rating else None for v in approvals])
    if not outcome.is_reached:
        return
    final = get_rating(session, outcome.rating)
    verdict.final_rating = final
    verdict.published_at = utcnow()
    _move(session, item, Action.PUBLISH, actor, roles=frozenset(),
          payload={"rating": final.key, "verdict_id": verdict.id, "approvals": outcome.approvals})
    apply_published_verdict(session, item, final, +1)


def reopen_item(session: Session, item_id: int, actor: User, *, tier: str | None, note: str | None,
                version: int | None = None) -> Correction:
    """An editor reopens a published verdict for a correction: published → evidence."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    wf.resolve(Action.REOPEN, item.status, actor.roles)
    tier, note = wf.check_correction(tier, note)
    verdict = item.current_verdict
    assert verdict is not None and verdict.final_rating is not None, "a published item has a final rating"
    apply_published_verdict(session, item, verdict.final_rating, -1)
    verdict.closed_at = utcnow()
    correction = Correction(item_id=item.id, tier=tier, note=note, verdict=verdict, editor_id=actor.id)
    session.add(correction)
    _move(session, item, Action.REOPEN, actor, payload={"tier": tier.value, "note": note,
                                                        "verdict_id": verdict.id})
    _flush(session, item)
    return correction


def check_can_edit(item: CheckItem, actor: User) -> None:
    """Edits are for the holder (or an editor) while the item is in claim or evidence."""
    if item.status not in wf.EDITABLE_STATUSES:
        raise wf.NotEditable(
            f"This item is in {item.status.value}; it can no longer be edited. "
            + ("An editor can reopen it for a correction." if item.status is Status.PUBLISHED else "")
        )
    if not actor.roles & {Role.CHECKER, Role.EDITOR}:
        raise wf.RoleRequired("Only checkers and editors can edit check items.")
    wf.check_holder(actor.id, item.assignee_id, actor.roles)


def edit_item(
    session: Session,
    item_id: int,
    actor: User,
    *,
    version: int | None,
    restatement: str | None = None,
    hedges: Sequence[str] | None = None,
    priority: float | None = None,
) -> CheckItem:
    """Change the checkable restatement, the hedges or the priority; stale versions are refused."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    check_can_edit(item, actor)
    changes: dict[str, object] = {}
    if restatement is not None and (restatement.strip() or None) != item.restatement:
        changes["restatement"] = [item.restatement, restatement.strip() or None]
        item.restatement = restatement.strip() or None
    if hedges is not None:
        clean = [h.strip() for h in hedges if h.strip()]
        if clean != list(item.hedges):
            changes["hedges"] = [list(item.hedges), clean]
            item.hedges = clean
    if priority is not None and priority != item.priority:
        changes["priority"] = [item.priority, priority]
        item.priority = priority
    if changes:
        record_event(session, action="edit", entity="item", entity_id=item.id, item_id=item.id, actor=actor,
                     payload=changes)
        item.updated_at = utcnow()
    _flush(session, item)
    return item


def set_chain(session: Session, item_id: int, actor: User, links: Sequence[LinkInput], *,
              version: int | None) -> CheckItem:
    """Replace the attribution chain; its first link becomes the claimant (none: the article's own voice)."""
    item = get_item(session, item_id, for_update=True)
    wf.check_version(version, item.version)
    check_can_edit(item, actor)
    before = [[link.source.name, link.verb] for link in item.chain]
    item.chain.clear()
    session.flush()
    item.chain.extend(ChainLink(position=i, source=link.source, verb=link.verb.strip()[:40] or "said")
                      for i, link in enumerate(links))
    item.claimant = links[0].source if links else None
    item.updated_at = utcnow()
    record_event(session, action="edit", entity="item", entity_id=item.id, item_id=item.id, actor=actor,
                 payload={"chain": [before, [[link.source.name, link.verb] for link in links]]})
    _flush(session, item)
    return item
