"""Two-factor sign-in: enrolment by QR code or key, codes at sign-in, no replays, recovery codes,
required roles, admin reset, and the password asked again before a second-factor change."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from factcheck.domain.workflow import Role
from factcheck.models import AuditEvent, RecoveryCode, User
from tests.e2e.conftest import signed_in
from tests.factories import PASSWORD, gen_user
from tests.helpers import hidden_fields, login, new_csrf_token, post_form


def _enrol(client) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Set up an authenticator through the pages; the secret and the recovery codes shown."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    # The QR code is drawn on the server, as an inline SVG inside the page: no script makes it.
    assert re.search(r'<figure class="qr"><svg[^>]*>.*</svg>\s*</figure>', page, re.S)
    secret = hidden_fields(page, "/account/two-factor")["secret"]
    assert secret in page  # also shown as text, for typing into the app
    response = post_form(client, "/account/two-factor", {"secret": secret, "code": pyotp.TOTP(secret).now()},
                         form_page="/account/two-factor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "shown only now" in html
    return secret, re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", html)


def _next_code(secret: str) -> str:
    """The code of the next 30-second step: accepted now (clocks drift), and never the one just used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/account").status_code == 200


def test_enrolling_then_signing_in_asks_for_the_code(app, client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # kept hashed only
    browser = app.test_client()
    response = login(browser, user.email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/code")
    assert not _signed_in(browser)  # the password alone signs nobody in
    wrong = post_form(browser, "/auth/code", {"code": "000000"})
    assert wrong.status_code == 401 and not _signed_in(browser)
    right = post_form(browser, "/auth/code", {"code": _next_code(secret)})
    assert right.status_code == 302 and _signed_in(browser)
    events = [a.value for a in session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == user.id))]
    assert "twofactor_enrol" in events


