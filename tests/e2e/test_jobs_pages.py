"""Long uploads and batches go to a background job whose page shows how far it got."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck import jobs
from factcheck.models import Article
from tests.e2e.conftest import signed_in
from tests.helpers import csrf_token, post_form

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_bytes()
FLOOD = b"The ministry said on Monday that 40 people were evacuated from the flooded town."


@pytest.fixture
def job_app(app, tmp_path):
    app.config["JOBS_PATH"] = str(tmp_path / "jobs.sqlite3")
    app.config["JOBS_NAME"] = f"factcheck-test-{uuid.uuid4().hex}"
    app.extensions.pop("factcheck.jobs", None)
    yield app
    app.extensions.pop("factcheck.jobs", None)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _upload(client, files: list[tuple[bytes, str]]):
    page = client.get("/articles/new")
    return client.post("/articles/new", data={"csrf_token": csrf_token(_text(page)),
                                              "upload": [(io.BytesIO(data), name) for data, name in files]},
                       content_type="multipart/form-data")


def test_uploading_several_files_shows_the_jobs_page_which_follows_it_to_the_end(job_app, client, world, session):
    signed_in(client, world, "checker")
    before = session.scalar(select(func.count()).select_from(Article))
    response = _upload(client, [(SEED, "seed.txt"), (FLOOD, "flood.txt")])
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert re.search(r"/jobs/[0-9a-f-]{36}$", job_url)
    waiting = client.get(job_url)
    assert "Waiting in the queue for a worker" in _text(waiting) and 'http-equiv="refresh"' in _text(waiting)
    assert waiting.headers["Cache-Control"] == "no-store"
    assert session.scalar(select(func.count()).select_from(Article)) == before

    assert jobs.execute_next(job_app)
    finished = _text(client.get(job_url))
    assert "Finished: 2 stored" in finished and 'http-equiv="refresh"' not in finished
    article_ids = [int(i) for i in re.findall(r'href="/articles/(\d+)"', finished)]
    assert len(article_ids) == 2 and session.get(Article, article_ids[0]).created_by_id == world.users["checker"].id


def test_a_pasted_article_over_the_limit_is_read_in_the_background(job_app, client, world, session):
    job_app.config["INLINE_INGEST_CHARS"] = 200
    signed_in(client, world, "editor")
    response = post_form(client, "/articles/new", {"text": FLOOD.decode() * 5, "title": "Long one"})
    assert "/jobs/" in response.headers["Location"]
    jobs.execute_next(job_app)
    page = _text(client.get(response.headers["Location"]))
    assert "Finished: 1 stored" in page
    article_id = int(re.search(r'href="/articles/(\d+)"', page).group(1))
    assert session.get(Article, article_id).title == "Long one"


def test_a_short_article_is_still_added_at_once(job_app, client, world):
    signed_in(client, world, "checker")
    response = post_form(client, "/articles/new", {"text": FLOOD.decode()})
    assert re.search(r"/articles/\d+$", response.headers["Location"])


def _failing_once(monkeypatch, marker: bytes) -> None:
    """The job's ingest fails once (the database went away) for the text holding ``marker``: a retry mends it."""
    from sqlalchemy.exc import OperationalError

    real_ingest, failed = jobs.ingest_article, []

    def ingest(session_, text, **kwargs):  # type: ignore[no-untyped-def]
        if marker.decode() in text and not failed:
            failed.append(text)
            raise OperationalError("INSERT …", {}, Exception("the database went away"))
        return real_ingest(session_, text, **kwargs)

    monkeypatch.setattr(jobs, "ingest_article", ingest)


def test_a_job_with_failures_offers_a_retry_of_what_may_work_and_says_why_in_plain_words(job_app, client, world,
                                                                                         monkeypatch):
    """An empty file is refused for good (retrying cannot help: the page says so); an article the database failed
    is offered for a retry, which queues it again."""
    _failing_once(monkeypatch, FLOOD)
    signed_in(client, world, "checker")
    job_url = _upload(client, [(b"", "empty.txt"), (FLOOD, "flood.txt")]).headers["Location"]
    jobs.execute_next(job_app)
    page = _text(client.get(job_url))
    assert "Finished with problems: 2 could not be stored" in page and "empty" in page
    assert "Retrying will not help: correct the file and add it again." in page
    assert "Retry the 1 that failed" in page
    retry = post_form(client, job_url + "/retry", {}, form_page=job_url)
    assert retry.status_code == 302
    assert "queued" in _text(client.get(job_url))


def test_a_job_whose_only_failures_are_for_good_offers_no_retry(job_app, client, world):
    signed_in(client, world, "checker")
    job_url = _upload(client, [(b"", "empty.txt"), (FLOOD, "flood.txt")]).headers["Location"]
    jobs.execute_next(job_app)
    page = _text(client.get(job_url))
    assert "Finished with problems: 1 could not be stored" in page and "Retry the" not in page


def test_an_unknown_job_is_a_plain_404(job_app, client, world):
    signed_in(client, world, "checker")
    response = client.get(f"/jobs/{uuid.uuid4()}")
    assert response.status_code == 404 and "no such job" in _text(response)


