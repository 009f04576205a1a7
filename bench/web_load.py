"""Load every desk page on a filled database and compare it with a bare app, side by side.

    python bench/web_load.py --pg-url postgresql+psycopg://…/DB   # SQLite at 100,000, PostgreSQL at 1,000,000
    python bench/web_load.py --quick --databases sqlite           # for iterating: 20,000 items, one round
    python bench/web_load.py … --write-docs                       # … and put the tables into docs/performance.md

Fills a fresh SQLite file under bench/results/ (and, given a PostgreSQL URL, that database's public
schema, dropped and made again) with check items of every status, their verdicts, histories and
the claimants' records (executemany on SQLite, COPY on PostgreSQL, sequences advanced after ids
given by hand), plus one article ingested and worked through the real services. Serves the real
app with gunicorn as the README says (sync workers, --preload) on 127.0.0.1 with two references
mounted beside it: a bare app without any session machinery and the same query behind the app's
sign-in and session. Loads every page with Debian's `wrk` (else a bounded Python thread pool) in
interleaved rounds, each from an idle server, and reports each page's ratio to the bare app of
the same round, the workers' memory, and optionally one worker's memory after --memory-requests.
Every loop is bounded in count and time; only 127.0.0.1 is used.
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
#: Checkers the filled desk's work is spread over.
CHECKERS = 50

BARE_TEMPLATE = "<!doctype html><ul>{% for r in rows %}<li>#{{ r.id }} {{ r.claim_text }}</li>{% endfor %}</ul>"


# --- the app gunicorn serves -------------------------------------------------------------------------


def _bare_rows(session_or_connection):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from factcheck.domain.workflow import Status
    from factcheck.models import CheckItem

    return session_or_connection.execute(
        select(CheckItem.id, CheckItem.claim_text).where(CheckItem.status == Status.CLAIM)
        .order_by(CheckItem.priority.desc()).limit(50)).all()


def bare_app():  # type: ignore[no-untyped-def]
    """A truly bare Flask app: no sign-in, no session, no CSRF; one indexed query, one-line template.

    Its engine is made on the first request, in the worker (never shared across gunicorn's fork).
    """
    from flask import Flask

    from factcheck.db import create_db_engine

    app = Flask("bench_bare")
    template = app.jinja_env.from_string(BARE_TEMPLATE)  # compiled once, as render_template's are
    engines: list = []

    @app.get("/")
    def rows():  # type: ignore[no-untyped-def]
        if not engines:
            engines.append(create_db_engine(os.environ["FACTCHECK_DATABASE_URL"]))
        with engines[0].connect() as connection:
            found = _bare_rows(connection)
        return template.render(rows=found)

    return app


def wsgi():  # type: ignore[no-untyped-def]
    """The real app plus the bench's two references (``gunicorn 'bench.web_load:wsgi()'``).

    ``/bench/bare`` is the bare query behind the app's whole request machinery (sign-in, server-side
    session, CSRF, security headers); ``/bare/`` is the same query in an app without any of it.
    """
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from factcheck.app import create_app, settle_for_serving
    from factcheck.web import db_session

    app = create_app()
    template = app.jinja_env.from_string(BARE_TEMPLATE)  # compiled once, as render_template's are

    @app.get("/bench/bare")
    def bare():  # type: ignore[no-untyped-def]
        """50 rows from one indexed query (status, priority), rendered by a one-line template."""
        return template.render(rows=_bare_rows(db_session()))

    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/bare": bare_app()})  # type: ignore[method-assign]
    settle_for_serving()  # as factcheck.wsgi does (both apps share the process)
    return app


# --- filling the database ----------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """An empty database at ``url``: the SQLite file removed, or PostgreSQL's public schema dropped."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", ".jobs.sqlite3"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _bulk_insert(session, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """Insert ``rows`` into ``table``: COPY on PostgreSQL, one executemany elsewhere."""
    from sqlalchemy import insert

    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    from factcheck.db import note_write

    note_write(connection)  # the engine does not see the driver's COPY: never commit it when not committed
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def _advance_sequences(session) -> None:  # type: ignore[no-untyped-def]
    """Move PostgreSQL's id sequences past ids given by hand, so the next ORM insert gets a free id."""
    from sqlalchemy import text

    if session.connection().dialect.name != "postgresql":
        return
    tables = session.execute(text(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name = 'id' AND column_default LIKE 'nextval%'")).scalars().all()
    for table in tables:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))


