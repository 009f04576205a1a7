"""What the request machinery costs: CPU instructions per request, counted by callgrind.

    python bench/request_cost.py            # instructions per request of /bench/bare and /bare/, and their ratio
    python bench/request_cost.py --wall     # wall time per request instead (no valgrind; noisy on a shared box)
    python bench/request_cost.py --items 20000 --path /my-work --path /items/{item_id}
                                            # any page, on a database filled by bench/web_load.py's filler


``/bench/bare`` is one indexed query behind the app's whole request machinery (sign-in, the
server-side session check, CSRF, security headers); ``/bare/`` is the same query in a bare Flask app
(``bench/web_load.py``). Both are requested in Flask's test client on a small SQLite database, after a
warm-up, by a signed-in reviewer. Instruction counts repeat from run to run whatever else the machine
runs (to within a few per cent: the bare app's count moved by up to 4 % between runs): callgrind
counts only the measured loop (run inside ``sys.call_tracing``, which nothing else calls), each path
in a valgrind run of its own, with a fixed hash seed.

With ``--items N`` the database is filled by ``bench.web_load.fill`` (N check items over 50
checkers, the seed article worked to a proposed verdict) and kept in ``--database`` (made once, then
reused: a fill of 20,000 items takes a few seconds); ``--path`` may then name any page, with
``{item_id}``, ``{article_id}``, ``{published_id}`` and ``{source_id}`` standing for the filler's pages.
``/my-work`` is requested by the checker who holds the worked item (as ``bench/web_load.py`` does),
every other path by the reviewer (an editor too).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PATHS = ("/bench/bare", "/bare/")


def _filled(database: Path, items: int) -> dict[str, int]:
    """The filler's page ids, filling ``database`` first when it is not there yet (or holds another size)."""
    sys.path.insert(0, str(REPO))
    from bench.web_load import fill, reset_database

    ids_file = database.with_suffix(".ids.json")
    if database.exists() and ids_file.exists():
        kept = json.loads(ids_file.read_text())
        if kept.get("items") == items:
            return kept["ids"]
    url = f"sqlite:///{database}"
    reset_database(url)
    ids = fill(url, items)
    ids_file.write_text(json.dumps({"items": items, "ids": ids}))
    return ids


def _client(path: str, items: int = 0, database: Path | None = None):  # type: ignore[no-untyped-def]
    """A signed-in test client of the bench's app and ``path`` with the filler's ids put in."""
    folder = tempfile.mkdtemp(prefix="factcheck-request-cost-")
    os.environ["FACTCHECK_INSTANCE_PATH"] = folder
    os.environ.setdefault("SECRET_KEY", "request-cost-secret-key-long-enough")
    os.environ.setdefault("FACTCHECK_REQUIRE_2FA", "admin")  # as bench/web_load.py serves it: the editor opens pages
    sys.path.insert(0, str(REPO))
    if items:
        from bench.web_load import PASSWORD

        database = database or Path(tempfile.gettempdir()) / f"factcheck-request-cost-{items}.sqlite3"
        ids = _filled(database, items)
        os.environ["FACTCHECK_DATABASE_URL"] = f"sqlite:///{database}"
        email = "checker@bench.example" if path.startswith("/my-work") else "reviewer@bench.example"
        password = PASSWORD
        path = path.format(**ids)
    else:
        os.environ["FACTCHECK_DATABASE_URL"] = f"sqlite:///{folder}/cost.sqlite3"
        subprocess.run([sys.executable, "-c", "from factcheck.cli import main; main()", "db", "upgrade"], check=True,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        email, password = "reviewer@example.org", None
    from bench.web_load import wsgi
    from factcheck.models import Role
    from tests.factories import gen_user
    from tests.helpers import sign_in

    app = wsgi()
    if password is None:
        with app.app_context():
            session = app.extensions["factcheck.db"].sessionmaker()
            gen_user(session, Role.CHECKER, Role.REVIEWER, email=email)
            session.commit()
            session.close()
    client = app.test_client()
    if password is None:
        sign_in(client, email)
    else:
        sign_in(client, email, password)
    return client, path


def _loop(client, path: str, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def inner(path: str, count: int, warm: int, items: int = 0, database: Path | None = None) -> None:
    """Run under callgrind: warm up, then ``count`` requests inside ``sys.call_tracing``."""
    client, path = _client(path, items, database)
    _loop(client, path, warm)
    sys.call_tracing(_loop, (client, path, count))


def instructions(path: str, count: int, warm: int, items: int = 0, database: Path | None = None) -> int:
    """Instructions callgrind counted for ``count`` requests of ``path``."""
    extra = ["--items", str(items)] + (["--database", str(database)] if database else []) if items else []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
                        f"--callgrind-out-file={out}", sys.executable, __file__, "--inner", path,
                        "--requests", str(count), "--warm", str(warm), *extra],
                       check=True, capture_output=True, cwd=REPO,
                       env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"})
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert match, "callgrind wrote no totals"
        return int(match.group(1))


def wall(paths: list[str], count: int, rounds: int = 3, items: int = 0,
         database: Path | None = None) -> dict[str, float]:
    """Best-of-rounds microseconds per request of each path, interleaved (each path's own client)."""
    clients = {path: _client(path, items, database) for path in paths}
    best = {path: float("inf") for path in paths}
    for client, real in clients.values():
        _loop(client, real, 50)
    for _ in range(rounds):
        for path, (client, real) in clients.items():
            start = time.perf_counter()
            _loop(client, real, count)
            best[path] = min(best[path], (time.perf_counter() - start) / count * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--wall", action="store_true", help="wall time per request, no valgrind")
    parser.add_argument("--path", action="append", help="a page to count (repeatable; default: the two references)")
    parser.add_argument("--items", type=int, default=0, help="fill the database with this many check items first")
    parser.add_argument("--database", type=Path, help="the filled SQLite file (made once, then reused)")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner, args.requests, args.warm, args.items, args.database)
        return
    if args.items:
        _filled(args.database or Path(tempfile.gettempdir()) / f"factcheck-request-cost-{args.items}.sqlite3",
                args.items)  # filled once, before the counted runs
    paths = args.path or list(PATHS)
    width = max(14, *(len(p) + 2 for p in paths))
    if args.wall:
        best = wall(paths, args.requests, items=args.items, database=args.database)
        print(f"{'path':<{width}}{'µs/request':>12}")
        for path in paths:
            print(f"{path:<{width}}{best[path]:>12.0f}")
        if not args.path:
            print(f"machinery/bare: {best[PATHS[0]] / best[PATHS[1]]:.2f}x")
        return
    counted = {path: instructions(path, args.requests, args.warm, args.items, args.database) / args.requests
               for path in paths}
    print(f"{'path':<{width}}{'instructions/request':>22}")
    for path in paths:
        print(f"{path:<{width}}{counted[path]:>22,.0f}")
    if not args.path:
        print(f"machinery/bare: {counted[PATHS[0]] / counted[PATHS[1]]:.2f}x "
              f"(the machinery: {counted[PATHS[0]] - counted[PATHS[1]]:,.0f} instructions/request)")


if __name__ == "__main__":
    main()
