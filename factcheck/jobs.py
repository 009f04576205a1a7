"""Background jobs: long work runs off the web request, on huey.

The queue is huey's: ``SqliteHuey`` in a file beside the database by default (one machine, nothing
to install), ``RedisHuey`` when ``FACTCHECK_REDIS_URL`` is set. ``factcheck worker`` runs the
consumer; ``factcheck serve --demo`` runs one in-process.

A job's progress (state, each article's outcome, the items found so far, errors in plain words) is
kept in huey's own key-value store beside its queue, so the web process reads it without a table
of its own. Each article of an ingest job is one unit of work: it is stored whole or not at all,
and a job whose articles failed can be retried; articles already stored are not read again.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from factcheck.config import instance_path, setting
from factcheck.db import is_sqlite, session_scope
from factcheck.domain.notifications import NotificationKind
from factcheck.domain.permissions import Capability, may_attempt
from factcheck.interchange.htmltext import ArticleInputError, decode_article
from factcheck.models import User, utcnow
from factcheck.services import webhooks
from factcheck.services.answers import tell_session
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.ingest import ingest_article

# huey (and redis through it) is imported when a queue is first made: a command that queues nothing, such as
# ``factcheck ingest``, starts without it.
if TYPE_CHECKING:
    from huey import Huey
    from huey.api import Task
    from huey.consumer import Consumer

log = logging.getLogger("factcheck.jobs")

_EXTENSION = "factcheck.jobs"
#: The ingest task's name in the queue.
_INGEST_TASK = "factcheck.ingest_articles"


class JobState(StrEnum):
    """Where a job, or one article of it, stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ArticleUpload:
    """One article handed to a job: the file's name and its bytes (decoded by the job)."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ArticleOutcome:
    """What became of one article of a job."""

    name: str
    state: JobState = JobState.QUEUED
    article_id: int | None = None
    items: int = 0
    error: str | None = None
    #: Failed for good: the file itself was refused (empty, not text, too long), so retrying cannot help.
    final: bool = False
    #: A run of the job began to write it (noted before it did): if the article is found stored when a later run
    #: comes to it, that run's worker stopped after storing it and before noting so.
    attempted: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """A job as its page shows it."""

    id: str
    owner_id: int | None
    created_at: dt.datetime
    state: JobState
    articles: tuple[ArticleOutcome, ...] = field(default_factory=tuple)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_on: dt.date | None = None
    error: str | None = None
    #: When its record was last written (its progress); None in records kept before it was noted.
    updated_at: dt.datetime | None = None
    #: Whether a run of it waits in the queue (read from the queue by ``find_job``, never stored).
    waiting_run: bool = False

    @property
    def items_found(self) -> int:
        """Check items stored so far."""
        return sum(a.items for a in self.articles)

    @property
    def finished(self) -> bool:
        """True once no article waits or runs."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def failed(self) -> list[ArticleOutcome]:
        """The articles that could not be stored."""
        return [a for a in self.articles if a.state is JobState.FAILED]

    @property
    def stalled(self) -> bool:
        """Unfinished, no run of it waiting in the queue, and no progress for ``STALLED_AFTER``: its worker stopped
        (killed, the machine restarted) or the queue lost its run, so what is left is retried. A job waiting its
        turn behind others is not stalled, however long it waits."""
        return (not self.finished and not self.waiting_run
                and _now() - (self.updated_at or self.created_at) > STALLED_AFTER)

    @property
    def left(self) -> list[ArticleOutcome]:
        """The articles a retry reads again: those that failed (but for files refused for good), and those a stalled
        job never got to."""
        return [a for a in self.articles if (a.state is JobState.FAILED and not a.final)
                or (self.stalled and a.state is JobState.QUEUED)]

    def count(self, state: JobState) -> int:
        """How many articles are in ``state``."""
        return sum(1 for a in self.articles if a.state is state)


# --- the queue ----------------------------------------------------------------------------------------


def make_queue(config: Any) -> Huey:
    """The huey instance ``config`` asks for: Redis when ``REDIS_URL`` is set, else an SQLite file."""
    from huey import RedisHuey, SqliteHuey

    name = str(setting(config, "JOBS_NAME"))
    redis_url = setting(config, "REDIS_URL")
    if redis_url:
        return RedisHuey(name, url=redis_url)
    path = setting(config, "JOBS_PATH") or _default_jobs_path(str(config.get("DATABASE_URL") or ""))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path))


