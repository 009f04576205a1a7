"""Mail: an outbox written with the change that causes a mail, and its delivery over SMTP.

``queue_mail`` adds a row in the caller's transaction, so a mail exists exactly when its change
was committed. ``deliver_due`` sends what is due, one mail at a time, and is all a job queue
needs to call (``factcheck mail send`` and the web's in-process trigger call it today): one short
unit of work hands the due mails out (each is left alone by other runs for ``CLAIM_MINUTES``), each is
sent with no transaction open (on SQLite a transaction holds the write lock, and an SMTP server may
take minutes), and each outcome is recorded in a unit of its own, so a mail sent stays sent whatever
happens to the next. A failed attempt is retried later (1, 2, 4, 8 … minutes); after ``max_attempts``,
or at once when the mail cannot be written at all, it is marked failed and stays visible on the admin's
outbox page. Without an SMTP URL nothing is sent: mails wait in the outbox, where admins can read them
(demo mode).

``FACTCHECK_SMTP_URL``: ``smtp://user:password@host:587`` (STARTTLS, required), ``smtps://…:465``
(TLS from the start), or ``smtp://host:25?tls=none`` (plain, for a relay on the same machine).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.accounts import MailState
from factcheck.models import OutboxMail, utcnow
from factcheck.services.errors import InvalidInput

SMTP_TIMEOUT_SECONDS = 20
#: What a secret mail's body reads once it was sent or failed (migration f2b4d6e8a0c1 clears older ones so).
ERASED_BODY = "(This mail held a password-reset link. It was removed once the mail was sent.)"
MAX_BACKOFF_MINUTES = 60
#: A mail handed out to a run is left alone by other runs this long (a run killed while sending it: sent again then).
CLAIM_MINUTES = 10
#: Units of work, each committed when it ends (``deliver_due`` opens one to hand mails out and one per outcome).
Units = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpSettings:
    """The settings in an SMTP URL, or InvalidInput saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InvalidInput("FACTCHECK_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465.")
    tls = parse_qs(parts.query).get("tls", [""])[0]
    implicit = parts.scheme == "smtps"
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        raise InvalidInput("FACTCHECK_SMTP_URL's port must be a number from 1 to 65535, as in "
                           "smtp://host:587.") from None
    return SmtpSettings(
        host=parts.hostname, port=port or (465 if implicit else 587), implicit_tls=implicit,
        starttls=not implicit and tls != "none",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def one_line(text: str) -> str:
    """``text`` as one line of a mail header: every line break, other control character and run of spaces one
    space (a header cannot hold a line break: the mail could not be written, and a name or a file's name put in a
    subject may have any)."""
    return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).split())


def queue_mail(session: Session, to_address: str, subject: str, body: str, *, secret: bool = False) -> OutboxMail:
    """Put a mail in the outbox (sent once the caller's transaction commits and delivery runs). ``secret``: the body
    holds a secret (a password-reset link), erased once the mail is sent or has failed for good."""
    mail = OutboxMail(to_address=to_address[:254], subject=one_line(subject)[:200], body=body,
                      state=MailState.PENDING, attempts=0, next_attempt_at=utcnow(), erase_body=secret)
    session.add(mail)
    session.flush()
    return mail


def notify_security_change(session: Session, to_address: str, what: str) -> OutboxMail:
    """Tell an account's owner that its sign-in details changed, so a change they did not make is noticed."""
    return queue_mail(session, to_address, f"Your account: {what}", (
        f"This is to let you know: {what} for the account {to_address}.\n\n"
        "If this was you, there is nothing to do. If not, ask an admin of your desk at once: "
        "they can disable the account and end its sessions.\n"))


def _one_plain_address(address: str) -> bool:
    """Whether ``address`` reads as itself alone: a list, a group or a display name would send the mail elsewhere
    (the SMTP library reads a recipient as a header's address is read)."""
    return ("@" in address and not any(ch.isspace() or ord(ch) < 32 for ch in address)
            and getaddresses([address]) == [("", address)])


@dataclass(frozen=True, slots=True)
class MailAttempt:
    """A mail handed out to be sent, and which attempt this is (its outcome is recorded only for this one)."""

    id: int
    to_address: str
    subject: str
    body: str
    attempt: int