def fill(url: str, n_items: int, seed: int = 7) -> dict[str, int]:
    """Migrate and fill the database; return the ids of the pages to load."""
    from sqlalchemy import func, insert, select, text

    from factcheck import migrate
    from factcheck.config import policy_from
    from factcheck.db import Database
    from factcheck.domain.workflow import Capacity, Role
    from factcheck.models import Article, AuditEvent, CheckItem, Rating, Source, SourceAlias, SourceRecord, Verdict
    from factcheck.services import evidence as evidence_service
    from factcheck.services import items as item_service
    from factcheck.services.ingest import ingest_article
    from factcheck.services.users import create_user

    rng = random.Random(seed)
    migrate.upgrade(url)
    db = Database(url)
    n_sources = max(200, n_items // 50)
    n_articles = max(100, n_items // 100)
    with db.sessionmaker() as session:
        checker = create_user(session, "checker@bench.example", PASSWORD, [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
        # The desk's work is spread over CHECKERS checkers; the one signed in holds their share.
        checker_ids = [checker.id] + [
            create_user(session, f"checker{n}@bench.example", PASSWORD, [Role.CHECKER],
                        hash_method="pbkdf2:sha256:1000").id for n in range(1, CHECKERS)]
        create_user(session, "reviewer@bench.example", PASSWORD, [Role.REVIEWER, Role.EDITOR],
                    hash_method="pbkdf2:sha256:1000")
        ratings = session.scalars(select(Rating.id)).all()
        now = dt.datetime.now(dt.UTC)
        source_ids = list(session.scalars(insert(Source).returning(Source.id), [
            {"kind": "person", "name": f"Bench Person {i}", "created_at": now, "version": 1} for i in range(n_sources)]))
        # Keys are made unique by hand: name_key folds repeated digits ("11" → "1").
        session.execute(insert(SourceAlias), [{"source_id": s, "name": f"Bench Person {i}", "key": f"bench person #{i}"}
                                              for i, s in enumerate(source_ids)])
        article_ids = list(session.scalars(insert(Article).returning(Article.id), [
            {"title": f"Bench article {i}", "text": "Bench text. " * 50, "content_hash": f"bench-{i:08d}",
             "dropped": [], "created_at": now} for i in range(n_articles)]))
        statuses = []
        for status, share in MIX.items():
            statuses += [status] * int(n_items * share)
        statuses += ["published"] * (n_items - len(statuses))
        rng.shuffle(statuses)
        chunk = 20_000
        # Ids are given, not returned: SQLite's RETURNING makes executemany go row by row. PostgreSQL's
        # sequences are moved past them afterwards (_advance_sequences).
        first_id = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1
        for start in range(0, n_items, chunk):
            rows = []
            for i in range(start, min(n_items, start + chunk)):
                status = statuses[i]
                changed = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
                rows.append({
                    "id": first_id + i, "article_id": rng.choice(article_ids), "claim_text": f"Bench claim {i}: the figure rose by {i % 97} percent.",
                    "claimant_id": rng.choice(source_ids), "hedges": [], "dates": [], "status": status,
                    "assignee_id": rng.choice(checker_ids) if status in ("evidence", "verdict", "published") else None,
                    "priority": round(rng.random(), 4), "priority_is_manual": False, "checkworthiness": 0.5,
                    "origin": "manual", "status_changed_at": changed, "created_at": changed, "updated_at": changed,
                    "version": 1,
                })
            _bulk_insert(session, CheckItem.__table__, rows)
            verdicts = []
            for row in rows:
                item_id = row["id"]
                if row["status"] in ("verdict", "published"):
                    rating = rng.choice(ratings)
                    published = row["status"] == "published"
                    verdicts.append({"item_id": item_id, "rating_id": rating, "summary": "Bench summary.",
                                     "rationale": "Bench rationale with **Markdown**.", "author_id": checker.id,
                                     "created_at": now, "final_rating_id": rating if published else None,
                                     "published_at": row["status_changed_at"] if published else None})
            _bulk_insert(session, Verdict.__table__, verdicts)
            # The history every item has: its creation and, when published, its publication.
            events = []
            for row in rows:
                events.append({"item_id": row["id"], "entity": "item", "entity_id": row["id"], "action": "create", "from_status": None,
                               "to_status": "claim", "actor_id": None, "created_at": row["created_at"], "payload": {}})
                if row["status"] == "published":
                    events.append({"item_id": row["id"], "entity": "item", "entity_id": row["id"], "action": "publish",
                                   "from_status": "verdict", "to_status": "published", "actor_id": None,
                                   "created_at": row["status_changed_at"], "payload": {}})
            _bulk_insert(session, AuditEvent.__table__, events)
        # The claimants' track records, as publishing keeps them.
        session.execute(insert(SourceRecord).from_select(
            ["source_id", "capacity", "rating_id", "count"],
            select(CheckItem.claimant_id, text(f"'{Capacity.CLAIMANT.value}'"), Verdict.final_rating_id, func.count())
            .join(Verdict, Verdict.item_id == CheckItem.id)
            .where(Verdict.published_at.is_not(None), CheckItem.claimant_id.is_not(None))
            .group_by(CheckItem.claimant_id, Verdict.final_rating_id)))
        _advance_sequences(session)
        refresh_stored(session)
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
        published_id = session.scalar(select(CheckItem.id).where(CheckItem.status == "published")
                                      .order_by(CheckItem.id).limit(1))
        busiest_source = session.scalar(select(CheckItem.claimant_id).where(CheckItem.claimant_id.is_not(None))
                                        .group_by(CheckItem.claimant_id).order_by(func.count().desc()).limit(1))
        ids = {"item_id": item.id, "article_id": result.article.id, "published_id": published_id,
               "source_id": busiest_source}
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does to a live database soon after a bulk load: the visibility map lets
        # counts read their indexes alone instead of visiting a million freshly written rows.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    db.dispose()
    return ids


def refresh_stored(session) -> None:  # type: ignore[no-untyped-def]
    """Store every source's standing from the records the fill wrote in bulk (as publishing would)."""
    from sqlalchemy import select

    from factcheck.models import Source
    from factcheck.services import sources

    if hasattr(sources, "refresh_standings"):  # not in versions before the stored standings
        sources.refresh_standings(session, session.scalars(select(Source.id)).all())


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


def refreshed(base: str, credential: str) -> str:
    """``credential`` as a browser would send it now: a signed-in cookie with what the server last set in it.

    The server moves the session's activity time in the cookie at most once a minute
    (``web.sessions.SEEN_RESOLUTION_SECONDS``); a browser takes the new cookie, but wrk sends the one it
    was given for good, and every request after that minute would set the cookie again (work no browser
    causes, and an answer that sets a cookie is never kept). So each page's load starts with the cookie
    the server sets now."""
    if not credential.startswith("Cookie: "):
        return credential
    cookies = dict(part.split("=", 1) for part in credential.removeprefix("Cookie: ").split("; "))
    request = urllib.request.Request(base + "/bench/bare", headers={"Cookie": credential.removeprefix("Cookie: "),
                                                                    "User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=10) as answer:
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            if name in cookies and "Max-Age=0" not in header:
                cookies[name] = value
    return "Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items())


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _headers(credential: str) -> dict[str, str]:
    """A credential ("Cookie: …" or "Authorization: Bearer …") as request headers."""
    name, _, value = credential.partition(": ")
    return {name: value, "User-Agent": USER_AGENT}


def load_wrk(url: str, credential: str, seconds: int, connections: int, threads: int) -> dict:
    """Load ``url`` with wrk; requests/s and latency percentiles in milliseconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", script.name, "-H", credential, "-H", f"User-Agent: {USER_AGENT}", url],
            capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def load_python(url: str, credential: str, seconds: int, connections: int, threads: int) -> dict:
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
                request = urllib.request.Request(url, headers=_headers(credential))
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


def check_page(url: str, credential: str) -> int:
    """The status of one GET (a page that answers 302 or 500 would make the numbers meaningless)."""
    request = urllib.request.Request(url, headers=_headers(credential))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


BARE = "bare app (no session machinery; 50 rows, one indexed query)"
BARE_SESSION = "bare endpoint behind sign-in and session"


def pages_for(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    """(label, path, who) of every page loaded: the two references first."""
    article = ids["article_id"]
    return [
        (BARE, "/bare/", "reviewer"),
        (BARE_SESSION, "/bench/bare", "reviewer"),
        ("reviewer queue (/queue)", "/queue", "reviewer"),
        ("triage (/triage)", "/triage", "reviewer"),
        ("my work (/my-work)", "/my-work", "checker"),
        ("check item (/items/<id>)", f"/items/{ids['item_id']}", "reviewer"),
        ("article (/articles/<id>)", f"/articles/{article}", "reviewer"),
        ("articles (/articles)", "/articles", "reviewer"),
        ("sources (/sources)", "/sources", "reviewer"),
        ("source (/sources/<id>)", f"/sources/{ids['source_id']}", "reviewer"),
        ("article report HTML", f"/reports/articles/{article}", "reviewer"),
        ("article report JSON", f"/reports/articles/{article}.json", "reviewer"),
        ("article report CSV", f"/reports/articles/{article}.csv", "reviewer"),
        ("verdict page (/verdicts/<id>)", f"/verdicts/{ids['published_id']}", "reviewer"),
        ("ClaimReview feed (/claimreview.json)", "/claimreview.json", "reviewer"),
        ("dashboard (/dashboard)", "/dashboard", "reviewer"),
        # Readers (not signed in) are served pages kept until something is committed (web.readercache).
        ("verdict page, a reader", f"/verdicts/{ids['published_id']}", "reader"),
        ("ClaimReview feed, a reader", "/claimreview.json", "reader"),
        ("reports list, a reader (/reports)", "/reports", "reader"),
        ("search, a rare word (/search?q=Carlson)", "/search?q=Carlson", "reviewer"),
        ("search, a word of every item (/search?q=figure)", "/search?q=figure", "reviewer"),
        ("API items (/api/v1/items)", "/api/v1/items", "api"),
        ("API articles (/api/v1/articles)", "/api/v1/articles", "api"),
        ("API sources (/api/v1/sources)", "/api/v1/sources", "api"),
        ("API verdicts (/api/v1/verdicts)", "/api/v1/verdicts", "api"),
    ]


def api_token(url: str) -> str:
    """A read token for the bench's reviewer, made directly in the database (the API's list pages)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from factcheck.models import User
    from factcheck.services.tokens import create_token

    engine = create_engine(url)
    try:
        with Session(engine) as session:
            user = session.scalars(select(User).where(User.email == "reviewer@bench.example")).one()
            _, secret = create_token(session, user, name=f"bench {random.randrange(10**9)}", scope="read")
            session.commit()
    finally:
        engine.dispose()
    return secret


def serve(url: str, workers: int, port: int, *, preload: bool = True) -> subprocess.Popen:
    """gunicorn serving the bench app on 127.0.0.1:``port`` with the README's settings."""
    # The bench's reviewer is an editor too (the dashboard); it signs in without a second factor.
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "SECRET_KEY": SECRET, "PYTHONPATH": str(REPO),
           "FACTCHECK_REQUIRE_2FA": "admin", "FACTCHECK_API_RATE_LIMIT": "1000000000"}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"]
    if preload:
        command.append("--preload")
    return subprocess.Popen([*command, "bench.web_load:wsgi()"], env=env, cwd=REPO, start_new_session=True)


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn (and its workers) and wait for it."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass  # gunicorn already exited (it failed to boot)
    server.wait(timeout=30)


def measure(url: str, ids: dict[str, int], args: argparse.Namespace) -> dict[str, list[dict]]:
    """Serve the app and load every page in interleaved rounds; the runs per page."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, args.workers, port)
    load = load_wrk if shutil.which("wrk") else load_python
    pages = pages_for(ids)
    try:
        wait_until_up(base)
        cookies = {who: "Cookie: " + sign_in(base, f"{who}@bench.example") for who in ("reviewer", "checker")}
        cookies["api"] = "Authorization: Bearer " + api_token(url)
        cookies["reader"] = "Accept: text/html,application/json"  # no cookie: not signed in
        for label, path, who in pages:
            status = check_page(base + path, cookies[who])
            if status != 200:
                raise SystemExit(f"{path} answered {status}; not loading it")
            load(base + path, cookies[who], args.warmup, args.connections, args.threads)  # warm up every worker
        wait_until_idle(server.pid, port)
        rss_before = {pid: worker_rss_kib_of(pid) for pid in _workers(server.pid)}
        # Rounds interleave the pages, so a burst of other work on the machine hits them alike;
        # each page's ratio is taken against the references of the same round.
        runs: dict[str, list[dict]] = {label: [] for label, _, _ in pages}
        for round_no in range(args.rounds):
            for label, path, who in pages:
                cookies[who] = refreshed(base, cookies[who])
                wait_until_idle(server.pid, port)
                r = load(base + path, cookies[who], args.seconds, args.connections, args.threads)
                runs[label].append(r)
                print(f"round {round_no + 1} {label:<62} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f} ms  "
                      f"p95 {r['p95']:7.1f} ms  errors {r['errors'] + r['non2xx']}", flush=True)
        served = sum(r["requests"] for rounds in runs.values() for r in rounds)
        rss_after = {pid: worker_rss_kib_of(pid) for pid in _workers(server.pid)}
        runs["_memory"] = [{"requests": served, "workers": [
            {"before_mib": rss_before.get(pid, 0) / 1024, "after_mib": kib / 1024} for pid, kib in rss_after.items()]}]
        print(f"workers' RSS after the warm-up → after {served:,} requests shared by them: " + ", ".join(
            f"{w['before_mib']:.0f} → {w['after_mib']:.0f} MiB" for w in runs["_memory"][0]["workers"]), flush=True)
    finally:
        stop(server)
    return runs


def _ratio(page: dict, reference: dict) -> float:
    return page["rps"] / reference["rps"] if reference["rps"] else float("nan")


def summarise(runs: dict[str, list[dict]]) -> dict[str, dict]:
    """Medians per page and ratios to both references, round by round."""
    results = {}
    for label, rounds in runs.items():
        if label.startswith("_"):
            continue
        ratios = [_ratio(r, b) for r, b in zip(rounds, runs[BARE], strict=True)]
        session_ratios = [_ratio(r, b) for r, b in zip(rounds, runs[BARE_SESSION], strict=True)]
        results[label] = {key: statistics.median(r[key] for r in rounds) for key in ("rps", "p50", "p95")}
        results[label]["errors"] = sum(r["errors"] + r["non2xx"] for r in rounds)
        results[label]["requests"] = sum(r["requests"] for r in rounds)
        results[label]["ratio"] = statistics.median(ratios)
        results[label]["ratios"] = [round(x, 2) for x in ratios]
        results[label]["ratio_session"] = statistics.median(session_ratios)
    return results


def table(backend: str, items: int, fill_seconds: float, results: dict[str, dict], args: argparse.Namespace,
          load_before: str, before: dict[str, dict] | None, target: float) -> str:
    """The Markdown table of one run."""
    client = "wrk" if shutil.which("wrk") else "Python client"
    lines = [
        f"{backend} · {items:,} items (filled in {fill_seconds:.0f} s) · run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} "
        f"UTC · gunicorn {args.workers} sync workers (--preload) · {client} {args.threads} threads × "
        f"{args.connections} connections · {args.rounds} interleaved rounds of {args.seconds} s per page · "
        f"{os.cpu_count()} CPUs · load average before the run {load_before} · target ≥ {target}",
        "",
        "| page | req/s | p50 ms | p95 ms | errors | ratio to bare app (median; per round) | ratio to bare with session |"
        " requests |" + (" ratio before |" if before else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if before else ""),
    ]
    for label, r in results.items():
        row = (f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} | "
               f"{r['ratio']:.2f} ({', '.join(f'{x:.2f}' for x in r['ratios'])}) | {r['ratio_session']:.2f} | {r['requests']} |")
        if before:
            old = before.get(label)
            row += f" {old['ratio']:.2f} |" if old else " – |"
        lines.append(row)
    return "\n".join(lines)


def _workers(master_pid: int) -> list[str]:
    return Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()


def _cpu_ticks(pids: list[str]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


#: TCP states of a connection a worker still serves: established, or closed by the client (wrk)
#: while the worker still answers (CLOSE_WAIT).
_SERVING_STATES = {"01", "08"}


def _connections_in_service(port: int) -> int:
    """Connections to ``port`` that a worker has not finished answering, from /proc/net/tcp."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] in _SERVING_STATES:
            count += 1
    return count


def wait_until_idle(master_pid: int, port: int | None = None, timeout: float = 120) -> None:
    """Wait until gunicorn's workers have answered everything the last load left queued (no connection
    in service, and their CPU time stops growing), so each page is measured from an idle server."""
    deadline = time.monotonic() + timeout
    last = _cpu_ticks(_workers(master_pid))
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _cpu_ticks(_workers(master_pid))
        if now == last and (port is None or _connections_in_service(port) == 0):
            return
        last = now


def worker_rss_kib_of(pid: str) -> int:
    """A process's resident memory in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit(f"no VmRSS for process {pid}")


def worker_rss_kib(master_pid: int) -> int:
    """The resident memory of gunicorn's (only) worker, in KiB."""
    children = _workers(master_pid)
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {len(children)}")
    return worker_rss_kib_of(children[0])


def memory(url: str, ids: dict[str, int], total: int) -> list[tuple[int, float]]:
    """One gunicorn worker's RSS (MiB) after 1,000 and then every further quarter of ``total`` requests."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, 1, port)
    paths = [path for _, path, who in pages_for(ids) if who == "reviewer"]
    samples: list[tuple[int, float]] = []
    try:
        wait_until_up(base)
        cookie = sign_in(base, "reviewer@bench.example")
        worker = _workers(server.pid)
        done = 0
        steps = [1000] + [total * k // 4 for k in range(1, 5)]
        for step in steps:
            if step <= done:
                continue
            done += requests_in_cycle(base, paths, cookie, step - done)
            if _workers(server.pid) != worker:
                raise SystemExit("the worker was replaced during the memory run: its RSS would not be one worker's")
            samples.append((done, worker_rss_kib(server.pid) / 1024))
            print(f"memory: {done:,} requests, worker RSS {samples[-1][1]:.0f} MiB", flush=True)
    finally:
        stop(server)
    return samples


def requests_in_cycle(base: str, paths: list[str], cookie: str, count: int) -> int:
    """Send ``count`` requests cycling through ``paths``, one after another; how many were answered.

    One at a time from this process, not wrk: wrk's second connection could sit open without a
    request while the single sync worker waited on it, until gunicorn's timeout killed the worker
    (and with it the RSS being measured).
    """
    for n in range(count):
        request = urllib.request.Request(base + paths[n % len(paths)], headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    return count


def write_docs(marker: str, text: str) -> None:
    """Replace what stands between ``<!-- web_load:<marker>:begin -->`` and its end in docs/performance.md."""
    doc = DOCS.read_text(encoding="utf-8")
    begin, end = f"<!-- web_load:{marker}:begin -->", f"<!-- web_load:{marker}:end -->"
    doc = doc[: doc.index(begin) + len(begin)] + "\n" + text + "\n" + doc[doc.index(end):]
    DOCS.write_text(doc, encoding="utf-8")


def main() -> None:
    """Fill, serve, load, report: SQLite at 100,000 items and PostgreSQL at 1,000,000."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of sqlite,postgresql to run")
    parser.add_argument("--pg-url", default=os.environ.get("FACTCHECK_BENCH_PG_URL"),
                        help="an EMPTY-ABLE PostgreSQL database (its public schema is dropped and made again); "
                             "default $FACTCHECK_BENCH_PG_URL; PostgreSQL is skipped without one")
    parser.add_argument("--sqlite-items", type=int, default=100_000)
    parser.add_argument("--pg-items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4,
                        help="open connections (two per worker keep every worker busy without long queues)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3,
                        help="load every page this many times, interleaved; medians are reported")
    parser.add_argument("--memory-requests", type=int, default=10_000,
                        help="requests to one worker before its RSS is read (SQLite; 0 skips)")
    parser.add_argument("--quick", action="store_true",
                        help="for iterating: 20,000 / 100,000 items, one round of 2 s, no memory run")
    parser.add_argument("--reuse", action="store_true", help="keep an already filled database (same item count)")
    parser.add_argument("--memory-only", action="store_true", help="only the memory run (SQLite), no timed rounds")
    parser.add_argument("--before", type=Path, help="an earlier run's JSON: its ratios are shown beside")
    parser.add_argument("--write-docs", action="store_true", help="write the tables into docs/performance.md")
    args = parser.parse_args()
    if args.quick:
        args.sqlite_items, args.pg_items = min(args.sqlite_items, 20_000), min(args.pg_items, 100_000)
        args.rounds, args.seconds, args.memory_requests = 1, 2, 0

    RESULTS.mkdir(parents=True, exist_ok=True)
    before = json.loads(args.before.read_text()) if args.before else {}
    report: dict[str, dict] = {}
    for backend in args.databases.split(","):
        if backend == "sqlite":
            url, items, target = f"sqlite:///{RESULTS / 'web_load.sqlite3'}", args.sqlite_items, 0.6
        elif backend == "postgresql":
            if not args.pg_url:
                print("PostgreSQL skipped: give --pg-url or FACTCHECK_BENCH_PG_URL", flush=True)
                continue
            url, items, target = args.pg_url, args.pg_items, 0.5
        else:
            raise SystemExit(f"unknown database {backend!r}")
        load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        ids_file = RESULTS / f"web_load.{backend}.ids.json"
        started = time.monotonic()
        if args.reuse and ids_file.exists() and json.loads(ids_file.read_text()).get("items") == items:
            ids = json.loads(ids_file.read_text())["ids"]
            fill_seconds = json.loads(ids_file.read_text())["fill_seconds"]
            from factcheck import migrate

            migrate.upgrade(url)  # filled by an older code: brought to this code's schema
        else:
            reset_database(url)
            ids = fill(url, items)
            fill_seconds = time.monotonic() - started
            ids_file.write_text(json.dumps({"items": items, "ids": ids, "fill_seconds": fill_seconds}))
        print(f"{backend}: filled {items:,} items in {fill_seconds:.1f} s", flush=True)
        if not args.memory_only:
            runs = measure(url, ids, args)
            results = summarise(runs)
            text = table("SQLite" if backend == "sqlite" else "PostgreSQL", items, fill_seconds, results, args,
                         load_before, before.get(backend, {}).get("results"), target)
            memory_seen = runs["_memory"][0]
            text += ("\n\nWorkers' RSS from the warm-up to the end of the rounds ("
                     f"{memory_seen['requests']:,} requests shared by {len(memory_seen['workers'])} workers): "
                     + ", ".join(f"{w['before_mib']:.0f} → {w['after_mib']:.0f} MiB" for w in memory_seen["workers"]))
            print("\n" + text + "\n", flush=True)
            report[backend] = {"items": items, "results": results, "memory": memory_seen}
            if args.write_docs:
                write_docs(backend, text)
        if backend == "sqlite" and args.memory_requests:
            samples = memory(url, ids, args.memory_requests)
            report["memory"] = samples
            growth = samples[-1][1] - samples[0][1]
            report["memory_text"] = (
                f"One gunicorn worker (SQLite, {items:,} items), every page in turn: RSS "
                + ", ".join(f"{mib:.0f} MiB after {n:,}" for n, mib in samples)
                + f" requests ({growth:+.0f} MiB from the first 1,000 to the last; goal ≤ 150 MiB, no growth)")
            print(report["memory_text"], flush=True)
    (RESULTS / ("web_load.memory.json" if args.memory_only else "web_load.json")).write_text(json.dumps(report, indent=2))
    if args.write_docs:
        if "memory_text" in report:
            write_docs("memory", report["memory_text"])
        print(f"wrote {DOCS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