def _default_jobs_path(database_url: str) -> Path:
    """Beside an SQLite database file; otherwise in the instance folder."""
    if database_url and is_sqlite(database_url):
        database = make_url(database_url).database
        if database and database != ":memory:":
            return Path(database).with_suffix(".jobs.sqlite3")
    return instance_path() / "jobs.sqlite3"


@dataclass
class _Jobs:
    huey: Huey
    ingest: Any
    webhooks: Any


def _jobs(app: Flask) -> _Jobs:
    """The app's queue and its tasks, made on first use (an app that never queues opens no store)."""
    jobs = app.extensions.get(_EXTENSION)
    if jobs is None:
        huey = make_queue(app.config)
        # The app itself, not the request's proxy to it: the task runs in a worker, outside any request.
        worker_app: Flask = getattr(app, "_get_current_object", lambda: app)()

        @huey.task(retries=1, retry_delay=5, name=_INGEST_TASK)
        def ingest_task(job_id: str) -> None:
            run_ingest(worker_app, job_id)

        @huey.task(name="factcheck.deliver_webhooks")
        def webhooks_task() -> None:
            run_webhook_deliveries(worker_app)

        jobs = app.extensions[_EXTENSION] = _Jobs(huey, ingest_task, webhooks_task)
    return jobs


def queue(app: Flask) -> Huey:
    """The app's huey instance."""
    return _jobs(app).huey


def consumer(app: Flask, *, workers: int = 1) -> Consumer:
    """A consumer of the app's queue, with worker threads (``factcheck worker`` runs it).

    SIGTERM (what systemd, docker and Kubernetes send) stops it gracefully: a job at work finishes the article at
    hand, puts the rest back in the queue for the next worker (``run_ingest``) and the process ends. SIGINT stops
    it at once."""
    # An idle worker looks at the queue at least every two seconds, so a new job starts soon and
    # stopping (which waits for a worker's sleep to end) is quick.
    running = queue(app).create_consumer(workers=workers, worker_type="thread", periodic=False, max_delay=2.0,
                                         graceful_signal="TERM")
    app.extensions[_STOPPING] = running.stop_flag
    return running


#: Where the running consumer's stop flag is kept: a job looks at it between articles.
_STOPPING = "factcheck.jobs.stopping"


def start_in_process(app: Flask) -> Consumer:
    """Start one worker thread beside the web server (the demo's); the server keeps its signal handlers."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    running = consumer(app)
    running.start()
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    return running


# --- job records ----------------------------------------------------------------------------------------


def _key(job_id: str) -> str:
    return f"job:{job_id}"


def _input_key(job_id: str) -> str:
    return f"job:{job_id}:input"


#: How long an unfinished job may make no progress before it counts as stalled (an article is read in seconds).
STALLED_AFTER = dt.timedelta(minutes=10)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _store(app: Flask, job: Job) -> None:
    queue(app).put(_key(job.id), asdict(replace(job, updated_at=_now(), waiting_run=False)))


def _load(app: Flask, job_id: str) -> Job | None:
    data = queue(app).get(_key(job_id), peek=True)
    if not isinstance(data, dict):
        return None
    articles = tuple(ArticleOutcome(**{**a, "state": JobState(a["state"])}) for a in data["articles"])
    return Job(**{**data, "state": JobState(data["state"]), "articles": articles})


def find_job(app: Flask, job_id: str) -> Job | None:
    """The job with ``job_id``, or None (unknown, or no longer kept); whether a run of it waits in the queue
    (``Job.waiting_run``) is read from the queue."""
    try:
        uuid.UUID(job_id)
    except ValueError:
        return None
    job = _load(app, job_id)
    return None if job is None else _with_queue(app, job)


def _with_queue(app: Flask, job: Job) -> Job:
    """``job`` with ``waiting_run``: whether the queue holds a run of it, due or scheduled (a retry after an error)."""
    huey = queue(app)
    if job.finished:
        return job
    waiting = any(task.args == (job.id,) and task.name == _INGEST_TASK
                  for task in (*huey.pending(), *huey.scheduled()))
    return replace(job, waiting_run=waiting)


# --- ingest jobs ------------------------------------------------------------------------------------------


class QueueUnavailable(ServiceError):
    """The job queue cannot be reached (Redis down, its SQLite file not writable): nothing was queued."""

    status_code = 503


def start_ingest(app: Flask, uploads: Sequence[ArticleUpload], *, owner_id: int | None, title: str | None = None,
                 url: str | None = None, outlet: str | None = None,
                 published_on: dt.date | None = None) -> Job:
    """Queue ``uploads`` for ingest; the returned job's page follows its progress. Raises ``QueueUnavailable``
    when the queue cannot be reached."""
    job = Job(id=str(uuid.uuid4()), owner_id=owner_id, created_at=dt.datetime.now(dt.UTC), state=JobState.QUEUED,
              articles=tuple(ArticleOutcome(u.name) for u in uploads), title=title, url=url, outlet=outlet,
              published_on=published_on)
    jobs = _jobs(app)
    try:
        jobs.huey.put(_input_key(job.id), [asdict(u) for u in uploads])
        _store(app, job)
        jobs.ingest(job.id)
    except Exception as exc:
        if not _queue_unreachable(exc):
            raise
        log.warning("event=job_not_queued reason=%s", type(exc).__name__)
        raise QueueUnavailable("Background reading is not available at the moment (its queue cannot be reached), "
                               "so nothing was added. Try again in a few minutes; if it goes on, tell an admin.") from exc
    return job


def _queue_unreachable(exc: Exception) -> bool:
    """Whether ``exc`` says the queue's store cannot be reached (Redis's connection, SQLite's file)."""
    import sqlite3

    try:
        from redis import RedisError
    except ImportError:  # pragma: no cover - redis comes with the queue's extras
        return isinstance(exc, sqlite3.OperationalError)
    return isinstance(exc, (RedisError, sqlite3.OperationalError))


