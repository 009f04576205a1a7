"""Answering readers: one mail when a verdict on their item is published, and erasing their addresses.

``answer_readers`` runs inside the publication (``services.items``), so the mails are in the outbox
exactly when the verdict is. Each reader address gets one mail per item, once: a request answered
once is never answered again (not after a correction either).

The link in the mail is absolute: it starts with the site's address, which the unit of work keeps
in ``session.info["base_url"]`` (``FACTCHECK_BASE_URL``, else the address a web request reached;
see ``web.db_session`` and ``cli.common.unit_of_work``), with the erasure delay the mail announces.

``purge_addresses`` erases addresses ``answered_days`` after the answer, and those never answered
``unanswered_days`` after they were given; the answer mails' copies of them go too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from factcheck.domain.accounts import MailState
from factcheck.domain.workflow import Origin
from factcheck.models import CheckItem, OutboxMail, Rating, ReaderSubmission, Verdict, utcnow
from factcheck.services.mail import queue_mail

#: What an erased address reads as, in the outbox.
ERASED = "(erased)"
#: The session.info key holding the site's address for absolute links in mails.
BASE_URL_KEY = "base_url"
#: The session.info key set once the unit of work wrote an answer mail (the web then starts delivery).
MAIL_WRITTEN_KEY = "reader_mail_written"
#: The session.info key holding how many days after the answer addresses are erased (the mail says so).
ERASE_DAYS_KEY = "reader_address_days"
DEFAULT_ERASE_DAYS = 90


def tell_session(session: Session, *, base_url: str, erase_days: int) -> None:
    """Keep in ``session`` what reader mails written in it need: the site's address and the erasure delay."""
    session.info[BASE_URL_KEY] = base_url
    session.info[ERASE_DAYS_KEY] = erase_days


def wrote_reader_mail(session: Session) -> bool:
    """True once, after ``session`` wrote an answer mail (read by whoever starts delivery after the commit)."""
    return bool(session.info.pop(MAIL_WRITTEN_KEY, False))


def verdict_link(session: Session, item_id: int) -> str:
    """The absolute address of an item's public verdict page."""
    base = str(session.info.get(BASE_URL_KEY) or "").rstrip("/")
    return f"{base}/verdicts/{item_id}"


def _checked(item: CheckItem) -> str | None:
    """The claim as the answer quotes it: the desk's restatement, or the claim as written when the desk took it from
    an article or an archive; never a reader's own words (an item a reader's claim made and nobody restated)."""
    if item.restatement:
        return item.restatement
    return item.claim_text if item.origin is not Origin.READER else None


def _body(checked: str | None, rating: Rating, verdict: Verdict, link: str, erase_days: int) -> str:
    """The answer: only words the desk wrote. The reader's own are not quoted back: nobody confirmed the address,
    so a mail quoting them would carry anybody's text to anybody from the desk."""
    return (
        "You sent us a claim to check.\n\n"
        + (f"We checked: \u201c{checked}\u201d\n" if checked else "We checked it.\n") +
        f"Our verdict: {rating.label}. {verdict.summary}\n\n"
        f"Read the whole verdict, with its evidence: {link}\n\n"
        "You get this one mail because you left your address when you sent the claim. We send no other, "
        f"and we erase the address {erase_days} days from now.\n"
    )


def answer_readers(session: Session, item: CheckItem, verdict: Verdict, rating: Rating, *,
                   now: dt.datetime | None = None) -> list[OutboxMail]:
    """Mark the item's unanswered requests answered and put one mail per reader address in the outbox."""
    now = now or utcnow()
    erase_days = int(session.info.get(ERASE_DAYS_KEY) or DEFAULT_ERASE_DAYS)
    waiting = session.scalars(select(ReaderSubmission).where(
        ReaderSubmission.item_id == item.id, ReaderSubmission.answered_at.is_(None)).order_by(ReaderSubmission.id)
    ).all()
    mails: dict[str, OutboxMail] = {}
    link = verdict_link(session, item.id)
    for submission in waiting:
        submission.answered_at = now
        if submission.email is None:
            continue
        key = submission.email.lower()
        if key not in mails:
            mails[key] = queue_mail(session, submission.email, "We checked the claim you sent us",
                                    _body(_checked(item), rating, verdict, link, erase_days))
        submission.answer_mail_id = mails[key].id
    if mails:
        session.info[MAIL_WRITTEN_KEY] = True
    session.flush()
    return list(mails.values())


def purge_addresses(session: Session, *, answered_days: int = 90, unanswered_days: int = 365,
                    now: dt.datetime | None = None) -> int:
    """Erase readers' addresses that are past their time; return how many submissions lost theirs."""
    now = now or utcnow()
    due = or_(
        ReaderSubmission.answered_at <= now - dt.timedelta(days=answered_days),
        (ReaderSubmission.answered_at.is_(None)) & (ReaderSubmission.created_at <= now - dt.timedelta(days=unanswered_days)),
    )
    rows = session.execute(select(ReaderSubmission.id, ReaderSubmission.answer_mail_id)
                           .where(ReaderSubmission.email.is_not(None), due)).all()
    if not rows:
        return 0
    ids = [row[0] for row in rows]
    mail_ids = sorted({row[1] for row in rows if row[1] is not None})
    session.execute(update(ReaderSubmission).where(ReaderSubmission.id.in_(ids))
                    .values(email=None, email_erased_at=now).execution_options(synchronize_session=False))
    if mail_ids:
        # The address goes from the mail too, and from its last error (a refusal names the recipient).
        session.execute(update(OutboxMail).where(OutboxMail.id.in_(mail_ids)).values(to_address=ERASED, last_error=None)
                        .execution_options(synchronize_session=False))
        # A mail still waiting after all this time will not go out: it has nowhere to go any more.
        session.execute(update(OutboxMail).where(OutboxMail.id.in_(mail_ids), OutboxMail.state == MailState.PENDING)
                        .values(state=MailState.FAILED, last_error="the reader's address was erased")
                        .execution_options(synchronize_session=False))
    session.expire_all()
    session.flush()
    return len(ids)
