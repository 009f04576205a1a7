"""Webhooks: events recorded with their change, signed deliveries to a real local receiver, retries with
backoff on both job queues, and the addresses a hook may not point at."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import func, select

from factcheck import jobs
from factcheck.domain.webhooks import (
    SIGNATURE_HEADER,
    DeliveryState,
    EventKind,
    address_refusal,
    retry_delay,
    verify_signature,
)
from factcheck.domain.workflow import CorrectionTier, Role, Status
from factcheck.models import WebhookDelivery, WebhookEvent
from factcheck.services import items as item_service
from factcheck.services import webhooks
from factcheck.services.errors import InvalidInput
from tests.job_queues import QUEUE_BACKENDS, own_queue
from tests.factories import gen_item_in, gen_user
from tests.webhook_receiver import free_port, receiver

#: A clock the tests set: later than every delivery they write.
T0 = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)



@pytest.fixture(params=QUEUE_BACKENDS)
def job_app(request, app, tmp_path):
    """The app with a queue of its own on the backend under test (emptied afterwards), private receivers allowed."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    with own_queue(app, request.param, tmp_path):
        yield app


def _hook(session, url, *kinds: EventKind, allow_private=True):
    return webhooks.register_webhook(session, url, kinds or tuple(EventKind), description="the CMS",
                                     actor=None, allow_private=allow_private)


def _deliveries(session):
    session.expire_all()
    return session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def _assert_signed(hook, received):
    header = received.headers[SIGNATURE_HEADER]
    assert verify_signature(hook.secret, header, received.body, now=int(time.time()))
    assert not verify_signature(hook.secret + "x", header, received.body, now=int(time.time()))
    assert not verify_signature(hook.secret, header, received.body + b" ", now=int(time.time()))


def test_a_published_verdict_reaches_the_receiver_signed_after_commit(job_app, session):
    with receiver() as server:
        hook = _hook(session, server.url, EventKind.VERDICT_PUBLISHED)
        item = gen_item_in(session, Status.PUBLISHED, rating="false")
        assert session.info.get(webhooks.PENDING_KEY)
        assert server.received == []  # nothing is sent inside the transaction
        session.commit()
        jobs.after_commit(job_app, session)
        assert jobs.execute_next(job_app) is True  # the queued delivery run
        [got] = server.received
    _assert_signed(hook, got)
    body = json.loads(got.body)
    assert body["type"] == "verdict.published" and got.headers["X-Factcheck-Event"] == "verdict.published"
    assert body["data"]["item_id"] == item.id and body["data"]["rating"] == "false"
    assert [d.state for d in _deliveries(session)] == [DeliveryState.DELIVERED]
    assert _deliveries(session)[0].last_status == 200


def test_a_correction_is_an_event_of_its_own(session):
    editor = gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.PUBLISHED)
    with receiver() as server:
        _hook(session, server.url, EventKind.VERDICT_CORRECTED)
        item_service.reopen_item(session, item.id, editor, tier=CorrectionTier.CORRECTION.value,
                                 note="The date was wrong.", version=item.version)
        [delivery] = _deliveries(session)
    assert delivery.event.kind is EventKind.VERDICT_CORRECTED
    assert delivery.event.payload["note"] == "The date was wrong." and delivery.event.payload["item_id"] == item.id


def test_a_rolled_back_change_records_and_sends_nothing(job_app, session):
    with receiver() as server:
        _hook(session, server.url)
        before = session.scalar(select(func.count()).select_from(WebhookEvent))
        nested = session.begin_nested()
        gen_item_in(session, Status.PUBLISHED)
        nested.rollback()
        run = jobs.run_webhook_deliveries(job_app, schedule=False)
        assert server.received == []
    assert session.scalar(select(func.count()).select_from(WebhookEvent)) == before
    assert _deliveries(session) == [] and run.delivered == 0


