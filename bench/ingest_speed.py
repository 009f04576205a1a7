"""Ingest against extraction of the same articles: what storing costs beyond reading.

Usage: python bench/ingest_speed.py [--data DIR] [--database-url URL] [--rounds N] [--commands | --commands-only]

Reads every PolNeAR dev text (84 news articles; a synthetic corpus without the data), then, in
interleaved rounds, times ``extract`` of all of them and ``ingest`` of all of them into a fresh
database, one transaction per article as ``factcheck ingest`` does: on SQLite, and with
``--database-url`` on that PostgreSQL database too, side by side (each ingest paired with an
extraction timed just before it, so both see the same load on the machine). Wall time is
reported: what a desk waits for is this process's work plus the database's. Prints each round's
seconds, items per second and the ratio ingest / extract, then the median ratio per database;
the goal is a ratio of at most 3.

On a shared, loaded machine wall times swing by a factor of two within seconds, so each round also
prints the CPU seconds spent: extraction's, and ingest's in this process plus, for a PostgreSQL
server on this machine, in its backend (read from /proc; "n/a" when the server is elsewhere).
Their ratio leaves out waiting (for the disk, for a turn on the CPU) and holds steadier under load.

With ``--commands`` each round also times the commands themselves, as a desk runs them: ``factcheck extract``
of the 84 files, then ``factcheck ingest`` of the same files into a fresh database (migrated before the clock
starts), each a process of its own started from this repository; the ratio is their wall times (each command
pays its own start-up, and ``factcheck ingest`` of many files reads ahead with one reader); their CPU seconds are
the commands' processes' (the reader's too) and, on PostgreSQL on this machine, every server process's. With
``--commands-only`` only the commands are timed.

The process settles its garbage collector first (``app.settle_for_batch``), as ``factcheck ingest`` of
many files does; extraction and ingest both run after it.

Each database is measured twice a round: articles read (extracted) in this process, one after the
other, and ", a reader": the same texts as files read ahead in one other process while this one
writes (``interchange.reading.read_files``, as ``factcheck ingest`` of more than two files does). The
second's wall time is what a desk waits for with two cores; its CPU seconds include the reader's.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._corpus import DEFAULT_DATA, load  # noqa: E402
from bench.extract_speed import synthetic_article  # noqa: E402
from factcheck import migrate  # noqa: E402
from factcheck.app import settle_for_batch  # noqa: E402
from factcheck.db import Database, session_scope  # noqa: E402
from factcheck.domain.extract import extract  # noqa: E402
from factcheck.interchange.reading import read_files  # noqa: E402
from factcheck.services.ingest import ingest_article  # noqa: E402
from factcheck.services.reading import ReadArticle  # noqa: E402


def _texts(data: Path) -> list[str]:
    try:
        return [article.text for article in load(data)]
    except FileNotFoundError:
        rng = random.Random(7)
        return [synthetic_article(rng) for _ in range(84)]


def _fresh_database(url: str | None, folder: Path, round_no: int) -> Database:
    if url is None:
        url = f"sqlite:///{folder / f'ingest-{round_no}.sqlite3'}"
    else:
        with Database(url).engine.begin() as conn:  # the bench empties the database it is given
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    return Database(url)


@dataclass(frozen=True, slots=True)
class Round:
    """One round's seconds (wall and CPU) of extraction and of ingest, and the items found and stored."""

    extract_s: float
    ingest_s: float
    extract_cpu: float
    ingest_cpu: float | None
    found: int
    stored: int


