"""Two people doing the same thing at the same moment, on PostgreSQL with real threads and commits.

Each test holds both requests at a barrier placed after the point where they check the database
and before they write, so both really pass the check before either commits, on every run.
(On SQLite writing requests queue on the write lock, so the second one sees the first's commit.)

The requests need real commits from separate connections, so the tests run in a schema of their
own inside the test database (tests/pg_schema.py), put back as new afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from factcheck.db import Database
from factcheck.domain.workflow import Role
from factcheck.models import Article, User, UserRole
from factcheck.services import reading as reading_service
from factcheck.services import users as user_service
from factcheck.web import admin as admin_views
from tests.conftest import PG_URL, make_test_app
from tests.factories import gen_user
from tests.helpers import csrf_token, login
from tests.pg_schema import migrated_schema_url

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")]

ARTICLE = (
    "Harbour to close, officials say\n\n"
    "The mayor said on Monday that the harbour would close for two years from March.\n\n"
    "The port authority denied that the harbour would close at all.\n"
)


@pytest.fixture
def race_app() -> Iterator[Flask]:
    """An app on a freshly migrated schema of its own in the PostgreSQL test database."""
    with migrated_schema_url() as url_text:
        app = make_test_app(Database(url_text))
        try:
            yield app
        finally:
            app.extensions["factcheck.db"].dispose()


def _db(app: Flask) -> Database:
    return app.extensions["factcheck.db"]


def _users(app: Flask, *roles_per_user: tuple[Role, ...]) -> list[User]:
    with _db(app).sessionmaker() as session:
        users = [gen_user(session, *roles) for roles in roles_per_user]
        session.commit()
    return users


def _signed_in(app: Flask, user: User, page: str) -> tuple[FlaskClient, str]:
    """A client signed in as ``user`` and a CSRF token from ``page``."""
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client, csrf_token(client.get(page).get_data(as_text=True))


class Gate:
    """A barrier inside the requests, with no clock: each request waits there until all have arrived.

    A request that ends without arriving (it failed or went another way) breaks the gate as its
    thread ends, so the others get an error at once instead of waiting for it forever.
    """

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties)
        self.arrived: set[int] = set()

    def leave(self) -> None:
        """Called as each request's thread ends."""
        if threading.get_ident() not in self.arrived:
            self.barrier.abort()


def held_at(gate: Gate, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, called only once every party has reached the gate."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gate.arrived.add(threading.get_ident())
        gate.barrier.wait()
        return function(*args, **kwargs)
    return wrapper


def side_by_side(gate: Gate, *requests: Callable[[], TestResponse]) -> list[TestResponse]:
    """Run the requests in threads at once, held at ``gate``; re-raise anything a thread raised."""
    responses: list[TestResponse | None] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            responses[index] = requests[index]()
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            gate.leave()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # every request ends: one that never reaches the gate breaks it for the others
    assert not errors, errors
    assert len(gate.arrived) == len(requests), "every request reached the gate, so they really raced"
    return [r for r in responses if r is not None]


def test_two_identical_ingests_at_once_store_one_article_and_refuse_the_other(race_app, monkeypatch):
    first, second = _users(race_app, (Role.CHECKER,), (Role.CHECKER,))
    clients = [_signed_in(race_app, user, "/articles/new") for user in (first, second)]
    # Both have checked that the text is new; now both extract and write.
    gate = Gate(2)
    monkeypatch.setattr(reading_service, "extract", held_at(gate, reading_service.extract))

    responses = side_by_side(gate, *(
        (lambda c=client, t=token: c.post("/articles/new", data={"text": ARTICLE, "csrf_token": t}))
        for client, token in clients
    ))

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Somebody added this article at the same moment" in refused
    with _db(race_app).sessionmaker() as session:
        article_id = session.scalars(select(Article.id)).one()
    assert f'href="/articles/{article_id}"' in refused  # the loser is shown the article that was kept


def test_two_admins_demoting_each_other_at_once_leave_one_admin(race_app, monkeypatch):
    first, second = _users(race_app, (Role.ADMIN,), (Role.ADMIN,))
    clients = [_signed_in(race_app, user, "/admin/users") for user in (first, second)]
    # Both have passed the admin check of their request; now both change the other's roles.
    gate = Gate(2)
    monkeypatch.setattr(admin_views, "set_roles", held_at(gate, admin_views.set_roles))

    responses = side_by_side(gate, *(
        (lambda c=client, t=token, other=target: c.post(f"/admin/users/{other.id}/roles",
                                                      data={"roles": ["checker"], "csrf_token": t}))
        for (client, token), target in zip(clients, (second, first), strict=True)
    ))

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "is the last admin" in refused and "Nothing was changed" in refused
    with _db(race_app).sessionmaker() as session:
        admins = session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == Role.ADMIN))
    assert admins == 1


def test_two_admins_creating_the_same_account_at_once_get_one_account_and_a_plain_conflict(race_app, monkeypatch):
    first, second = _users(race_app, (Role.ADMIN,), (Role.ADMIN,))
    clients = [_signed_in(race_app, user, "/admin/users") for user in (first, second)]
    # Both have checked that the email is free (the password is hashed after the check).
    gate = Gate(2)
    monkeypatch.setattr(user_service, "hash_password", held_at(gate, user_service.hash_password))
    form = {"email": "new.checker@example.org", "password": "long enough password", "roles": ["checker"]}

    responses = side_by_side(gate, *(
        (lambda c=client, t=token: c.post("/admin/users", data={**form, "csrf_token": t}))
        for client, token in clients
    ))

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Somebody saved the same thing at the same moment" in refused
    assert "signed in:" in refused  # the page still knows who is signed in: the session was rolled back first
    with _db(race_app).sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(User)
                              .where(User.email == "new.checker@example.org")) == 1