def test_a_500_is_retried_after_the_backoff_and_then_delivered(job_app, session):
    with receiver(500) as server:
        hook = _hook(session, server.url)
        webhooks.record_event(session, EventKind.ITEM_SUBMITTED, {"item_id": 7, "claim": "Ferries are free."})
        session.commit()
        first = jobs.run_webhook_deliveries(job_app, now=T0)
        [delivery] = _deliveries(session)
        assert (first.retrying, delivery.state, delivery.attempts, delivery.last_status) == (
            1, DeliveryState.PENDING, 1, 500)
        assert "500 Internal Server Error" in delivery.last_error
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=retry_delay(1))
        # A delivery run is queued for when the retry is due (huey holds it until its eta).
        [follow_up] = jobs.queue(job_app).pending()
        assert follow_up.name == "factcheck.deliver_webhooks" and follow_up.eta is not None

        early = jobs.run_webhook_deliveries(job_app, now=T0 + dt.timedelta(seconds=retry_delay(1) - 1))
        assert early == jobs.WebhookRun(next_due_at=delivery.next_attempt_at) and len(server.received) == 1

        second = jobs.run_webhook_deliveries(job_app, now=T0 + dt.timedelta(seconds=retry_delay(1)))
        assert second.delivered == 1 and len(server.received) == 2
    for got in server.received:
        _assert_signed(hook, got)
    assert server.received[0].body == server.received[1].body
    [delivery] = _deliveries(session)
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.DELIVERED, 2, None)


def test_a_refused_connection_is_retried_and_delivered_once_the_receiver_listens(job_app, session):
    port = free_port()
    hook = _hook(session, f"http://127.0.0.1:{port}/hooks/factcheck")
    webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
    session.commit()
    jobs.run_webhook_deliveries(job_app, now=T0)
    [delivery] = _deliveries(session)
    assert delivery.state is DeliveryState.PENDING and delivery.last_status is None
    assert "refused" in delivery.last_error and f"127.0.0.1:{port}" in delivery.last_error
    with receiver(port=port) as server:
        run = jobs.run_webhook_deliveries(job_app, now=T0 + dt.timedelta(seconds=retry_delay(1)))
        [got] = server.received
    _assert_signed(hook, got)
    assert run.delivered == 1 and _deliveries(session)[0].state is DeliveryState.DELIVERED


def test_the_backoff_doubles_and_a_delivery_is_given_up_after_the_last_attempt(app, session):
    app.config.update(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_MAX_ATTEMPTS=3)
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240] and retry_delay(40) == 6 * 3600
    with receiver(503, 503, 503, 503) as server:
        _hook(session, server.url)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
        now = T0
        for _ in range(3):
            jobs.run_webhook_deliveries(app, now=now, schedule=False)
            now = _deliveries(session)[0].next_attempt_at
        assert len(server.received) == 3
    [delivery] = _deliveries(session)
    assert delivery.state is DeliveryState.FAILED and delivery.attempts == 3


def test_an_answer_trickled_a_byte_at_a_time_is_ended_when_the_attempts_time_is_up(session):
    """The timeout holds for each read; a receiver sending a byte now and then would keep a worker for as long as it
    liked (and the batch's other claims would run out). The whole attempt ends after ``total_seconds``."""
    import socket
    import threading

    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"." * 400 + b"\r\n\r\nok":
                if stop.wait(0.05):  # a byte every twentieth of a second: 20 s in all, unless the test ends first
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        attempt = webhooks.Attempt(1, f"http://127.0.0.1:{port}/hooks", "secret", EventKind.VERDICT_PUBLISHED, b"{}", 1)
        outcome = webhooks.send(attempt, allow_private=True, timeout=0.75)
        assert not outcome.delivered and "did not finish answering within 1.5 seconds" in outcome.error
        assert not stop.is_set()  # ended by the deadline, not by the receiver finishing
    finally:
        stop.set()
        thread.join(10)
        listener.close()