def _server_cpu(pids: set[int]) -> float | None:
    """CPU seconds the PostgreSQL backends ``pids`` have used so far (None when /proc does not show them)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the readers of ``read_files``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _read(read: ReadArticle | Exception) -> ReadArticle:
    if isinstance(read, Exception):
        raise read
    return read


def _round(texts: list[str], url: str | None, folder: Path, round_no: int, files: list[Path] | None = None) -> Round:
    """Extraction of all texts, then their ingest into a fresh database; with ``files`` (the same texts as
    files) read ahead in one other process, as ``factcheck ingest`` of many files reads them."""
    started, cpu = time.perf_counter(), time.process_time()
    found = sum(len(extract(text).assertions) for text in texts)
    extract_s, extract_cpu = time.perf_counter() - started, time.process_time() - cpu
    db = _fresh_database(url, folder, round_no)
    backends: set[int] = set()
    if url is not None:
        @event.listens_for(db.engine, "connect")
        def _backend(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(int(cursor.fetchone()[0]))

        with db.engine.connect():
            pass  # the pool's first connection, opened before the clock starts
    server_before = _server_cpu(backends) if url is not None else 0.0
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    stored = 0
    articles = texts if files is None else (_read(read) for _, read in read_files(files, readers=1))
    for article in articles:
        with session_scope(db.sessionmaker) as session:
            stored += len(ingest_article(session, article, actor=None).item_ids)  # as `factcheck ingest` counts them
    # (The reader has ended: its CPU seconds are counted with the children's.)
    ingest_s, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu + _children_cpu() - children
    server_after = _server_cpu(backends) if url is not None else 0.0
    db.dispose()
    server = None if server_before is None or server_after is None else server_after - server_before
    return Round(extract_s, ingest_s, extract_cpu, None if server is None else ingest_cpu + server, found, stored)


#: The command line, as the ``factcheck`` script runs it, with this repository's package first on the path.
_COMMAND = [sys.executable, "-c", "import sys; from factcheck.cli import main; sys.exit(main())"]
_REPOSITORY = Path(__file__).resolve().parents[1]


def _postgres_processes() -> dict[int, list[int]]:
    """Every PostgreSQL process on this machine: its parent's pid and its CPU ticks (own, then its ended
    children's: utime, stime, cutime, cstime)."""
    processes: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue  # (ended meanwhile)
        if head.endswith("(postgres"):
            fields = rest.split()
            processes[int(stat.parent.name)] = [int(fields[1]), *(int(f) for f in fields[11:15])]
    return processes


def _postgres_cpu(before: set[int] | None = None) -> tuple[float, set[int]] | None:
    """CPU seconds of every PostgreSQL process on this machine so far, those that ended included (the server's
    main process counts its ended children's), and their pids; None when none is seen. ``before``: the pids
    seen before a command ran: the processes started since (its backend) are waited for, up to five seconds,
    until they have ended and their seconds are their parent's (a process that has ended stays in /proc until
    then)."""
    processes = _postgres_processes()
    for _ in range(100):
        if before is None or not processes.keys() - before:
            break
        time.sleep(0.05)
        processes = _postgres_processes()
    if not processes:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    # utime + stime of each; the main process (whose parent is not the server) adds its ended children's.
    return sum(utime + stime + (cutime + cstime if parent not in processes else 0)
               for parent, utime, stime, cutime, cstime in processes.values()) / tick, set(processes)


@dataclass(frozen=True, slots=True)
class CommandsRound:
    """Wall and CPU seconds of ``factcheck extract`` and ``factcheck ingest`` of the files, each a process of its own
    (CPU: the command's processes, its readers included, and on PostgreSQL the server's; None when not seen)."""

    extract_s: float
    ingest_s: float
    extract_cpu: float
    ingest_cpu: float | None


