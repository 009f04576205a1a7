"""The desk working together, through the web: assignment, returned work and the diff since, notes with
@mentions, notifications in the app and by mail (a real SMTP server), the daily digest."""

from __future__ import annotations

from contextlib import nullcontext
import re

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from sqlalchemy import func, select, update

from factcheck.domain.notifications import MailStep, NotificationKind
from factcheck.domain.workflow import Decision, Policy, ReviewMode, Role, Stance, Status
from factcheck.models import AuditEvent, CheckItem, Note, Notification, OutboxMail
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services import notifications as notification_service
from factcheck.services.mail import deliver_due
from factcheck.services.users import create_user
from tests.e2e.accounts.test_mail_and_reset import smtp_server  # noqa: F401  (a fixture: a real SMTP server)
from tests.e2e.conftest import signed_in
from tests.factories import PASSWORD, gen_item_in, gen_user
from tests.helpers import post_form, recorded_statements, sign_in

BASE = "https://desk.example.org"


def fresh(session, model, key):
    """The row as the app left it."""
    return session.get(model, key, populate_existing=True)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _kinds(session, user) -> list[NotificationKind]:
    return list(session.scalars(select(Notification.kind).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def _return(client, item_id: int, comment: str):
    return post_form(client, f"/queue/{item_id}/vote", {"decision": "return", "comment": comment},
                     form_page=f"/queue/review/{item_id}")


# --- 1. assignment ------------------------------------------------------------------------------------


def test_an_editor_assigns_a_claim_from_triage_and_the_checker_is_told(client, world, session):
    checker = world.users["checker"]
    signed_in(client, world, "editor")
    triage = _text(client.get("/triage"))
    assert f'action="/items/{world.ids["claim_item_id"]}/assign"' in triage and checker.display_name in triage
    response = post_form(client, world.url("/items/{claim_item_id}/assign"), {"assignee": str(checker.id)},
                         form_page="/triage")
    assert response.status_code == 302 and response.headers["Location"].startswith("/triage")
    item = fresh(session, CheckItem, world.ids["claim_item_id"])
    assert item.status is Status.EVIDENCE and item.assignee_id == checker.id
    events = session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.payload)
                             .where(AuditEvent.item_id == item.id).order_by(AuditEvent.id)).all()
    assert [e[0].value for e in events][-2:] == ["take", "assign"]
    assert events[-1][1] == world.users["editor"].id and events[-1][2]["assignee_id"] == checker.id
    assert _kinds(session, checker)[-1] is NotificationKind.ASSIGNED

    checker_client = client.application.test_client()
    signed_in(checker_client, world, "checker")
    page = BeautifulSoup(_text(checker_client.get("/my-work")), "html.parser")
    assert f"#{item.id}" in page.select_one("#assigned").get_text()
    detail = _text(checker_client.get(f"/items/{item.id}"))
    assert "held by you" in detail and f"assign</strong>" in detail


def test_assigning_to_someone_who_is_not_a_checker_is_refused_and_changes_nothing(client, world, session):
    signed_in(client, world, "editor")
    response = post_form(client, world.url("/items/{claim_item_id}/assign"),
                         {"assignee": str(world.users["reviewer"].id)}, form_page=world.url("/items/{claim_item_id}"))
    assert response.status_code == 422
    assert "Only checkers can hold an item" in _text(response)
    item = fresh(session, CheckItem, world.ids["claim_item_id"])
    assert item.status is Status.CLAIM and item.assignee_id is None
    assert not _kinds(session, world.users["reviewer"])


def test_an_editor_hands_an_item_in_evidence_to_another_checker(client, world, session):
    other = gen_user(session, Role.CHECKER)
    signed_in(client, world, "editor")
    page = _text(client.get(world.url("/items/{item_id}")))
    assert "Reassign" in page and other.display_name in page
    response = post_form(client, world.url("/items/{item_id}/assign"), {"assignee": str(other.id)},
                         form_page=world.url("/items/{item_id}"))
    assert response.status_code == 302
    item = fresh(session, CheckItem, world.ids["item_id"])
    assert item.status is Status.EVIDENCE and item.assignee_id == other.id
    assert _kinds(session, other) == [NotificationKind.ASSIGNED]
    again = post_form(client, world.url("/items/{item_id}/assign"), {"assignee": str(other.id)},
                      form_page=world.url("/items/{item_id}"))
    assert again.status_code == 422 and "already holds" in _text(again)


