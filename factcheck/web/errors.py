"""Error pages: plain words, the right status, never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from factcheck.domain.workflow import WorkflowError
from factcheck.services.errors import ServiceError
from factcheck.web.refusals import status_for

TITLES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    409: "That could not be done now",
    413: "Too large",
    422: "Something is missing",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Please try again in a moment",
}


def render_error(status: int, message: str | None = None):  # type: ignore[no-untyped-def]
    """The error page for ``status`` with a message for the person."""
    return render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"),
                           message=message), status


#: Plainer words than Werkzeug's defaults for the errors people meet.
MESSAGES = {
    413: "The upload is larger than this site accepts. Split the article or upload plain text instead.",
    405: "This address does not accept that kind of request.",
}


def _end_unit_of_work(*, database_gone: bool = False) -> None:
    """Roll the request's transaction back before the error page renders.

    A failed statement leaves the session unusable ("pending rollback" on PostgreSQL), and the
    page still needs the signed-in user. After a rollback the page reads the user afresh; when the
    database itself is unreachable or locked, the session is closed instead, which ends the
    transaction without reading again and keeps the rows already loaded readable.
    """
    session = g.get("db_session")
    if session is None:
        return
    try:
        if not database_gone:
            session.rollback()
            return
    except SQLAlchemyError:
        pass  # the connection broke as well: closing still ends the transaction
    session.close()


def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    if request.path.startswith("/static/"):
        return exc
    return render_error(exc.code or 500, MESSAGES.get(exc.code or 500, exc.description))


def _refused(exc: WorkflowError | ServiceError):  # type: ignore[no-untyped-def]
    return render_error(status_for(exc), str(exc))


def _csrf_failed(exc: CSRFError):  # type: ignore[no-untyped-def]
    return render_error(400, "The form expired or did not come from this site. Go back, reload the page "
                             "and submit it again.")


def _database_busy(exc: OperationalError):  # type: ignore[no-untyped-def]
    # SQLite already waited (busy_timeout) and PostgreSQL's pool re-connected (pre-ping); what is
    # left is a database that stayed locked or unreachable. Say so instead of showing a crash.
    current_app.logger.warning("database unavailable: %s", exc)
    _end_unit_of_work(database_gone=True)
    return render_error(503, "The database is busy or unreachable right now. Nothing was saved; "
                             "please try again in a moment.")


def _saved_at_the_same_moment(exc: IntegrityError):  # type: ignore[no-untyped-def]
    # Two requests passed the same check before either committed, and the database's unique or
    # foreign-key constraint stopped the second one: a conflict, not a crash.
    current_app.logger.info("constraint refused a write: %s", exc.orig)
    _end_unit_of_work()
    return render_error(409, "Somebody saved the same thing at the same moment, so your change was not saved. "
                             "Reload the page to see what is there now, then try again if it is still needed.")


def _unexpected(exc: InternalServerError):  # type: ignore[no-untyped-def]
    _end_unit_of_work()
    return render_error(500, "The error was logged. Your last change was not saved; please try again.")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(OperationalError, _database_busy)
    app.register_error_handler(IntegrityError, _saved_at_the_same_moment)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(WorkflowError, _refused)
    app.register_error_handler(ServiceError, _refused)
    app.register_error_handler(InternalServerError, _unexpected)