def retry(app: Flask, job_id: str) -> Job | None:
    """Queue a finished job's failed articles again, or what a stalled job has left; None when there is nothing
    to retry.

    Under the queue's lock on the job (in its SQLite file or in Redis, so across processes): two retries at the
    same moment (a double click, two tabs) queue the articles once; the second finds the job queued already, or
    the lock held, and retries nothing.
    """
    from huey.exceptions import TaskLockedException

    try:
        with queue(app).lock_task(f"retry:{job_id}"):
            job = _load(app, job_id)
            if job is not None:
                job = _with_queue(app, job)
            if job is None or not (job.finished or job.stalled) or not job.left:
                return None
            again = replace(job, state=JobState.QUEUED, error=None, articles=tuple(
                replace(a, state=JobState.QUEUED, error=None) if a in job.left else a for a in job.articles))
            _store(app, again)
            _jobs(app).ingest(job.id)
            return again
    except TaskLockedException:
        return None


@contextmanager
def unit_of_work(app: Flask) -> Iterator[Session]:
    """A unit of work outside a request (a job, a command): a session that commits when the block
    succeeds and rolls back otherwise, told what readers' answer mails need; once committed, the
    webhooks it recorded are queued for delivery."""
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        tell_session(session, base_url=str(setting(app.config, "BASE_URL")),
                     erase_days=int(setting(app.config, "READER_ADDRESS_DAYS")))
        yield session
    after_commit(app, session)


def run_ingest(app: Flask, job_id: str) -> None:
    """The task: ingest each article still queued, one transaction each, recording progress as it goes."""
    job = _load(app, job_id)
    uploads = queue(app).get(_input_key(job_id), peek=True)
    if job is None or not isinstance(uploads, list):
        log.warning("job %s has no record or input; nothing to do", job_id)
        return
    if not any(a.state is JobState.QUEUED for a in job.articles):
        return  # a second run of a job retried after it stalled, its articles all read by the first: nothing to tell
    job = replace(job, state=JobState.RUNNING)
    _store(app, job)
    outcomes = list(job.articles)
    stopping = app.extensions.get(_STOPPING)
    for index, upload in enumerate(uploads):
        if outcomes[index].state is not JobState.QUEUED:
            continue  # stored already, or a duplicate: a retry reads only what failed
        if stopping is not None and stopping.is_set():
            # The worker is stopping (SIGTERM): the rest waits in the queue for the next one.
            job = replace(job, state=JobState.QUEUED)
            _store(app, job)
            _jobs(app).ingest(job.id)
            return
        earlier = outcomes[index].attempted
        outcomes[index] = replace(outcomes[index], attempted=True)
        _store(app, replace(job, articles=tuple(outcomes)))  # noted before writing it
        outcomes[index] = replace(_ingest_one(app, job, ArticleUpload(**upload), multiple=len(uploads) > 1,
                                              attempted_before=earlier), attempted=True)
        job = replace(job, articles=tuple(outcomes))
        _store(app, job)
    job = replace(job, state=JobState.FAILED if job.failed else JobState.DONE)
    _store(app, job)
    if not job.left:
        queue(app).get(_input_key(job_id))  # read and removed: nothing is left to retry
    _tell_owner(app, job)


