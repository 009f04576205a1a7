"""The JSON API under ``/api/v1``: personal tokens, keyset pages, the same services as the forms.

Requests are authenticated by ``Authorization: Bearer <token>`` only. A session cookie is never
read here, so a page on another site cannot make a browser write through the API: the API needs
no CSRF token, and a request with a cookie and no token is anonymous (401 on anything but the
published verdicts). Every answer is JSON, errors included (``web.errors`` answers in JSON under
``/api/``). Requests are validated, and the OpenAPI document generated, by spectree from the
pydantic models in ``schemas.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Response, current_app, g, jsonify, make_response, request
from flask_login import current_user
from spectree import SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData

from factcheck.config import setting
from factcheck.db import write_intent
from factcheck.domain.permissions import Capability, may_attempt
from factcheck.domain.workflow import Action
from factcheck.models import User
from factcheck.services import throttle
from factcheck.services import tokens as token_service
from factcheck.web import csrf, database, db_session, login_manager
from factcheck.web.api.schemas import Error

F = TypeVar("F", bound=Callable[..., Any])

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)


def _validation_failed(req: Any, resp: Any, req_validation_error: Any, instance: Any, model_adapter: Any) -> None:
    """Spectree's 422 for a request that does not match its model, in the API's one error shape."""
    if req_validation_error is None or resp is None:
        return
    details = []
    for problem in req_validation_error.errors(include_url=False, include_context=False, include_input=False):
        details.append({"loc": [p if isinstance(p, int) else str(p) for p in problem.get("loc", ())],
                        "msg": str(problem.get("msg", ""))})
    first = details[0] if details else {"loc": [], "msg": "invalid"}
    where = ".".join(str(p) for p in first["loc"]) or "the request"
    message = f"{where}: {first['msg']}"
    resp.set_data(json.dumps({"error": message, "status": 422, "details": details}))
    resp.mimetype = "application/json"


spec = SpecTree(
    "flask",
    title="factcheck API",
    version="1",
    description="Check items, articles, sources and published verdicts of a factcheck desk, and the "
                "workflow's writes (take, add evidence, propose, vote). Send a personal token as "
                "`Authorization: Bearer fc_…` (made on the account page or with `factcheck tokens create`).",
    # Spectree's own pages are not registered (no Swagger UI loading scripts from elsewhere); the
    # blueprint serves the document at /api/v1/openapi.json and the reference page at /api/v1/docs.
    path="_spectree",
    page_templates={},
    mode="strict",
    validation_error_model=Error,
    before=_validation_failed,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer"))],
    annotations=True,
    # Plain names: every model lives in schemas.py, so no hash is needed to tell two apart.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
)

#: Responses every endpoint may give, documented once.
COMMON_ERRORS = ("HTTP_400", "HTTP_401", "HTTP_404", "HTTP_429")


def json_error(status: int, message: str, **extra: Any) -> Response:
    """An error answer in the API's shape."""
    response = make_response(jsonify({"error": message, "status": status, **extra}), status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
    return response


@dataclass(frozen=True, slots=True)
class TokenUse:
    """The token a request came with, as the views need it."""

    id: int
    name: str
    user_id: int
    can_write: bool
    #: The token's owner with their roles, in the request's session.
    user: User


def _use_token(secret: str) -> TokenUse | int | None:
    """Find the live token for ``secret`` and count one request of it.

    Returns the token, the seconds to wait when it is over its rate limit, or None when no live
    token matches. Done in a unit of work of its own, committed before the view runs, so refused
    and failed requests count too, every process shares the count (``services.throttle``), and on
    SQLite the request's own transaction stays a reading one.
    """
    config = current_app.config
    limit = int(setting(config, "API_RATE_LIMIT"))
    window = int(setting(config, "API_RATE_WINDOW_SECONDS"))
    intent = write_intent.set(True)
    unit = database().sessionmaker()
    try:
        token = token_service.find_token(unit, secret)
        if token is None:
            return None
        use = TokenUse(token.id, token.name, token.user_id, token.can_write, token_service.adopt_owner(db_session(), token))
        key = f"api:{token.id}"
        allowed = throttle.hit(unit, key, limit, window)
        wait = None if allowed else throttle.retry_after(unit, key, window)
        if not token_service.use_is_noted(token):  # most requests: noted less than a minute ago, no statement
            token_service.note_use(unit, token.id)
        unit.commit()
        return use if wait is None else wait
    finally:
        unit.close()
        write_intent.reset(intent)


@bp.before_request
def authenticate() -> Response | None:
    """Who is asking: the owner of a live bearer token, or nobody (the session cookie is ignored)."""
    g._login_user = login_manager.anonymous_user()
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return json_error(401, "Send your token as “Authorization: Bearer fc_…”.")
        found = _use_token(secret.strip())
        if found is None:
            return json_error(401, "This token is unknown, expired or revoked. Make a new one on your account page.")
        if isinstance(found, int):
            response = json_error(429, f"This token made too many requests. Try again in {found} seconds.")
            response.headers["Retry-After"] = str(found)
            return response
        g._login_user = found.user  # active: ``find_token`` checked
        g.api_token = found
        db_session().info["api_token"] = found.name  # every audit event of this request names the token
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if g.api_token is None:
            return json_error(401, "This needs a personal API token: “Authorization: Bearer fc_…”.")
        if request.mimetype != "application/json":
            return json_error(415, "Send the request body as JSON (Content-Type: application/json).")
        try:
            json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            return json_error(400, "The request body is not valid JSON.")
    return None


def api_access(what: Action | Capability | None = None, *, write: bool = False) -> Callable[[F], F]:
    """A token (read-write for ``write``) whose owner holds a role that may attempt ``what``.

    The services check the rest (holder, evidence policy, reviewer ≠ author …), as for the forms.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return json_error(401, "This needs a personal API token: “Authorization: Bearer fc_…”.")
            if write and not g.api_token.can_write:
                return json_error(403, "This token may only read. Make a read-write token to change anything.")
            if what is not None and not may_attempt(what, current_user.roles):
                return json_error(403, "Your role does not allow this.")
            return view(*args, **kwargs)

        return cast(F, wrapped)  # functools.wraps does not keep F's signature in its type

    return decorator


def init_app(app: Flask) -> None:
    """Register the blueprint and the document."""
    from factcheck.web.api import routes  # noqa: F401  (the routes attach themselves to ``bp``)

    app.register_blueprint(bp)