def test_a_checker_cannot_assign(client, world, session):
    signed_in(client, world, "checker")
    assert "Assign to a checker" not in _text(client.get(world.url("/items/{claim_item_id}")))
    response = post_form(client, world.url("/items/{claim_item_id}/assign"),
                         {"assignee": str(world.users["checker"].id), "version": "1"}, form_page="/triage")
    assert response.status_code == 403
    assert fresh(session, CheckItem, world.ids["claim_item_id"]).status is Status.CLAIM


# --- "my work" ----------------------------------------------------------------------------------------


def test_my_work_groups_assigned_returned_waiting_and_published_this_week(client, world, session):
    checker, reviewer = world.users["checker"], world.users["reviewer"]
    returned = gen_item_in(session, Status.VERDICT, checker=checker)
    item_service.vote_on_verdict(session, returned.id, reviewer, decision=Decision.RETURN, policy=Policy(),
                                 comment="Find the harbour master's statement.")
    signed_in(client, world, "checker")
    page = BeautifulSoup(_text(client.get("/my-work")), "html.parser")
    groups = {g["id"]: g.get_text(" ") for g in page.select("section.work-group")}
    assert f"#{world.ids['item_id']}" in groups["assigned"] and f"#{returned.id}" not in groups["assigned"]
    assert f"#{returned.id}" in groups["returned"] and "Find the harbour master" in groups["returned"]
    assert f"#{world.ids['verdict_item_id']}" in groups["waiting"]
    assert f"#{world.ids['published_item_id']}" in groups["published"]
    assert f"#{world.ids['claim_item_id']}" not in page.get_text()


def _fill_my_work(session, checker, reviewer, n: int) -> None:
    for _ in range(n):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
        gen_item_in(session, Status.VERDICT, checker=checker)
        gen_item_in(session, Status.PUBLISHED, checker=checker, reviewer=reviewer)
        back = gen_item_in(session, Status.VERDICT, checker=checker)
        item_service.vote_on_verdict(session, back.id, reviewer, decision=Decision.RETURN, policy=Policy(),
                                     comment="Needs a second source.")
    session.flush()


def test_my_work_runs_the_same_number_of_statements_for_4_or_40_items(client, session, database):
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    _fill_my_work(session, checker, reviewer, 1)
    sign_in(client, checker.email)
    client.get("/my-work")  # warm caches
    with recorded_statements(database.engine) as few:
        assert client.get("/my-work").status_code == 200
    _fill_my_work(session, checker, reviewer, 9)
    with recorded_statements(database.engine) as many:
        page = client.get("/my-work")
    soup = BeautifulSoup(_text(page), "html.parser")
    assert [len(soup.select(f"#{g}-table tbody tr")) for g in ("assigned", "returned", "waiting", "published")] == [
        10, 10, 10, 10]
    assert len(many) == len(few), f"{len(few)} statements for 4 items, {len(many)} for 40"


# --- 2. returned work ---------------------------------------------------------------------------------