def _commands_round(files: list[Path], url: str | None, folder: Path, round_no: int) -> CommandsRound:
    """Seconds of ``factcheck extract`` of ``files`` and of ``factcheck ingest`` of them into a fresh database."""
    db = _fresh_database(url, folder, round_no)
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "FACTCHECK_INSTANCE_PATH": str(folder / "instance"),
           "PYTHONPATH": str(_REPOSITORY)}
    names = [str(path) for path in files]
    started, children = time.perf_counter(), _children_cpu()
    subprocess.run([*_COMMAND, "extract", *names], env=env, cwd=_REPOSITORY, check=True, stdout=subprocess.DEVNULL)
    extract_s, extract_cpu = time.perf_counter() - started, _children_cpu() - children
    postgres = url.startswith("postgresql")
    server = _postgres_cpu() if postgres else (0.0, set())
    started, children = time.perf_counter(), _children_cpu()
    subprocess.run([*_COMMAND, "ingest", *names], env=env, cwd=_REPOSITORY, check=True, stdout=subprocess.DEVNULL)
    ingest_s, ingest_cpu = time.perf_counter() - started, _children_cpu() - children
    server_after = _postgres_cpu(server[1]) if postgres and server is not None else server
    return CommandsRound(extract_s, ingest_s, extract_cpu,
                         None if server is None or server_after is None else ingest_cpu + server_after[0] - server[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database-url", help="a PostgreSQL URL to empty and use beside SQLite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commands", action="store_true",
                        help="also time the commands `factcheck extract` and `factcheck ingest` of the files")
    parser.add_argument("--commands-only", action="store_true", help="time only the commands (as --commands does)")
    args = parser.parse_args()
    texts = _texts(args.data)
    settle_for_batch()  # as ``factcheck ingest`` of many files does (extraction and ingest alike run after it)
    databases: dict[str, str | None] = {"SQLite": None}
    if args.database_url:
        databases["PostgreSQL"] = args.database_url
    runs = [] if args.commands_only else [
        (name, url, how) for name, url in databases.items() for how in ("", ", a reader")]
    if args.commands or args.commands_only:
        runs += [(name, url, ", the commands") for name, url in databases.items()]
    ratios: dict[str, list[float]] = {name + how: [] for name, _, how in runs}
    cpu_ratios: dict[str, list[float]] = {name + how: [] for name, _, how in runs}
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n, text_ in enumerate(texts):
            files.append(Path(folder) / f"article-{n:03d}.txt")
            files[-1].write_text(text_, encoding="utf-8")
        for round_no in range(args.rounds):
            for name, url, how in runs:
                if how == ", the commands":
                    c = _commands_round(files, url, Path(folder), 2 * args.rounds + round_no)
                    ratios[name + how].append(c.ingest_s / c.extract_s)
                    cpu = "n/a"
                    if c.ingest_cpu is not None:
                        cpu_ratios[name + how].append(c.ingest_cpu / c.extract_cpu)
                        cpu = f"{c.extract_cpu:5.2f} / {c.ingest_cpu:5.2f} s, ratio {c.ingest_cpu / c.extract_cpu:5.2f}"
                    print(f"round {round_no + 1} {name + how:20s}: factcheck extract {c.extract_s:6.2f} s   factcheck "
                          f"ingest {c.ingest_s:6.2f} s   ratio {c.ingest_s / c.extract_s:5.2f}   CPU {cpu}", flush=True)
                    continue
                r = _round(texts, url, Path(folder), 2 * round_no + bool(how), files if how else None)
                name += how
                ratios[name].append(r.ingest_s / r.extract_s)
                cpu = "n/a"
                if r.ingest_cpu is not None:
                    cpu_ratios[name].append(r.ingest_cpu / r.extract_cpu)
                    cpu = f"{r.extract_cpu:5.2f} / {r.ingest_cpu:5.2f} s, ratio {r.ingest_cpu / r.extract_cpu:5.2f}"
                print(f"round {round_no + 1} {name:20s}: extract {r.extract_s:6.2f} s ({r.found / r.extract_s:6.0f} "
                      f"assertions/s)   ingest {r.ingest_s:6.2f} s ({r.stored / r.ingest_s:6.0f} items/s)   "
                      f"ratio {r.ingest_s / r.extract_s:5.2f}   CPU {cpu}", flush=True)
    for name, values in ratios.items():
        cpu = f", of CPU seconds {statistics.median(cpu_ratios[name]):.2f}" if cpu_ratios[name] else ""
        print(f"{name}: median ratio ingest / extract {statistics.median(values):.2f}{cpu} over {len(texts)} "
              "articles (goal ≤ 3)")


if __name__ == "__main__":
    main()
