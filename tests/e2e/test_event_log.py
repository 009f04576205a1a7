"""Refusals, conflicts and errors each leave one key=value line in the ``factcheck`` log, without form contents."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask, abort

from factcheck.app import LOG_DATE_FORMAT, LOG_FORMAT, configure_logging
from factcheck.domain.workflow import Role, Status
from factcheck.models import CheckItem
from factcheck.web.errors import log_line, log_value
from tests.conftest import make_test_app
from tests.factories import PASSWORD, gen_item, gen_item_in, gen_user
from tests.helpers import csrf_token, login


def _events(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "factcheck" and hasattr(r, "fields")]


def _one_event(caplog: pytest.LogCaptureFixture) -> dict[str, object]:
    events = _events(caplog)
    assert len(events) == 1, [r.getMessage() for r in events]
    return events[0].fields  # type: ignore[attr-defined]


def test_a_duplicate_relation_is_logged_as_a_conflict_with_its_fields(client, session, caplog) -> None:
    checker = gen_user(session, Role.CHECKER)
    earlier = gen_item_in(session, Status.PUBLISHED, rating="false")
    item = gen_item(session)
    login(client, checker.email)
    token = csrf_token(client.get("/sources").get_data(as_text=True))
    assert client.post(f"/items/{item.id}/repeats", data={"csrf_token": token,
                                                          "target_id": str(earlier.id)}).status_code == 302
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="factcheck"):
        response = client.post(f"/items/{item.id}/repeats", data={"csrf_token": token, "target_id": str(earlier.id)})
    assert response.status_code == 409
    fields = _one_event(caplog)
    assert fields == {"event": "conflict", "status": 409, "method": "POST", "path": f"/items/{item.id}/repeats",
                      "user": str(checker.id), "refusal": "Duplicate",
                      "message": f"This item already repeats #{earlier.id}."}
    record = _events(caplog)[0]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (f"event=conflict status=409 method=POST path=/items/{item.id}/repeats "
                                   f'user={checker.id} refusal=Duplicate message="This item already repeats '
                                   f'#{earlier.id}."')


def test_a_refusal_with_422_is_logged_without_the_value_that_was_typed(client, session, caplog) -> None:
    checker = gen_user(session, Role.CHECKER)
    item = gen_item(session)
    login(client, checker.email)
    token = csrf_token(client.get("/sources").get_data(as_text=True))
    with caplog.at_level(logging.INFO, logger="factcheck"):
        response = client.post(f"/items/{item.id}/repeats", data={"csrf_token": token, "target_id": "987654"})
    assert response.status_code == 422
    assert "#987654" in response.get_data(as_text=True)  # the person sees what they typed
    fields = _one_event(caplog)
    assert fields["event"] == "refused" and fields["status"] == 422 and fields["refusal"] == "InvalidInput"
    assert fields["user"] == str(checker.id) and fields["method"] == "POST"
    assert fields["message"] == "There is no check item #[redacted]. Check the number and try again."
    assert "987654" not in caplog.text and token not in caplog.text


def test_a_403_refusal_is_logged_with_its_class_and_never_the_form_contents(client, world, session, caplog) -> None:
    other = gen_user(session, Role.CHECKER)
    login(client, other.email)
    url = world.url("/items/{item_id}")
    page = client.get(url).get_data(as_text=True)
    version = session.get(CheckItem, world.ids["item_id"]).version
    with caplog.at_level(logging.INFO, logger="factcheck"):
        response = client.post(url + "/edit", data={"csrf_token": csrf_token(page),
                                                    "restatement": "Mackerel stocks doubled in a decade",
                                                    "version": version})
    assert response.status_code == 403
    fields = _one_event(caplog)
    assert {k: fields[k] for k in ("event", "status", "method", "path", "user")} == {
        "event": "refused", "status": 403, "method": "POST", "path": url + "/edit", "user": str(other.id)}
    assert fields["refusal"] == "NotAssignee" and fields["message"]
    assert "Mackerel" not in caplog.text


def test_a_role_refusal_by_the_access_check_is_logged_too(client, world, caplog) -> None:
    login(client, world.email("checker"))
    with caplog.at_level(logging.INFO, logger="factcheck"):
        assert client.get("/queue").status_code == 403
    fields = _one_event(caplog)
    assert fields["event"] == "refused" and fields["status"] == 403 and fields["refusal"] == "Forbidden"
    assert fields["path"] == "/queue" and fields["method"] == "GET"


def test_a_failed_sign_in_is_logged_without_the_email_or_password(client, session, caplog) -> None:
    user = gen_user(session, Role.CHECKER)
    page = client.get("/auth/login").get_data(as_text=True)
    with caplog.at_level(logging.INFO, logger="factcheck"):
        response = client.post("/auth/login", data={"csrf_token": csrf_token(page), "email": user.email,
                                                    "password": PASSWORD + "-wrong"})
    assert response.status_code == 401
    fields = _one_event(caplog)
    assert fields["event"] == "refused" and fields["status"] == 401 and fields["refusal"] == "LoginRefused"
    assert fields["user"] == "-" and fields["path"] == "/auth/login"
    assert user.email not in caplog.text and PASSWORD not in caplog.text


def test_a_throttled_sign_in_is_logged_as_a_429_refusal(app, client, session, caplog) -> None:
    app.config["LOGIN_THROTTLE_LIMIT"] = 1
    user = gen_user(session, Role.CHECKER)
    page = client.get("/auth/login").get_data(as_text=True)
    wrong = {"csrf_token": csrf_token(page), "email": user.email, "password": "not the password"}
    assert client.post("/auth/login", data=wrong).status_code == 401
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="factcheck"):
        assert client.post("/auth/login", data=wrong).status_code == 429
    fields = _one_event(caplog)
    assert fields == {"event": "refused", "status": 429, "method": "POST", "path": "/auth/login", "user": "-"}
    assert user.email not in caplog.text and "not the password" not in caplog.text


def _app_with_a_broken_page(database, session_factory) -> Flask:
    # A real server does not propagate exceptions; the test pages take no CSRF token.
    app = make_test_app(database, session_factory, PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)

    def broken():  # a view with a bug in it
        return {"ratio": 1 / 0}

    def refused_explicitly():
        abort(500)

    app.add_url_rule("/broken", view_func=broken, methods=["GET", "POST"])
    app.add_url_rule("/broken-explicitly", view_func=refused_explicitly)
    return app


def test_an_unexpected_error_is_logged_once_as_one_line_with_its_traceback(database, session_factory,
                                                                            caplog) -> None:
    app = _app_with_a_broken_page(database, session_factory)
    with caplog.at_level(logging.INFO, logger="factcheck"):
        response = app.test_client().post("/broken", data={"note": "Secret harbour plans"})
    assert response.status_code == 500
    assert "The error was logged" in response.get_data(as_text=True)
    assert len([r for r in caplog.records if r.name == "factcheck"]) == 1  # not Flask's own line as well
    fields = _one_event(caplog)
    assert {k: fields[k] for k in ("event", "status", "method", "path", "user", "error", "message")} == {
        "event": "error", "status": 500, "method": "POST", "path": "/broken", "user": "-",
        "error": "ZeroDivisionError", "message": "division by zero"}
    assert "in broken" in str(fields["traceback"])
    record = _events(caplog)[0]
    assert record.levelno == logging.ERROR
    line = logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT).format(record)
    assert "\n" not in line and re.match(r"ts=\S+ level=ERROR event=error status=500 method=POST path=/broken ", line)
    assert "Secret harbour" not in caplog.text


def test_an_explicit_500_is_logged_by_the_error_page(database, session_factory, caplog) -> None:
    app = _app_with_a_broken_page(database, session_factory)
    with caplog.at_level(logging.INFO, logger="factcheck"):
        assert app.test_client().get("/broken-explicitly").status_code == 500
    fields = _one_event(caplog)
    assert fields["event"] == "error" and fields["status"] == 500 and fields["error"] == "InternalServerError"


def test_a_value_with_a_line_break_cannot_forge_a_second_line() -> None:
    assert log_value("/items/1") == "/items/1"
    assert log_value("") == '""'
    assert log_value('a "b"\nevent=error') == '"a \\"b\\"\\nevent=error"'
    assert log_value("tab\there\x1b[31m") == '"tab\\there\\u001b[31m"'
    line = log_line({"event": "refused", "path": "/x\r\nevent=error status=500"})
    assert "\n" not in line and "\r" not in line
    assert line == 'event=refused path="/x\\r\\nevent=error status=500"'


def test_the_factcheck_logger_gets_one_handler_however_many_apps_are_built(database) -> None:
    make_test_app(database)
    make_test_app(database)
    logger = configure_logging()
    ours = [h for h in logger.handlers if getattr(h, "is_factcheck_handler", False)]
    assert len(ours) == 1 and logger.level == logging.INFO
    formatter = ours[0].formatter
    assert formatter is not None and formatter._fmt == LOG_FORMAT and formatter.datefmt == LOG_DATE_FORMAT
