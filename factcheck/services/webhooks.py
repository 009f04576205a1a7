"""Webhooks: hooks admins register, events recorded with the changes that cause them, signed deliveries.

``record_event(session, kind, payload)`` writes the event, and one delivery per active hook that
asked for its kind, in the caller's transaction: a change rolled back sends nothing. Once the
caller commits (``web.commit()``, ``cli.common.unit_of_work``, a job's unit of work), the job queue
delivers (``factcheck.jobs.deliver_webhooks_soon``). Delivery is three steps so that no database
lock is held while a receiver answers: ``claim_due`` (a short transaction: the attempt is counted
and the row set aside), ``send`` (HTTP, no database), ``record_outcome`` (a short transaction:
delivered, retried later with exponential backoff, or given up after ``max_attempts``).

Addresses: only http(s); link-local (cloud metadata) and other unusable addresses are always refused,
loopback and private networks unless ``WEBHOOK_ALLOW_PRIVATE`` (see docs/webhooks.md). The host is
resolved and checked when a hook is registered and again before every attempt; redirects are not
followed.

Registering, pausing, resuming and removing a hook are audit events (entity "webhook", the hook's id)
naming its URL and events, never its secret.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import secrets
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from factcheck.domain.webhooks import (
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    DeliveryState,
    EventKind,
    UrlRefused,
    address_refusal,
    check_url_form,
    destination_key,
    retry_delay,
    sign,
)
from factcheck.domain.workflow import AuditAction, AuditEntity
from factcheck.models import User, Webhook, WebhookDelivery, WebhookEvent, utcnow
from factcheck.services.audit import record_event as record_audit_event
from factcheck.services.errors import Duplicate, InvalidInput, NotFound

#: ``session.info`` key set when deliveries were written: the committer then starts delivery.
PENDING_KEY = "factcheck.webhooks.pending"
#: Seconds an attempt holds its delivery, beyond the time its batch may take to send, before another worker may take
#: it again (a crashed worker).
CLAIM_SECONDS = 120
#: Seconds a receiver has to answer each read; the whole attempt has ``total_seconds`` of it.
TIMEOUT_SECONDS = 10


def total_seconds(timeout: float) -> float:
    """The most one attempt may take, whatever the receiver does (one that sends a byte now and then resets the
    timeout of each read)."""
    return 2 * timeout

Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, in the order the resolver prefers them (empty when it cannot be
    resolved)."""
    try:
        return list(dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
    except (OSError, UnicodeError):
        return []


def _connect_to_one(addresses: list[str], port: int, timeout: float, deadline: float, *,
                    clock: Callable[[], float] = time.monotonic) -> socket.socket:
    """A connection to the first of ``addresses`` that answers on ``port``, tried in turn (a name with an IPv6 and an
    IPv4 address, or one address down), all of them by ``deadline`` (of ``clock``): each gets at most ``timeout``,
    and no more than an equal share of the time left, so one that never answers leaves time for the next. The
    socket then waits ``timeout`` for each read. The last refusal if none answers."""
    refused: OSError | None = None
    for n, address in enumerate(addresses):
        left = deadline - clock()
        if left <= 0:
            break
        try:
            sock = socket.create_connection((address, port), min(timeout, left / (len(addresses) - n)))
        except OSError as exc:
            refused = exc
            continue
        sock.settimeout(timeout)
        return sock
    raise refused or TimeoutError("no address answered in time")


def check_destination(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> str:
    """``url`` when the desk may send to it (form and every resolved address); else UrlRefused in plain words."""
    checked_addresses(url, allow_private=allow_private, resolver=resolver)
    return check_url_form(url)


def checked_addresses(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> list[str]:
    """The addresses ``url``'s host resolves to, each one the desk may send to; else UrlRefused in plain words."""
    url = check_url_form(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    addresses = resolver(host, parts.port or (443 if parts.scheme == "https" else 80))
    if not addresses:
        raise UrlRefused(f"The host name {host} could not be found.")
    for address in addresses:
        reason = address_refusal(address, allow_private=allow_private)
        if reason is not None:
            raise UrlRefused(f"{host} resolves to {reason}" if address != host else reason)
    return addresses


# --- hooks ------------------------------------------------------------------------------------------------


def register_webhook(session: Session, url: str, events: Iterable[EventKind | str], *, description: str = "",
                     actor: User | None, allow_private: bool, resolver: Resolver = resolve) -> Webhook:
    """Register a hook for ``events``; its secret is made here (show it to the admin once)."""
    try:
        url = check_destination(url, allow_private=allow_private, resolver=resolver)
    except UrlRefused as exc:
        raise InvalidInput(str(exc)) from None
    kinds = sorted({EventKind(e).value for e in events})
    if not kinds:
        raise InvalidInput("Choose at least one event to send.")
    _refuse_registered(session, url)
    hook = Webhook(url=url, description=description.strip()[:200], secret="whsec_" + secrets.token_hex(24),
                   events=kinds, is_active=True, created_by_id=actor.id if actor else None)
    session.add(hook)
    session.flush()
    _audit(session, AuditAction.WEBHOOK_REGISTER, hook, actor)
    return hook


def _refuse_registered(session: Session, url: str) -> None:
    """Duplicate when a hook already points at ``url`` (``destination_key``): a second hook would send every
    event to the receiver twice, signed with a secret it does not know — what a form sent again (a page
    reloaded, a double click) would make.

    On PostgreSQL registrations take turns (a lock on the table that only they and changes of hooks take), so
    two sent at once cannot both miss each other; SQLite's writers take turns already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE webhooks IN SHARE ROW EXCLUSIVE MODE"))
    key = destination_key(url)
    for hook_id, registered, active in session.execute(select(Webhook.id, Webhook.url, Webhook.is_active)
                                                       .order_by(Webhook.id)):
        if destination_key(registered) == key:
            if not active:
                raise Duplicate(f"Webhook #{hook_id} for {registered} is paused. Resume it to send to this URL "
                                "again (with its events and secret), or remove it and register the URL anew.")
            raise Duplicate(f"Webhook #{hook_id} already sends to {registered}. Its secret was shown once, when it "
                            "was registered; to change its events or get a new secret, remove it and register the "
                            "URL again.")


def _audit(session: Session, action: AuditAction, hook: Webhook, actor: User | None) -> None:
    record_audit_event(session, action=action, entity=AuditEntity.WEBHOOK, entity_id=hook.id, actor=actor,
                       payload={"url": hook.url, "events": list(hook.events)})
    session.flush()


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    """The hook, or NotFound."""
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"There is no webhook #{webhook_id}.")
    return hook


def set_webhook_active(session: Session, webhook_id: int, active: bool, *, actor: User | None = None) -> Webhook:
    """Pause a hook (its deliveries wait) or resume it (a hook already so is left alone, with no event)."""
    hook = get_webhook(session, webhook_id)
    if hook.is_active != active:
        hook.is_active = active
        session.flush()
        _audit(session, AuditAction.WEBHOOK_RESUME if active else AuditAction.WEBHOOK_PAUSE, hook, actor)
    return hook


def remove_webhook(session: Session, webhook_id: int, *, actor: User | None = None) -> None:
    """Remove a hook and its deliveries (its events stay: other hooks may have had them)."""
    hook = get_webhook(session, webhook_id)
    _audit(session, AuditAction.WEBHOOK_REMOVE, hook, actor)
    session.delete(hook)
    session.flush()


# --- events -----------------------------------------------------------------------------------------------


def record_event(session: Session, kind: EventKind, payload: Mapping[str, Any]) -> WebhookEvent:
    """Record ``kind`` with ``payload`` (JSON values) and a delivery for each active hook that wants it.

    Call it in the transaction of the change that causes the event; it flushes and never commits.
    """
    kind = EventKind(kind)
    event = WebhookEvent(kind=kind, payload=json.loads(json.dumps(dict(payload), default=str)))
    session.add(event)
    session.flush()
    hooks = [h for h in session.scalars(select(Webhook).where(Webhook.is_active.is_(True))) if kind.value in h.events]
    for hook in hooks:
        session.add(WebhookDelivery(webhook_id=hook.id, event_id=event.id, state=DeliveryState.PENDING, attempts=0,
                                    next_attempt_at=utcnow()))
    if hooks:
        session.flush()
        session.info[PENDING_KEY] = True
    return event


def event_body(event: WebhookEvent) -> bytes:
    """The JSON body every hook is sent for ``event`` (the same bytes on every attempt)."""
    document = {"id": event.id, "type": event.kind.value, "created_at": event.created_at.isoformat(),
                "data": event.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# --- delivery ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """What one attempt sends, read in a short transaction so that sending needs no database."""

    delivery_id: int
    url: str
    secret: str
    kind: EventKind
    body: bytes
    attempt: int


@dataclass(frozen=True)
class Outcome:
    """How an attempt went: delivered, or the receiver's status and what went wrong in plain words."""

    delivered: bool
    status: int | None = None
    error: str | None = None


def claim_due(session: Session, *, now: dt.datetime | None = None, limit: int = 20,
              timeout: float = TIMEOUT_SECONDS) -> list[Attempt]:
    """The deliveries due now (of active hooks), each counted as attempted and set aside while it is sent: for as
    long as the batch may take to send one after the other (``timeout``: each attempt's), and ``CLAIM_SECONDS``."""
    now = now or utcnow()
    query = (select(WebhookDelivery).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
             .where(WebhookDelivery.state == DeliveryState.PENDING, WebhookDelivery.next_attempt_at <= now,
                    Webhook.is_active.is_(True))
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
             .options(selectinload(WebhookDelivery.webhook), selectinload(WebhookDelivery.event)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=WebhookDelivery, skip_locked=True)
    attempts = []
    for delivery in session.scalars(query).all():
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + dt.timedelta(seconds=CLAIM_SECONDS + limit * total_seconds(timeout))
        attempts.append(Attempt(delivery.id, delivery.webhook.url, delivery.webhook.secret, delivery.event.kind,
                                event_body(delivery.event), delivery.attempts))
    session.flush()
    return attempts


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is the receiver's answer, not a place to go


def _timed(base: type[http.client.HTTPConnection], total: float, expired: threading.Event,
           addresses: list[str], made: list[threading.Timer]) -> type[http.client.HTTPConnection]:
    """``base`` connecting to one of ``addresses`` (the ones checked, in turn: the host name is not looked up again,
    so a name that answers otherwise the second time cannot lead elsewhere; the Host header and the TLS
    certificate's check still use the name), whose socket is shut ``total`` seconds after it began to connect,
    whatever it is doing (the timeout of each read does not end an answer trickled a byte at a time); ``expired``
    is set then. Each connection's timer is added to ``made``, for the caller to cancel."""

    class Timed(base):  # type: ignore[valid-type,misc]  # a class made for each attempt
        def connect(self) -> None:
            deadline = time.monotonic() + total
            self._create_connection = lambda where, timeout=TIMEOUT_SECONDS, *_: _connect_to_one(
                addresses, where[1], timeout, deadline)
            self._timer = threading.Timer(total, self._expire)
            self._timer.daemon = True
            made.append(self._timer)
            self._timer.start()
            super().connect()
            self._raw = self.sock  # (the answer is read through it once urllib lets go of the connection)
            if expired.is_set():  # (the time ran out during the handshake)
                self._expire()

        def _expire(self) -> None:
            expired.set()
            raw = getattr(self, "_raw", None) or self.sock
            try:
                raw.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass

    return Timed


def _opener(total: float, expired: threading.Event,
            addresses: list[str]) -> tuple[urllib.request.OpenerDirector, Callable[[], None]]:
    """An opener whose connections go to one of ``addresses`` and last at most ``total`` seconds, and what ends
    their timers."""
    timers: list[threading.Timer] = []

    class _Http(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(_timed(http.client.HTTPConnection, total, expired, addresses, timers), req)

    class _Https(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(_timed(http.client.HTTPSConnection, total, expired, addresses, timers), req,
                                context=self._context)  # type: ignore[attr-defined]  # the handler's own context

    def stop() -> None:
        for timer in timers:
            timer.cancel()

    # No proxy from the environment: the address checked is the address connected to (``_timed``).
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects(), _Http(), _Https()), stop


def send(attempt: Attempt, *, allow_private: bool, timeout: float = TIMEOUT_SECONDS,
         resolver: Resolver = resolve, clock: Callable[[], float] = time.time) -> Outcome:
    """POST the attempt's body, signed, to its hook; never raises for anything the network does."""
    try:
        addresses = checked_addresses(attempt.url, allow_private=allow_private, resolver=resolver)
    except UrlRefused as exc:
        return Outcome(False, error=f"Not sent: {exc}")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "factcheck-webhooks/1",
        "X-Factcheck-Event": attempt.kind.value,
        "X-Factcheck-Delivery": str(attempt.delivery_id),
        SIGNATURE_HEADER: sign(attempt.secret, int(clock()), attempt.body),
    }
    request = urllib.request.Request(attempt.url, data=attempt.body, headers=headers, method="POST")
    host = urlsplit(attempt.url).netloc
    total, expired = total_seconds(timeout), threading.Event()
    opener, stop = _opener(total, expired, addresses)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(65536)
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
        exc.close()
    except (OSError, http.client.HTTPException, ValueError) as exc:  # (urllib's URLError is an OSError)
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return Outcome(False, error=_ended(host, total) if expired.is_set() else _network_error(reason, host, timeout))
    finally:
        stop()
    if expired.is_set():  # (an answer cut short may still have read as one)
        return Outcome(False, error=_ended(host, total))
    if 200 <= status < 300:
        return Outcome(True, status)
    reason = http.client.responses.get(status, "")
    what = f"The receiver answered {status}{' ' + reason if reason else ''}"
    if 300 <= status < 400:
        what += " (redirects are not followed: register the URL it points to)"
    return Outcome(False, status, what + ".")


def _ended(host: str, total: float) -> str:
    return f"{host} did not finish answering within {total:g} seconds, so the connection was ended."


def _network_error(reason: object, host: str, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return f"The connection to {host} was refused: nothing listens there."
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"{host} did not answer within {timeout:g} seconds."
    if isinstance(reason, socket.gaierror):
        return f"The host name of {host} could not be found."
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"The TLS certificate of {host} could not be verified ({reason.verify_message})."
    if isinstance(reason, ssl.SSLError):
        return f"The TLS connection to {host} failed ({reason.reason or reason})."
    if isinstance(reason, ConnectionResetError):
        return f"{host} closed the connection before answering."
    if isinstance(reason, http.client.HTTPException):
        return f"{host} did not answer in HTTP ({type(reason).__name__})."
    return f"The delivery to {host} failed: {reason}."


def record_outcome(session: Session, delivery_id: int, outcome: Outcome, *, attempt: int | None = None,
                   now: dt.datetime | None = None, max_attempts: int = MAX_ATTEMPTS) -> WebhookDelivery | None:
    """Write how an attempt went: delivered, due again after the backoff, or given up. ``attempt``: which attempt
    this was (``Attempt.attempt``); None (nothing written) when the delivery is no longer that attempt's: another
    worker took it again, it was sent again by hand, or it was settled meanwhile."""
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:  # the hook was removed while its delivery was sent
        return None
    if attempt is not None and (delivery.state is not DeliveryState.PENDING or delivery.attempts != attempt):
        return None
    now = now or utcnow()
    delivery.last_status = outcome.status
    delivery.last_attempt_at = now
    if outcome.delivered:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = None
    else:
        delivery.last_error = (outcome.error or "The delivery failed.")[:1000]
        if delivery.attempts >= max_attempts:
            delivery.state = DeliveryState.FAILED
        else:
            delivery.next_attempt_at = now + dt.timedelta(seconds=retry_delay(delivery.attempts))
    session.flush()
    return delivery


def next_due_at(session: Session) -> dt.datetime | None:
    """When the earliest pending delivery of an active hook is due, if any."""
    return session.scalar(select(func.min(WebhookDelivery.next_attempt_at))
                          .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                          .where(WebhookDelivery.state == DeliveryState.PENDING, Webhook.is_active.is_(True)))


def redeliver(session: Session, delivery_id: int) -> WebhookDelivery:
    """Send a failed or waiting delivery again now, with a fresh count of attempts."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"There is no delivery #{delivery_id}.")
    if delivery.state is DeliveryState.DELIVERED:
        raise InvalidInput("This delivery was received; there is nothing to send again.")
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    session.flush()
    session.info[PENDING_KEY] = True
    return delivery
