"""Mail that really leaves (a real SMTP server started here, aiosmtpd), and password resets by mail."""

from __future__ import annotations

from contextlib import nullcontext
import datetime as dt
import email
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from factcheck.db import Database
from factcheck.domain.accounts import MailState
from factcheck.domain.workflow import Role
from factcheck.models import AuditEvent, OutboxMail, PasswordReset
from factcheck.services import resets
from factcheck.services.errors import InvalidInput
from factcheck.services.mail import deliver_due, queue_mail
from tests.e2e.conftest import signed_in
from tests.factories import PASSWORD, gen_user
from tests.helpers import login, post_form

NEW_PASSWORD = "a brand new passphrase"


@dataclass
class Inbox:
    """What the test SMTP server received."""

    messages: list[email.message.Message] = field(default_factory=list)
    #: Each message's envelope recipients (RCPT TO), where it really goes.
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int

    def url(self, credentials: str = "") -> str:
        return f"smtp://{credentials}127.0.0.1:{self.port}?tls=none"


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"desk", b"s3cret pass")
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on this machine, accepting mail (and a login desk / "s3cret pass")."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        yield SmtpServer(inbox, port)
    finally:
        controller.stop()


def _deliver(session, url: str, **kwargs):  # type: ignore[no-untyped-def]
    return deliver_due(lambda: nullcontext(session), url, "desk@example.org", **kwargs)


