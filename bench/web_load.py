"""Load the web pages of a 100,000-item desk and compare them with a bare Flask endpoint.

    python bench/web_load.py                      # fill, serve with gunicorn, load with wrk, print a table
    python bench/web_load.py --write-docs         # … and put the table into docs/performance.md

Fills a fresh SQLite file under bench/results/ with --items check items (bulk inserts through
SQLAlchemy Core, a few seconds), plus one article ingested and worked through the real services
(the pages under test show a realistic item). Serves the real app with gunicorn on 127.0.0.1
(--workers sync workers) and loads, in the same run and under the same conditions, the reviewer
queue, an item page, an article page and a bare endpoint the bench registers itself: 50 rows from
one indexed query rendered by a one-line template. Uses Debian's `wrk` when installed, else a
bounded Python thread pool. Every loop is bounded in count and time; only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RESULTS = REPO / "bench" / "results"
DOCS = REPO / "docs" / "performance.md"
PASSWORD = "bench password"
USER_AGENT = "factcheck-bench"
#: Share of the items in each status (the rest is published).
MIX = {"claim": 0.15, "evidence": 0.10, "verdict": 0.05, "dismissed": 0.10}
SECRET = "bench-secret-key-long-enough-to-pass"

BARE_TEMPLATE = "<!doctype html><ul>{% for r in rows %}<li>#{{ r.id }} {{ r.claim_text }}</li>{% endfor %}</ul>"


# --- the app gunicorn serves -------------------------------------------------------------------------


def wsgi():  # type: ignore[no-untyped-def]
    """The real app plus the bench's bare endpoint (``gunicorn 'bench.web_load:wsgi()'``)."""
    from flask import render_template_string
    from sqlalchemy import select

    from factcheck.app import create_app
    from factcheck.domain.workflow import Status
    from factcheck.models import CheckItem
    from factcheck.web import db_session

    app = create_app()

    @app.get("/bench/bare")
    def bare():  # type: ignore[no-untyped-def]
        """50 rows from one indexed query (status, priority), rendered by a one-line template."""
        rows = db_session().execute(
            select(CheckItem.id, CheckItem.claim_text).where(CheckItem.status == Status.CLAIM)
            .order_by(CheckItem.priority.desc()).limit(50)).all()
        return render_template_string(BARE_TEMPLATE, rows=rows)

    return app


# --- filling the database ----------------------------------------------------------------------------


