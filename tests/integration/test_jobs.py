"""Background ingest jobs on both queues (an SQLite file and Redis): success, failure and retry."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from factcheck import jobs
from factcheck.jobs import ArticleUpload, JobState
from factcheck.models import Article, CheckItem
from tests.job_queues import QUEUE_BACKENDS, own_queue

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_bytes()
OTHER = (b"The ministry said on Monday that 40 people were evacuated from the flooded town.\n\n"
         b"Officials told reporters that the dam had been inspected in May.")



@pytest.fixture(params=QUEUE_BACKENDS)
def job_app(request, app, tmp_path):
    """The app with a queue of its own on the backend under test, emptied afterwards."""
    with own_queue(app, request.param, tmp_path):
        yield app


def _articles(session) -> int:
    return session.scalar(select(func.count()).select_from(Article))


def test_a_batch_waits_in_the_queue_then_each_article_is_stored_with_its_items(job_app, session):
    before = _articles(session)
    job = jobs.start_ingest(job_app, [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None, outlet="A regional paper")
    assert jobs.find_job(job_app, job.id).state is JobState.QUEUED
    assert _articles(session) == before  # nothing is read inside the request

    assert jobs.execute_next(job_app) is True
    done = jobs.find_job(job_app, job.id)
    assert done.state is JobState.DONE and [a.state for a in done.articles] == [JobState.DONE, JobState.DONE]
    stored = {a.name: a for a in done.articles}
    for outcome in stored.values():
        items = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.article_id == outcome.article_id))
        assert outcome.items == items > 0
    assert done.items_found == sum(a.items for a in done.articles)
    assert _articles(session) == before + 2
    assert jobs.execute_next(job_app) is False


def test_articles_that_cannot_be_read_fail_alone_with_a_plain_reason_and_leave_nothing(job_app, session):
    before = _articles(session)
    job = jobs.start_ingest(job_app, [ArticleUpload("empty.txt", b""), ArticleUpload("flood.txt", OTHER),
                                      ArticleUpload("photo.txt", bytes(range(256)) * 40)], owner_id=None)
    jobs.execute_next(job_app)
    finished = jobs.find_job(job_app, job.id)
    assert finished.state is JobState.FAILED
    assert [a.state for a in finished.articles] == [JobState.FAILED, JobState.DONE, JobState.FAILED]
    assert "empty" in finished.articles[0].error.lower()
    assert finished.articles[2].error and "Traceback" not in finished.articles[2].error
    assert _articles(session) == before + 1


def test_a_duplicate_is_reported_as_already_here_not_as_a_failure(job_app, session):
    first = jobs.start_ingest(job_app, [ArticleUpload("flood.txt", OTHER)], owner_id=None)
    jobs.execute_next(job_app)
    again = jobs.start_ingest(job_app, [ArticleUpload("flood-again.txt", OTHER)], owner_id=None)
    jobs.execute_next(job_app)
    outcome = jobs.find_job(job_app, again.id)
    assert outcome.state is JobState.DONE and outcome.articles[0].state is JobState.DUPLICATE
    assert f"#{jobs.find_job(job_app, first.id).articles[0].article_id}" in outcome.articles[0].error


def test_a_failed_job_is_retried_and_reads_only_what_failed(job_app, session, monkeypatch):
    reads: list[str] = []
    real_ingest = jobs.ingest_article

    def ingest_failing_once(session_, text, **kwargs):
        reads.append(text[:20])
        if "dam had been inspected" in text and reads.count(text[:20]) == 1:
            raise OperationalError("INSERT …", {}, Exception("the database went away"))
        return real_ingest(session_, text, **kwargs)

    monkeypatch.setattr(jobs, "ingest_article", ingest_failing_once)
    before = _articles(session)
    job = jobs.start_ingest(job_app, [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None)
    jobs.execute_next(job_app)
    failed = jobs.find_job(job_app, job.id)
    assert [a.state for a in failed.articles] == [JobState.DONE, JobState.FAILED]
    assert "nothing of it was stored" in failed.articles[1].error
    assert _articles(session) == before + 1

    assert jobs.retry(job_app, job.id) is not None
    assert jobs.find_job(job_app, job.id).state is JobState.QUEUED
    jobs.execute_next(job_app)
    retried = jobs.find_job(job_app, job.id)
    assert retried.state is JobState.DONE and [a.state for a in retried.articles] == [JobState.DONE, JobState.DONE]
    assert retried.articles[0].article_id == failed.articles[0].article_id  # not read again
    assert len(reads) == 3 and _articles(session) == before + 2
    assert jobs.retry(job_app, job.id) is None  # nothing left to retry


def test_unknown_and_malformed_job_ids_find_nothing(job_app):
    assert jobs.find_job(job_app, str(uuid.uuid4())) is None
    assert jobs.find_job(job_app, "../../etc/passwd") is None


def _failing_once(monkeypatch, marker: str) -> None:
    """The job's ingest fails once (the database went away) for the text holding ``marker``: a failure a retry mends."""
    real_ingest, failed = jobs.ingest_article, []

    def ingest(session_, text, **kwargs):  # type: ignore[no-untyped-def]
        if marker in text and not failed:
            failed.append(text)
            raise OperationalError("INSERT …", {}, Exception("the database went away"))
        return real_ingest(session_, text, **kwargs)

    monkeypatch.setattr(jobs, "ingest_article", ingest)