def test_a_returned_item_shows_its_badge_and_comment_until_the_checker_proposes_again(app, client, world, session):
    checker = world.users["checker"]
    item = gen_item_in(session, Status.VERDICT, checker=checker)
    signed_in(client, world, "reviewer")
    assert _return(client, item.id, "The second record is about another harbour.").status_code == 302
    assert fresh(session, CheckItem, item.id).status is Status.EVIDENCE

    checker_client = app.test_client()
    sign_in(checker_client, checker.email)
    page = _text(checker_client.get(f"/items/{item.id}"))
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("#returned-badge").get_text() == "returned"
    notice = soup.select_one("#returned")
    assert "The second record is about another harbour." in notice.get_text()
    assert page.index('id="returned"') < page.index("Claim as written")  # at the top of the page

    # the checker fixes it: a new restatement, a piece added, one edited, another rating and summary
    current = fresh(session, CheckItem, item.id)
    item_service.edit_item(session, item.id, checker, version=current.version,
                           restatement="The harbour closed for two years from March.")
    first = current.evidence[0]
    evidence_service.edit_evidence(session, first.id, checker, version=first.version, title=first.title,
                                   stance=Stance.REFUTES, passage="The harbour was open all year.")
    evidence_service.add_evidence(session, item.id, checker, version=fresh(session, CheckItem, item.id).version,
                                  title="Harbour master's statement", stance=Stance.REFUTES,
                                  url="https://harbour.example.org/statement")
    proposed = post_form(checker_client, f"/items/{item.id}/propose",
                         {"rating": "mostly-false", "summary": "Mostly false: it closed for a month.",
                          "rationale": "The harbour master says one month."}, form_page=f"/items/{item.id}")
    assert proposed.status_code == 302
    assert "returned-badge" not in _text(checker_client.get(f"/items/{item.id}"))

    other_reviewer = gen_user(session, Role.REVIEWER)
    review_client = app.test_client()
    sign_in(review_client, other_reviewer.email)
    review = BeautifulSoup(_text(review_client.get(f"/queue/review/{item.id}")), "html.parser")
    assert review.select_one("#earlier-comment").get_text() == "The second record is about another harbour."
    changes = [" ".join(li.get_text(" ").split()) for li in review.select("#changes > li")]
    assert changes[0] == "Restatement: — → The harbour closed for two years from March."
    assert changes[1] == "Rating: False → Mostly False"
    assert changes[2] == "Summary: It is false. → Mostly false: it closed for a month."
    assert changes[3].startswith("Evidence edited:") and "passage: The record says otherwise. → The harbour was " \
        "open all year." in changes[3]
    assert changes[4].startswith("Evidence added: Harbour master's statement")


def test_a_resubmission_without_changes_says_so(app, client, world, session):
    checker = world.users["checker"]
    item = gen_item_in(session, Status.VERDICT, checker=checker)
    signed_in(client, world, "reviewer")
    _return(client, item.id, "Check the date.")
    fresh(session, CheckItem, item.id)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="It is false.",
                                 rationale="Two records refute it.", policy=Policy())
    other = gen_user(session, Role.REVIEWER)
    review_client = app.test_client()
    sign_in(review_client, other.email)
    review = BeautifulSoup(_text(review_client.get(f"/queue/review/{item.id}")), "html.parser")
    assert review.select_one("#earlier-comment").get_text() == "Check the date."
    assert "Nothing changed" in review.select_one("#no-changes").get_text()


# --- 3. notes -------------------------------------------------------------------------------------------


def test_a_note_is_sanitised_markdown_in_the_thread_and_the_history_and_tells_who_it_mentions(client, world, session):
    reviewer, editor = world.users["reviewer"], world.users["editor"]
    signed_in(client, world, "checker")
    body = (f"**Port log** needed <script>alert(1)</script> [see](javascript:alert(1)) "
            f"— @{reviewer.email} and @{editor.display_name}, can you look?")
    response = post_form(client, world.url("/items/{item_id}/notes"), {"body": body},
                         form_page=world.url("/items/{item_id}"))
    assert response.status_code == 302
    note = session.scalars(select(Note).where(Note.item_id == world.ids["item_id"])).one()
    assert note.body == body and note.author_id == world.users["checker"].id
    page = BeautifulSoup(_text(client.get(world.url("/items/{item_id}"))), "html.parser")
    thread = page.select_one("#notes")
    assert thread.select_one(".note strong").get_text() == world.users["checker"].display_name
    rendered = thread.select_one(".note .prose")
    assert rendered.select_one("strong").get_text() == "Port log"
    assert not rendered.select("script") and not rendered.select('a[href^="javascript"]')
    history = page.select_one("#history .event-note")
    assert history is not None and history.select_one(".payload strong").get_text() == "Port log"
    assert _kinds(session, reviewer) == [NotificationKind.MENTIONED]
    assert _kinds(session, editor) == [NotificationKind.MENTIONED]
    told = session.scalars(select(Notification).where(Notification.user_id == reviewer.id)).one()
    assert told.detail == body and told.item_id == world.ids["item_id"]


def test_an_empty_note_is_refused_and_nothing_is_written(client, world, session):
    signed_in(client, world, "reviewer")
    response = post_form(client, world.url("/items/{item_id}/notes"), {"body": "   "},
                         form_page=world.url("/items/{item_id}"))
    assert response.status_code == 422 and "Write the note first" in _text(response)
    assert session.scalar(select(func.count(Note.id))) == 0


