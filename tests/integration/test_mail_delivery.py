"""Delivering the outbox: a mail that cannot be written fails alone, a mail sent stays sent, and no transaction is
open while an SMTP server takes its time (on SQLite it would hold every other write back). A real SMTP server
(aiosmtpd) and a real database file, each unit of work committed."""

from __future__ import annotations

import email
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from factcheck.db import Database, session_scope
from factcheck.domain.accounts import MailState
from factcheck.models import OutboxMail, utcnow
from factcheck.services.mail import ERASED_BODY, deliver_due, one_line, queue_mail
from tests.conftest import migrated_sqlite_url
from tests.e2e.accounts.test_mail_and_reset import _free_port


class _Handler:
    """Receives mail; with ``hold`` set, each mail waits in DATA until ``release`` is set."""

    def __init__(self, *, hold: bool = False) -> None:
        self.subjects: list[str] = []
        self.hold = hold
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.hold:
            self.arrived.set()
            self.release.wait(60)  # (only a failed test leaves it waiting: its assertion says why)
        self.subjects.append(str(email.message_from_bytes(envelope.content)["Subject"]))
        return "250 OK"


@pytest.fixture
def mail_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(migrated_sqlite_url(tmp_path / "mail.sqlite3"))
    yield db
    db.dispose()


def _serve(handler: _Handler) -> tuple[Controller, str]:
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, f"smtp://127.0.0.1:{port}?tls=none"


def _units(database: Database):  # type: ignore[no-untyped-def]
    return lambda: session_scope(database.sessionmaker)


def _states(database: Database) -> list[tuple[str, MailState, int]]:
    with database.sessionmaker() as session:
        return [(m.subject, m.state, m.attempts) for m in session.scalars(select(OutboxMail).order_by(OutboxMail.id))]


def test_a_subject_is_made_one_line_when_the_mail_is_queued() -> None:
    assert one_line("“report\u2028x.txt” has\r\nbeen\x0bread\x85 \x00 now") == "“report x.txt” has been read now"


def test_a_mail_that_cannot_be_written_fails_alone_and_the_mails_around_it_are_sent_once(mail_db: Database) -> None:
    handler = _Handler()
    controller, url = _serve(handler)
    try:
        with session_scope(mail_db.sessionmaker) as session:
            queue_mail(session, "first@example.org", "An earlier mail", "Hello.")
            # A subject with a line break, as stored before subjects were made one line.
            session.add(OutboxMail(to_address="second@example.org", subject="Broken\nsubject", body="x",
                                   state=MailState.PENDING, attempts=0, next_attempt_at=utcnow()))
            queue_mail(session, "third@example.org", "A later mail", "Hello.")
        report = deliver_due(_units(mail_db), url, "desk@example.org")
        assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
        assert handler.subjects == ["An earlier mail", "A later mail"]
        assert _states(mail_db) == [("An earlier mail", MailState.SENT, 1), ("Broken\nsubject", MailState.FAILED, 1),
                                     ("A later mail", MailState.SENT, 1)]
        assert deliver_due(_units(mail_db), url, "desk@example.org").sent == 0
        assert handler.subjects == ["An earlier mail", "A later mail"]
    finally:
        controller.stop()


def test_no_transaction_is_open_while_the_smtp_server_takes_its_time(mail_db: Database) -> None:
    handler = _Handler(hold=True)
    controller, url = _serve(handler)
    try:
        with session_scope(mail_db.sessionmaker) as session:
            queue_mail(session, "reader@example.org", "Your answer", "Hello.")
        run = threading.Thread(target=deliver_due, args=(_units(mail_db), url, "desk@example.org"))
        run.start()
        assert handler.arrived.wait(60), "the mail never reached the SMTP server"
        try:
            # Another writer, which waits for nobody (busy timeout 0): it fails at once if the write lock is held.
            path = mail_db.engine.url.database
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE outbox_mails SET body = body")
            other.execute("COMMIT")
            other.close()
            # While the mail is out, a second run hands it out no second time.
            assert deliver_due(_units(mail_db), url, "desk@example.org").sent == 0
        finally:
            handler.release.set()
            run.join(60)
        assert _states(mail_db) == [("Your answer", MailState.SENT, 1)] and handler.subjects == ["Your answer"]
    finally:
        controller.stop()


