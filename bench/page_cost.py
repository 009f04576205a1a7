"""What the public pages and the API's lists cost: CPU instructions (or time) per request.

    python bench/page_cost.py                    # instructions per request of every page, by callgrind
    python bench/page_cost.py --cpu              # CPU µs per request instead (no valgrind; median of --requests)
    python bench/page_cost.py --save DIR         # write every page's body to DIR (to compare outputs byte for byte)
    python bench/page_cost.py --profile PATH     # pyinstrument's text profile of one path

The database is filled once by ``bench/web_load.py``'s filler at ``--items`` (20,000 by default) in
``bench/results/page-cost-<items>.sqlite3`` and reused by later runs (``--refill`` makes it anew).
Every page is requested in Flask's test client by the bench's signed-in reviewer (the API's lists
with a read token), after a warm-up. Instruction counts repeat from run to run whatever else the
machine runs: callgrind counts only the measured loop (run inside ``sys.call_tracing``), each page
in a valgrind run of its own, with a fixed hash seed. ``/bench/bare`` (one indexed query behind
the request machinery) and ``/bare/`` (the same query in a bare Flask app) are the references.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


#: A database filled elsewhere (``--url`` with ``--ids``), used instead of the SQLite file.
GIVEN: dict[str, str] = {}


def _database(items: int, refill: bool = False) -> tuple[str, dict[str, int]]:
    if GIVEN:
        return GIVEN["url"], json.loads(Path(GIVEN["ids"]).read_text())
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"page-cost-{items}.sqlite3"
    ids_path = RESULTS / f"page-cost-{items}.json"
    url = f"sqlite:///{path}"
    if refill or not ids_path.exists():
        from bench.web_load import fill, reset_database

        reset_database(url)
        ids_path.write_text(json.dumps(fill(url, items)))
    return url, json.loads(ids_path.read_text())


#: With ``--desk``: the desk's signed-in pages too (queue, triage, my work, item, dashboard, search).
EVERY_PAGE: list[bool] = []


def pages(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(name, path, who): the pages of bench/web_load.py this script measures."""
    from bench.web_load import pages_for

    every = [page for page in pages_for(ids) if page[2] != "reader"]  # the test client is signed in
    if EVERY_PAGE:
        return every
    wanted = ("/bare/", "/bench/bare", "/articles", "/sources", "/reports/", "/verdicts/", "/claimreview", "/api/v1/")
    return [page for page in every if page[1].startswith(wanted) and not page[1].startswith("/articles/")]


def _clients(items: int):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REPO))
    url, ids = _database(items)
    folder = tempfile.mkdtemp(prefix="factcheck-page-cost-")
    os.environ["FACTCHECK_DATABASE_URL"] = url
    os.environ["FACTCHECK_INSTANCE_PATH"] = folder
    os.environ.setdefault("SECRET_KEY", "page-cost-secret-key-long-enough")
    # As bench/web_load.py serves it: the reviewer (an editor too) signs in without a second factor.
    os.environ["FACTCHECK_REQUIRE_2FA"] = "admin"
    os.environ["FACTCHECK_API_RATE_LIMIT"] = "1000000000"
    from bench.web_load import PASSWORD, api_token, wsgi
    from tests.helpers import sign_in

    app = wsgi()
    client = app.test_client()
    sign_in(client, "reviewer@bench.example", PASSWORD)
    token = api_token(url)
    return client, {"Authorization": f"Bearer {token}"}, ids