def test_a_display_name_two_people_share_tells_nobody_and_says_to_use_the_address(client, world, session):
    hashing = "pbkdf2:sha256:1000"
    one = create_user(session, "copy.one@example.org", PASSWORD, [Role.EDITOR], display_name="Copy Desk",
                      hash_method=hashing)
    two = create_user(session, "copy.two@example.org", PASSWORD, [Role.EDITOR], display_name="Copy Desk",
                      hash_method=hashing)
    signed_in(client, world, "checker")
    response = post_form(client, world.url("/items/{item_id}/notes"), {"body": "@Copy Desk please check."},
                         form_page=world.url("/items/{item_id}"), follow_redirects=True)
    assert "several people have that name" in _text(response)
    assert _kinds(session, one) == [] and _kinds(session, two) == []
    assert session.scalar(select(func.count(Note.id))) == 1


def test_notes_never_reach_the_public_pages_or_the_claimreview_feed(app, client, world, session):
    marker = "INTERNAL-ONLY-7f3a"
    signed_in(client, world, "editor")
    for key in ("published_item_id", "item_id"):
        assert post_form(client, world.url(f"/items/{{{key}}}/notes"), {"body": f"{marker} source is the mayor"},
                         form_page=world.url(f"/items/{{{key}}}")).status_code == 302
    reader = app.test_client()
    verdict = reader.get(world.url("/verdicts/{published_item_id}"))
    feed = reader.get("/claimreview.json")
    assert verdict.status_code == 200 and feed.status_code == 200
    assert marker not in _text(verdict) and marker not in _text(feed)
    for url in ("/reports", world.url("/reports/articles/{article_id}"), world.url("/reports/articles/{article_id}.json"),
                world.url("/reports/articles/{article_id}.csv")):
        response = client.get(url)
        assert response.status_code == 200 and marker not in _text(response), url


# --- 4. notifications -------------------------------------------------------------------------------------


def test_the_navigation_counts_unread_notifications_and_the_list_marks_them_read(client, world, session):
    checker = world.users["checker"]
    signed_in(client, world, "editor")
    post_form(client, world.url("/items/{item_id}/notes"), {"body": f"@{checker.email} ping"},
              form_page=world.url("/items/{item_id}"))
    checker_client = client.application.test_client()
    signed_in(checker_client, world, "checker")
    page = BeautifulSoup(_text(checker_client.get("/my-work")), "html.parser")
    unread = _kinds(session, checker)
    assert page.select_one("[data-unread]").get_text(" ").split()[0] == str(len(unread)) and len(unread) == 2
    listing = _text(checker_client.get("/notifications"))
    assert "mentioned you in a note" in listing and "is published as" in listing
    mention = session.scalars(select(Notification).where(Notification.user_id == checker.id,
                                                         Notification.kind == NotificationKind.MENTIONED)).one()
    opened = post_form(checker_client, f"/notifications/{mention.id}/read", {}, form_page="/notifications")
    assert opened.status_code == 302 and opened.headers["Location"] == world.url("/items/{item_id}")
    assert fresh(session, Notification, mention.id).read_at is not None
    page = BeautifulSoup(_text(checker_client.get("/notifications")), "html.parser")
    assert page.select_one("[data-unread]").get_text(" ").split()[0] == "1"
    assert post_form(checker_client, "/notifications/read-all", {}, form_page="/notifications").status_code == 302
    page = BeautifulSoup(_text(checker_client.get("/notifications")), "html.parser")
    assert page.select_one("[data-unread]") is None
    assert session.scalar(select(func.count(Notification.id)).where(Notification.user_id == checker.id,
                                                                   Notification.read_at.is_(None))) == 0


def test_nobody_marks_another_persons_notification_read(client, world, session):
    signed_in(client, world, "reviewer")
    response = post_form(client, world.url("/notifications/{notification_id}/read"), {}, form_page="/notifications")
    assert response.status_code == 404
    assert fresh(session, Notification, world.ids["notification_id"]).read_at is None


