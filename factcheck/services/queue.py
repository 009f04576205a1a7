"""The reviewer queue: "review next" leases, so two reviewers never open the same verdict.

A lease is not a status change: it marks an item in ``verdict`` as being reviewed by one
reviewer until it expires. Claiming is safe across processes and hosts: on PostgreSQL the
candidate row is locked with ``FOR UPDATE SKIP LOCKED`` (a second claimer skips it instead of
waiting); on SQLite one conditional UPDATE re-checks that the lease is still free, and the
row count says whether this claimer won.

A reviewer gets their own reserved item back before a new one, and holds at most
``max_leases`` live leases. Both rules read the reviewer's leases before claiming, so the claims of
one reviewer are taken one at a time: on PostgreSQL by locking the reviewer's ``users`` row, on
SQLite by the write lock every writing unit of work takes first (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from factcheck.config import DEFAULTS
from factcheck.domain.workflow import AuditAction, AuditEntity, Decision, Policy
from factcheck.facts import queue_order, reviewable_by
from factcheck.models import CheckItem, User, Vote, utcnow
from factcheck.services.audit import record_event
from factcheck.services.items import vote_on_verdict
from factcheck.services.leases import TooManyLeases, lease_is_free, lease_is_held_by

#: How many times a claimer retries after losing a race for the same row (SQLite path).
_CLAIM_ATTEMPTS = 8

#: Live leases one reviewer may hold at once (setting FACTCHECK_REVIEW_MAX_LEASES).
DEFAULT_MAX_LEASES: int = DEFAULTS["REVIEW_MAX_LEASES"]


def claim_next_for_review(session: Session, reviewer: User, now: dt.datetime | None = None,
                          lease_minutes: int = DEFAULTS["REVIEW_LEASE_MINUTES"], *,
                          max_leases: int = DEFAULT_MAX_LEASES,
                          skip_item_id: int | None = None, approvals_needed: int | None = None) -> CheckItem | None:
    """The item ``reviewer`` should review next, leased to them; None when nothing is waiting.

    Their own reserved item comes first (the one reserved longest ago), so leaving a review page
    never hides that item from its reviewer. ``skip_item_id`` is the item they are leaving without a
    vote: it keeps its lease, and they get a new item while they hold fewer than ``max_leases``,
    else their next reserved item in turn. A reviewer at the limit with nothing else reserved is
    refused with ``TooManyLeases``.
    """
    now = now or utcnow()
    _one_claim_at_a_time(session, reviewer)
    own = _own_leases(session, reviewer, now, approvals_needed)
    if skip_item_id in own:
        # Leaving an item: the reserved ones after it take their turn (round robin), not the same two.
        at = own.index(skip_item_id)
        others = own[at + 1:] + own[:at]
        if len(own) < max_leases:
            claimed = _lease_top_item(session, reviewer, now, lease_minutes, approvals_needed)
            if claimed is not None:
                return claimed
        if others:
            return session.get(CheckItem, others[0], populate_existing=True)
        if len(own) >= max_leases:
            raise TooManyLeases(
                f"You can hold {max_leases} reserved verdict{'' if max_leases == 1 else 's'} at a time. "
                f"Vote on item #{skip_item_id} or give it back before taking another."
            )
        return None
    if own:
        return session.get(CheckItem, own[0], populate_existing=True)
    if max_leases < 1:
        raise TooManyLeases("Review next is switched off on this desk (no reserved verdicts are allowed).")
    return _lease_top_item(session, reviewer, now, lease_minutes, approvals_needed)


def _one_claim_at_a_time(session: Session, reviewer: User) -> None:
    """Serialise the claims of one reviewer, so that reading their leases and adding one is atomic.

    PostgreSQL: the reviewer's ``users`` row is locked ``FOR NO KEY UPDATE`` until the claim commits
    (that lock does not block rows that merely refer to the user, such as votes and audit events).
    SQLite needs nothing: a writing unit of work already holds the database's write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(User.id).where(User.id == reviewer.id).with_for_update(key_share=True))