def finished_message(job: Job) -> str:
    """The one line a job's owner is told when it has finished: what was stored, found already, or not."""
    done, here, failed = job.count(JobState.DONE), job.count(JobState.DUPLICATE), len(job.failed)
    items = f"{job.items_found} check item{'s' if job.items_found != 1 else ''}"
    if len(job.articles) == 1:
        outcome = f"stored with {items}" if done else "it is here already" if here else "it could not be stored"
        return f"“{job.articles[0].name[:80]}” has been read: {outcome}."
    parts = [f"{done} stored with {items}"] if done else []
    parts += [f"{here} already here"] if here else []
    parts += [f"{failed} could not be stored"] if failed else []
    return f"Your {len(job.articles)} articles have been read: {', '.join(parts)}."


def _tell_owner(app: Flask, job: Job) -> None:
    """The owner's notice that the job has finished (each run's, a retry's too), with its page's link, mailed
    as their settings say (at once from this worker when mail is sent in process)."""
    if job.owner_id is None:
        return
    from factcheck.services.mail import deliver_due
    from factcheck.services.notifications import dispatch, notify

    try:
        with unit_of_work(app) as session:
            notify(session, [job.owner_id], NotificationKind.JOB_DONE, message=finished_message(job),
                   link=f"/jobs/{job.id}")
            mailed = dispatch(session, str(setting(app.config, "BASE_URL")),
                              str(setting(app.config, "ORGANISATION_NAME"))).mailed
        if mailed and setting(app.config, "SMTP_URL") and setting(app.config, "MAIL_SEND_IN_PROCESS"):
            deliver_due(lambda: unit_of_work(app), str(setting(app.config, "SMTP_URL")),
                        str(setting(app.config, "MAIL_FROM")), max_attempts=int(setting(app.config, "MAIL_MAX_ATTEMPTS")))
    except Exception:  # noqa: BLE001 - the job is done and recorded; its page still tells the owner
        log.exception("job %s: its owner could not be told that it finished", job.id)


def _ingest_one(app: Flask, job: Job, upload: ArticleUpload, *, multiple: bool,
                attempted_before: bool = False) -> ArticleOutcome:
    """One article of the job in a unit of work of its own. ``attempted_before``: an earlier run began to write it
    (found stored now, it is this job's, stored by that run)."""
    try:
        text = decode_article(upload.data, upload.name)
        with unit_of_work(app) as session:
            actor = session.get(User, job.owner_id) if job.owner_id else None
            if job.owner_id is not None and (actor is None or not actor.is_active
                                             or not may_attempt(Capability.ADD_ARTICLE, actor.roles)):
                # The account was disabled or lost its role after the upload: nothing is stored in its name.
                return ArticleOutcome(upload.name, JobState.FAILED, error=(
                    "The account that uploaded this article may no longer add articles (it was disabled or its "
                    "role changed), so nothing was stored."))
            result = ingest_article(session, text, actor=actor, title=None if multiple else job.title, url=job.url,
                                    outlet=job.outlet, published_on=job.published_on)
            return ArticleOutcome(upload.name, JobState.DONE, result.article.id, len(result.item_ids))
    except Duplicate as exc:
        earlier = _stored_by_an_earlier_run(app, job, upload.name, text) if attempted_before else None
        return earlier or ArticleOutcome(upload.name, JobState.DUPLICATE, error=str(exc))
    except (ArticleInputError, ServiceError) as exc:  # the file itself: reading it again gives the same answer
        return ArticleOutcome(upload.name, JobState.FAILED, error=str(exc), final=True)
    except Exception as exc:  # noqa: BLE001 - the job goes on with the next article; the log has the traceback
        log.exception("job %s: %s could not be ingested", job.id, upload.name)
        return ArticleOutcome(upload.name, JobState.FAILED, error=(
            f"Something went wrong while storing this article ({type(exc).__name__}); nothing of it was "
            "stored. Retry the job; if it fails again, tell an admin."))