def test_an_attempt_connects_to_the_address_it_checked_without_looking_the_name_up_again(session, monkeypatch):
    """A name that answers a public address to the check and a private one to the connection (DNS rebinding) could
    reach what the check refused. The connection goes to the address checked; the Host header keeps the name."""
    import socket

    real = socket.getaddrinfo

    def no_second_lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "hooks.example.test":
            raise socket.gaierror("looked up again")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_second_lookup)
    with receiver() as server:
        attempt = webhooks.Attempt(1, f"http://hooks.example.test:{server.port}/hooks", "secret",
                                   EventKind.VERDICT_PUBLISHED, b"{}", 1)
        outcome = webhooks.send(attempt, allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
        assert outcome.delivered, outcome
        [got] = server.received
        # Every address checked is tried in turn: the first refuses (nothing listens on 127.0.0.2), the next answers.
        again = webhooks.send(attempt, allow_private=True, resolver=lambda host, port: ["127.0.0.2", "127.0.0.1"])
        assert again.delivered, again
    assert got.headers["Host"] == f"hooks.example.test:{server.port}"


def test_addresses_that_never_answer_share_the_attempts_time_and_leave_some_to_the_next(monkeypatch):
    """Each address had the whole timeout to connect, beyond the attempt's deadline: addresses that never answer
    made an attempt last as many timeouts, and one that answered after them was cut off at once. They now share the
    time left, and the connection waits the timeout for each read."""
    import socket

    now = [100.0]
    tried: list[tuple[str, float]] = []

    class Answering:
        timeout: float | None = None

        def settimeout(self, value: float) -> None:
            self.timeout = value

    answering = Answering()

    def connect(where, timeout):  # type: ignore[no-untyped-def]
        tried.append((where[0], timeout))
        if where[0] != "192.0.2.9":
            now[0] += timeout  # waited its whole share: no answer
            raise TimeoutError("timed out")
        return answering

    monkeypatch.setattr(socket, "create_connection", connect)
    addresses = ["192.0.2.1", "192.0.2.2", "192.0.2.9"]
    got = webhooks._connect_to_one(addresses, 443, 10.0, 100.0 + 6.0, clock=lambda: now[0])
    assert got is answering and answering.timeout == 10.0
    assert [round(t, 6) for _, t in tried] == [2.0, 2.0, 2.0] and now[0] <= 106.0
    tried.clear()
    now[0] = 100.0
    with pytest.raises(TimeoutError):  # none answers: the deadline holds, whatever their number
        webhooks._connect_to_one([f"192.0.2.{n}" for n in range(1, 9)], 443, 10.0, 106.0, clock=lambda: now[0])
    assert now[0] <= 106.0 + 1e-9 and len(tried) == 8


def test_a_names_addresses_keep_the_order_the_resolver_prefers(monkeypatch):
    """Sorted as text, an IPv6 address came first, and a desk without IPv6 could never reach such a receiver."""
    import socket

    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
               (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:2800:21f:cb07::1", 443, 0, 0)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    assert webhooks.resolve("hooks.example.org", 443) == ["93.184.215.14", "2606:2800:21f:cb07::1"]


def test_an_outcome_is_written_only_for_the_attempt_that_holds_the_delivery(session):
    """A worker whose claim ran out may still report: its outcome must not overwrite that of the attempt which took
    the delivery since (nor settle a delivered one as failed)."""
    _hook(session, "http://127.0.0.1:9/hooks")
    webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
    [first] = webhooks.claim_due(session, now=T0)
    [second] = webhooks.claim_due(session, now=T0 + dt.timedelta(hours=2))  # the first claim ran out
    assert (first.attempt, second.attempt) == (1, 2)
    assert webhooks.record_outcome(session, second.delivery_id, webhooks.Outcome(True, 200), attempt=2) is not None
    late = webhooks.record_outcome(session, first.delivery_id, webhooks.Outcome(False, 500, "late failure"),
                                   attempt=1, max_attempts=1)
    [delivery] = _deliveries(session)
    assert late is None and delivery.state is DeliveryState.DELIVERED and delivery.last_error is None


def test_redirects_are_not_followed(app, session):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    with receiver(302) as server:
        _hook(session, server.url)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
        jobs.run_webhook_deliveries(app, now=T0, schedule=False)
        assert len(server.received) == 1
    [delivery] = _deliveries(session)
    assert delivery.last_status == 302 and "redirects are not followed" in delivery.last_error


def test_a_paused_hook_gets_nothing_new_and_its_waiting_deliveries_wait(app, session):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    with receiver() as server:
        hook = _hook(session, server.url)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
        webhooks.set_webhook_active(session, hook.id, False)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 2})
        jobs.run_webhook_deliveries(app, now=T0, schedule=False)
        assert server.received == [] and len(_deliveries(session)) == 1
        webhooks.set_webhook_active(session, hook.id, True)
        jobs.run_webhook_deliveries(app, now=T0, schedule=False)
        assert [json.loads(r.body)["data"]["item_id"] for r in server.received] == [1]