def fill(url: str, n_items: int, seed: int = 7) -> dict[str, int]:
    """Migrate and fill the database; return the ids of the pages to load."""
    from sqlalchemy import func, insert, select

    from factcheck import migrate
    from factcheck.config import policy_from
    from factcheck.db import Database
    from factcheck.domain.workflow import Role, Status
    from factcheck.models import Article, CheckItem, Rating, Source, SourceAlias, Verdict
    from factcheck.services import evidence as evidence_service
    from factcheck.services import items as item_service
    from factcheck.services.ingest import ingest_article
    from factcheck.services.users import create_user

    rng = random.Random(seed)
    migrate.upgrade(url)
    db = Database(url)
    with db.sessionmaker() as session:
        checker = create_user(session, "checker@bench.example", PASSWORD, [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
        create_user(session, "reviewer@bench.example", PASSWORD, [Role.REVIEWER], hash_method="pbkdf2:sha256:1000")
        ratings = session.scalars(select(Rating.id)).all()
        now = dt.datetime.now(dt.UTC)
        source_ids = list(session.scalars(insert(Source).returning(Source.id), [
            {"kind": "person", "name": f"Bench Person {i}", "created_at": now, "version": 1} for i in range(2000)]))
        # Keys are made unique by hand: name_key folds repeated digits ("11" → "1").
        session.execute(insert(SourceAlias), [{"source_id": s, "name": f"Bench Person {i}", "key": f"bench person #{i}"}
                                              for i, s in enumerate(source_ids)])
        article_ids = list(session.scalars(insert(Article).returning(Article.id), [
            {"title": f"Bench article {i}", "text": "Bench text. " * 50, "content_hash": f"bench-{i:08d}",
             "dropped": [], "created_at": now} for i in range(1000)]))
        statuses = []
        for status, share in MIX.items():
            statuses += [status] * int(n_items * share)
        statuses += ["published"] * (n_items - len(statuses))
        rng.shuffle(statuses)
        chunk = 10_000
        # Ids are given, not returned: SQLite's RETURNING makes executemany go row by row.
        first_id = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1
        for start in range(0, n_items, chunk):
            rows = []
            for i in range(start, min(n_items, start + chunk)):
                status = statuses[i]
                changed = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
                rows.append({
                    "id": first_id + i, "article_id": rng.choice(article_ids), "claim_text": f"Bench claim {i}: the figure rose by {i % 97} percent.",
                    "claimant_id": rng.choice(source_ids), "hedges": [], "dates": [], "status": status,
                    "assignee_id": checker.id if status in ("evidence", "verdict", "published") else None,
                    "priority": round(rng.random(), 4), "checkworthiness": 0.5, "origin": "manual",
                    "status_changed_at": changed, "created_at": changed, "updated_at": changed, "version": 1,
                })
            session.execute(insert(CheckItem.__table__), rows)
            verdicts = []
            for row in rows:
                item_id = row["id"]
                if row["status"] in ("verdict", "published"):
                    rating = rng.choice(ratings)
                    published = row["status"] == "published"
                    verdicts.append({"item_id": item_id, "rating_id": rating, "summary": "Bench summary.",
                                     "rationale": "Bench rationale with **Markdown**.", "author_id": checker.id,
                                     "created_at": now, "final_rating_id": rating if published else None,
                                     "published_at": now if published else None})
            if verdicts:
                session.execute(insert(Verdict.__table__), verdicts)
        # One article worked through the real services: the item and article pages under test.
        seed_text = (REPO / "seeds" / "000_577d28931b450a74.txt").read_text(encoding="utf-8")
        result = ingest_article(session, seed_text, actor=checker, outlet="NV")
        item = next(i for i in result.items if "Carlson" in i.claim_text)
        item_service.take_item(session, item.id, checker)
        for k in range(2):
            evidence_service.add_evidence(session, item.id, checker, version=item.version, title=f"Record {k}",
                                          stance="refutes",
                                          url=f"https://records{k}.example.org/doc", passage="No such offer.")
        item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="No such offer.",
                                     rationale="Two records.", policy=policy_from({}))
        session.commit()
        ids = {"item_id": item.id, "article_id": result.article.id}
    db.dispose()
    return ids


# --- serving and loading -----------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, timeout: float = 30) -> None:
    """Poll the sign-in page until gunicorn answers (bounded by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/auth/login", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def sign_in(base: str, email: str) -> str:
    """Sign in through the form; the session cookie as a header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/auth/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    opener.open(base + "/auth/login", data=data, timeout=10).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def load_wrk(url: str, cookie: str, seconds: int, connections: int, threads: int) -> dict:
    """Load ``url`` with wrk; requests/s and latency percentiles in milliseconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", script.name, "-H", f"Cookie: {cookie}", "-H", f"User-Agent: {USER_AGENT}", url],
            capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def load_python(url: str, cookie: str, seconds: int, connections: int, threads: int) -> dict:
    """A bounded thread-pool client for machines without wrk."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0

    def worker() -> tuple[list[float], int]:
        mine, bad = [], 0
        for _ in range(1_000_000):
            if time.monotonic() >= deadline:
                break
            start = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    bad += response.status != 200
            except OSError:
                bad += 1
            mine.append((time.perf_counter() - start) * 1000)
        return mine, bad

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for mine, bad in pool.map(lambda _: worker(), range(connections)):
            latencies += mine
            errors += bad
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "seconds": elapsed, "errors": errors, "non2xx": 0,
            "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98]}


def check_page(url: str, cookie: str) -> int:
    """The status of one GET (a page that answers 302 or 500 would make the numbers meaningless)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def main() -> None:
    """Fill, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3,
                        help="load every page this many times, interleaved; medians are reported")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    db_file = RESULTS / "web_load.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_file}"
    started = time.monotonic()
    ids = fill(url, args.items)
    fill_seconds = time.monotonic() - started
    print(f"filled {args.items:,} items in {fill_seconds:.1f} s", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "SECRET_KEY": SECRET, "PYTHONPATH": str(REPO)}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen([gunicorn, "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                               "bench.web_load:wsgi()"], env=env, cwd=REPO, start_new_session=True)
    try:
        wait_until_up(base)
        cookie = sign_in(base, "reviewer@bench.example")
        pages = {
            "bare endpoint (50 rows, one indexed query)": "/bench/bare",
            "reviewer queue (/queue)": "/queue",
            "check item (/items/<id>)": f"/items/{ids['item_id']}",
            "article (/articles/<id>)": f"/articles/{ids['article_id']}",
        }
        load = load_wrk if shutil.which("wrk") else load_python
        for label, path in pages.items():
            status = check_page(base + path, cookie)
            if status != 200:
                raise SystemExit(f"{path} answered {status}; not loading it")
            load(base + path, cookie, 2, args.connections, args.threads)  # warm up every worker
        # Rounds interleave the pages, so a burst of other work on the machine hits them alike;
        # each page's ratio is taken against the bare endpoint of the same round.
        runs: dict[str, list[dict]] = {label: [] for label in pages}
        for round_no in range(args.rounds):
            for label, path in pages.items():
                r = load(base + path, cookie, args.seconds, args.connections, args.threads)
                runs[label].append(r)
                print(f"round {round_no + 1} {label:<45} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  "
                      f"p95 {r['p95']:6.1f} ms  errors {r['errors'] + r['non2xx']}", flush=True)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # gunicorn already exited (it failed to boot)
        server.wait(timeout=30)

    bare_label = "bare endpoint (50 rows, one indexed query)"
    results = {}
    for label, rounds in runs.items():
        ratios = [r["rps"] / b["rps"] for r, b in zip(rounds, runs[bare_label], strict=True)]
        results[label] = {key: statistics.median(r[key] for r in rounds) for key in ("rps", "p50", "p95")}
        results[label]["errors"] = sum(r["errors"] + r["non2xx"] for r in rounds)
        results[label]["ratio"] = statistics.median(ratios)
        results[label]["ratios"] = [round(x, 2) for x in ratios]
    table = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {args.items:,} items (filled in {fill_seconds:.1f} s) · "
        f"SQLite · gunicorn {args.workers} sync workers · {'wrk' if shutil.which('wrk') else 'Python client'} "
        f"{args.threads} threads × {args.connections} connections · {args.rounds} interleaved rounds of "
        f"{args.seconds} s per page · {os.cpu_count()} CPUs · load average before the run {load_before}",
        "",
        "| page | req/s (median) | p50 ms | p95 ms | errors | ratio to bare (median; per round) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        table.append(f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} | "
                     f"{r['ratio']:.2f} ({', '.join(f'{x:.2f}' for x in r['ratios'])}) |")
    text = "\n".join(table)
    print("\n" + text)
    (RESULTS / "web_load.json").write_text(json.dumps({"items": args.items, "results": results, "runs": runs},
                                                      indent=2))
    if args.write_docs:
        doc = DOCS.read_text(encoding="utf-8")
        begin, end = "<!-- web_load:begin -->", "<!-- web_load:end -->"
        doc = doc[: doc.index(begin) + len(begin)] + "\n" + text + "\n" + doc[doc.index(end):]
        DOCS.write_text(doc, encoding="utf-8")
        print(f"wrote {DOCS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
