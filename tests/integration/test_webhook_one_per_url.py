"""One hook per receiver URL: a registration sent again (a reloaded page, a double click) makes no second hook."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
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
    ("https://cms.example.org/hooks", "https://cms.example.org./hooks"),
    ("http://cms.example.org", "http://cms.example.org:80/"),
    ("https://cms.example.org/hooks?site=2", "https://cms.example.org/hooks?site=2#top"),
    # RFC 3986's normal form: unreserved characters percent-encoded or not, hex digits in any case, dot segments
    ("https://cms.example.org/~desk/hooks", "https://cms.example.org/%7Edesk/%68ooks"),
    ("https://cms.example.org/a%2Fb", "https://cms.example.org/a%2fb"),
    ("https://cms.example.org/hooks", "https://cms.example.org/old/../hooks"),
    ("https://cms.example.org/hooks?site=~2", "https://cms.example.org/hooks?site=%7e2"),
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
    assert destination_key("https://example.org/a/./b/../c/%7e?q=%2f") == "https://example.org/a/c/~?q=%2F"
    assert destination_key("https://example.org/../x") == "https://example.org/x"
    assert destination_key("https://example.org/a/b/..") == "https://example.org/a/"
    assert destination_key("https://example.org/a%2Fb") != destination_key("https://example.org/a/b")  # no separator


def test_two_registrations_of_one_url_at_once_make_one_hook() -> None:
    """The second registration waits for the first one's transaction, then sees its hook and is refused."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL): SQLite's writers take turns anyway")
    from tests.pg_schema import behind_first, private_schema_database

    with private_schema_database(pool_size=4) as db:
        first = Session(db.engine)
        _register(first, "https://cms.example.org/hooks")  # written, not committed
        outcome = behind_first(db, first, lambda second: _register(second, "https://cms.example.org/hooks").id)
        assert isinstance(outcome, Duplicate), outcome
        with Session(db.engine) as session:
            assert session.scalar(select(func.count()).select_from(Webhook)) == 1


def test_registering_a_paused_hooks_url_says_to_resume_it(session):
    hook = _register(session, "https://cms.example.org/hooks")
    webhooks.set_webhook_active(session, hook.id, False)
    with pytest.raises(Duplicate, match=f"Webhook #{hook.id} for https://cms.example.org/hooks is paused. Resume it"):
        _register(session, "https://cms.example.org/hooks")
    assert session.scalars(select(Webhook.id)).all() == [hook.id]