def _stored_by_an_earlier_run(app: Flask, job: Job, name: str, text: str) -> ArticleOutcome | None:
    """The article ``text`` as this job stored it in an earlier run whose worker stopped before noting it (the
    owner's, made since the job began, and not one of its articles already): stored, not a duplicate."""
    from sqlalchemy import func, select

    from factcheck.models import CheckItem
    from factcheck.services.ingest import find_article_by_text

    with unit_of_work(app) as session:
        article = find_article_by_text(session, text)
        noted = {a.article_id for a in job.articles if a.article_id is not None}
        if (article is None or job.owner_id is None or article.created_by_id != job.owner_id or article.id in noted
                or article.created_at < job.created_at):
            return None
        items = session.scalar(select(func.count()).select_from(CheckItem).where(CheckItem.article_id == article.id))
        return ArticleOutcome(name, JobState.DONE, article.id, int(items or 0))


def execute_next(app: Flask) -> bool:
    """Run the next queued task in this thread; False when the queue is empty (tests and tools)."""
    huey = queue(app)
    task: Task | None = huey.dequeue()
    if task is None:
        return False
    huey.execute(task)
    return True


# --- webhook deliveries ------------------------------------------------------------------------------------

#: Where the queue keeps when the next delivery run is scheduled for (so runs are not scheduled twice).
_WEBHOOKS_SCHEDULED_KEY = "webhooks:scheduled-for"
#: The soonest a follow-up run is scheduled: a delivery another worker holds is not chased in a loop.
_MIN_FOLLOW_UP_SECONDS = 5


def after_commit(app: Flask, session: Session) -> None:
    """Start delivering webhooks when the transaction just committed recorded deliveries."""
    if session.info.pop(webhooks.PENDING_KEY, False):
        deliver_webhooks_soon(app)


def deliver_webhooks_soon(app: Flask) -> None:
    """Queue a delivery run (the worker sends what is due, then schedules the retries)."""
    try:
        _jobs(app).webhooks()
    except Exception:  # noqa: BLE001 - the change is committed; its deliveries wait for the next run
        log.exception("could not queue webhook deliveries; they wait for the next run or `factcheck webhooks "
                      "deliver`")


@dataclass(frozen=True)
class WebhookRun:
    """What one delivery run did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    next_due_at: dt.datetime | None = None


def run_webhook_deliveries(app: Flask, *, now: dt.datetime | None = None, schedule: bool = True) -> WebhookRun:
    """Send every delivery due, one short transaction to claim a batch and one per outcome, then schedule
    a run for the next retry. ``now`` fixes the clock (tests); ``schedule=False`` leaves the queue alone."""
    config = app.config
    allow_private = bool(setting(config, "WEBHOOK_ALLOW_PRIVATE"))
    timeout = float(setting(config, "WEBHOOK_TIMEOUT_SECONDS"))
    max_attempts = int(setting(config, "WEBHOOK_MAX_ATTEMPTS"))
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    while True:
        with unit_of_work(app) as session:
            attempts = webhooks.claim_due(session, now=now or utcnow(), timeout=timeout)
        if not attempts:
            break
        for attempt in attempts:
            outcome = webhooks.send(attempt, allow_private=allow_private, timeout=timeout)
            with unit_of_work(app) as session:
                delivery = webhooks.record_outcome(session, attempt.delivery_id, outcome, attempt=attempt.attempt,
                                                   now=now or utcnow(),
                                                   max_attempts=max_attempts)
                if delivery is not None:
                    state = delivery.state.value
                    counts["retrying" if state == "pending" else state] += 1
    with unit_of_work(app) as session:
        due = webhooks.next_due_at(session)
    if due is not None and schedule:
        _schedule_webhooks(app, due)
    return WebhookRun(counts["delivered"], counts["retrying"], counts["failed"], due)


def _schedule_webhooks(app: Flask, due: dt.datetime) -> None:
    huey = queue(app)
    at = max(due.timestamp(), time.time() + _MIN_FOLLOW_UP_SECONDS)
    scheduled = huey.get(_WEBHOOKS_SCHEDULED_KEY, peek=True)
    if isinstance(scheduled, float) and time.time() < scheduled <= at:
        return  # a run is already due by then
    huey.put(_WEBHOOKS_SCHEDULED_KEY, at)
    _jobs(app).webhooks.schedule(delay=at - time.time())
