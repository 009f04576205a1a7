"""Accounts and roles, for admins only."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.domain.workflow import Role
from factcheck.models import User
from tests.e2e.conftest import signed_in
from tests.helpers import login, post_form


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_an_admin_sees_every_account_with_its_roles(client, world):
    signed_in(client, world, "admin")
    page = _text(client.get("/admin/users"))
    for user in world.users.values():
        assert user.email in page
    assert 'name="roles" value="reviewer" checked' in page


def test_an_admin_creates_an_account_that_can_sign_in(client, app, world, session):
    signed_in(client, world, "admin")
    response = post_form(client, "/admin/users", {"email": "New.Reviewer@example.org", "display_name": "A reviewer",
                                                  "password": "long enough password", "roles": ["reviewer"]})
    assert response.status_code == 302
    user = session.scalars(select(User).where(User.email == "new.reviewer@example.org")).one()
    assert user.roles == {Role.REVIEWER}
    assert login(app.test_client(), "new.reviewer@example.org", "long enough password").status_code == 302


def test_a_taken_email_or_short_password_is_refused_and_the_input_kept(client, world):
    signed_in(client, world, "admin")
    taken = post_form(client, "/admin/users", {"email": world.email("checker"), "password": "long enough password",
                                               "roles": ["checker"]})
    assert taken.status_code == 409 and "There is already a user" in _text(taken)
    short = post_form(client, "/admin/users", {"email": "x@example.org", "password": "short", "roles": ["checker"]})
    assert short.status_code == 422 and 'value="x@example.org"' in _text(short)


def test_an_admin_changes_roles(client, world, session):
    signed_in(client, world, "admin")
    checker = world.users["checker"]
    response = post_form(client, f"/admin/users/{checker.id}/roles", {"roles": ["checker", "editor"]},
                         form_page="/admin/users")
    assert response.status_code == 302
    assert session.get(User, checker.id, populate_existing=True).roles == {Role.CHECKER, Role.EDITOR}


def test_an_admin_cannot_remove_their_own_admin_role(client, world, session):
    signed_in(client, world, "admin")
    admin = world.users["admin"]
    response = post_form(client, f"/admin/users/{admin.id}/roles", {"roles": ["checker"]}, form_page="/admin/users")
    assert response.status_code == 422 and "cannot remove your own admin role" in _text(response)
    assert session.get(User, admin.id, populate_existing=True).roles == {Role.ADMIN}


def test_roles_of_an_unknown_account_are_not_found(client, world):
    signed_in(client, world, "admin")
    assert post_form(client, "/admin/users/999999/roles", {"roles": ["checker"]},
                     form_page="/admin/users").status_code == 404


def test_the_admin_link_appears_only_for_admins(client, app, world):
    signed_in(client, world, "admin")
    assert 'href="/admin/users"' in _text(client.get("/articles"))
    other = app.test_client()
    signed_in(other, world, "editor")
    assert 'href="/admin/users"' not in _text(other.get("/articles"))