def test_only_hooks_that_asked_for_a_kind_get_it(session):
    published = _hook(session, "http://127.0.0.1:9/a", EventKind.VERDICT_PUBLISHED)
    _hook(session, "http://127.0.0.1:9/b", EventKind.ITEM_SUBMITTED)
    webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
    assert [d.webhook_id for d in _deliveries(session)] == [published.id]


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://files.example.org/hook", "https://"),
    ("file:///etc/passwd", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://user:pw@hooks.example.org/x", "no user name"),
    ("https:///nohost", "host name"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://[::ffff:169.254.169.254]/hook", "link-local"),
    ("http://0.0.0.0/hook", "not an address"),
    ("http://224.0.0.1/hook", "not an address"),
    ("http://127.0.0.1:8080/hook", "private network"),
    ("http://10.1.2.3/hook", "private network"),
    ("http://[::1]/hook", "private network"),
    ("http://hooks.example.org:99999/x", "not a URL"),
    # No request could carry these: every attempt would fail (a letter outside ASCII, DEL).
    ("https://93.184.215.14/ü", "percent-encode"),
    ("https://hooks.example.org/ok?a=\x7f", "control characters"),
])
def test_unusable_urls_are_refused_in_plain_words(session, url, reason):
    with pytest.raises(InvalidInput, match=reason):
        webhooks.register_webhook(session, url, [EventKind.VERDICT_PUBLISHED], actor=None, allow_private=False,
                                  resolver=lambda host, port: [host.strip("[]")])


def test_a_name_that_resolves_to_a_metadata_address_is_refused_even_with_private_allowed(session):
    with pytest.raises(InvalidInput, match="metadata.internal resolves to 169.254.169.254 is a link-local"):
        webhooks.register_webhook(session, "http://metadata.internal/", [EventKind.VERDICT_PUBLISHED], actor=None,
                                  allow_private=True, resolver=lambda host, port: ["169.254.169.254"])
    assert address_refusal("10.0.0.1", allow_private=True) is None
    assert address_refusal("93.184.216.34", allow_private=False) is None


def test_each_attempt_checks_the_address_again(app, session):
    with receiver() as server:
        _hook(session, server.url)  # registered while private receivers were allowed
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 1})
        app.config["WEBHOOK_ALLOW_PRIVATE"] = False
        jobs.run_webhook_deliveries(app, now=T0, schedule=False)
        assert server.received == []
    assert "Not sent" in _deliveries(session)[0].last_error


def test_a_hook_needs_an_event(session):
    with pytest.raises(InvalidInput, match="at least one event"):
        webhooks.register_webhook(session, "http://127.0.0.1:9/", [], actor=None, allow_private=True)


def test_the_deliver_command_sends_what_is_due(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from factcheck.app import create_app
    from factcheck.cli import main
    from factcheck.db import session_scope
    from tests.conftest import TEST_SECRET, migrated_sqlite_url

    url = migrated_sqlite_url(tmp_path / "desk.sqlite3")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET})
    with receiver(500) as server:
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            _hook(session, server.url)
            webhooks.record_event(session, EventKind.VERDICT_CORRECTED, {"item_id": 3})
        app.extensions["factcheck.db"].dispose()
        env = {"FACTCHECK_DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "FACTCHECK_WEBHOOK_ALLOW_PRIVATE": "1",
               "FACTCHECK_JOBS_PATH": str(tmp_path / "jobs.sqlite3"), "FACTCHECK_REDIS_URL": ""}
        first = CliRunner().invoke(main, ["webhooks", "deliver"], env=env)
        assert first.exit_code == 0, first.output
        assert "Delivered 0; 1 to try again later; 0 given up; the next is due at" in first.output
        assert len(server.received) == 1


