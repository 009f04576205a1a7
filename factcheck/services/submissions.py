"""The public claim inbox: a reader's claim becomes a request counted on a check item.

``submit_claim`` is the one place a reader's claim enters the desk. Before anything is saved the
claim is matched (``facts.rank_items``) against the desk's items:

- an item with a published verdict that the claim repeats (similarity ≥ ``READER_MATCH``): the
  reader is shown that verdict at once; the request is still recorded on it, without an address
  (the answer was given, there is nothing to send);
- else an open item (triage, evidence or review) making the same claim: one more reader asks for
  it ("asked by 3 readers"), which raises its priority;
- else a new item in triage, origin "reader", in the reader's words.

The answer mail and the erasure of addresses live in ``services.answers``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.domain.links import link_problem
from factcheck.domain.extract.checkworthy import score as checkworthiness
from factcheck.domain.matching import READER_MATCH
from factcheck.domain.webhooks import EventKind
from factcheck.domain.workflow import Origin, Status
from factcheck.facts import rank_items
from factcheck.models import CheckItem, ReaderSubmission, utcnow
from factcheck.services import webhooks
from factcheck.services.errors import InvalidInput
from factcheck.services.items import create_item
from factcheck.services.sources import refresh_priority

#: The shortest and longest claim the inbox takes, in characters.
MIN_CLAIM_CHARS = 10
MAX_CLAIM_CHARS = 2000
MAX_URL_CHARS = 2000
MAX_EMAIL_CHARS = 254
#: An opened form's own value is noted as used under this prefix (``services.throttle``), for as long as the form
#: is valid; ``factcheck submissions purge`` forgets the notes of forms past that.
USED_FORM_PREFIX = "submit-form:"
FORM_VALID_SECONDS = 24 * 3600
#: Statuses whose items a reader's request can join (a dismissed item gets a new one).
OPEN_FOR_READERS = (Status.CLAIM, Status.EVIDENCE, Status.VERDICT)

@dataclass(frozen=True, slots=True)
class Submitted:
    """What became of a reader's claim."""

    submission: ReaderSubmission
    item: CheckItem
    #: True when the claim made a new item in triage.
    is_new_item: bool
    #: The item whose published verdict the reader is shown at once, if any.
    answered_by_id: int | None


def clean_claim(text: str | None) -> str:
    """The claim as the inbox keeps it, or InvalidInput saying what is wrong."""
    claim = " ".join((text or "").split())
    if _has_control_characters(claim):
        raise InvalidInput("The claim holds characters that are not text (control characters): type it or paste "
                           "it again as plain text.")
    if not any(ch.isalnum() for ch in claim):
        raise InvalidInput("Write the claim in words: it has no letter or digit.")
    if len(claim) < MIN_CLAIM_CHARS:
        raise InvalidInput(f"Write the claim you want checked (at least {MIN_CLAIM_CHARS} characters).")
    if len(claim) > MAX_CLAIM_CHARS:
        raise InvalidInput(f"Keep the claim under {MAX_CLAIM_CHARS} characters: the sentence you want checked is enough.")
    return claim


def _has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (a NUL, which PostgreSQL refuses in text, an escape …)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def clean_url(url: str | None) -> str | None:
    """Where the reader saw the claim: an http(s) link, or None."""
    url = (url or "").strip()
    if not url:
        return None
    if (len(url) > MAX_URL_CHARS or _has_control_characters(url)
            or not re.match(r"^https?://[^\s/]+\S*$", url, re.IGNORECASE) or link_problem(url) is not None):
        raise InvalidInput("Give the full link where you saw it, starting with https://, or leave it empty.")
    return url


def clean_email(email: str | None) -> str | None:
    """The address for the answer, or None: one plain address as the mail standards write it (``email-validator``:
    no list, group or display name, which would add recipients to the desk's mail; ASCII only, which every mail
    server takes), its domain in lower case."""
    email = (email or "").strip()
    if not email:
        return None
    try:
        if len(email) > MAX_EMAIL_CHARS:
            raise EmailNotValidError("too long")
        return str(validate_email(email, check_deliverability=False, allow_smtputf8=False, allow_quoted_local=False,
                                  allow_domain_literal=False, allow_display_name=False).normalized)
    except EmailNotValidError:
        raise InvalidInput("That email address does not look right; correct it or leave it empty.") from None


