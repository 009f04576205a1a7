"""The consumers that run jobs: ``factcheck worker`` (its own process) and the demo's worker thread."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from huey.signals import SIGNAL_COMPLETE

from factcheck import jobs, migrate
from factcheck.app import create_app
from factcheck.jobs import ArticleUpload, JobState
from tests.conftest import TEST_SECRET

FLOOD = b"The ministry said on Monday that 40 people were evacuated from the flooded town."
#: Hang guard only: a healthy run takes a second or two; nothing is asserted about time.
PATIENCE = 120


def _settings(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    migrate.upgrade(url)
    return {"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "JOBS_PATH": str(tmp_path / "jobs.sqlite3")}


def _worker_process(settings: dict[str, str], folder: Path) -> subprocess.Popen[str]:
    """``factcheck worker`` in a process of its own, on the app's database and queue file."""
    env = {**os.environ, "FACTCHECK_DATABASE_URL": settings["DATABASE_URL"], "SECRET_KEY": TEST_SECRET,
           "FACTCHECK_JOBS_PATH": settings["JOBS_PATH"], "FACTCHECK_REDIS_URL": ""}
    return subprocess.Popen([str(Path(sys.executable).parent / "factcheck"), "worker"], env=env, cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_worker_command_runs_a_queued_job_and_stops_on_a_signal(tmp_path):
    settings = _settings(tmp_path)
    app = create_app(settings)
    job = jobs.start_ingest(app, [ArticleUpload("flood.txt", FLOOD)], owner_id=None)
    worker = _worker_process(settings, tmp_path)
    try:
        deadline = time.monotonic() + PATIENCE
        while not jobs.find_job(app, job.id).finished and time.monotonic() < deadline:
            time.sleep(0.2)
        finished = jobs.find_job(app, job.id)
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=PATIENCE)
    assert finished.state is JobState.DONE and finished.articles[0].items >= 1, output
    assert "SqliteHuey" in output and worker.returncode == 0, output


def test_the_demo_runs_a_worker_thread_beside_the_web_server(tmp_path):
    app = create_app(_settings(tmp_path))
    completed = threading.Event()
    jobs.queue(app).signal(SIGNAL_COMPLETE)(lambda *_: completed.set())
    handler = signal.getsignal(signal.SIGINT)
    consumer = jobs.start_in_process(app)
    try:
        assert signal.getsignal(signal.SIGINT) is handler  # Ctrl-C still stops the web server
        job = jobs.start_ingest(app, [ArticleUpload("flood.txt", FLOOD)], owner_id=None)
        assert completed.wait(PATIENCE)
    finally:
        consumer.stop(graceful=True)
    assert jobs.find_job(app, job.id).state is JobState.DONE


def test_sigterm_stops_the_worker_after_the_article_at_hand_and_the_rest_waits_in_the_queue(tmp_path):
    """What systemd, docker and Kubernetes send to stop a worker: the job is not lost half-way. The worker ends
    after the article it is writing; the articles not read yet wait in the queue for the next worker."""
    seed = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_bytes()
    settings = _settings(tmp_path)
    app = create_app(settings)
    uploads = [ArticleUpload(f"report-{n}.txt", f"Report number {n}.\n\n".encode() + seed) for n in range(40)]
    job = jobs.start_ingest(app, uploads, owner_id=None)
    worker = _worker_process(settings, tmp_path)
    try:
        deadline = time.monotonic() + PATIENCE
        while jobs.find_job(app, job.id).count(JobState.DONE) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=PATIENCE)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    stopped = jobs.find_job(app, job.id)
    if not stopped.finished:  # (a fast machine may have read all forty before the signal came)
        assert stopped.state is JobState.QUEUED and stopped.waiting_run and not stopped.stalled, output
        assert stopped.count(JobState.QUEUED) == 40 - stopped.count(JobState.DONE)
        assert jobs.execute_next(app) is True  # the next worker reads the rest
    finished = jobs.find_job(app, job.id)
    assert finished.state is JobState.DONE and finished.count(JobState.DONE) == 40