def test_a_code_is_never_accepted_twice(app, client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, _ = _enrol(client)
    code = _next_code(secret)
    first = app.test_client()
    login(first, user.email)
    assert post_form(first, "/auth/code", {"code": code}).status_code == 302
    replay = app.test_client()
    login(replay, user.email)
    assert post_form(replay, "/auth/code", {"code": code}).status_code == 401
    assert not _signed_in(replay)


def test_a_recovery_code_signs_in_once(app, client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    _, codes = _enrol(client)
    browser = app.test_client()
    login(browser, user.email)
    assert post_form(browser, "/auth/code", {"code": codes[0].upper()}).status_code == 302
    again = app.test_client()
    login(again, user.email)
    assert post_form(again, "/auth/code", {"code": codes[0]}).status_code == 401


def test_enrolment_needs_the_right_code_and_changes_nothing_otherwise(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    response = post_form(client, "/account/two-factor", {"code": "123456"}, form_page="/account/two-factor")
    assert response.status_code == 422 and "does not match" in response.get_data(as_text=True)
    assert session.get(User, user.id, populate_existing=True).totp_secret is None


def test_required_roles_must_enrol_before_anything_else(app, session):
    app.config.update(REQUIRE_2FA="editor,admin")
    editor = gen_user(session, Role.EDITOR)
    client = app.test_client()
    login(client, editor.email)
    response = client.get("/articles")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor")
    _enrol(client)
    assert client.get("/articles").status_code == 200
    checker = gen_user(session, Role.CHECKER)
    other = app.test_client()
    login(other, checker.email)
    assert other.get("/articles").status_code == 200  # optional for the other roles


def test_replacing_the_second_factor_asks_for_password_and_code_again(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, _ = _enrol(client)
    with client.session_transaction() as cookie:
        cookie["_auth_at"] = int(time.time()) - 3600
    response = client.get("/account/two-factor")
    assert response.status_code == 302 and "/account/reauth" in response.headers["Location"]
    assert post_form(client, "/account/reauth", {"password": PASSWORD, "code": "000000"}).status_code == 401
    ok = post_form(client, "/account/reauth", {"password": PASSWORD, "code": _next_code(secret)})
    assert ok.status_code == 302
    assert client.get("/account/two-factor").status_code == 200


def _long_ago(client) -> None:  # type: ignore[no-untyped-def]
    """The session's password was entered long ago (a session left open, or restored by "keep me signed in")."""
    with client.session_transaction() as cookie:
        cookie["_auth_at"] = int(time.time()) - 3600


def test_a_first_second_factor_asks_for_the_password_again_as_replacing_one_does(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    _long_ago(client)
    page = client.get("/account/two-factor")
    assert page.status_code == 302 and "/account/reauth" in page.headers["Location"]
    secret = pyotp.random_base32(32)  # an authenticator somebody at the open session chose
    sent = post_form(client, "/account/two-factor", {"secret": secret, "code": pyotp.TOTP(secret).now()},
                     form_page="/account")
    assert sent.status_code == 302 and "/account/reauth" in sent.headers["Location"]
    assert session.get(User, user.id, populate_existing=True).totp_secret is None
    assert post_form(client, "/account/reauth", {"password": PASSWORD}).status_code == 302
    _enrol(client)
    assert session.get(User, user.id, populate_existing=True).totp_secret is not None


def test_enrolling_does_not_count_as_entering_the_password_again(app, client, session, monkeypatch):
    from factcheck.config import setting
    from factcheck.web import sessions

    admin = gen_user(session, Role.ADMIN)
    login(client, admin.email)
    window = int(setting(app.config, "REAUTH_MINUTES")) * 60
    with client.session_transaction() as cookie:
        cookie["_auth_at"] = int(time.time()) - window + 60  # the password was entered a minute short of the window
    _enrol(client)
    monkeypatch.setattr(sessions, "_now", lambda: int(time.time()) + 120)  # two minutes on: it is too long ago now
    made = post_form(client, "/admin/users", {"email": "new.admin@example.org", "display_name": "",
                                              "password": "an utterly different passphrase 42", "roles": "admin"},
                     form_page="/account")
    assert made.status_code == 302 and "/account/reauth" in made.headers["Location"]
    assert session.scalars(select(User).where(User.email == "new.admin@example.org")).first() is None


def test_changing_the_password_does_not_stand_in_for_the_code_before_a_second_factor_change(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, _ = _enrol(client)
    _long_ago(client)
    changed = post_form(client, "/account/password", {"current_password": PASSWORD,
                                                       "new_password": "a completely new long passphrase 7",
                                                       "confirm": "a completely new long passphrase 7"},
                        form_page="/account")
    assert changed.status_code == 302 and _signed_in(client)  # still signed in, in a new session
    page = client.get("/account/two-factor")  # the password alone was entered: password and code are asked
    assert page.status_code == 302 and "/account/reauth" in page.headers["Location"]
    ok = post_form(client, "/account/reauth", {"password": "a completely new long passphrase 7",
                                               "code": _next_code(secret)})
    assert ok.status_code == 302 and client.get("/account/two-factor").status_code == 200


def test_without_a_second_factor_changing_the_password_counts_as_entering_it(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    _long_ago(client)
    post_form(client, "/account/password", {"current_password": PASSWORD,
                                            "new_password": "a completely new long passphrase 7",
                                            "confirm": "a completely new long passphrase 7"}, form_page="/account")
    assert client.get("/account/two-factor").status_code == 200


def test_a_secret_the_page_did_not_offer_starts_the_enrolment_again(client, session):
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    for secret in ("1" * 32, "A" * 31 + "!", "a" * 32):  # not base32 (the page offers 32 capital base32 letters)
        response = post_form(client, "/account/two-factor", {"secret": secret, "code": "123456"},
                             form_page="/account/two-factor")
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor")
    assert session.get(User, user.id, populate_existing=True).totp_secret is None


def test_an_admin_resets_a_lost_second_factor_and_the_accounts_sessions_end(app, client, world, session):
    user = gen_user(session, Role.CHECKER)
    own = app.test_client()
    login(own, user.email)
    _enrol(own)
    assert _signed_in(own)
    signed_in(client, world, "admin")
    response = post_form(client, f"/admin/users/{user.id}/reset-2fa", {}, form_page="/admin/users")
    assert response.status_code == 302
    assert not _signed_in(own)
    assert session.get(User, user.id, populate_existing=True).totp_secret is None
    assert login(app.test_client(), user.email).status_code == 302  # the password alone again
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == user.id,
                                                      AuditEvent.action == "twofactor_reset")).all()
    assert [e.actor_id for e in events] == [world.users["admin"].id]


def test_the_owner_is_told_by_mail_when_the_password_or_second_factor_changes(client, session):
    from factcheck.models import OutboxMail

    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    _enrol(client)
    post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "another long passphrase",
                                            "confirm": "another long passphrase"}, form_page="/account")
    subjects = [m.subject for m in session.scalars(select(OutboxMail).where(OutboxMail.to_address == user.email))]
    assert subjects == ["Your account: an authenticator app was set up as the second factor",
                        "Your account: the password was changed"]


def test_wrong_codes_are_counted_per_account_whatever_the_address_or_cookie(app, client, session):
    """The five wrong codes a sign-in may take were counted in the browser's cookie (sending an older cookie
    again reset them) and per address: an intruder who has the password guessed codes without end. The
    account counts them now: after five, from any address and any browser, even the right code is refused
    until the window ends, and each wrong one is in the audit trail."""
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, _ = _enrol(client)
    for n in range(5):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"  # another address each time
        assert login(browser, user.email).headers["Location"].endswith("/auth/code")
        assert post_form(browser, "/auth/code", {"code": "000000"}).status_code == 401
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    login(browser, user.email)
    refused = post_form(browser, "/auth/code", {"code": _next_code(secret)})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/auth/login")
    assert not _signed_in(browser)
    assert "Too many wrong codes for this account" in browser.get("/auth/login").get_data(as_text=True)
    failures = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == user.id,
                                                        AuditEvent.action == "sign_in_failed")).all()
    assert len(failures) == 5


def test_wrong_passwords_from_a_signed_in_session_are_limited_and_recorded(app, client, session):
    """A stolen session could guess the password at the confirmation step or the password form without limit.
    After five wrong ones the account refuses even the right one (429) for the window, and each is recorded."""
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    for _ in range(3):
        response = post_form(client, "/account/reauth", {"password": "not it"}, form_page="/account/reauth")
        assert response.status_code == 401
    for _ in range(2):
        response = post_form(client, "/account/password", {"current_password": "not it", "new_password": "x" * 20,
                                                           "confirm": "x" * 20}, form_page="/account")
        assert response.status_code == 422
    refused = post_form(client, "/account/reauth", {"password": PASSWORD}, form_page="/account/reauth")
    assert refused.status_code == 429 and "Too many wrong passwords or codes" in refused.get_data(as_text=True)
    changed = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "y" * 20,
                                                      "confirm": "y" * 20}, form_page="/account")
    assert changed.status_code == 429
    steps = [e.payload.get("step") for e in session.scalars(select(AuditEvent).where(
        AuditEvent.entity_id == user.id, AuditEvent.action == "sign_in_failed").order_by(AuditEvent.id))]
    assert steps == ["confirming a change"] * 3 + ["changing the password"] * 2


def test_a_sign_in_waiting_for_its_code_ends_when_the_password_changes(app, client, session):
    """Somebody who knew the old password and reached the code step cannot finish once the owner has changed it."""
    user = gen_user(session, Role.CHECKER)
    login(client, user.email)
    secret, _ = _enrol(client)
    intruder = app.test_client()
    assert login(intruder, user.email).headers["Location"].endswith("/auth/code")
    new_password = "another long passphrase"
    changed = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": new_password,
                                                      "confirm": new_password}, form_page="/account")
    assert changed.status_code == 302
    page = intruder.get("/auth/code")  # the code step is over: back to the password
    assert page.status_code == 302 and page.headers["Location"].endswith("/auth/login")
    finished = intruder.post("/auth/code", data={"code": _next_code(secret), "csrf_token": new_csrf_token(intruder)})
    assert finished.status_code == 302 and finished.headers["Location"].endswith("/auth/login")
    assert not _signed_in(intruder)