def test_a_secret_mail_forgets_its_body_once_sent_or_failed_and_others_keep_theirs(mail_db: Database) -> None:
    """A reset link stayed readable in the outbox (and every backup) after it was sent."""
    handler = _Handler()
    controller, url = _serve(handler)
    try:
        with session_scope(mail_db.sessionmaker) as session:
            queue_mail(session, "owner@example.org", "Reset your password", "https://desk.example.org/auth/reset/SECRET1",
                       secret=True)
            queue_mail(session, "other@example.org", "A notice", "Item #4 was published.")
            session.add(OutboxMail(to_address="owner@example.org", subject="Broken\nsubject", body="…/auth/reset/SECRET2",
                                   state=MailState.PENDING, attempts=0, next_attempt_at=utcnow(), erase_body=True))
        deliver_due(_units(mail_db), url, "desk@example.org")
        with mail_db.sessionmaker() as session:
            bodies = session.scalars(select(OutboxMail.body).order_by(OutboxMail.id)).all()
        assert bodies == [ERASED_BODY, "Item #4 was published.", ERASED_BODY]
        assert handler.subjects == ["Reset your password", "A notice"]  # the link reached its owner first
    finally:
        controller.stop()


def test_the_migration_erases_reset_links_of_mails_already_sent(empty_db) -> None:
    from sqlalchemy import text

    from factcheck import migrate

    migrate.upgrade(empty_db.url, "e8a1c3f5b7d9")
    with empty_db.engine.begin() as conn:
        for state, body in (("sent", "Here: https://desk.example.org/auth/reset/OLDTOKEN"),
                            ("failed", "Here: https://desk.example.org/auth/reset/FAILEDTOKEN"),
                            ("pending", "Here: https://desk.example.org/auth/reset/LIVETOKEN"),
                            ("sent", "Item #4 was published.")):
            conn.execute(text("INSERT INTO outbox_mails (to_address, subject, body, state, attempts, created_at, "
                              "next_attempt_at) VALUES ('a@example.org', 's', :body, :state, 1, CURRENT_TIMESTAMP, "
                              "CURRENT_TIMESTAMP)"), {"body": body, "state": state})
    migrate.upgrade(empty_db.url)
    with empty_db.engine.connect() as conn:
        rows = conn.execute(text("SELECT body, erase_body FROM outbox_mails ORDER BY id")).all()
    # The mail still waiting keeps its link until it is sent, and is marked to forget it then.
    assert [(body, bool(erase)) for body, erase in rows] == [
        (ERASED_BODY, False), (ERASED_BODY, False), ("Here: https://desk.example.org/auth/reset/LIVETOKEN", True),
        ("Item #4 was published.", False)]


def test_a_mail_taken_by_another_run_while_a_slow_batch_was_sent_is_sent_once(mail_db: Database,
                                                                               monkeypatch) -> None:
    """A batch's claims ran out while its first mails were sent (a slow SMTP server); a second run took the others
    and both runs sent them. Each claim is now renewed just before its mail is sent, and a mail the other run took
    is left to it."""
    import datetime as dt

    from factcheck.services import mail

    with session_scope(mail_db.sessionmaker) as session:
        for n in range(3):
            queue_mail(session, f"reader{n}@example.org", f"Mail {n}", "Hello.")
    start = utcnow() + dt.timedelta(hours=1)
    clock = [start]
    monkeypatch.setattr(mail, "utcnow", lambda: clock[0])
    sent: list[tuple[str, str]] = []
    run = ["first"]

    def slow_send(settings, message, to_address):  # type: ignore[no-untyped-def]
        sent.append((run[0], to_address))
        if run[0] == "first" and to_address == "reader0@example.org":
            clock[0] = start + dt.timedelta(minutes=mail.CLAIM_MINUTES + 1)  # the first mail took long
        elif run[0] == "first" and to_address == "reader1@example.org":
            run[0] = "second"  # meanwhile another run starts (cron, or the web's thread after a request)
            mail.deliver_due(_units(mail_db), "smtp://127.0.0.1:25?tls=none", "desk@example.org")
            run[0] = "first"

    monkeypatch.setattr(mail, "_send", slow_send)
    mail.deliver_due(_units(mail_db), "smtp://127.0.0.1:25?tls=none", "desk@example.org")
    assert sorted(to for _, to in sent) == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    assert ("second", "reader2@example.org") in sent  # its claim had run out: the second run took it
    assert {state for _, state, _ in _states(mail_db)} == {MailState.SENT}