def _documented_verifier():
    """The verification snippet of docs/webhooks.md, run as a receiver would copy it."""
    from tests.conftest import REPO

    text = (REPO / "docs" / "webhooks.md").read_text(encoding="utf-8")
    section = text[text.index("## The signature"):]
    code = section[section.index("```python") + len("```python"):]
    code = code[:code.index("```")]
    namespace: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # noqa: S102 - the documentation's own code
    return namespace["verify"]


def test_the_documented_verification_snippet_accepts_real_deliveries_and_refuses_tampering(app, session):
    verify = _documented_verifier()
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    with receiver() as server:
        hook = _hook(session, server.url)
        webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": 5})
        jobs.run_webhook_deliveries(app, schedule=False)
        [got] = server.received
    header = got.headers[SIGNATURE_HEADER]
    assert verify(hook.secret, header, got.body)
    assert not verify(hook.secret, header, got.body.replace(b'"item_id":5', b'"item_id":6'))
    assert not verify("whsec_another", header, got.body)
    stale = header.replace(header.split(",")[0], f"t={int(time.time()) - 3600}")
    assert not verify(hook.secret, stale, got.body)
    # A forged signature with characters outside ASCII is refused, not an error (the receiver's 500).
    forged = f"{header.split(',')[0]},v1=é{'0' * 63}"
    assert not verify(hook.secret, forged, got.body)
    assert not verify_signature(hook.secret, forged, got.body, now=int(time.time()))


# --- several workers at once, with real commits --------------------------------------------------------------

WORKERS = 4
DELIVERIES = 60


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request, tmp_path):
    """A migrated database of its own: a new SQLite file, or a new schema in the PostgreSQL test database."""
    from factcheck.db import Database
    from tests.conftest import BACKENDS, migrated_sqlite_url
    from tests.pg_schema import private_schema_database

    if request.param not in BACKENDS:
        pytest.skip("PostgreSQL runs when FACTCHECK_TEST_DATABASE_URL is set")
    if request.param == "sqlite":
        db = Database(migrated_sqlite_url(tmp_path / "hooks.sqlite3"), pool_size=WORKERS + 2)
        yield db
        db.dispose()
        return
    with private_schema_database(pool_size=WORKERS + 2) as db:
        yield db


def test_workers_claiming_together_never_take_the_same_delivery(own_database):
    """Four workers claim batches at once, round after round (a barrier starts each round), until none is due:
    every delivery is claimed exactly once (row locks skipped on PostgreSQL, one writer at a time on SQLite)."""
    import threading

    from factcheck.db import write_intent

    db = own_database
    with db.sessionmaker() as session:
        _hook(session, "http://127.0.0.1:9/hooks")
        for n in range(DELIVERIES):
            webhooks.record_event(session, EventKind.VERDICT_PUBLISHED, {"item_id": n})
        session.commit()
    claimed: list[list[int]] = [[] for _ in range(WORKERS)]
    errors: list[BaseException] = []
    next_round = threading.Barrier(WORKERS)
    done = threading.Event()

    def worker(index: int) -> None:
        token = write_intent.set(True)
        try:
            while not done.is_set():
                next_round.wait()
                with db.sessionmaker() as session:
                    batch = webhooks.claim_due(session, now=T0, limit=3)
                    session.commit()
                claimed[index].extend(a.delivery_id for a in batch)
                if not batch:
                    done.set()
                next_round.wait()
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
            next_round.abort()
        finally:
            write_intent.reset(token)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    every = [i for ids in claimed for i in ids]
    assert len(every) == len(set(every)) == DELIVERIES
    with db.sessionmaker() as session:
        attempts = session.scalars(select(WebhookDelivery.attempts)).all()
    assert sorted(set(attempts)) == [1]