def test_a_file_refused_for_good_is_not_retried_and_says_why(job_app, session):
    """An empty file fails whatever is tried again: it is not offered for a retry, and a job with only such
    failures has nothing to retry."""
    job = jobs.start_ingest(job_app, [ArticleUpload("empty.txt", b""), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None)
    jobs.execute_next(job_app)
    done = jobs.find_job(job_app, job.id)
    assert done.state is JobState.FAILED and done.articles[0].final and done.left == []
    assert jobs.retry(job_app, job.id) is None


def test_two_retries_at_the_same_moment_queue_the_failed_articles_once(job_app, session, monkeypatch):
    """A second retry arriving while the first is between reading the job and queueing it (a double click, two
    tabs) retries nothing: the queue's lock on the job is held (before, both read a finished job and each queued
    a run)."""
    _failing_once(monkeypatch, "dam had been inspected")
    job = jobs.start_ingest(job_app, [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None)
    jobs.execute_next(job_app)
    assert jobs.find_job(job_app, job.id).state is JobState.FAILED
    real_load = jobs._load
    second: list[object] = []

    def load_then_another_retry(app, job_id):  # type: ignore[no-untyped-def]
        found = real_load(app, job_id)
        if not second:
            second.append(jobs.retry(app, job_id))  # the other request, at this very moment
        return found

    monkeypatch.setattr(jobs, "_load", load_then_another_retry)
    assert jobs.retry(job_app, job.id) is not None
    assert second == [None]
    monkeypatch.setattr(jobs, "_load", real_load)
    assert jobs.execute_next(job_app) is True
    assert jobs.execute_next(job_app) is False  # one run queued, not two


def test_a_finished_jobs_notice_says_what_became_of_its_articles_in_one_line():
    from factcheck.jobs import ArticleOutcome, Job, finished_message

    def job(*outcomes: ArticleOutcome) -> Job:
        return Job(id=str(uuid.uuid4()), owner_id=1, created_at=None, state=JobState.DONE,  # type: ignore[arg-type]
                   articles=outcomes)

    assert finished_message(job(ArticleOutcome("flood.txt", JobState.DONE, 7, 3))) == \
        "“flood.txt” has been read: stored with 3 check items."
    assert finished_message(job(ArticleOutcome("pasted text", JobState.DUPLICATE))) == \
        "“pasted text” has been read: it is here already."
    assert finished_message(job(ArticleOutcome("a.txt", JobState.FAILED, error="empty"))) == \
        "“a.txt” has been read: it could not be stored."
    assert finished_message(job(ArticleOutcome("a.txt", JobState.DONE, 7, 1), ArticleOutcome("b.txt", JobState.DUPLICATE),
                                ArticleOutcome("c.txt", JobState.FAILED), ArticleOutcome("d.txt", JobState.FAILED))) == \
        "Your 4 articles have been read: 1 stored with 1 check item, 1 already here, 2 could not be stored."


def test_a_job_whose_worker_stopped_is_retried_and_what_it_stored_is_not_called_a_duplicate(job_app, session, app,
                                                                                           monkeypatch):
    """A worker killed while it reads a job: the queue has lost its run and the record says queued or running for
    good. Once nothing has moved for ``STALLED_AFTER`` the job counts as stalled and what it has left is retried;
    an article it had stored before noting it counts as stored (its owner's, made since the job began), not as
    a duplicate; and a second run finds nothing left and tells nobody again."""
    import datetime as dt

    from factcheck.db import session_scope
    from factcheck.models import Notification
    from factcheck.domain.workflow import Role
    from factcheck.services.ingest import ingest_article
    from tests.factories import gen_user

    owner = gen_user(session, Role.CHECKER)
    session.commit()
    job = jobs.start_ingest(job_app, [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)],
                            owner_id=owner.id)
    # The worker takes the run, notes that it begins the first article, stores it, and is killed before it notes
    # that it did.
    assert jobs.queue(job_app).dequeue() is not None
    begun = jobs.find_job(job_app, job.id)
    jobs._store(job_app, replace(begun, articles=(replace(begun.articles[0], attempted=True), begun.articles[1])))
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as own:
        ingest_article(own, SEED.decode(), actor=own.get(type(owner), owner.id))
    stuck = jobs.find_job(job_app, job.id)
    assert stuck.state is JobState.QUEUED and not stuck.stalled and jobs.retry(job_app, job.id) is None
    later = jobs._now() + jobs.STALLED_AFTER + dt.timedelta(seconds=1)
    monkeypatch.setattr(jobs, "_now", lambda: later)
    assert jobs.find_job(job_app, job.id).stalled
    assert jobs.retry(job_app, job.id) is not None
    assert jobs.retry(job_app, job.id) is None  # queued again: not stalled any more
    assert jobs.execute_next(job_app) is True
    done = jobs.find_job(job_app, job.id)
    assert done.state is JobState.DONE and [a.state for a in done.articles] == [JobState.DONE, JobState.DONE]
    assert done.articles[0].article_id is not None and done.articles[0].items > 0
    told = lambda: session.scalar(select(func.count()).select_from(Notification).where(  # noqa: E731
        Notification.user_id == owner.id))
    before = told()
    jobs._jobs(job_app).ingest(job.id)
    jobs.execute_next(job_app)  # a second run of the same job: nothing left, nobody told again
    assert told() == before and jobs.find_job(job_app, job.id).state is JobState.DONE


def test_a_job_waiting_its_turn_is_not_called_stopped_and_is_not_run_twice(job_app, session, monkeypatch):
    """The only worker is busy for ten minutes with another batch: the job still waits in the queue, so it is
    not stalled and a retry queues nothing (a second run would read every article twice)."""
    job = jobs.start_ingest(job_app, [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None)
    later = jobs._now() + jobs.STALLED_AFTER + dt.timedelta(minutes=5)
    monkeypatch.setattr(jobs, "_now", lambda: later)
    waiting = jobs.find_job(job_app, job.id)
    assert waiting.state is JobState.QUEUED and waiting.waiting_run and not waiting.stalled
    assert jobs.retry(job_app, job.id) is None
    assert jobs.queue(job_app).pending_count() == 1
    # Its run taken from the queue and lost (the worker killed): now it has stalled.
    assert jobs.queue(job_app).dequeue() is not None
    assert jobs.find_job(job_app, job.id).stalled and jobs.retry(job_app, job.id) is not None


def test_the_same_batch_uploaded_twice_stores_it_once_and_the_second_job_says_already_here(job_app, session):
    """A double click: the second job finds the first's articles stored; they are not its own."""
    from factcheck.domain.workflow import Role
    from tests.factories import gen_user

    owner = gen_user(session, Role.CHECKER)
    session.commit()
    files = [ArticleUpload("seed.txt", SEED), ArticleUpload("flood.txt", OTHER)]
    first = jobs.start_ingest(job_app, files, owner_id=owner.id)
    second = jobs.start_ingest(job_app, files, owner_id=owner.id)
    before = _articles(session)
    assert jobs.execute_next(job_app) and jobs.execute_next(job_app)
    assert _articles(session) == before + 2
    one, two = jobs.find_job(job_app, first.id), jobs.find_job(job_app, second.id)
    assert [a.state for a in one.articles] == [JobState.DONE, JobState.DONE]
    assert [a.state for a in two.articles] == [JobState.DUPLICATE, JobState.DUPLICATE] and two.items_found == 0
    assert "2 already here" in jobs.finished_message(two)


def test_a_finished_job_with_nothing_left_to_retry_keeps_no_upload(job_app, session):
    job = jobs.start_ingest(job_app, [ArticleUpload("empty.txt", b""), ArticleUpload("flood.txt", OTHER)],
                            owner_id=None)
    jobs.execute_next(job_app)
    done = jobs.find_job(job_app, job.id)
    assert done.state is JobState.FAILED and done.left == [] and jobs.retry(job_app, job.id) is None
    assert jobs.queue(job_app).get(jobs._input_key(job.id), peek=True) is None
    # One that may be retried keeps it, for the retry.
    failing = jobs.start_ingest(job_app, [ArticleUpload("flood.txt", OTHER + b" Again.")], owner_id=None)
    real = jobs.ingest_article

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT", {}, Exception("the database went away"))

    jobs.ingest_article = broken  # type: ignore[assignment]
    try:
        jobs.execute_next(job_app)
    finally:
        jobs.ingest_article = real  # type: ignore[assignment]
    kept = jobs.find_job(job_app, failing.id)
    assert kept.left and jobs.queue(job_app).get(jobs._input_key(failing.id), peek=True) is not None
