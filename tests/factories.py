"""Test factories (``gen_*``): build realistic rows through the services (``written_item``: without them)."""

from __future__ import annotations

import itertools

from sqlalchemy import insert
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Decision, Origin, Policy, Role, SourceKind, Stance, Status
from factcheck.models import CheckItem, Source, User
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from factcheck.services.sources import find_or_create_source
from factcheck.services.users import create_user

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def gen_user(session: Session, *roles: Role, email: str | None = None) -> User:
    """A user with ``roles`` (default: checker) and the test password."""
    n = next(_counter)
    return create_user(session, email or f"user{n}@example.org", PASSWORD, roles or (Role.CHECKER,),
                       display_name=f"{'/'.join(r.value for r in roles or (Role.CHECKER,))} {n}",
                       hash_method="pbkdf2:sha256:1000")


def gen_source(session: Session, name: str | None = None, kind: SourceKind = SourceKind.PERSON) -> Source:
    """A source (a person unless told otherwise)."""
    return find_or_create_source(session, name or f"Source Person{next(_counter)}", kind)


def gen_item(session: Session, claim: str = "The sea level rose by 20 cm since 1900.",
             claimant: Source | None = None) -> CheckItem:
    """A check item in claim with a one-link chain."""
    claimant = claimant or gen_source(session)
    return item_service.create_item(session, claim_text=claim, actor=None,
                                    chain=[LinkInput(claimant, "said")], checkworthiness=0.5)


def written_item(session: Session, claim: str = "The sea level rose by 20 cm since 1900.") -> int:
    """The id of a check item written in SQL, not by a service: its text waits to be counted for claim matching
    (every service that writes a text folds it at once), and it suits a schema older than the services'."""
    return session.execute(insert(CheckItem).returning(CheckItem.id), [{
        "claim_text": claim, "status": Status.CLAIM, "checkworthiness": 0.5, "priority": 0.5,
        "origin": Origin.MANUAL, "hedges": [], "dates": []}]).scalar_one()


def gen_evidence(session: Session, item: CheckItem, checker: User, n: int = 2) -> None:
    """``n`` pieces of evidence from ``n`` distinct sources."""
    for _ in range(n):
        k = next(_counter)
        evidence_service.add_evidence(session, item.id, checker, version=item.version, title=f"Record {k}",
                                      stance=Stance.REFUTES,
                                      url=f"https://records{k}.example.org/doc", passage="The record says otherwise.")


def gen_item_in(session: Session, status: Status, checker: User | None = None, reviewer: User | None = None,
                policy: Policy | None = None, rating: str = "false") -> CheckItem:
    """An item moved through the real services to ``status``."""
    policy = policy or Policy()
    item = gen_item(session)
    if status is Status.CLAIM:
        return item
    checker = checker or gen_user(session, Role.CHECKER)
    if status is Status.DISMISSED:
        item_service.dismiss_item(session, item.id, checker, "opinion")
        return item
    item_service.take_item(session, item.id, checker)
    if status is Status.EVIDENCE:
        return item
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key=rating, summary="It is false.",
                                 rationale="Two records refute it.", policy=policy)
    if status is Status.VERDICT:
        return item
    reviewer = reviewer or gen_user(session, Role.REVIEWER)
    item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=policy)
    assert item.status is Status.PUBLISHED
    return item


def seen_key(session: Session, item_id: int) -> str:
    """The review key of the item's verdict as it stands: what a reviewer's vote names as read."""
    from factcheck.facts import verdict_review_key

    item = session.get(CheckItem, item_id, populate_existing=True)
    assert item is not None and item.current_verdict is not None
    return verdict_review_key(item, item.current_verdict)