def _own_leases(session: Session, reviewer: User, now: dt.datetime,
                approvals_needed: int | None = None) -> list[int]:
    """Ids of the items ``reviewer`` holds a live lease on and may still vote on, oldest lease first."""
    return list(session.scalars(
        select(CheckItem.id).where(reviewable_by(reviewer, approvals_needed), lease_is_held_by(reviewer.id, now))
        .order_by(CheckItem.lease_expires_at.asc(), CheckItem.id.asc())
    ))


def _lease_top_item(session: Session, reviewer: User, now: dt.datetime, lease_minutes: int,
                    approvals_needed: int | None = None) -> CheckItem | None:
    """Lease the top reviewable item nobody holds to ``reviewer``; None when there is none."""
    expires_at = now + dt.timedelta(minutes=lease_minutes)
    candidates = (select(CheckItem.id).where(reviewable_by(reviewer, approvals_needed), lease_is_free(now))
                  .order_by(*queue_order()))
    item_id: int | None = None
    if session.get_bind().dialect.name == "postgresql":
        item_id = session.scalar(candidates.limit(1).with_for_update(skip_locked=True, of=CheckItem))
        if item_id is not None:
            session.execute(update(CheckItem).where(CheckItem.id == item_id)
                            .values(lease_user_id=reviewer.id, lease_expires_at=expires_at)
                            .execution_options(synchronize_session=False))
    else:
        for _ in range(_CLAIM_ATTEMPTS):
            # The outer WHERE repeats the lease test: if another process leased the row between
            # the subquery and the write, nothing is updated and we try the next candidate.
            won = session.scalar(
                update(CheckItem)
                .where(CheckItem.id == candidates.limit(1).correlate(None).scalar_subquery(), lease_is_free(now))
                .values(lease_user_id=reviewer.id, lease_expires_at=expires_at)
                .returning(CheckItem.id)
                .execution_options(synchronize_session=False)
            )
            if won is not None:
                item_id = won
                break
            if session.scalar(candidates.limit(1)) is None:
                break
    if item_id is None:
        return None
    # A lease is not an edit: written with Core so the item's optimistic-lock version stays put.
    item = session.get(CheckItem, item_id, populate_existing=True)
    if item is None:
        raise RuntimeError(f"Item #{item_id} was leased but cannot be read back in the same transaction.")
    record_event(session, action=AuditAction.LEASE, entity=AuditEntity.ITEM, entity_id=item_id, item_id=item_id,
                 actor=reviewer,
                 payload={"expires_at": expires_at.isoformat(timespec="seconds")})
    session.flush()
    return item


def _end_lease(session: Session, item_id: int, reviewer: User) -> bool:
    """Clear ``reviewer``'s lease on the item (Core: not an edit); True when they held one."""
    # An UPDATE's result is a CursorResult; Session.execute is typed as returning any Result.
    result = cast(CursorResult[Any], session.execute(
        update(CheckItem)
        .where(CheckItem.id == item_id, CheckItem.lease_user_id == reviewer.id)
        .values(lease_user_id=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    ))
    return bool(result.rowcount)


def release_lease(session: Session, item_id: int, reviewer: User) -> bool:
    """Give back ``reviewer``'s lease on the item, if they hold one; True when one was released."""
    released = _end_lease(session, item_id, reviewer)
    if released:
        session.expire_all()
        record_event(session, action=AuditAction.RELEASE, entity=AuditEntity.ITEM, entity_id=item_id,
                     item_id=item_id, actor=reviewer)
        session.flush()
    return released


def review_verdict(session: Session, item_id: int, reviewer: User, *, decision: Decision | str, policy: Policy,
                   seen: str, rating_key: str | None = None, comment: str | None = None) -> Vote:
    """A reviewer's vote from the queue (the review page, the API): the vote itself, and their lease on the item
    given back. ``seen``: the review key of the verdict as the reviewer read it (``facts.verdict_review_key``),
    which every vote names (a vote naming none is refused): a reviewer never publishes a verdict they have not seen.

    In panel mode an approval leaves the item in ``verdict`` for the next reviewer, so the lease
    must end with the vote rather than block the item until it expires. A vote on an item another
    reviewer holds a live lease on is refused (``vote_on_verdict`` checks it).
    """
    vote = vote_on_verdict(session, item_id, reviewer, decision=decision, policy=policy,
                           rating_key=rating_key, comment=comment, seen=seen, seen_required=True)
    _end_lease(session, item_id, reviewer)
    session.flush()
    return vote