def _loop(client, headers, path: str, who: str, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        response = client.get(path, headers=headers if who == "api" else None)
        assert response.status_code == 200, (path, response.status_code, response.location)


def inner(path: str, who: str, count: int, warm: int, items: int) -> None:
    """Run under callgrind: warm up, then ``count`` requests inside ``sys.call_tracing``."""
    client, headers, _ = _clients(items)
    _loop(client, headers, path, who, warm)
    sys.call_tracing(_loop, (client, headers, path, who, count))


def instructions(path: str, who: str, count: int, warm: int, items: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
                        f"--callgrind-out-file={out}", sys.executable, __file__, "--inner", path, "--who", who,
                        "--requests", str(count), "--warm", str(warm), "--items", str(items)],
                       check=True, capture_output=True, cwd=REPO,
                       env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"})
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert match, "callgrind wrote no totals"
        return int(match.group(1))


def cpu(items: int, count: int, only: str | None) -> None:
    client, headers, ids = _clients(items)
    print(f"{'page':<40}{'CPU µs/request':>16}")
    for name, path, who in pages(ids):
        if only and only not in path:
            continue
        _loop(client, headers, path, who, 10)
        times = []
        for _ in range(count):
            start = time.process_time()
            _loop(client, headers, path, who, 1)
            times.append(time.process_time() - start)
        print(f"{name:<40}{statistics.median(times) * 1e6:>16,.0f}", flush=True)


def statements(items: int, count: int, only: str | None) -> None:
    """Each page's slowest statements (wall ms, the best of ``count`` requests), e.g. on PostgreSQL."""
    from sqlalchemy import event

    client, headers, ids = _clients(items)
    engine = client.application.extensions["factcheck.db"].engine
    timings: list[tuple[str, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info["page_cost_start"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        timings.append((statement, (time.perf_counter() - conn.info.pop("page_cost_start")) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    for name, path, who in pages(ids):
        if only and only not in path:
            continue
        best: dict[int, tuple[str, float]] = {}
        for _ in range(count):
            timings.clear()
            _loop(client, headers, path, who, 1)
            for n, (statement, ms) in enumerate(timings):
                if n not in best or ms < best[n][1]:
                    best[n] = (statement, ms)
        total = sum(ms for _, ms in best.values())
        print(f"{name}: {len(best)} statements, {total:.1f} ms")
        for statement, ms in sorted(best.values(), key=lambda b: -b[1])[:3]:
            print(f"    {ms:7.2f} ms  {' '.join(statement.split())[:150]}")


def save(items: int, folder: Path) -> None:
    client, headers, ids = _clients(items)
    folder.mkdir(parents=True, exist_ok=True)
    for _, path, who in pages(ids):
        body = client.get(path, headers=headers if who == "api" else None).get_data()
        (folder / (re.sub(r"[^A-Za-z0-9.]+", "_", path).strip("_") or "root")).write_bytes(body)
        print(path, len(body))


def profile(items: int, path: str, count: int) -> None:
    from pyinstrument import Profiler

    client, headers, _ = _clients(items)
    who = "api" if path.startswith("/api/") else "reviewer"
    _loop(client, headers, path, who, 10)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    _loop(client, headers, path, who, count)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--only", help="only the pages whose path contains this")
    parser.add_argument("--skip-references", action="store_true",
                        help="leave out the bare app and the bare endpoint (counted once, they need no repeating)")
    parser.add_argument("--cpu", action="store_true", help="CPU time per request, no valgrind")
    parser.add_argument("--save", type=Path, help="write every page's body into this folder")
    parser.add_argument("--profile", help="pyinstrument profile of this path")
    parser.add_argument("--statements", action="store_true", help="each page's slowest SQL statements (wall ms)")
    parser.add_argument("--url", help="a database filled by bench/web_load.py's filler instead of the SQLite file")
    parser.add_argument("--ids", help="with --url: the JSON file of the filler's ids")
    parser.add_argument("--desk", action="store_true",
                        help="every page of bench/web_load.py, the desk's signed-in pages too (the checker's as the reviewer)")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    parser.add_argument("--who", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.url:
        GIVEN.update(url=args.url, ids=args.ids)
    if args.desk:
        EVERY_PAGE.append(True)
    if args.inner:
        inner(args.inner, args.who, args.requests, args.warm, args.items)
        return
    _database(args.items, args.refill)
    if args.save:
        save(args.items, args.save)
    elif args.profile:
        profile(args.items, args.profile, args.requests)
    elif args.statements:
        statements(args.items, args.requests, args.only)
    elif args.cpu:
        cpu(args.items, args.requests, args.only)
    else:
        _, ids = _database(args.items)
        print(f"{'page':<40}{'instructions/request':>22}")
        for name, path, who in pages(ids):
            if (args.only and args.only not in path) or (args.skip_references and path.startswith(("/bare/", "/bench/"))):
                continue
            print(f"{name:<40}{instructions(path, who, args.requests, args.warm, args.items) / args.requests:>22,.0f}",
                  flush=True)


if __name__ == "__main__":
    main()