def test_a_reset_mail_really_leaves_and_its_link_sets_a_new_password_once(app, client, session, smtp_server):
    app.config.update(MAIL_SEND_IN_PROCESS=False)
    user = gen_user(session, Role.CHECKER)
    response = post_form(client, "/auth/reset", {"email": user.email.upper()})
    assert response.status_code == 302
    assert session.scalars(select(OutboxMail.state)).all() == [MailState.PENDING]
    report = _deliver(session, smtp_server.url())
    assert report.sent == 1
    [message] = smtp_server.inbox.messages
    assert message["To"] == user.email and "Reset your" in message["Subject"]
    link = re.search(r"https?://\S+/auth/reset/\S+", message.get_payload(decode=True).decode()).group(0)
    path = link.split("factcheck.test", 1)[1]
    assert session.scalars(select(OutboxMail.state)).all() == [MailState.SENT]
    assert client.get(path).status_code == 200
    weak = post_form(client, path, {"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422
    done = post_form(client, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert login(app.test_client(), user.email, PASSWORD).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert client.get(path).status_code == 410  # single use
    actions = [a.value for a in session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == user.id))]
    assert "reset_request" in actions and "reset_use" in actions


def test_asking_for_a_reset_answers_the_same_whether_or_not_the_account_exists(app, session):
    user = gen_user(session, Role.CHECKER)

    def answer(address: str) -> tuple[int, str, str]:
        client = app.test_client()
        response = post_form(client, "/auth/reset", {"email": address})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        message = re.search(r"If an account has this address[^<]*", page)
        return response.status_code, response.headers["Location"], message.group(0) if message else ""

    assert answer(user.email) == answer("nobody.here@example.org")
    assert [m.to_address for m in session.scalars(select(OutboxMail))] == [user.email]


def test_a_reset_link_expires_after_thirty_minutes(session):
    user = gen_user(session)
    tokens: list[str] = []
    start = dt.datetime.now(dt.UTC)
    resets.request_reset(session, user.email, link_for=lambda t: tokens.append(t) or t, now=start)
    assert resets.check_reset(session, tokens[0], now=start + dt.timedelta(minutes=29)) is user
    with pytest.raises(InvalidInput, match="expired"):
        resets.check_reset(session, tokens[0], now=start + dt.timedelta(minutes=31))
    assert tokens[0] not in session.scalars(select(PasswordReset.token_hash)).one()


def test_a_tampered_reset_link_is_refused(client):
    assert client.get("/auth/reset/InRva2VuIg.aaaa.bbbb").status_code == 410


def test_smtp_credentials_in_the_url_are_used(session, smtp_server):
    queue_mail(session, "a.reviewer@example.org", "Hello", "A test mail.")
    assert _deliver(session, smtp_server.url("desk:s3cret%20pass@")).sent == 1
    assert smtp_server.inbox.messages[0]["Subject"] == "Hello"
    queue_mail(session, "a.reviewer@example.org", "Again", "Another.")
    report = _deliver(session, smtp_server.url("desk:wrong@"))
    assert report.retrying == 1 and len(smtp_server.inbox.messages) == 1


def test_a_server_without_starttls_is_refused_unless_the_url_says_plain(session, smtp_server):
    mail = queue_mail(session, "a.reviewer@example.org", "Hello", "A test mail.")
    report = _deliver(session, f"smtp://127.0.0.1:{smtp_server.port}")
    assert report.retrying == 1 and not smtp_server.inbox.messages
    assert "STARTTLS" in (mail.last_error or "")


def test_failed_deliveries_are_retried_later_then_marked_failed_and_shown(client, world, session, smtp_server):
    mail = queue_mail(session, "a.reviewer@example.org", "Hello", "A test mail.")
    unreachable = f"smtp://127.0.0.1:{_free_port()}?tls=none"
    now = dt.datetime.now(dt.UTC)
    assert _deliver(session, unreachable, max_attempts=2, now=now).retrying == 1
    assert mail.state is MailState.PENDING and mail.next_attempt_at > now
    assert _deliver(session, unreachable, max_attempts=2, now=now).retrying == 0  # not due yet
    later = mail.next_attempt_at + dt.timedelta(seconds=1)
    assert _deliver(session, unreachable, max_attempts=2, now=later).failed == 1
    assert mail.state is MailState.FAILED and mail.attempts == 2 and mail.last_error
    signed_in(client, world, "admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "failed" in page and "ConnectionRefusedError" in page


def test_without_smtp_mails_stay_in_the_outbox_for_admins_to_read(app, client, world, session):
    user = gen_user(session)
    post_form(app.test_client(), "/auth/reset", {"email": user.email})
    assert _deliver(session, "").sent == 0
    signed_in(client, world, "admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "No SMTP server is set" in page and "/auth/reset/" in page and "pending" in page


def test_the_request_that_writes_a_mail_starts_its_delivery_in_the_background(tmp_path, smtp_server):
    """With SMTP set, the mail leaves right after the commit, from a thread of the web process."""
    import threading

    from factcheck import migrate
    from factcheck.db import session_scope
    from tests.conftest import make_test_app

    url = f"sqlite:///{tmp_path / 'mail.sqlite3'}"
    migrate.upgrade(url)
    database = Database(url)
    app = make_test_app(database, SMTP_URL=smtp_server.url())
    try:
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as s:
            user = gen_user(s, Role.CHECKER)
            address = user.email
        assert post_form(app.test_client(), "/auth/reset", {"email": address}).status_code == 302
        for thread in threading.enumerate():
            if thread.name == "factcheck-mail":
                thread.join()
        assert [m["To"] for m in smtp_server.inbox.messages] == [address]
        with app.extensions["factcheck.db"].sessionmaker() as s:
            assert s.scalars(select(OutboxMail.state)).all() == [MailState.SENT]
    finally:
        app.extensions["factcheck.db"].dispose()
        database.dispose()


def _reset_link(session, email_address: str) -> str:  # type: ignore[no-untyped-def]
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == email_address)
                           .order_by(OutboxMail.id.desc())).first()
    assert mail is not None
    found = re.search(r"(https?://\S+/auth/reset/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def test_a_reset_link_is_on_the_desks_address_whatever_host_the_request_named(app, session):
    """The link is built from FACTCHECK_BASE_URL, not from the request's Host header, which anybody asking for a
    reset chooses: a link on their site would hand them the token when its owner clicks it."""
    user = gen_user(session, Role.CHECKER)
    app.config["BASE_URL"] = "https://desk.example.org"
    attacker = app.test_client()
    page = attacker.get("/auth/reset", base_url="http://attacker.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = attacker.post("/auth/reset", data={"csrf_token": token, "email": user.email},
                             base_url="http://attacker.example")
    assert response.status_code == 302
    link = _reset_link(session, user.email)
    assert link.startswith("https://desk.example.org/auth/reset/") and "attacker.example" not in link


def test_without_the_desks_address_resets_by_mail_are_off_whatever_host_the_request_named(app, session):
    """With neither FACTCHECK_BASE_URL nor FACTCHECK_TRUSTED_HOSTS, the only address a link could be written on is
    the Host header the asker sent: no reset mail is written, and the page says how to get a new password."""
    user = gen_user(session, Role.CHECKER)
    app.config["BASE_URL"] = ""
    attacker = app.test_client()
    page = attacker.get("/auth/reset", base_url="http://attacker.example").get_data(as_text=True)
    assert "Password resets by mail are off" in page and "csrf_token" not in page
    # (a form's token from another page of the same session)
    login_page = attacker.get("/auth/login", base_url="http://attacker.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = attacker.post("/auth/reset", data={"csrf_token": token, "email": user.email},
                             base_url="http://attacker.example")
    assert response.status_code == 503 and "Password resets by mail are off" in response.get_data(as_text=True)
    assert session.scalars(select(OutboxMail).where(OutboxMail.to_address == user.email)).all() == []


def test_behind_trusted_host_names_a_reset_link_is_on_the_site_the_request_reached(app, session):
    user = gen_user(session, Role.CHECKER)
    app.config.update(BASE_URL="", TRUSTED_HOSTS=["desk.example.org"])
    client = app.test_client()
    assert client.get("/auth/reset", base_url="http://attacker.example").status_code == 400
    page = client.get("/auth/reset", base_url="http://desk.example.org").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/auth/reset", data={"csrf_token": token, "email": user.email},
                       base_url="http://desk.example.org").status_code == 302
    assert _reset_link(session, user.email).startswith("http://desk.example.org/auth/reset/")


def test_a_reset_link_asked_for_before_the_password_changed_is_spent(app, client, session):
    """A link asked for (by an intruder who reads the mailbox for a while, say) stops working once the owner
    changes the password; the link asked for afterwards works."""
    user = gen_user(session, Role.CHECKER)
    post_form(client, "/auth/reset", {"email": user.email})
    old_link = _reset_link(session, user.email)
    owner = app.test_client()
    login(owner, user.email)
    changed = post_form(owner, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                     "confirm": NEW_PASSWORD}, form_page="/account")
    assert changed.status_code == 302, changed.get_data(as_text=True)[:2000]
    path = old_link.split("://", 1)[1].split("/", 1)[1]
    refused = client.get("/" + path)
    assert refused.status_code == 410
    post_form(client, "/auth/reset", {"email": user.email})
    new_link = _reset_link(session, user.email)
    assert new_link != old_link and client.get("/" + new_link.split("://", 1)[1].split("/", 1)[1]).status_code == 200