def _matched_items(session: Session, claim: str) -> list[CheckItem]:
    """Items the claim repeats, best first, with their verdicts (two statements besides the ranker's).

    The items are locked (in order of id) and read as they are once the lock is held: a publication, a
    dismissal or a reopening of one of them at the same moment either ends first, and the request follows what
    it made (shown the verdict at once, a new item, the reopened item), or waits for this request and answers it.
    """
    found = [m for m in rank_items(session, claim, limit=5) if m.score.similarity >= READER_MATCH]
    if not found:
        return []
    items = {item.id: item for item in session.scalars(
        select(CheckItem).where(CheckItem.id.in_(bindparam("ids", expanding=True))).order_by(CheckItem.id)
        .with_for_update(key_share=True, of=CheckItem).options(selectinload(CheckItem.verdicts))
        .execution_options(populate_existing=True), {"ids": [m.item_id for m in found]})}
    return [items[m.item_id] for m in found if m.item_id in items]


#: PostgreSQL: one transaction at a time makes an item from a reader's claim (an advisory lock held to its end),
#: so two readers sending the same new claim at once make one item, asked by both.
NEW_READER_ITEM_LOCK = 0x66637269


def _has_live_verdict(item: CheckItem) -> bool:
    return item.status is Status.PUBLISHED and any(
        v.published_at is not None and v.closed_at is None for v in item.verdicts)


def submit_claim(session: Session, *, claim_text: str | None, seen_at_url: str | None = None,
                 email: str | None = None, now: dt.datetime | None = None) -> Submitted:
    """Record a reader's claim on the item it asks about (a published one, an open one or a new one).

    The only function that makes an item from a reader: what should happen whenever one is made
    belongs here. Flushes; the caller commits.
    """
    claim = clean_claim(claim_text)
    url = clean_url(seen_at_url)
    address = clean_email(email)
    now = now or utcnow()
    answered, joined = _chosen(_matched_items(session, claim))
    if answered is None and joined is None and session.get_bind().dialect.name == "postgresql":
        # Another reader's new item for the same claim, committed while this one waited, is joined instead.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NEW_READER_ITEM_LOCK})
        answered, joined = _chosen(_matched_items(session, claim))
    is_new = False
    if answered is not None:
        item = answered
    elif joined is not None:
        item = joined
    else:
        item = create_item(session, claim_text=claim, actor=None, origin=Origin.READER,
                           checkworthiness=checkworthiness(claim, attributed=False))
        is_new = True
    submission = ReaderSubmission(
        item_id=item.id, claim_text=claim, seen_at_url=url,
        # Answered on screen: the reader has the verdict, so no address is kept.
        email=None if answered is not None else address,
        answered_on_screen=answered is not None, created_at=now,
        answered_at=now if answered is not None else None,
    )
    session.add(submission)
    _count_reader(session, item)
    if answered is None:
        readers = item.reader_requests
        refresh_priority(session, item, f"asked by {readers} reader{'s' if readers != 1 else ''}")
    session.flush()
    if is_new:
        webhooks.record_event(session, EventKind.ITEM_SUBMITTED, {
            "item_id": item.id, "claim": item.claim_text, "submitted_at": now.isoformat(),
            "seen_at_url": url})
    return Submitted(submission, item, is_new, answered.id if answered is not None else None)


def _chosen(matches: list[CheckItem]) -> tuple[CheckItem | None, CheckItem | None]:
    """The item whose published verdict answers the claim, else None; and, without one, the open item it joins."""
    answered = next((item for item in matches if _has_live_verdict(item)), None)
    if answered is not None:
        return answered, None
    return None, next((item for item in matches if item.status in OPEN_FOR_READERS), None)


def _count_reader(session: Session, item: CheckItem) -> None:
    """One more reader asks for ``item``: an atomic UPDATE that leaves its optimistic-lock version alone
    (a reader's request is not an edit, and must not make a checker's open form stale)."""
    session.execute(update(CheckItem).where(CheckItem.id == item.id)
                    .values(reader_requests=CheckItem.reader_requests + 1)
                    .execution_options(synchronize_session=False))
    count = session.scalar(select(CheckItem.reader_requests).where(CheckItem.id == item.id))
    set_committed_value(item, "reader_requests", int(count or 0))

