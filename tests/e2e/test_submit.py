"""The public claim inbox through the web: sending a claim, its protections, the answer mail received by a
real SMTP server, readers' addresses kept out of every public page, and the purge command."""

from __future__ import annotations

from contextlib import nullcontext
import datetime as dt
import re
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.domain.workflow import Origin, Policy, Role, Status
from factcheck.models import CheckItem, OutboxMail, ReaderSubmission, Throttle
from factcheck.services import items as item_service
from factcheck.services.answers import tell_session
from factcheck.services.mail import deliver_due
from factcheck.services.submissions import submit_claim
from factcheck.web.submit import started_token
from tests.e2e.accounts.test_mail_and_reset import smtp_server  # noqa: F401  (a fixture)
from tests.factories import gen_evidence, gen_item_in, gen_user, seen_key
from tests.helpers import csrf_token, hidden_fields, new_csrf_token, sign_in

READER = "reader.inbox@example.org"
CLAIM = "The mayor banned bicycles from every bridge in town."


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _form(client, app, *, seconds_ago: float = 30) -> dict[str, str]:
    """What the form page gives a browser: its CSRF token, and the moment it was opened (``seconds_ago``)."""
    page = client.get("/submit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = {**hidden_fields(html, "/submit"), "csrf_token": csrf_token(html)}
    with app.app_context():
        data["started"] = started_token(time.time() - seconds_ago)
    return data


def _send(client, app, *, seconds_ago: float = 30, **fields: str):
    return client.post("/submit", data={**_form(client, app, seconds_ago=seconds_ago), **fields})


def test_the_form_carries_a_signed_opening_time_and_a_trap_field_hidden_from_people(client):
    html = client.get("/submit").get_data(as_text=True)
    assert re.search(r'name="started" type="hidden" value="[^"]+\.[^"]+"', html)
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website">', html)
    assert 'tabindex="-1"' in html


def test_a_reader_sends_a_new_claim_and_checkers_find_it_in_triage_asked_by_one_reader(app, client, session, world):
    response = _send(client, app, claim=CLAIM, seen_at="https://social.example.org/p/1", email=READER)
    assert response.status_code == 302 and response.headers["Location"].endswith("/submit/done")
    done = client.get("/submit/done").get_data(as_text=True)
    assert "Your claim is with our checkers" in done and "We will write to you once" in done
    assert client.get("/submit/done").status_code == 302  # the outcome is shown once
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    assert item.claim_text == CLAIM and item.status is Status.CLAIM and item.reader_requests == 1
    submission = session.scalars(select(ReaderSubmission)).one()
    assert (submission.email, submission.seen_at_url) == (READER, "https://social.example.org/p/1")

    staff = app.test_client()
    sign_in(staff, world.email("checker"))
    triage = staff.get("/triage").get_data(as_text=True)
    assert CLAIM in triage and "asked by 1 reader<" in triage
    assert f'href="/items/{item.id}/readers">asked by 1 reader<' in staff.get(f"/items/{item.id}").get_data(as_text=True)
    readers = staff.get(f"/items/{item.id}/readers").get_data(as_text=True)
    assert CLAIM in readers and 'href="https://social.example.org/p/1" rel="noopener noreferrer nofollow"' in readers
    assert "gets one mail on publication" in readers and READER not in readers
    assert staff.get("/items/999999/readers").status_code == 404


def test_a_claim_the_desk_has_checked_shows_the_verdict_at_once_and_is_still_recorded(app, client, session):
    published = gen_item_in(session, Status.PUBLISHED)
    items = _count(session, CheckItem)
    response = _send(client, app, claim="Is it true that the sea level rose by 20 cm since 1900?", email=READER)
    assert response.status_code == 302
    page = client.get("/submit/done").get_data(as_text=True)
    assert "We checked this" in page and f'href="/verdicts/{published.id}"' in page
    assert "It is false." in page and "False" in page
    assert _count(session, CheckItem) == items
    submission = session.scalars(select(ReaderSubmission)).one()
    assert submission.item_id == published.id and submission.answered_on_screen and submission.email is None


def test_a_form_sent_faster_than_a_person_writes_is_refused_and_keeps_the_text(app, client, session):
    response = _send(client, app, seconds_ago=0.5, claim=CLAIM)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "faster than a person can write it" in page and CLAIM in page
    assert _count(session, ReaderSubmission) == 0 and _count(session, CheckItem) == 0


def test_the_shortest_fill_time_is_a_setting(app, client, session):
    app.config.update(SUBMIT_MIN_SECONDS=60)
    assert _send(client, app, seconds_ago=30, claim=CLAIM).status_code == 422
    assert _send(client, app, seconds_ago=61, claim=CLAIM).status_code == 302


@pytest.mark.parametrize(("started", "message"), [
    ("forged.value", "out of date"),
    ("", "out of date"),
])
def test_a_missing_or_forged_opening_time_is_refused(app, client, session, started, message):
    data = {**_form(client, app), "claim": CLAIM, "started": started}
    response = client.post("/submit", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(session, ReaderSubmission) == 0


def test_a_form_opened_more_than_a_day_ago_is_out_of_date(app, client, session):
    response = _send(client, app, seconds_ago=25 * 3600, claim=CLAIM)
    assert response.status_code == 422 and "out of date" in response.get_data(as_text=True)


def test_the_trap_field_filled_in_is_refused_and_nothing_is_saved(app, client, session):
    response = _send(client, app, claim=CLAIM, website="https://spam.example.com")
    assert response.status_code == 422
    assert "Leave this field empty" in response.get_data(as_text=True)
    assert _count(session, ReaderSubmission) == 0 and _count(session, CheckItem) == 0


def test_a_post_without_a_csrf_token_is_refused(app, client, session):
    data = {**_form(client, app), "claim": CLAIM}
    del data["csrf_token"]
    assert client.post("/submit", data=data).status_code == 400
    assert _count(session, ReaderSubmission) == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"claim": "x" * 2001}, "10 to 2000 characters"),
    ({"claim": "too short"}, "10 to 2000 characters"),
    ({"claim": CLAIM, "seen_at": "https://e.org/" + "a" * 2000}, "under 2000"),
    ({"claim": CLAIM, "seen_at": "not a link"}, "starting with https://"),
    ({"claim": CLAIM, "email": "a@" + "b" * 250 + ".org"}, "under 254"),
    ({"claim": CLAIM, "email": "nobody"}, "does not look right"),
    # One plain address: a list, a group or a display name would add recipients to the desk's mail.
    ({"claim": CLAIM, "email": "postmaster,victim@example.org"}, "does not look right"),
    ({"claim": CLAIM, "email": "list:root,victim@example.org;"}, "does not look right"),
    ({"claim": CLAIM, "email": "Boss <victim@example.org>"}, "does not look right"),
    ({"claim": CLAIM, "email": "a\x00b@example.org"}, "does not look right"),
    ({"claim": CLAIM, "email": "ü@exämple.org"}, "does not look right"),
    # A NUL (PostgreSQL refuses it in text: a 500 before) or another control character; a claim without words.
    ({"claim": CLAIM + "\x00"}, "holds a NUL character"),  # (every form refuses one so)
    ({"claim": "The mayor said \x1b[31m the bridge closed."}, "not text (control characters)"),
    ({"claim": CLAIM, "seen_at": "https://example.org/a\x00b"}, "holds a NUL character"),
    ({"claim": "\u200b" * 50}, "no letter or digit"),
    ({"claim": "🙂" * 20}, "no letter or digit"),
])
def test_fields_over_their_limits_or_malformed_are_refused_in_plain_words(app, client, session, fields, message):
    response = _send(client, app, **fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(session, ReaderSubmission) == 0 and _count(session, CheckItem) == 0


def test_an_address_sending_too_many_claims_is_slowed_down_with_a_429(app, client, session):
    app.config.update(SUBMIT_THROTTLE_LIMIT=2, SUBMIT_THROTTLE_SECONDS=3600)
    assert _send(client, app, claim=CLAIM).status_code == 302
    assert _send(client, app, claim="x").status_code == 422  # refused attempts count too
    third = _send(client, app, claim="Whales were seen in the harbour of the capital city.")
    assert third.status_code == 429
    assert 0 < int(third.headers["Retry-After"]) <= 3600
    assert "Try again in" in third.get_data(as_text=True)
    assert _count(session, ReaderSubmission) == 1
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _send(other, app, claim="Whales were seen in the harbour of the capital city.").status_code == 302
    assert session.scalar(select(Throttle.count).where(Throttle.key == "submit:127.0.0.1")) == 3


def _to_verdict(session, item: CheckItem) -> tuple:
    checker = gen_user(session, Role.CHECKER)
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No bridge was closed.",
                                 rationale="The council's minutes show no such decision.", policy=Policy())
    return checker, gen_user(session, Role.REVIEWER, email="reviewer@example.org")


