"""The reviewer queue: "review next" leases, so two reviewers never open the same verdict.

A lease is not a status change: it marks an item in ``verdict`` as being reviewed by one
reviewer until it expires. Claiming is safe across processes and hosts: on PostgreSQL the
candidate row is locked with ``FOR UPDATE SKIP LOCKED`` (a second claimer skips it instead of
waiting); on SQLite one conditional UPDATE re-checks that the lease is still free, and the
row count says whether this claimer won.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Decision, Policy, Status
from factcheck.models import CheckItem, User, Verdict, Vote, utcnow
from factcheck.services.audit import record_event
from factcheck.services.items import vote_on_verdict

#: How many times a claimer retries after losing a race for the same row (SQLite path).
_CLAIM_ATTEMPTS = 8


def _open_verdict():  # type: ignore[no-untyped-def]
    """The verdict under review of the outer item: not returned, not published."""
    return and_(Verdict.item_id == CheckItem.id, Verdict.closed_at.is_(None), Verdict.published_at.is_(None))


def reviewable_by(reviewer: User | Any):  # type: ignore[no-untyped-def]
    """SQL condition: the item waits for review and ``reviewer`` neither wrote it nor voted on it.

    ``reviewer`` is a user, or a bound parameter standing for a user's id (cached statements).
    """
    reviewer_id = reviewer.id if isinstance(reviewer, User) else reviewer
    authored = exists().where(_open_verdict(), Verdict.author_id == reviewer_id)
    voted = exists().where(_open_verdict(), Vote.verdict_id == Verdict.id, Vote.reviewer_id == reviewer_id)
    return and_(CheckItem.status == Status.VERDICT, ~authored, ~voted)


def lease_is_free(now: dt.datetime):  # type: ignore[no-untyped-def]
    """SQL condition: nobody holds a live lease on the item."""
    return or_(CheckItem.lease_expires_at.is_(None), CheckItem.lease_expires_at < now)


def queue_order():  # type: ignore[no-untyped-def]
    """The queue's order: highest priority first, then the longest waiting."""
    return (CheckItem.priority.desc(), CheckItem.status_changed_at.asc(), CheckItem.id.asc())


def claim_next_for_review(session: Session, reviewer: User, now: dt.datetime | None = None,
                          lease_minutes: int = 15) -> CheckItem | None:
    """Lease the top reviewable item to ``reviewer`` and return it; None when nothing is waiting."""
    now = now or utcnow()
    expires_at = now + dt.timedelta(minutes=lease_minutes)
    candidates = select(CheckItem.id).where(reviewable_by(reviewer), lease_is_free(now)).order_by(*queue_order())
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
    assert item is not None
    record_event(session, action="lease", entity="item", entity_id=item_id, item_id=item_id, actor=reviewer,
                 payload={"expires_at": expires_at.isoformat(timespec="seconds")})
    session.flush()
    return item


def release_lease(session: Session, item_id: int, reviewer: User) -> bool:
    """Give back ``reviewer``'s lease on the item, if they hold one; True when one was released."""
    result = session.execute(
        update(CheckItem)
        .where(CheckItem.id == item_id, CheckItem.lease_user_id == reviewer.id)
        .values(lease_user_id=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        session.expire_all()
        record_event(session, action="release", entity="item", entity_id=item_id, item_id=item_id, actor=reviewer)
        session.flush()
    return bool(result.rowcount)


def review_verdict(session: Session, item_id: int, reviewer: User, *, decision: Decision | str, policy: Policy,
                   rating_key: str | None = None, comment: str | None = None) -> Vote:
    """A reviewer's vote from the queue: the vote itself, and their lease on the item given back.

    In panel mode an approval leaves the item in ``verdict`` for the next reviewer, so the lease
    must end with the vote rather than block the item until it expires.
    """
    vote = vote_on_verdict(session, item_id, reviewer, decision=decision, policy=policy,
                           rating_key=rating_key, comment=comment)
    session.execute(
        update(CheckItem)
        .where(CheckItem.id == item_id, CheckItem.lease_user_id == reviewer.id)
        .values(lease_user_id=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return vote