def test_a_job_is_its_owners_alone_and_stores_nothing_once_they_may_no_longer_add_articles(job_app, app, client,
                                                                                           world, session):
    """Another checker, or an editor, handed a job's address gets the same 404 as for an unknown job (its retry
    would act in the owner's name), on the page, its retry and the API; and an upload whose owner is disabled
    before the worker reads it stores nothing, saying why."""
    from factcheck.domain.accounts import TokenScope
    from factcheck.domain.workflow import Role
    from factcheck.services.tokens import create_token
    from factcheck.services.users import set_active
    from tests.factories import gen_user
    from tests.helpers import sign_in

    signed_in(client, world, "checker")
    job_url = _upload(client, [(b"", "empty.txt"), (FLOOD, "flood.txt")]).headers["Location"]
    job_id = job_url.rsplit("/", 1)[1]
    others = {"checker": gen_user(session, Role.CHECKER), "editor": gen_user(session, Role.EDITOR)}
    for role, other in others.items():
        browser = app.test_client()
        sign_in(browser, other.email)
        assert browser.get(job_url).status_code == 404, role
        page = _text(browser.get("/articles/new"))
        assert browser.post(job_url + "/retry", data={"csrf_token": csrf_token(page)}).status_code == 404, role
        _, secret = create_token(session, other, name=f"{role} feed", scope=TokenScope.READ)
        session.flush()
        api = browser.get(f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {secret}"})
        assert api.status_code == 404 and api.is_json, role
    assert client.get(job_url).status_code == 200  # the owner's own
    before = session.scalar(select(func.count()).select_from(Article))
    set_active(session, world.users["checker"].id, False, actor=world.users["admin"])
    session.flush()
    assert jobs.execute_next(job_app)
    job = jobs.find_job(job_app, job_id)
    assert job is not None and all(article.state is jobs.JobState.FAILED for article in job.articles)
    assert "may no longer add articles" in job.articles[1].error
    assert session.scalar(select(func.count()).select_from(Article)) == before


def test_the_owner_is_told_once_a_job_has_finished_with_a_link_to_its_page(job_app, client, world, session,
                                                                            monkeypatch):
    """A notice when the job finishes (each run: the retry's too): in the owner's notifications, linked to the
    job's page, and mailed as their settings say (at once by default)."""
    from factcheck.domain.notifications import NotificationKind
    from factcheck.models import Notification, OutboxMail

    _failing_once(monkeypatch, FLOOD)
    signed_in(client, world, "checker")
    checker = world.users["checker"]
    job_url = _upload(client, [(SEED, "seed.txt"), (FLOOD, "flood.txt")]).headers["Location"]
    job_path = "/jobs/" + job_url.rsplit("/", 1)[1]

    def notices() -> list[Notification]:
        session.expire_all()
        return list(session.scalars(select(Notification).where(Notification.user_id == checker.id,
                                                               Notification.kind == NotificationKind.JOB_DONE)))

    assert notices() == []  # nothing before the job has run
    jobs.execute_next(job_app)
    [notice] = notices()
    assert notice.link == job_path and notice.item_id is None
    found = jobs.find_job(job_app, job_path[6:]).items_found
    assert notice.message == (f"Your 2 articles have been read: 1 stored with {found} check item{'s' if found != 1 else ''}"
                              ", 1 could not be stored.")
    page = _text(client.get("/notifications"))
    assert f'<a href="{job_path}">Your 2 articles have been read' in page
    opened = client.post(f"/notifications/{notice.id}/read", data={"csrf_token": csrf_token(page)})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(job_path)
    mail = session.scalars(select(OutboxMail).where(OutboxMail.to_address == checker.email)
                           .order_by(OutboxMail.id.desc())).first()
    assert mail is not None and "have been read" in mail.subject and job_path in mail.body
    post_form(client, job_url + "/retry", {}, form_page=job_url)
    jobs.execute_next(job_app)
    assert len(notices()) == 2  # the retry's run is told too


def test_a_stalled_jobs_page_says_it_stopped_and_offers_to_retry_what_is_left(job_app, client, world, monkeypatch):
    import datetime as dt

    signed_in(client, world, "checker")
    job_url = _upload(client, [(SEED, "seed.txt"), (FLOOD, "flood.txt")]).headers["Location"]
    assert jobs.queue(job_app).dequeue() is not None  # a worker took the run and was killed
    waiting = _text(client.get(job_url))
    assert "Waiting in the queue for a worker" in waiting and "Retry" not in waiting
    later = jobs._now() + jobs.STALLED_AFTER + dt.timedelta(seconds=1)
    monkeypatch.setattr(jobs, "_now", lambda: later)
    page = _text(client.get(job_url))
    assert "Stopped: nothing has moved for over ten minutes" in page and 'http-equiv="refresh"' not in page
    assert "Retry the 2 not stored yet" in page
    assert post_form(client, job_url + "/retry", {}, form_page=job_url).status_code == 302
    assert jobs.execute_next(job_app)
    assert "Finished: 2 stored" in _text(client.get(job_url))


def test_while_the_queue_cannot_be_reached_a_batch_is_refused_in_plain_words(app, client, world, session):
    """Redis down: the upload is answered with a 503 saying so (as a page, and on the API), nothing is stored."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/7"  # nothing listens there
    app.config["JOBS_NAME"] = f"factcheck-test-{uuid.uuid4().hex}"
    app.extensions.pop("factcheck.jobs", None)
    try:
        signed_in(client, world, "checker")
        before = session.scalar(select(func.count()).select_from(Article))
        response = _upload(client, [(FLOOD, "a.txt"), (FLOOD + b" More.", "b.txt")])
        assert response.status_code == 503 and "cannot be reached" in _text(response)
        assert session.scalar(select(func.count()).select_from(Article)) == before
    finally:
        app.extensions.pop("factcheck.jobs", None)
