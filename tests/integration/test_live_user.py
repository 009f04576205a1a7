"""The per-request user load: the user of a live session, whole and in the request's session.

``find_live_user`` builds the user from a Core row instead of the ORM's loader; these tests show
the object is what a query would have given: persistent, every attribute loaded (no statement
later), roles included, and the same object as the session's own when it was loaded before.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, inspect, select, update

from factcheck.domain.notifications import NotificationKind
from factcheck.domain.workflow import Role
from factcheck.models import Notification, User, UserRole, utcnow
from factcheck.queries.desk import unread_expression
from factcheck.services.sessions import end_session, find_live_user, live_user_statement, start_session
from tests.factories import gen_user


def _signed_in(session_factory, *roles):
    """A user with ``roles`` and a live session's token, written in a session of its own."""
    with session_factory() as writer:
        user = gen_user(writer, *roles)
        token = start_session(writer, user, lifetime=dt.timedelta(hours=1))
        writer.commit()
        return user.id, token


class _Statements:
    """Counts the statements a session's connection runs."""

    def __init__(self, session):
        self.count = 0
        self.connection = session.connection()
        event.listen(self.connection, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        self.count += 1

    def close(self):
        event.remove(self.connection, "before_cursor_execute", self._seen)


def test_the_live_user_is_persistent_whole_and_costs_one_statement(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER, Role.REVIEWER)
    with session_factory() as request_session:
        statements = _Statements(request_session)
        user = find_live_user(request_session, token, user_id)
        assert user is not None and user.id == user_id
        state = inspect(user)
        assert state.persistent and not state.unloaded and not state.modified
        assert user.roles == {Role.CHECKER, Role.REVIEWER}
        assert user.has_second_factor is False and user.is_active and user.email.endswith("@example.org")
        assert user.unread_notifications is None  # not asked for: None, as a query leaves it
        assert request_session.get(User, user_id) is user  # in the identity map
        assert {row.role for row in request_session.scalars(select(UserRole).where(UserRole.user_id == user_id))} \
            == {Role.CHECKER, Role.REVIEWER}
        assert statements.count == 2  # the user, then the role rows' own query above: nothing lazily loaded
        statements.close()


def test_a_change_to_the_live_user_is_an_update_not_a_new_row(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER)
    with session_factory() as request_session:
        user = find_live_user(request_session, token, user_id)
        user.display_name = "a renamed checker"
        request_session.flush()
        assert request_session.scalar(select(User.display_name).where(User.id == user_id)) == "a renamed checker"
        assert request_session.scalar(select(User.id).where(User.email == user.email)) == user_id


def test_the_unread_count_comes_with_the_user_when_asked(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER)
    with session_factory() as writer:
        for read_at in (None, None, utcnow()):
            writer.add(Notification(user_id=user_id, kind=NotificationKind.ASSIGNED, message="a note mentions you",
                                    read_at=read_at))
        writer.commit()
    with session_factory() as request_session:
        user = find_live_user(request_session, token, user_id,
                              statement=live_user_statement(unread_notifications=unread_expression()))
        assert user.unread_notifications == 2


def test_a_user_without_roles_has_none(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER)
    with session_factory() as writer:
        writer.execute(UserRole.__table__.delete().where(UserRole.user_id == user_id))
        writer.commit()
    with session_factory() as request_session:
        user = find_live_user(request_session, token, user_id)
        assert user is not None and user.roles == frozenset() and user.role_rows == []


def test_ended_expired_unknown_or_another_users_sessions_give_nobody(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER)
    other_id, other_token = _signed_in(session_factory, Role.CHECKER)
    with session_factory() as request_session:
        assert find_live_user(request_session, None, user_id) is None
        assert find_live_user(request_session, "not-a-token", user_id) is None
        assert find_live_user(request_session, other_token, user_id) is None
        assert find_live_user(request_session, token, user_id, now=utcnow() + dt.timedelta(hours=2)) is None
    with session_factory() as writer:
        end_session(writer, token, user=None)
        writer.commit()
    with session_factory() as request_session:
        assert find_live_user(request_session, token, user_id) is None
        assert find_live_user(request_session, other_token, other_id) is not None


def test_a_user_loaded_before_is_the_same_object_refreshed(session_factory):
    user_id, token = _signed_in(session_factory, Role.CHECKER)
    with session_factory() as request_session:
        earlier = request_session.get(User, user_id)
        request_session.connection().execute(
            update(User.__table__).where(User.__table__.c.id == user_id).values(display_name="a checker renamed"))
        request_session.connection().execute(UserRole.__table__.insert().values(user_id=user_id, role=Role.REVIEWER))
        user = find_live_user(request_session, token, user_id)
        assert user is earlier
        assert user.display_name == "a checker renamed" and user.roles == {Role.CHECKER, Role.REVIEWER}
