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
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Response, current_app, g, jsonify, make_response, request
from flask_login import current_user
from spectree import SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData
from sqlalchemy.orm import Session

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
log = logging.getLogger("factcheck.api")
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
    token matches. The token is looked up in a reading transaction of its own: a made-up one (anybody may
    send one) neither waits for nor takes SQLite's write lock. One request of a live one is then counted in
    a unit of work of its own, committed before the view runs, so refused and failed requests count too,
    every process shares the count (``_count``), and on SQLite the request's own transaction stays a
    reading one; where nothing is written (counted in Redis, the use noted lately) it begins no transaction.
    """
    config = current_app.config
    limit = int(setting(config, "API_RATE_LIMIT"))
    window = int(setting(config, "API_RATE_WINDOW_SECONDS"))
    intent = write_intent.set(False)
    try:
        with database().sessionmaker() as reading:
            token = token_service.find_token(reading, secret)
            if token is None:
                return None
            use = TokenUse(token.id, token.name, token.user_id, token.can_write,
                           token_service.adopt_owner(db_session(), token))
            noted = token_service.use_is_noted(token)  # most requests: noted less than a minute ago
    finally:
        write_intent.reset(intent)
    intent = write_intent.set(True)
    unit = database().sessionmaker()
    try:
        wait = _count(unit, f"api:{use.id}", limit, window)
        if not noted:
            token_service.note_use(unit, use.id)
        unit.commit()
        return use if wait is None else wait
    finally:
        unit.close()
        write_intent.reset(intent)


#: ``app.extensions`` key: the app's ``throttle.RedisCounts`` for each (Redis URL, name), made on first use.
_REDIS_COUNTS = "factcheck.api_counts"


def _redis_counts() -> throttle.RedisCounts | None:
    """Where API requests are counted when ``FACTCHECK_REDIS_URL`` is set (under the queue's name,
    ``JOBS_NAME``, as huey keeps its own keys); None without it."""
    config = current_app.config
    url = str(setting(config, "REDIS_URL") or "")
    if not url:
        return None
    made: dict[tuple[str, str], throttle.RedisCounts] = current_app.extensions.setdefault(_REDIS_COUNTS, {})
    place = (url, f"{setting(config, 'JOBS_NAME')}:throttle")
    if place not in made:
        import redis

        # Short timeouts: a request waits at most about a second for a Redis that does not answer.
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        made[place] = throttle.RedisCounts(client, place[1])
    return made[place]


def _count(unit: Session, key: str, limit: int, window: int) -> int | None:
    """Count one API request of ``key``: the seconds to wait when it is over ``limit`` in its window, else None.

    In Redis when it is configured, so that a request that changes nothing commits nothing: a commit moves the
    database's version and every kept page would be made again (``throttle.RedisCounts``). Otherwise, or while
    Redis cannot be reached (a warning is logged), in the database, in ``unit``.
    """
    counts = _redis_counts()
    if counts is not None:
        import redis

        try:
            return counts.hit(key, limit, window)
        except redis.RedisError as exc:
            log.warning("event=api_count_fallback reason=%s counted=database", type(exc).__name__)
    if throttle.hit(unit, key, limit, window):
        return None
    return throttle.retry_after(unit, key, window)


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
            json.loads(request.get_data(cache=True) or b"null", object_pairs_hook=_without_repeated_names)
        except _RepeatedName as exc:
            return json_error(400, f"The request body names “{exc}” twice: send each field once.")
        except ValueError:
            return json_error(400, "The request body is not valid JSON.")
        except RecursionError:
            return json_error(400, "The request body is nested too deeply.")
    return None


class _RepeatedName(ValueError):
    """A JSON object naming a field twice (which value counts would depend on who reads it)."""


def _without_repeated_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's fields, refused when one is named twice."""
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            raise _RepeatedName(name[:60])
        found[name] = value
    return found


#: Why a read token may change nothing (its 403, and the reason an item's actions give it).
READ_ONLY = "This token may only read. Make a read-write token to change anything."


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
                return json_error(403, READ_ONLY)
            if what is not None and not may_attempt(what, current_user.roles):
                return json_error(403, "Your role does not allow this.")
            return view(*args, **kwargs)

        return cast(F, wrapped)  # functools.wraps does not keep F's signature in its type

    return decorator


def init_app(app: Flask) -> None:
    """Register the blueprint and the document."""
    from factcheck.web.api import routes  # noqa: F401  (the routes attach themselves to ``bp``)

    app.register_blueprint(bp)
