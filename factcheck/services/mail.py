"""Mail: an outbox written with the change that causes a mail, and its delivery over SMTP.

``queue_mail`` adds a row in the caller's transaction, so a mail exists exactly when its change
was committed. ``deliver_due`` sends what is due, one mail at a time, and is all a job queue
needs to call (``factcheck mail send`` and the web's in-process trigger call it today). A failed
attempt is retried later (1, 2, 4, 8 … minutes); after ``max_attempts`` the mail is marked failed
and stays visible on the admin's outbox page. Without an SMTP URL nothing is sent: mails wait in
the outbox, where admins can read them (demo mode).

``FACTCHECK_SMTP_URL``: ``smtp://user:password@host:587`` (STARTTLS, required), ``smtps://…:465``
(TLS from the start), or ``smtp://host:25?tls=none`` (plain, for a relay on the same machine).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
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
MAX_BACKOFF_MINUTES = 60


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
    return SmtpSettings(
        host=parts.hostname, port=parts.port or (465 if implicit else 587), implicit_tls=implicit,
        starttls=not implicit and tls != "none",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def queue_mail(session: Session, to_address: str, subject: str, body: str) -> OutboxMail:
    """Put a mail in the outbox (sent once the caller's transaction commits and delivery runs)."""
    mail = OutboxMail(to_address=to_address[:254], subject=subject[:200], body=body, state=MailState.PENDING,
                      attempts=0, next_attempt_at=utcnow())
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


def _send(settings: SmtpSettings, sender: str, mail: OutboxMail) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.body)
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
        smtp.send_message(message, to_addrs=[mail.to_address])  # (the one stored address, not the header's reading)


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(session: Session, smtp_url: str, sender: str, *, max_attempts: int = 5, limit: int = 100,
                now: dt.datetime | None = None) -> DeliveryReport:
    """Send the mails that are due; flush after each (the caller commits). Rows are locked while
    sent, and skipped by other deliverers (PostgreSQL), so two runs never send a mail twice."""
    if not smtp_url:
        return DeliveryReport()
    settings = parse_smtp_url(smtp_url)
    now = now or utcnow()
    query = (select(OutboxMail).where(OutboxMail.state == MailState.PENDING, OutboxMail.next_attempt_at <= now)
             .order_by(OutboxMail.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    sent = retrying = failed = 0
    for mail in session.scalars(query).all():
        mail.attempts += 1
        if not _one_plain_address(mail.to_address):  # (kept before addresses were checked so): never sent
            mail.state, mail.last_error = MailState.FAILED, "not one plain address: never sent"
            failed += 1
            session.flush()
            continue
        try:
            _send(settings, sender, mail)
        except (OSError, smtplib.SMTPException) as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if mail.attempts >= max_attempts:
                mail.state = MailState.FAILED
                failed += 1
            else:
                mail.next_attempt_at = now + dt.timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** (mail.attempts - 1)))
                retrying += 1
        else:
            mail.state = MailState.SENT
            mail.sent_at = utcnow()
            mail.last_error = None
            sent += 1
        session.flush()
    return DeliveryReport(sent, retrying, failed)
