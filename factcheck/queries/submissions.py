"""Readers' requests for one item, as the desk sees them (never their addresses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import ReaderSubmission


@dataclass(frozen=True, slots=True)
class ReaderRequest:
    """One reader's request: their words, where they saw the claim, and whether and how they were answered."""

    id: int
    claim_text: str
    seen_at_url: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None
    answered_on_screen: bool
    #: True while an address waits for the answer (the address itself is never shown).
    awaits_mail: bool


def reader_requests(session: Session, item_id: int) -> list[ReaderRequest]:
    """The requests readers made for ``item_id``, oldest first (one statement)."""
    rows = session.execute(
        select(ReaderSubmission.id, ReaderSubmission.claim_text, ReaderSubmission.seen_at_url,
               ReaderSubmission.created_at, ReaderSubmission.answered_at, ReaderSubmission.answered_on_screen,
               ReaderSubmission.email.is_not(None))
        .where(ReaderSubmission.item_id == item_id).order_by(ReaderSubmission.id)
    ).all()
    return [ReaderRequest(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]) and r[4] is None) for r in rows]
