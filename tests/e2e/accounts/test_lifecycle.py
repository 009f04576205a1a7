"""Account life cycle and sign-in events: disable and enable, the last admin, re-authentication,
the events page, and failures that do not tell which accounts exist nor lock their owners out."""

from __future__ import annotations

import time

from sqlalchemy import select

from factcheck.domain.workflow import Role, Status
from factcheck.models import AuditEvent, User
from tests.e2e.conftest import signed_in
from tests.factories import PASSWORD, gen_item_in, gen_user
from tests.helpers import login, post_form


def _actions(session, user_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.value for a in session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "user",
                                                                            AuditEvent.entity_id == user_id)
                                             .order_by(AuditEvent.id))]


def test_an_admin_disables_an_account_whose_sessions_end_and_history_stays(app, client, world, session):
    checker_client = app.test_client()
    signed_in(checker_client, world, "checker")
    assert checker_client.get("/account").status_code == 200
    signed_in(client, world, "admin")
    checker = world.users["checker"]
    response = post_form(client, f"/admin/users/{checker.id}/disable", {}, form_page="/admin/users")
    assert response.status_code == 302
    assert checker_client.get("/account").status_code == 302  # the open session ended at once
    assert login(app.test_client(), checker.email).status_code == 401
    # Their items and events are all still there.
    assert session.scalars(select(AuditEvent).where(AuditEvent.actor_id == checker.id)).first() is not None
    post_form(client, f"/admin/users/{checker.id}/enable", {}, form_page="/admin/users")
    assert login(app.test_client(), checker.email).status_code == 302
    actions = _actions(session, checker.id)
    assert actions.index("disable") < actions.index("sessions_revoke") < actions.index("enable")


def test_an_admin_cannot_disable_themself_and_demoting_another_leaves_them_the_admin(client, world, session):
    signed_in(client, world, "admin")
    admin = world.users["admin"]
    mine = post_form(client, f"/admin/users/{admin.id}/disable", {}, form_page="/admin/users")
    assert mine.status_code == 422 and "your own account" in mine.get_data(as_text=True)
    other_admin = gen_user(session, Role.ADMIN)
    session.commit()
    # Demoting the other admin works: one active admin stays (the service refuses removing the last one:
    # tests/integration/test_last_admin.py).
    assert post_form(client, f"/admin/users/{other_admin.id}/roles", {"roles": ["checker"]},
                     form_page="/admin/users").status_code == 302
    assert session.get(User, admin.id).is_active


def test_role_changes_and_second_factor_resets_ask_for_the_password_again(client, world, session):
    signed_in(client, world, "admin")
    with client.session_transaction() as cookie:
        cookie["_auth_at"] = int(time.time()) - 3600
    checker = world.users["checker"]
    response = post_form(client, f"/admin/users/{checker.id}/roles", {"roles": ["reviewer"]}, form_page="/admin/users")
    assert response.status_code == 302 and "/account/reauth" in response.headers["Location"]
    assert session.get(User, checker.id, populate_existing=True).roles == {Role.CHECKER}
    wrong = post_form(client, "/account/reauth", {"password": "not my password"})
    assert wrong.status_code == 401
    again = post_form(client, "/account/reauth?next=/admin/users", {"password": PASSWORD})
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/users")
    response = post_form(client, f"/admin/users/{checker.id}/roles", {"roles": ["reviewer"]}, form_page="/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert session.get(User, checker.id, populate_existing=True).roles == {Role.REVIEWER}


def test_creating_an_account_asks_for_the_password_again_as_a_change_of_roles_does(client, world, session):
    """A new account may be an admin's: a session taken over an hour after its sign-in must not make one."""
    signed_in(client, world, "admin")
    with client.session_transaction() as cookie:
        cookie["_auth_at"] = int(time.time()) - 3600
    fields = {"email": "new.admin@desk.test", "password": "a long enough passphrase", "roles": ["admin"]}
    response = post_form(client, "/admin/users", fields, form_page="/admin/users")
    assert response.status_code == 302 and "/account/reauth" in response.headers["Location"]
    assert session.scalars(select(User).where(User.email == "new.admin@desk.test")).first() is None
    assert post_form(client, "/account/reauth?next=/admin/users", {"password": PASSWORD}).status_code == 302
    response = post_form(client, "/admin/users", fields, form_page="/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert session.scalars(select(User).where(User.email == "new.admin@desk.test")).first() is not None


def test_sign_in_events_are_recorded_and_listed_with_filters(app, client, world, session):
    user = gen_user(session, Role.CHECKER)
    other = app.test_client()
    login(other, user.email, "not the password")
    login(other, "nobody.here@example.org", "not the password")
    login(other, user.email)
    post_form(other, "/auth/logout", {}, form_page="/account")
    assert [a for a in _actions(session, user.id) if a != "create"] == ["sign_in_failed", "sign_in", "sign_out"]
    signed_in(client, world, "admin")
    page = client.get(f"/admin/events?account={user.email}").get_data(as_text=True)
    assert "sign in failed" in page and "sign out" in page and user.email in page
    assert "nobody.here@example.org" not in page
    failed = client.get("/admin/events?action=sign_in_failed").get_data(as_text=True)
    assert "nobody.here@example.org" in failed and "sign out" not in failed.split("<tbody>")[1]
    future = client.get("/admin/events?since=2999-01-01").get_data(as_text=True)
    assert "No events match." in future


def test_bad_event_filters_get_a_plain_400(client, world):
    signed_in(client, world, "admin")
    assert client.get("/admin/events?action=delete_everything").status_code == 400
    bad_day = client.get("/admin/events?since=yesterday")
    assert bad_day.status_code == 400 and "YYYY-MM-DD" in bad_day.get_data(as_text=True)


def test_failures_from_one_address_do_not_lock_the_owner_out_from_another(app, session):
    user = gen_user(session, Role.CHECKER)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    answers = [login(attacker, user.email, "guess number one").status_code for _ in range(6)]
    assert answers == [401] * 6
    assert "Too many failed sign-ins" in login(attacker, user.email).get_data(as_text=True)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(owner, user.email).status_code == 302
    actions = _actions(session, user.id)
    assert "lockout" in actions and "sign_in" in actions[actions.index("lockout"):]


def test_a_disabled_accounts_history_stays_visible(client, world, session):
    item = gen_item_in(session, Status.EVIDENCE, checker=world.users["checker"])
    signed_in(client, world, "admin")
    post_form(client, f"/admin/users/{world.users['checker'].id}/disable", {}, form_page="/admin/users")
    assert client.get(f"/items/{item.id}").status_code == 200
