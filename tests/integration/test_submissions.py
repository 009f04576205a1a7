"""The public claim inbox's services on SQLite and PostgreSQL: matching, counting readers, the one answer
mail, and erasing addresses (with an injected clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from factcheck.domain.accounts import MailState
from factcheck.domain.workflow import AuditAction, Decision, Origin, Policy, Role, Status
from factcheck.models import AuditEvent, CheckItem, OutboxMail, ReaderSubmission
from factcheck.services import items as item_service
from factcheck.services.answers import ERASED, purge_addresses, tell_session, wrote_reader_mail
from factcheck.services.errors import InvalidInput
from factcheck.services.sources import compute_priority
from factcheck.services.submissions import submit_claim
from tests.factories import gen_evidence, gen_item, gen_item_in, gen_user

BASE = "https://desk.example.org/"
SEA = "The sea level rose by 20 cm since 1900."


@pytest.fixture(autouse=True)
def site(session):
    tell_session(session, base_url=BASE, erase_days=90)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_new_claim_becomes_a_reader_item_in_triage_with_its_request_recorded(session):
    done = submit_claim(session, claim_text="  The mayor  banned bicycles from every bridge in town. ",
                        seen_at_url="https://social.example.org/post/1", email="reader@example.org")
    item = done.item
    assert done.is_new_item and done.answered_by_id is None
    assert item.status is Status.CLAIM and item.origin is Origin.READER
    assert item.claim_text == "The mayor banned bicycles from every bridge in town."
    assert item.reader_requests == 1
    submission = done.submission
    assert (submission.item_id, submission.email, submission.seen_at_url) == (
        item.id, "reader@example.org", "https://social.example.org/post/1")
    assert submission.answered_at is None and not submission.answered_on_screen
    created = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id,
                                                       AuditEvent.action == AuditAction.CREATE)).one()
    assert created.payload == {"origin": "reader"}


def test_each_reader_asking_for_the_same_claim_is_counted_and_raises_its_priority(session):
    item = gen_item(session, SEA)
    version, priorities = item.version, [item.priority]
    for n, words in enumerate(["Is it true the sea level rose by 20 cm since 1900?",
                               "sea level rose 20 cm since 1900 says my uncle",
                               "I read that since 1900 the sea level rose by 20 cm"], start=1):
        done = submit_claim(session, claim_text=words)
        assert done.item.id == item.id and not done.is_new_item
        assert item.reader_requests == n
        priorities.append(session.scalar(select(CheckItem.priority).where(CheckItem.id == item.id)))
    assert priorities == sorted(priorities) and len(set(priorities)) == 4, priorities
    assert item.version == version  # a reader's request is not an edit: open forms stay valid
    because = [e.payload["because"] for e in session.scalars(
        select(AuditEvent).where(AuditEvent.item_id == item.id, AuditEvent.action == AuditAction.PRIORITY)
        .order_by(AuditEvent.id))]
    assert because == ["asked by 1 reader", "asked by 2 readers", "asked by 3 readers"]
    assert _count(session, CheckItem) == 1


def test_the_priority_counts_readers_on_top_of_the_desks_computation(session):
    item = gen_item(session, SEA)
    without = compute_priority(session, item)
    item.reader_requests = 3
    with_three = compute_priority(session, item)
    assert without < with_three <= 1.0
    assert with_three == pytest.approx(without + (1 - without) * (1 - 0.75 ** 3), abs=1e-4)


def test_a_claim_already_checked_is_answered_on_screen_and_no_address_is_kept(session):
    published = gen_item_in(session, Status.PUBLISHED)
    items_before = _count(session, CheckItem)
    done = submit_claim(session, claim_text="Did the sea level really rise by 20 cm since 1900?",
                        email="reader@example.org")
    assert done.answered_by_id == published.id and done.item.id == published.id
    assert _count(session, CheckItem) == items_before
    assert done.submission.email is None and done.submission.answered_on_screen
    assert done.submission.answered_at is not None
    assert published.reader_requests == 1
    assert _count(session, OutboxMail) == 0 and not wrote_reader_mail(session)


def test_a_dismissed_item_does_not_take_readers_requests(session):
    dismissed = gen_item_in(session, Status.DISMISSED)
    done = submit_claim(session, claim_text=SEA)
    assert done.is_new_item and done.item.id != dismissed.id and dismissed.reader_requests == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"claim_text": "short"}, "at least 10"),
    ({"claim_text": "x" * 2001}, "under 2000"),
    ({"claim_text": SEA, "seen_at_url": "javascript:alert(1)"}, "https://"),
    ({"claim_text": SEA, "email": "not an address"}, "email address"),
])
def test_bad_input_is_refused_in_plain_words_and_writes_nothing(session, fields, message):
    with pytest.raises(InvalidInput, match=message):
        submit_claim(session, **fields)
    assert _count(session, ReaderSubmission) == 0 and _count(session, CheckItem) == 0


def _publish(session, item, checker, reviewer) -> None:
    policy = Policy()
    if item.status is Status.CLAIM:
        item_service.take_item(session, item.id, checker)
        gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="It is false.",
                                 rationale="Two records refute it.", policy=policy)
    item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=policy)
    assert item.status is Status.PUBLISHED


def test_publishing_answers_each_reader_address_once_with_the_absolute_verdict_link(session):
    first = submit_claim(session, claim_text="The mayor banned bicycles from every bridge in town.",
                         email="Reader@Example.org")
    item = first.item
    submit_claim(session, claim_text="Mayor banned bicycles from every bridge in town?", email="reader@example.org")
    submit_claim(session, claim_text="Did the mayor ban bicycles from every bridge in town", email="other@example.org")
    submit_claim(session, claim_text="the mayor banned bicycles from every bridge in town!!")
    assert item.reader_requests == 4
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    _publish(session, item, checker, reviewer)
    mails = session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert sorted(m.to_address.lower() for m in mails) == ["other@example.org", "reader@example.org"]
    for mail in mails:
        assert f"https://desk.example.org/verdicts/{item.id}" in mail.body
        assert "False. It is false." in mail.body and "90 days" in mail.body
    submissions = session.scalars(select(ReaderSubmission).where(ReaderSubmission.item_id == item.id)).all()
    assert all(s.answered_at is not None for s in submissions)
    assert {s.answer_mail_id for s in submissions if s.email} == {m.id for m in mails}

    assert wrote_reader_mail(session) and not wrote_reader_mail(session)  # told once: the web starts delivery

    # A correction and a new publication answer nobody a second time.
    editor = gen_user(session, Role.EDITOR)
    item_service.reopen_item(session, item.id, editor, tier="correction", note="A date was wrong.")
    _publish(session, item, checker, gen_user(session, Role.REVIEWER))
    assert _count(session, OutboxMail) == 2


def test_addresses_are_erased_after_the_set_time_with_their_mails_copies(session):
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    answered_long_ago = submit_claim(session, claim_text="The mayor banned bicycles from every bridge in town.",
                                     email="old@example.org", now=now - dt.timedelta(days=120))
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    _publish(session, answered_long_ago.item, checker, reviewer)
    [mail] = session.scalars(select(OutboxMail)).all()
    answered_long_ago.submission.answered_at = now - dt.timedelta(days=91)
    answered_lately = submit_claim(session, claim_text="Whales were seen in the harbour of the capital city.",
                                   email="recent@example.org", now=now - dt.timedelta(days=100))
    answered_lately.submission.answered_at = now - dt.timedelta(days=89)
    never_answered = submit_claim(session, claim_text="The new library holds three million printed books.",
                                  email="waiting@example.org", now=now - dt.timedelta(days=366))
    still_waiting = submit_claim(session, claim_text="The city will plant a thousand trees on the river bank.",
                                 email="patient@example.org", now=now - dt.timedelta(days=200))
    session.flush()

    assert purge_addresses(session, answered_days=90, unanswered_days=365, now=now) == 2
    kept = dict(session.execute(select(ReaderSubmission.id, ReaderSubmission.email)).all())
    assert kept[answered_long_ago.submission.id] is None and kept[never_answered.submission.id] is None
    assert kept[answered_lately.submission.id] == "recent@example.org"
    assert kept[still_waiting.submission.id] == "patient@example.org"
    erased_at = session.scalar(select(ReaderSubmission.email_erased_at)
                               .where(ReaderSubmission.id == answered_long_ago.submission.id))
    assert erased_at == now
    mail = session.get(OutboxMail, mail.id)
    assert mail.to_address == ERASED and mail.state is MailState.FAILED  # it never went out: now it cannot
    assert purge_addresses(session, answered_days=90, unanswered_days=365, now=now) == 0


def test_a_new_reader_item_is_a_webhook_event_and_a_reader_joining_one_is_not(session):
    from factcheck.domain.webhooks import EventKind
    from factcheck.models import WebhookDelivery, WebhookEvent
    from factcheck.services import webhooks

    hook = webhooks.register_webhook(session, "https://cms.example.org/hooks", [EventKind.ITEM_SUBMITTED],
                                     description="the CMS", actor=None, allow_private=False,
                                     resolver=lambda host, port: ["93.184.216.34"])
    done = submit_claim(session, claim_text="The harbour ferry became free for everyone last spring.",
                        seen_at_url="https://social.example.org/post/2", email="reader@example.org")
    again = submit_claim(session, claim_text="the harbour ferry became free for everyone last spring",
                         email="other@example.org")
    assert again.item.id == done.item.id and not again.is_new_item
    events = session.scalars(select(WebhookEvent).where(WebhookEvent.kind == EventKind.ITEM_SUBMITTED)).all()
    assert len(events) == 1
    assert events[0].payload["item_id"] == done.item.id
    assert events[0].payload["claim"] == "The harbour ferry became free for everyone last spring."
    assert "reader@example.org" not in str(events[0].payload)
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)
                          .where(WebhookDelivery.webhook_id == hook.id)) == 1
