"""What the request machinery costs: CPU instructions per request, counted by callgrind.

    python bench/request_cost.py            # instructions per request of /bench/bare and /bare/, and their ratio
    python bench/request_cost.py --wall     # wall time per request instead (no valgrind; noisy on a shared box)

``/bench/bare`` is one indexed query behind the app's whole request machinery (sign-in, the
server-side session check, CSRF, security headers); ``/bare/`` is the same query in a bare Flask app
(``bench/web_load.py``). Both are requested in Flask's test client on a small SQLite database, after a
warm-up, by a signed-in reviewer. Instruction counts repeat from run to run whatever else the machine
runs (to within a few per cent: the bare app's count moved by up to 4 % between runs): callgrind
counts only the measured loop (run inside ``sys.call_tracing``, which nothing else calls), each path
in a valgrind run of its own, with a fixed hash seed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PATHS = ("/bench/bare", "/bare/")


def _client():  # type: ignore[no-untyped-def]
    folder = tempfile.mkdtemp(prefix="factcheck-request-cost-")
    os.environ["FACTCHECK_DATABASE_URL"] = f"sqlite:///{folder}/cost.sqlite3"
    os.environ["FACTCHECK_INSTANCE_PATH"] = folder
    os.environ.setdefault("SECRET_KEY", "request-cost-secret-key-long-enough")
    subprocess.run([sys.executable, "-c", "from factcheck.cli import main; main()", "db", "upgrade"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    sys.path.insert(0, str(REPO))
    from bench.web_load import wsgi
    from factcheck.models import Role
    from tests.factories import gen_user
    from tests.helpers import sign_in

    app = wsgi()
    with app.app_context():
        session = app.extensions["factcheck.db"].sessionmaker()
        gen_user(session, Role.CHECKER, Role.REVIEWER, email="reviewer@example.org")
        session.commit()
        session.close()
    client = app.test_client()
    sign_in(client, "reviewer@example.org")
    return client


def _loop(client, path: str, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def inner(path: str, count: int, warm: int) -> None:
    """Run under callgrind: warm up, then ``count`` requests inside ``sys.call_tracing``."""
    client = _client()
    _loop(client, path, warm)
    sys.call_tracing(_loop, (client, path, count))


def instructions(path: str, count: int, warm: int) -> int:
    """Instructions callgrind counted for ``count`` requests of ``path``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
                        f"--callgrind-out-file={out}", sys.executable, __file__, "--inner", path,
                        "--requests", str(count), "--warm", str(warm)],
                       check=True, capture_output=True, cwd=REPO,
                       env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"})
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert match, "callgrind wrote no totals"
        return int(match.group(1))


def wall(count: int, rounds: int = 3) -> dict[str, float]:
    """Best-of-rounds microseconds per request of each path, interleaved."""
    client = _client()
    best = {path: float("inf") for path in PATHS}
    for path in PATHS:
        _loop(client, path, 50)
    for _ in range(rounds):
        for path in PATHS:
            start = time.perf_counter()
            _loop(client, path, count)
            best[path] = min(best[path], (time.perf_counter() - start) / count * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--wall", action="store_true", help="wall time per request, no valgrind")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner, args.requests, args.warm)
        return
    if args.wall:
        best = wall(args.requests)
        print(f"{'path':<14}{'µs/request':>12}")
        for path in PATHS:
            print(f"{path:<14}{best[path]:>12.0f}")
        print(f"machinery/bare: {best[PATHS[0]] / best[PATHS[1]]:.2f}x")
        return
    counted = {path: instructions(path, args.requests, args.warm) / args.requests for path in PATHS}
    print(f"{'path':<14}{'instructions/request':>22}")
    for path in PATHS:
        print(f"{path:<14}{counted[path]:>22,.0f}")
    print(f"machinery/bare: {counted[PATHS[0]] / counted[PATHS[1]]:.2f}x "
          f"(the machinery: {counted[PATHS[0]] - counted[PATHS[1]]:,.0f} instructions/request)")


if __name__ == "__main__":
    main()