def test_a_panel_is_asked_to_vote_authors_hear_of_approvals_and_corrections(app, client, world, session):
    app.config.update(REVIEW_MODE="panel", PANEL_SIZE=3)
    checker, editor = world.users["checker"], world.users["editor"]
    reviewers = [world.users["reviewer"], gen_user(session, Role.REVIEWER), gen_user(session, Role.REVIEWER)]
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    from tests.factories import gen_evidence

    gen_evidence(session, item, checker)
    signed_in(client, world, "checker")
    assert post_form(client, f"/items/{item.id}/propose", {"rating": "false", "summary": "False.",
                                                           "rationale": "Records."},
                     form_page=f"/items/{item.id}").status_code == 302
    for reviewer in reviewers:
        assert NotificationKind.VOTE_NEEDED in _kinds(session, reviewer)
    assert NotificationKind.VOTE_NEEDED not in _kinds(session, checker)
    panel = Policy(review_mode=ReviewMode.PANEL, panel_size=3)
    fresh(session, CheckItem, item.id)
    item_service.vote_on_verdict(session, item.id, reviewers[0], decision=Decision.APPROVE, policy=panel)
    assert _kinds(session, checker)[-1] is NotificationKind.APPROVED
    for reviewer in reviewers[1:]:
        item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=panel)
    assert fresh(session, CheckItem, item.id).status is Status.PUBLISHED
    assert _kinds(session, checker)[-1] is NotificationKind.PUBLISHED
    editor_client = app.test_client()
    sign_in(editor_client, editor.email)
    assert post_form(editor_client, f"/items/{item.id}/reopen", {"tier": "correction",
                                                                 "note": "The date was wrong."},
                     form_page=f"/items/{item.id}").status_code == 302
    corrected = session.scalars(select(Notification).where(Notification.user_id == checker.id)
                                .order_by(Notification.id.desc())).first()
    assert corrected.kind is NotificationKind.CORRECTED and corrected.detail == "The date was wrong."


def test_settings_choose_mail_digest_or_only_here_per_kind(client, world, session):
    signed_in(client, world, "checker")
    form = BeautifulSoup(_text(client.get("/notifications/settings")), "html.parser")
    assert len(form.select("select")) == len(NotificationKind)
    choice = {f"kind_{k.value}": "mail" for k in NotificationKind}
    choice.update(kind_returned="digest", kind_mentioned="off")
    assert post_form(client, "/notifications/settings", choice).status_code == 302
    modes = notification_service.settings_for(session, world.users["checker"].id)
    assert modes[NotificationKind.RETURNED].value == "digest" and modes[NotificationKind.MENTIONED].value == "off"
    bad = post_form(client, "/notifications/settings", {**choice, "kind_assigned": "pigeon"})
    assert bad.status_code == 422
    assert notification_service.settings_for(session, world.users["checker"].id)[NotificationKind.ASSIGNED].value \
        == "mail"


# --- mail through the outbox, received by a real SMTP server ---------------------------------------------


def _deliver(session, smtp_server):  # noqa: F811  (the fixture's value, passed on)
    return deliver_due(lambda: nullcontext(session), smtp_server.url(), "desk@example.org")


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_a_return_is_mailed_at_once_with_the_comment_and_an_absolute_link(app, client, world, session,
                                                                          smtp_server):  # noqa: F811
    app.config.update(BASE_URL=BASE, MAIL_SEND_IN_PROCESS=False)
    checker = world.users["checker"]
    item = gen_item_in(session, Status.VERDICT, checker=checker)
    signed_in(client, world, "reviewer")
    assert _return(client, item.id, "Quote the harbour master.").status_code == 302
    assert _deliver(session, smtp_server).sent == 1
    [message] = smtp_server.inbox.messages
    assert message["To"] == checker.email and "returned your verdict" in message["Subject"]
    body = _body(message)
    assert "> Quote the harbour master." in body and f"{BASE}/items/{item.id}" in body
    assert f"{BASE}/notifications/settings" in body


