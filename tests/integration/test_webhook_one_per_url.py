"""One hook per receiver URL: a registration sent again (a reloaded page, a double click) makes no second hook."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from factcheck.domain.webhooks import EventKind, destination_key
from factcheck.domain.workflow import AuditAction
from factcheck.models import AuditEvent, Webhook
from factcheck.services import webhooks
from factcheck.services.errors import Duplicate
from tests.conftest import PG_URL


def _public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]  # a public address, so no name lookup leaves the machine


def _register(session, url, *kinds: EventKind):
    return webhooks.register_webhook(session, url, kinds or (EventKind.VERDICT_PUBLISHED,), actor=None,
                                     allow_private=False, resolver=_public)


@pytest.mark.parametrize(("first", "second"), [
    ("https://cms.example.org/hooks", "https://cms.example.org/hooks"),
    ("https://cms.example.org/hooks", "HTTPS://CMS.Example.org/hooks"),
    ("https://cms.example.org/hooks", "https://cms.example.org:443/hooks"),
    ("http://cms.example.org", "http://cms.example.org:80/"),
    ("https://cms.example.org/hooks?site=2", "https://cms.example.org/hooks?site=2#top"),
])
def test_a_second_hook_for_the_same_receiver_is_refused_and_nothing_is_written(session, first, second):
    hook = _register(session, first)
    registered = session.scalar(select(func.count()).select_from(AuditEvent)
                                .where(AuditEvent.action == AuditAction.WEBHOOK_REGISTER))
    with pytest.raises(Duplicate, match=f"Webhook #{hook.id} already sends to"):
        _register(session, second, EventKind.ITEM_SUBMITTED)
    assert session.scalars(select(Webhook.id)).all() == [hook.id]
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == AuditAction.WEBHOOK_REGISTER)) == registered


@pytest.mark.parametrize("other", [
    "https://cms.example.org/hooks/",  # another path
    "https://cms.example.org/Hooks",  # paths are case-sensitive
    "https://cms.example.org/hooks?site=3",
    "https://cms.example.org:8443/hooks",
    "http://cms.example.org/hooks",  # another scheme, another port
    "https://other.example.org/hooks",
])
def test_other_receivers_are_registered(session, other):
    _register(session, "https://cms.example.org/hooks")
    _register(session, other)
    assert session.scalar(select(func.count()).select_from(Webhook)) == 2


def test_a_removed_hooks_url_can_be_registered_again(session):
    hook = _register(session, "https://cms.example.org/hooks")
    webhooks.remove_webhook(session, hook.id)
    again = _register(session, "https://cms.example.org/hooks")
    assert session.scalars(select(Webhook.id)).all() == [again.id]


def test_destination_keys():
    assert destination_key("https://[2001:DB8::1]:443/x") == "https://[2001:db8::1]/x"
    assert destination_key("http://Example.org:8080") == "http://example.org:8080/"


def test_two_registrations_of_one_url_at_once_make_one_hook() -> None:
    """The second registration waits for the first one's transaction, then sees its hook and is refused."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL): SQLite's writers take turns anyway")
    from tests.pg_schema import private_schema_database

    with private_schema_database(pool_size=4) as db:
        first = Session(db.engine)
        _register(first, "https://cms.example.org/hooks")  # written, not committed
        first_pid = first.scalar(text("SELECT pg_backend_pid()"))
        outcome: list[object] = []

        def second_registration() -> None:
            try:
                with Session(db.engine) as second:
                    second.execute(text("SET LOCAL lock_timeout = '60s'"))  # a wait that never ends fails
                    outcome.append(_register(second, "https://cms.example.org/hooks").id)
                    second.commit()
            except BaseException as exc:  # reported below; a thread cannot fail the test itself
                outcome.append(exc)

        thread = threading.Thread(target=second_registration)
        thread.start()
        try:
            # The second transaction is blocked behind the first one's registration: a state, not a delay.
            with db.engine.connect() as watcher:
                waiting = 0
                for _ in range(60_000):
                    waiting = watcher.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                        {"pid": first_pid})
                    if waiting or not thread.is_alive():
                        break
                    watcher.rollback()
                    threading.Event().wait(0.005)
                assert waiting == 1, "the second registration never waited for the first one"
        except BaseException:
            first.rollback()  # lets the second transaction (and the schema's cleanup) go on
            first.close()
            thread.join(timeout=120)
            raise
        first.commit()
        first.close()
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], Duplicate), outcome
        with Session(db.engine) as session:
            assert session.scalar(select(func.count()).select_from(Webhook)) == 1