def _approve(app, session, item: CheckItem, reviewer) -> None:
    staff = app.test_client()
    sign_in(staff, reviewer.email)
    response = staff.post(f"/queue/{item.id}/vote", data={"csrf_token": new_csrf_token(staff),
                                                         "decision": "approve", "rating": "",
                                                         "seen": seen_key(session, item.id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    session.expire_all()
    assert session.get(CheckItem, item.id).status is Status.PUBLISHED


def test_the_reader_gets_one_answer_mail_with_the_absolute_verdict_link(app, client, session, smtp_server):  # noqa: F811
    app.config.update(MAIL_SEND_IN_PROCESS=False, BASE_URL="https://desk.example.org")
    assert _send(client, app, claim=CLAIM, email=READER).status_code == 302
    second = app.test_client()
    second.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert _send(second, app, claim="Did the mayor ban bicycles from every bridge in town?",
                 email=READER.upper()).status_code == 302
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    assert item.reader_requests == 2
    _, reviewer = _to_verdict(session, item)
    _approve(app, session, item, reviewer)

    deliver_due(lambda: nullcontext(session), smtp_server.url(), "desk@example.org")  # the verdict's author is told too
    [message] = [m for m in smtp_server.inbox.messages if m["To"].lower() == READER]
    assert message["To"].lower() == READER and message["Subject"] == "We checked the claim you sent us"
    body = message.get_payload(decode=True).decode()
    assert f"https://desk.example.org/verdicts/{item.id}" in body
    assert "We checked it." in body and "False. No bridge was closed." in body  # (nobody restated the claim)
    assert "90 days" in body
    assert deliver_due(lambda: nullcontext(session), smtp_server.url(), "desk@example.org").sent == 0
    assert sum(1 for m in smtp_server.inbox.messages if m["To"].lower() == READER) == 1


def test_without_a_base_url_the_link_is_the_address_the_request_reached(app, client, session):
    assert _send(client, app, claim=CLAIM, email=READER).status_code == 302
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    _, reviewer = _to_verdict(session, item)
    _approve(app, session, item, reviewer)
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == READER)).one()
    assert f"http://factcheck.test/verdicts/{item.id}" in mail.body


def test_readers_addresses_are_never_on_public_pages_feeds_or_reports(app, client, session, world):
    published = gen_item_in(session, Status.PUBLISHED)
    # An address kept on an open item, then published: it is in the database and the outbox only.
    assert _send(client, app, claim=CLAIM, email=READER).status_code == 302
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    _, reviewer = _to_verdict(session, item)
    _approve(app, session, item, reviewer)
    assert session.scalars(select(ReaderSubmission.email)).all() == [READER]
    pages = ["/reports", f"/verdicts/{item.id}", f"/verdicts/{published.id}", "/claimreview.json", "/submit"]
    anonymous = app.test_client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert "reader.inbox" not in response.get_data(as_text=True).lower(), url
    staff = app.test_client()
    sign_in(staff, world.email("editor"))
    for url in pages + [f"/items/{item.id}", f"/items/{item.id}/readers", "/triage", "/dashboard"]:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "reader.inbox" not in response.get_data(as_text=True).lower(), url


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """A fresh, migrated SQLite database for the commands."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACTCHECK_READER_ADDRESS_DAYS", "30")
    result = CliRunner().invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    db = Database(url)
    yield db
    db.dispose()


def test_the_purge_command_erases_addresses_past_the_set_time(cli_env):
    now = dt.datetime.now(dt.UTC)
    with cli_env.sessionmaker() as s:
        tell_session(s, base_url="https://desk.example.org", erase_days=30)
        old = submit_claim(s, claim_text=CLAIM, email="old@example.org", now=now - dt.timedelta(days=40))
        old.submission.answered_at = now - dt.timedelta(days=31)
        recent = submit_claim(s, claim_text="Whales were seen in the harbour of the capital city.",
                              email="recent@example.org", now=now - dt.timedelta(days=20))
        recent.submission.answered_at = now - dt.timedelta(days=20)
        s.commit()
    result = CliRunner().invoke(main, ["submissions", "purge"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Erased 1 reader address " in result.output and "30 days after the answer" in result.output
    with cli_env.sessionmaker() as s:
        assert sorted(filter(None, s.scalars(select(ReaderSubmission.email)))) == ["recent@example.org"]
    later = (now + dt.timedelta(days=11)).isoformat()
    result = CliRunner().invoke(main, ["submissions", "purge", "--now", later], catch_exceptions=False)
    assert "Erased 1 reader address " in result.output
    with cli_env.sessionmaker() as s:
        assert list(filter(None, s.scalars(select(ReaderSubmission.email)))) == []


def test_the_purge_command_forgets_the_used_forms_past_their_day(cli_env):
    """An opened form's value is noted as used for the day the form is valid; the purge forgets older notes (and
    nothing else the limits count)."""
    now = dt.datetime.now(dt.UTC)
    with cli_env.sessionmaker() as s:
        for key, age in (("submit-form:old", 25), ("submit-form:fresh", 2), ("login:192.0.2.1", 25)):
            s.add(Throttle(key=key, count=1, window_start=now - dt.timedelta(hours=age)))
        s.commit()
    result = CliRunner().invoke(main, ["submissions", "purge"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with cli_env.sessionmaker() as s:
        assert sorted(s.scalars(select(Throttle.key))) == ["login:192.0.2.1", "submit-form:fresh"]


def test_the_purge_command_refuses_a_moment_without_a_time_zone(cli_env):
    result = CliRunner().invoke(main, ["submissions", "purge", "--now", "2026-12-01T09:00:00"])
    assert result.exit_code == 2 and "time zone" in result.output


def test_editors_see_readers_claims_on_the_dashboard(app, client, session, world):
    for n, words in enumerate([CLAIM, "Did the mayor ban bicycles from every bridge in town?",
                               "Whales were seen in the harbour of the capital city."]):
        reader = app.test_client()
        reader.environ_base["REMOTE_ADDR"] = f"192.0.2.{20 + n}"
        assert _send(reader, app, claim=words).status_code == 302
    staff = app.test_client()
    sign_in(staff, world.email("editor"))
    page = staff.get("/dashboard").get_data(as_text=True)
    assert "Readers&#39; claims" in page or "Readers' claims" in page
    assert "<strong>3</strong>sent in the last 14 days" in page
    rows = re.findall(r'<tr>\s*<td><a href="/items/(\d+)">\d+</a></td>\s*<td>([^<]*)</td>.*?<td class="num">(\d+)</td>',
                      page.split("Most requested claims", 1)[1], re.S)
    assert [(claim, int(n)) for _, claim, n in rows] == [
        (CLAIM, 2), ("Whales were seen in the harbour of the capital city.", 1)]


def test_a_reader_joining_an_articles_item_leaves_no_address_in_its_reports(app, client, session):
    from factcheck.services.ingest import ingest_article

    article = ingest_article(session, (
        "Council news\n\nThe mayor said on Monday that bicycles are banned from every bridge in town.\n\n"
        "Read also: Ten places to eat by the sea\n"), actor=None, title="Bridges").article
    [item] = [i for i in article.items if "bicycles" in i.claim_text]
    assert _send(client, app, claim="Are bicycles banned from every bridge in town?", email=READER).status_code == 302
    session.expire_all()
    assert session.get(CheckItem, item.id).reader_requests == 1
    _, reviewer = _to_verdict(session, session.get(CheckItem, item.id))
    _approve(app, session, item, reviewer)
    assert session.scalars(select(ReaderSubmission.email)).all() == [READER]
    anonymous = app.test_client()
    for url in (f"/reports/articles/{article.id}", f"/reports/articles/{article.id}.json",
                f"/reports/articles/{article.id}.csv", f"/verdicts/{item.id}", "/claimreview.json"):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "bicycles" in body and "reader.inbox" not in body.lower(), url


def test_the_answer_quotes_only_what_the_desk_wrote_never_the_readers_words(app, client, session):
    """Nobody confirms a reader's address: an answer quoting their words back would carry anybody's text (an
    advert joined to a real claim) to anybody, from the desk."""
    app.config.update(MAIL_SEND_IN_PROCESS=False, BASE_URL="https://desk.example.org")
    assert _send(client, app, claim=CLAIM).status_code == 302
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    advert = CLAIM + " WIN A PRIZE TODAY at prize dot example dot com, reply now"
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert _send(other, app, claim=advert, email="victim@example.org").status_code == 302
    session.expire_all()
    assert session.get(CheckItem, item.id).reader_requests == 2  # joined the same item
    _, reviewer = _to_verdict(session, item)
    _approve(app, session, item, reviewer)
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == "victim@example.org")).one()
    # Nobody restated the claim: the first reader's words (the item's claim) are not the desk's either.
    assert "WIN A PRIZE" not in mail.body and "No bridge was closed." in mail.body and CLAIM not in mail.body
    assert "We checked it." in mail.body


def test_the_answer_quotes_the_desks_restatement_of_a_readers_claim(app, client, session):
    app.config.update(MAIL_SEND_IN_PROCESS=False, BASE_URL="https://desk.example.org")
    assert _send(client, app, claim=CLAIM, email="victim@example.org").status_code == 302
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    checker = gen_user(session, Role.CHECKER)
    item_service.take_item(session, item.id, checker)
    item_service.edit_item(session, item.id, checker, version=item.version,
                           restatement="The town closed its bridges to bicycles")
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No bridge was closed.",
                                 rationale="The council's minutes show no such decision.", policy=Policy())
    _approve(app, session, item, gen_user(session, Role.REVIEWER, email="reviewer@example.org"))
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == "victim@example.org")).one()
    assert "We checked: \u201cThe town closed its bridges to bicycles\u201d" in mail.body and CLAIM not in mail.body


def test_a_claim_of_one_very_long_word_is_taken_as_any_other(app, client, session):
    """Chinese or Japanese text without spaces is one word to the index: over 2,046 bytes PostgreSQL refuses it in
    a query, so matching the claim ended in a "database busy" page. Such a word is in no item: the claim is
    matched on its other words (none here) and taken."""
    claim = "市长说新桥将在五月关闭" * 70  # 770 characters, 2,310 bytes, no space
    response = _send(client, app, claim=claim)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one().claim_text == claim


def test_behind_a_proxy_the_limit_counts_each_client_and_without_one_the_header_is_ignored(tmp_path):
    """FACTCHECK_PROXY_HOPS=1 (one nginx in front): X-Forwarded-For names the client, so one reader's claims do not
    use up another's; without it the header, which anybody can send, is ignored."""
    from factcheck.app import create_app
    from factcheck.db import session_scope
    from tests.conftest import TEST_SECRET, migrated_sqlite_url

    for hops, counted in ((1, "submit:203.0.113.5"), (0, "submit:127.0.0.1")):
        url = migrated_sqlite_url(tmp_path / f"proxy-{hops}.sqlite3")
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True, "PROXY_HOPS": hops})
        client = app.test_client()
        page = client.get("/submit").get_data(as_text=True)
        refused = client.post("/submit", data={"csrf_token": csrf_token(page), "claim": "x"},
                              headers={"X-Forwarded-For": "203.0.113.5"})
        assert refused.status_code == 422  # (a refused attempt counts too)
        with session_scope(app.extensions["factcheck.db"].sessionmaker) as own:
            assert list(own.scalars(select(Throttle.key).where(Throttle.key.like("submit:%")))) == [counted]
        app.extensions["factcheck.db"].dispose()


def test_one_opened_form_gives_one_claim_however_often_it_is_sent(app, client, session):
    """The form's signed opening time was valid for a day from any address: fetched once, it was sent 25 times
    from 25 addresses in 0.2 s, and the item rose to the top of triage "asked by 25 readers". Each opened form
    now has a value of its own, noted as used with the claim it brought: sent again (from anywhere) it is
    refused and adds nothing. A form refused for a mistake is not used up: corrected, it goes through."""
    data = _form(client, app)
    refused = client.post("/submit", data={**data, "claim": CLAIM, "email": "not an address"})
    assert refused.status_code == 422
    assert client.post("/submit", data={**data, "claim": CLAIM}).status_code == 302  # corrected: taken
    for n in range(3):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        page = other.get("/submit").get_data(as_text=True)
        again = other.post("/submit", data={**data, "csrf_token": csrf_token(page), "claim": CLAIM})
        assert again.status_code == 422 and "This form was sent already" in again.get_data(as_text=True)
    item = session.scalars(select(CheckItem).where(CheckItem.origin == Origin.READER)).one()
    assert item.reader_requests == 1 and _count(session, ReaderSubmission) == 1