def test_kinds_set_to_the_digest_wait_for_one_daily_mail_per_person(app, client, world, session,
                                                                    smtp_server, monkeypatch):  # noqa: F811
    app.config.update(BASE_URL=BASE, MAIL_SEND_IN_PROCESS=False)
    checker, reviewer = world.users["checker"], world.users["reviewer"]
    session.execute(update(Notification).values(mail_step=MailStep.SKIPPED))  # the world's own, long dealt with
    notification_service.save_settings(session, checker, {"mentioned": "digest", "returned": "digest"})
    notification_service.save_settings(session, reviewer, {"mentioned": "off"})
    signed_in(client, world, "editor")
    for text in (f"@{checker.email} first", f"@{checker.email} second", f"@{reviewer.email} third"):
        post_form(client, world.url("/items/{item_id}/notes"), {"body": text}, form_page=world.url("/items/{item_id}"))
    assert session.scalar(select(func.count(OutboxMail.id))) == 0  # nothing mailed at once
    steps = dict(session.execute(select(Notification.user_id, Notification.mail_step)
                                 .where(Notification.kind == NotificationKind.MENTIONED)).all())
    assert steps == {checker.id: MailStep.DIGEST, reviewer.id: MailStep.SKIPPED}
    assert notification_service.send_digests(session, BASE, "The desk") == 1
    assert _deliver(session, smtp_server).sent == 1
    [message] = smtp_server.inbox.messages
    assert message["To"] == checker.email and "daily digest (2 notifications)" in message["Subject"]
    body = _body(message)
    assert body.count(f"{BASE}/items/{world.ids['item_id']}") == 2 and "second" in body
    assert notification_service.send_digests(session, BASE, "The desk") == 0  # each is sent once


def test_the_digest_command_needs_the_base_url_and_writes_the_digests(tmp_path, monkeypatch):
    from factcheck import migrate
    from factcheck.cli import main
    from factcheck.db import Database, session_scope
    from factcheck.services.notes import add_note

    url = f"sqlite:///{tmp_path / 'digest.sqlite3'}"
    migrate.upgrade(url)
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.delenv("FACTCHECK_BASE_URL", raising=False)
    refused = CliRunner().invoke(main, ["notifications", "digest"])
    assert refused.exit_code == 1 and "FACTCHECK_BASE_URL" in refused.output
    database = Database(url)
    try:
        with session_scope(database.sessionmaker) as s:
            checker, editor = gen_user(s, Role.CHECKER), gen_user(s, Role.EDITOR)
            notification_service.save_settings(s, checker, {"mentioned": "digest"})
            item = gen_item_in(s, Status.EVIDENCE, checker=checker)
            add_note(s, item.id, editor, f"@{checker.email} look")
        monkeypatch.setenv("FACTCHECK_BASE_URL", BASE)
        done = CliRunner().invoke(main, ["notifications", "digest"])
        assert done.exit_code == 0 and "Wrote 1 digest mail" in done.output
        with database.sessionmaker() as s:
            mail = s.scalars(select(OutboxMail)).one()
            assert mail.to_address == checker.email and f"{BASE}/items/{item.id}" in mail.body
    finally:
        database.dispose()


def test_a_disabled_account_is_never_mailed(session):
    reviewer, checker = gen_user(session, Role.REVIEWER), gen_user(session, Role.CHECKER)
    reviewer.is_active = False
    notification_service.notify(session, [reviewer.id, checker.id], NotificationKind.MENTIONED, message="m")
    report = notification_service.dispatch(session, BASE, "The desk")
    assert (report.mailed, report.in_app_only) == (1, 1)
    assert [m.to_address for m in session.scalars(select(OutboxMail))] == [checker.email]


def test_an_assigned_and_returned_item_still_replays_from_its_audit_trail(client, world, session):
    from factcheck.domain.workflow import replay

    checker = world.users["checker"]
    signed_in(client, world, "editor")
    post_form(client, world.url("/items/{claim_item_id}/assign"), {"assignee": str(checker.id)}, form_page="/triage")
    item_id = world.ids["claim_item_id"]
    item = fresh(session, CheckItem, item_id)
    from tests.factories import gen_evidence

    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item_id, checker, rating_key="false", summary="False.",
                                 rationale="Records.", policy=Policy())
    item_service.vote_on_verdict(session, item_id, world.users["reviewer"], decision=Decision.RETURN,
                                 policy=Policy(), comment="Again.")
    events = session.execute(select(AuditEvent.action, AuditEvent.from_status, AuditEvent.to_status,
                                    AuditEvent.payload).where(AuditEvent.item_id == item_id)
                             .order_by(AuditEvent.id)).all()
    assert replay((e[0].value, e[1], e[2]) for e in events) is Status.EVIDENCE
    snapshot = [e[3]["snapshot"] for e in events if e[0].value == "return"][0]
    assert snapshot["rating"] == "false" and len(snapshot["evidence"]) == 2