def test_a_mail_whose_address_reads_as_others_is_never_sent(session, smtp_server):
    """A stored address that a mail library reads as a list, a group or a name and an address (one kept before
    readers' addresses were checked as one plain address) was sent to what it read: "postmaster,victim@…"
    went to two mailboxes. Such a mail fails at once, sent to nobody; a plain address is sent to it alone."""
    odd = [queue_mail(session, address, "A test", "Hello.") for address in
           ("postmaster,victim@example.org", "Boss <victim@example.org>", "list:root,victim@example.org;")]
    plain = queue_mail(session, "jane.o'neil+desk@example.org", "A test", "Hello.")
    session.flush()
    report = _deliver(session, smtp_server.url())
    assert (report.sent, report.failed) == (1, 3)
    assert smtp_server.inbox.recipients == [["jane.o'neil+desk@example.org"]]
    assert all(mail.state is MailState.FAILED and "never sent" in mail.last_error for mail in odd)
    assert plain.state is MailState.SENT


def test_erasing_a_readers_address_erases_it_from_the_mails_error_too(session):
    """A refused delivery's error names the recipient: the purge clears it with the address."""
    from factcheck.models import ReaderSubmission
    from factcheck.services.answers import purge_addresses
    from factcheck.services.submissions import submit_claim

    now = dt.datetime.now(dt.UTC)
    made = submit_claim(session, claim_text="The mayor said the old bridge will close for good in May.",
                        email="jane.reader@example.org", now=now - dt.timedelta(days=40))
    mail = queue_mail(session, "jane.reader@example.org", "We checked the claim you sent us", "Hello.")
    mail.state, mail.last_error = MailState.FAILED, "SMTPRecipientsRefused: {'jane.reader@example.org': (550, b'no')}"
    made.submission.answer_mail_id, made.submission.answered_at = mail.id, now - dt.timedelta(days=31)
    session.flush()
    assert purge_addresses(session, answered_days=30, now=now) == 1
    stored = session.get(OutboxMail, mail.id)
    assert stored.to_address != "jane.reader@example.org" and stored.last_error is None
    assert session.get(ReaderSubmission, made.submission.id).email is None
