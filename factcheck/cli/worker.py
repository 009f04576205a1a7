"""``factcheck worker``: run the background jobs (long uploads, batches of articles)."""

from __future__ import annotations

import click

from factcheck import jobs
from factcheck.cli.common import make_app


@click.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Jobs run side by side (threads).")
def worker_command(workers: int) -> None:
    """Run the job queue's consumer until stopped: SIGTERM (what systemd and docker send) finishes the article at
    hand and leaves the rest of its job in the queue for the next worker; Ctrl-C stops at once.

    The queue is an SQLite file beside the database unless FACTCHECK_REDIS_URL names a Redis server.
    """
    app = make_app()
    queue = jobs.queue(app)
    click.echo(f"Working on the {type(queue).__name__} queue {queue.name!r} with {workers} worker(s).")
    jobs.consumer(app, workers=workers).run()