def _message(sender: str, mail: MailAttempt) -> EmailMessage:
    """The mail as sent; ValueError when it cannot be written (a header with a line break, kept from before
    subjects were made one line)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
    return message


def _send(settings: SmtpSettings, message: EmailMessage, to_address: str) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.implicit_tls:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        smtp.ehlo()
        if settings.starttls:
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPException("the server offers no STARTTLS; add ?tls=none to the URL only "
                                            "for a relay on the same machine")
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message, to_addrs=[to_address])  # (the one stored address, not the header's reading)


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def claim_due(session: Session, *, now: dt.datetime, limit: int = 100) -> tuple[list[MailAttempt], int]:
    """Hand out the mails that are due (in the caller's unit of work): each one's attempt is counted and its
    next attempt put ``CLAIM_MINUTES`` off, so no other run takes it meanwhile (PostgreSQL: rows another run is
    handing out are skipped). A mail whose address is not one plain address is failed here, never sent. The mails
    to send, and how many failed here."""
    query = (select(OutboxMail).where(OutboxMail.state == MailState.PENDING, OutboxMail.next_attempt_at <= now)
             .order_by(OutboxMail.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due, failed = [], 0
    for mail in session.scalars(query).all():
        mail.attempts += 1
        if not _one_plain_address(mail.to_address):  # (kept before addresses were checked so): never sent
            mail.state, mail.last_error = MailState.FAILED, "not one plain address: never sent"
            _forget_secret(mail)
            failed += 1
            continue
        mail.next_attempt_at = now + dt.timedelta(minutes=CLAIM_MINUTES)
        due.append(MailAttempt(mail.id, mail.to_address, mail.subject, mail.body, mail.attempts))
    session.flush()
    return due, failed


def _forget_secret(mail: OutboxMail) -> None:
    """A secret mail's body erased once it is settled (sent or failed): its reader has it, or nobody will; the outbox
    and its backups need not."""
    if mail.erase_body and mail.state is not MailState.PENDING:
        mail.body = ERASED_BODY


def _held_by(session: Session, attempt: MailAttempt) -> OutboxMail | None:
    """``attempt``'s mail, locked, while it is still this attempt's (waiting, and not taken by another run since)."""
    mail = session.get(OutboxMail, attempt.id, with_for_update=True)
    if mail is None or mail.state is not MailState.PENDING or mail.attempts != attempt.attempt:
        return None
    return mail


def renew_claim(session: Session, attempt: MailAttempt, *, now: dt.datetime) -> bool:
    """Just before ``attempt`` is sent: whether its mail is still this attempt's (another run may have taken it once
    its claim ran out while the mails before it were sent), its claim then lasting ``CLAIM_MINUTES`` from ``now``."""
    mail = _held_by(session, attempt)
    if mail is None:
        return False
    mail.next_attempt_at = now + dt.timedelta(minutes=CLAIM_MINUTES)
    session.flush()
    return True


def record_outcome(session: Session, attempt: MailAttempt, error: str | None, *, for_good: bool = False,
                   now: dt.datetime, max_attempts: int) -> MailState | None:
    """Record how ``attempt`` went (in the caller's unit of work): sent (``error`` None), to be tried again later,
    or failed (after ``max_attempts``, or ``for_good``: the mail cannot be written). None when the mail is no
    longer this attempt's (another run took it after its claim ran out, or it was erased meanwhile)."""
    mail = _held_by(session, attempt)
    if mail is None:
        return None
    if error is None:
        mail.state, mail.sent_at, mail.last_error = MailState.SENT, utcnow(), None
    else:
        mail.last_error = error[:1000]
        if for_good or mail.attempts >= max_attempts:
            mail.state = MailState.FAILED
        else:
            mail.next_attempt_at = now + dt.timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** (mail.attempts - 1)))
    _forget_secret(mail)
    session.flush()
    return mail.state


def deliver_due(units: Units, smtp_url: str, sender: str, *, max_attempts: int = 5, limit: int = 100,
                now: dt.datetime | None = None) -> DeliveryReport:
    """Send the mails that are due: one unit of work of ``units`` hands them out, each is sent with none open, and
    each outcome is recorded in a unit of its own (``units`` commits each; the caller chooses how). Each claim is
    renewed just before its mail is sent, and a mail another run took meanwhile is left to it: two runs never send
    a mail twice (unless sending one mail takes longer than ``CLAIM_MINUTES``)."""
    if not smtp_url:
        return DeliveryReport()
    settings = parse_smtp_url(smtp_url)

    def clock() -> dt.datetime:  # (``now`` fixes it: tests)
        return now if now is not None else utcnow()

    with units() as session:
        due, failed = claim_due(session, now=clock(), limit=limit)
    sent = retrying = 0
    for attempt in due:
        with units() as session:  # the mails before it may have taken long (a slow SMTP server)
            if not renew_claim(session, attempt, now=clock()):
                continue
        error, for_good = None, False
        try:
            _send(settings, _message(sender, attempt), attempt.to_address)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        except (ValueError, UnicodeError) as exc:  # the mail cannot be written: no attempt would send it
            error, for_good = f"the mail cannot be written: {exc}", True
        with units() as session:
            state = record_outcome(session, attempt, error, for_good=for_good, now=clock(), max_attempts=max_attempts)
        sent += state is MailState.SENT
        retrying += state is MailState.PENDING
        failed += state is MailState.FAILED
    return DeliveryReport(sent, retrying, failed)
