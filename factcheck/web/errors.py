"""Error pages: plain words, the right status, never a traceback; and one log line per refusal or error."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from flask import Flask, Response, g, jsonify, render_template, request, session
from flask.globals import request_ctx
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
    410: "That link no longer works",
    413: "Too large",
    422: "Something is missing",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Please try again in a moment",
}


#: The application's logger; ``factcheck.app`` gives it a handler that writes one line per record.
log = logging.getLogger("factcheck")

#: How an event is logged: a refusal is routine, a conflict worth a look, an error needs one.
LEVELS = {"refused": logging.INFO, "conflict": logging.WARNING, "error": logging.ERROR}
#: Messages are cut to this many characters: a line per event, not a document.
MAX_MESSAGE = 300
#: Submitted values this long or longer are blanked out of a logged message (shorter ones are
#: words such as "yes" that would blank the message itself).
MIN_REDACTED_VALUE = 4


def log_value(value: object) -> str:
    """One value of a key=value line: bare when plain, else quoted with every control character escaped.

    Escaping keeps a line a line: a path or a message with a line break cannot forge another event.
    """
    text = str(value)
    if text and all(c.isprintable() and c not in ' "=\\' for c in text):
        return text
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c)
        or (c if c.isprintable() else f"\\u{ord(c):04x}")
        for c in text
    )
    return f'"{escaped}"'


def log_line(fields: dict[str, object]) -> str:
    """``key=value`` pairs on one line, in the order given."""
    return " ".join(f"{key}={log_value(value)}" for key, value in fields.items())


def _without_submitted_values(text: str) -> str:
    """``text`` with every value the request submitted blanked out (a message may quote what was typed).

    Only a form the view already parsed is read: parsing it here could fail again (a 413).
    """
    form = request.__dict__.get("form")
    if form:
        for value in sorted({v for values in form.listvalues() for v in values}, key=len, reverse=True):
            if len(value) >= MIN_REDACTED_VALUE:
                text = text.replace(value, "[redacted]")
    return text


def _message(exc: BaseException) -> str:
    """The exception's message for the log: its first line, submitted values blanked out, cut short."""
    message = exc.description if isinstance(exc, HTTPException) else str(exc)
    # A database error's later lines quote the row and the statement's parameters.
    first_line = _without_submitted_values((message or "").strip()).split("\n", 1)[0]
    return first_line if len(first_line) <= MAX_MESSAGE else first_line[:MAX_MESSAGE - 1] + "…"


def log_event(event: str, status: int, exc: BaseException | None = None, *,
              trace: TracebackType | None = None) -> None:
    """Log one ``event`` (refused, conflict, error) of the current request as a key=value line.

    The fields: event, status, method, path (never the query string), user (the signed-in user's
    id, read from the session cookie so a broken database cannot stop the log line, or ``-``), then
    for an exception its class (``refusal=`` or ``error=``) and message. Form contents, passwords
    included, never reach the line: only the path is logged, and submitted values are blanked out
    of the message. ``trace`` adds the traceback, escaped onto the same line.
    """
    fields: dict[str, object] = {"event": event, "status": status, "method": request.method,
                                 "path": request.path, "user": session.get("_user_id") or "-"}
    if exc is not None:
        fields["error" if event == "error" else "refusal"] = type(exc).__name__
        fields["message"] = _message(exc)
    if trace is not None and exc is not None:
        trace_text = "".join(traceback.format_exception(type(exc), exc, trace)).rstrip()
        fields["traceback"] = _without_submitted_values(trace_text)
    log.log(LEVELS[event], log_line(fields), extra={"fields": fields})


def log_refusal(exc: BaseException, status: int) -> None:
    """Log a refusal mapped to ``status``: a 409 is a conflict, any other status a refusal."""
    log_event("conflict" if status == 409 else "refused", status, exc)


def log_error(exc: BaseException, status: int = 500) -> None:
    """Log an error that broke the request, with its traceback on the same line."""
    log_event("error", status, exc, trace=exc.__traceback__)


def render_error(status: int, message: str | None = None):
    """The error page for ``status`` with a message for the person; under ``/api/`` the same as JSON."""
    if request.path == "/api" or request.path.startswith("/api/"):
        response = jsonify({"error": message or TITLES.get(status, "Error"), "status": status})
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
        return response
    if request_ctx.url_adapter is None:  # a Host header the app refused: no page can link anywhere, plain words
        return Response(f"{TITLES.get(status, 'Error')}: {message or ''}\n", status, mimetype="text/plain")
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


def _http_error(exc: HTTPException):
    if request.path.startswith("/static/"):
        return exc
    status = exc.code or 500
    if status >= 500:
        log_event("error", status, exc)
    else:
        log_refusal(exc, status)
    return render_error(status, MESSAGES.get(status, exc.description))


def _refused(exc: WorkflowError | ServiceError):
    status = status_for(exc)
    log_refusal(exc, status)
    return render_error(status, str(exc))


def _csrf_failed(exc: CSRFError):
    log_refusal(exc, 400)
    return render_error(400, "The form expired or did not come from this site. Go back, reload the page "
                             "and submit it again.")


def _database_busy(exc: OperationalError):
    # SQLite already waited (busy_timeout) and PostgreSQL's pool re-connected (pre-ping); what is
    # left is a database that stayed locked or unreachable. Say so instead of showing a crash.
    log_event("error", 503, exc.orig or exc)
    _end_unit_of_work(database_gone=True)
    return render_error(503, "The database is busy or unreachable right now. Nothing was saved; "
                             "please try again in a moment.")


def _saved_at_the_same_moment(exc: IntegrityError):
    # Two requests passed the same check before either committed, and the database's unique or
    # foreign-key constraint stopped the second one: a conflict, not a crash.
    log_refusal(exc.orig or exc, 409)
    _end_unit_of_work()
    return render_error(409, "Somebody saved the same thing at the same moment, so your change was not saved. "
                             "Reload the page to see what is there now, then try again if it is still needed.")


def _unexpected(exc: InternalServerError):
    # An exception the views did not expect was logged with its traceback by the app's
    # ``log_exception`` just before this handler; only an explicit 500 is logged here.
    if exc.original_exception is None:
        log_event("error", 500, exc)
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
