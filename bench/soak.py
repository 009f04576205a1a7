"""Soak: simulated checkers and reviewers work the whole workflow against gunicorn on PostgreSQL.

    python bench/soak.py [--users 20] [--seconds 120] [--workers 4] [--database-url URL]

It creates a fresh PostgreSQL database (factcheck_soak on 127.0.0.1, or empties the public
schema of the database given with --database-url) and fills it with check items spread over
--speakers claimants (20); half of the items also name another speaker as relay, and the first
--in-review of them (100) already wait for review, so reviewers publish side by side from the
first second. It starts gunicorn on a free local port and lets the users loop: checkers take items
from triage, add two pieces of evidence and propose a verdict; reviewers claim "review next" and
approve or return. At the end it checks, from the database alone:

- zero 5xx responses;
- zero lost updates: every action the server accepted (answered with a redirect) has its audit event;
- every item's status equals the replay of its audit trail;
- every source's track record (as claimant and as relay, per rating) equals the published verdicts
  counted again from scratch;
- no reviewer holds more live leases than FACTCHECK_REVIEW_MAX_LEASES (3).

Only 127.0.0.1 is contacted; every loop is bounded by the deadline.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck import migrate  # noqa: E402
from factcheck.db import Database, session_scope  # noqa: E402
from factcheck.domain import workflow as wf  # noqa: E402
from factcheck.domain.workflow import Role  # noqa: E402
from factcheck.models import AuditEvent, CheckItem, Source, SourceRecord, User, utcnow  # noqa: E402
from factcheck.services.evidence import add_evidence  # noqa: E402
from factcheck.services.items import LinkInput, create_item, propose_verdict, take_item  # noqa: E402
from factcheck.services.sources import find_or_create_source  # noqa: E402
from factcheck.services.users import create_user  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "factcheck_soak"
PASSWORD = "soak-password-123"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TAKE = re.compile(r'/items/(\d+)/take')
REVIEW = re.compile(r'/queue/review/(\d+)')
#: The default of FACTCHECK_REVIEW_MAX_LEASES.
MAX_LEASES = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(url: str | None = None) -> str:
    """A migrated, empty database: ``url`` with its public schema emptied, or a new factcheck_soak."""
    if url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        migrate.upgrade(url)
        return url
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    url = f"{SERVER}/{DATABASE}"
    migrate.upgrade(url)
    return url


def fill(url: str, checkers: int, reviewers: int, items: int, in_review: int = 0, speakers: int = 20) -> None:
    db = Database(url)
    with session_scope(db.sessionmaker) as session:
        checker_users = [
            create_user(session, f"checker{n}@soak.test", PASSWORD, [Role.CHECKER], hash_method="pbkdf2:sha256:1000")
            for n in range(checkers)
        ]
        for n in range(reviewers):
            create_user(session, f"reviewer{n}@soak.test", PASSWORD, [Role.REVIEWER],
                        hash_method="pbkdf2:sha256:1000")
        people = [find_or_create_source(session, f"Speaker Number{n}") for n in range(speakers)]
        for n in range(items):
            # Half the items are relayed by another speaker, so records grow in both capacities and
            # one publication touches two sources (in either order of their ids).
            chain = [LinkInput(people[n % speakers], "said")]
            if n % 2 and speakers > 1:
                relay = people[(n * 7 + 3) % speakers]
                chain.append(LinkInput(relay if relay is not chain[0].source else people[(n + 1) % speakers],
                                       "reported"))
            item = create_item(session, claim_text=f"Claim {n}: unemployment fell by {n % 9 + 1} percent last year.",
                               actor=None, chain=chain, checkworthiness=random.random())
            if n < in_review:
                # Waiting for review from the start, so reviewers publish side by side at once.
                checker = checker_users[n % len(checker_users)]
                take_item(session, item.id, checker)
                for k in range(2):
                    add_evidence(session, item.id, checker, title=f"Record {k}", stance="refutes",
                                 url=f"https://records{k}.example.org/{item.id}",
                                 passage="The statistics office says otherwise.")
                propose_verdict(session, item.id, checker, rating_key=random.choice(["false", "mostly-false",
                                                                                    "half-true"]),
                                summary="The statistics do not show this.",
                                rationale="Two official records refute it.", policy=wf.Policy())
    db.dispose()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Visitor:
    """One simulated person with their own cookies."""

    def __init__(self, base: str, email: str, stats: Counter, accepted: list, lock: threading.Lock) -> None:
        self.base, self.email, self.stats, self.accepted, self.lock = base, email, stats, accepted, lock
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                status, html, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as err:
            status, html, location = err.code, err.read().decode(errors="replace"), err.headers.get("Location", "")
        with self.lock:
            self.stats[f"{status // 100}xx"] += 1
        match = CSRF.search(html)
        if match:
            self.token = match.group(1) or match.group(2)
        return status, html, location

    def post_action(self, path: str, data: dict, action: str, item_id: int) -> bool:
        status, _, _ = self.request(path, data)
        if status in (302, 303):
            with self.lock:
                self.accepted.append((self.email, action, item_id))
            return True
        return False

    def login(self) -> None:
        self.request("/auth/login")
        status, _, _ = self.request("/auth/login", {"email": self.email, "password": PASSWORD})
        assert status == 302, f"{self.email} could not sign in ({status})"


def checker_loop(v: Visitor, deadline: float) -> None:
    v.login()
    while time.monotonic() < deadline:
        _, html, _ = v.request("/triage")
        ids = [int(i) for i in TAKE.findall(html)]
        if not ids:
            time.sleep(0.2)
            continue
        item_id = random.choice(ids[:10])
        if not v.post_action(f"/items/{item_id}/take", {}, "take", item_id):
            continue
        v.request(f"/items/{item_id}")
        for k in range(2):
            v.post_action(f"/items/{item_id}/evidence", {
                "title": f"Record {k}", "url": f"https://records{k}.example.org/{item_id}",
                "stance": "refutes", "passage": "The statistics office says otherwise.", "source_kind": "outlet",
            }, "add_evidence", item_id)
            v.request(f"/items/{item_id}")
        v.post_action(f"/items/{item_id}/propose", {
            "rating": random.choice(["false", "mostly-false", "half-true"]),
            "summary": "The statistics do not show this.", "rationale": "Two official records refute it.",
        }, "propose", item_id)


def reviewer_loop(v: Visitor, deadline: float) -> None:
    v.login()
    while time.monotonic() < deadline:
        v.request("/queue")
        status, _, location = v.request("/queue/next", {})
        match = REVIEW.search(location or "")
        if not match:
            time.sleep(0.2)
            continue
        item_id = int(match.group(1))
        v.request(f"/queue/review/{item_id}")
        if random.random() < 0.8:
            v.post_action(f"/queue/{item_id}/vote", {"decision": "approve"}, "vote", item_id)
        else:
            v.post_action(f"/queue/{item_id}/vote", {"decision": "return", "comment": "Cite the source."},
                          "vote", item_id)


def record_mismatches(session) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Sources whose records differ from the published verdicts counted from scratch.

    Returns (sources checked: all of them, sources whose record differs, verdicts missing from the records).
    A published item counts once for its claimant (capacity "claimant") and once for every other
    source of its chain (capacity "relay"), with the final rating of its published verdict.
    """
    expected: Counter = Counter()
    for item in session.scalars(select(CheckItem).where(CheckItem.status == wf.Status.PUBLISHED)):
        verdict = item.current_verdict
        rating_id = verdict.final_rating_id
        capacities = {item.claimant_id: "claimant"} if item.claimant_id is not None else {}
        for link in item.chain:
            capacities.setdefault(link.source_id, "relay")
        for source_id, capacity in capacities.items():
            expected[(source_id, capacity, rating_id)] += 1
    actual = Counter({(r.source_id, r.capacity, r.rating_id): r.count
                      for r in session.scalars(select(SourceRecord)) if r.count})
    sources = session.scalar(select(func.count(Source.id)))
    wrong = {key[0] for key in expected.keys() | actual.keys() if expected[key] != actual[key]}
    missing = sum(max(0, n - actual[key]) for key, n in expected.items())
    return sources, len(wrong), missing


def verify(url: str, accepted: list) -> dict:
    db = Database(url)
    with db.sessionmaker() as session:
        users = {u.email: u.id for u in session.scalars(select(User))}
        events = Counter((e.actor_id, e.action, e.item_id) for e in session.scalars(select(AuditEvent)))
        wanted = Counter((users[email], action, item_id) for email, action, item_id in accepted)
        lost = sum(max(0, n - events[key]) for key, n in wanted.items())
        mismatched = 0
        statuses = Counter()
        for item in session.scalars(select(CheckItem)):
            trail = session.execute(
                select(AuditEvent.action, AuditEvent.from_status, AuditEvent.to_status)
                .where(AuditEvent.item_id == item.id, AuditEvent.entity == "item").order_by(AuditEvent.id)
            ).all()
            statuses[item.status.value] += 1
            try:
                mismatched += wf.replay(trail) is not item.status
            except ValueError:
                mismatched += 1
        checked, wrong_records, missing_verdicts = record_mismatches(session)
        now = utcnow()
        live = Counter(session.scalars(select(CheckItem.lease_user_id).where(CheckItem.lease_expires_at > now)))
    db.dispose()
    return {"lost_updates": lost, "status_mismatches": mismatched, "statuses": dict(statuses),
            "sources_checked": checked, "sources_with_wrong_records": wrong_records,
            "published_verdicts_missing_from_records": missing_verdicts,
            "most_live_leases_of_one_reviewer": max(live.values(), default=0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--speakers", type=int, default=20, help="claimants the items are spread over")
    parser.add_argument("--in-review", type=int, default=100,
                        help="how many of the items wait for review from the start")
    parser.add_argument("--database-url", default=None,
                        help="an existing PostgreSQL database whose public schema the soak may empty")
    args = parser.parse_args()
    reviewers = max(1, args.users * 2 // 5)
    checkers = args.users - reviewers
    url = fresh_database(args.database_url)
    fill(url, checkers, reviewers, args.items, min(args.in_review, args.items), max(1, args.speakers))
    port = free_port()
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "SECRET_KEY": "soak-" + "k" * 40,
           "FACTCHECK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "factcheck.wsgi:app"],
        cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/auth/login", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        stats: Counter = Counter()
        accepted: list = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=checker_loop, args=(Visitor(base, f"checker{n}@soak.test", stats, accepted, lock),
                                                        deadline))
            for n in range(checkers)
        ] + [
            threading.Thread(target=reviewer_loop,
                             args=(Visitor(base, f"reviewer{n}@soak.test", stats, accepted, lock), deadline))
            for n in range(reviewers)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "users": args.users, "checkers": checkers, "reviewers": reviewers, "seconds": round(elapsed, 1),
        "gunicorn_workers": args.workers, "responses": dict(stats),
        "requests_per_second": round(sum(stats.values()) / elapsed, 1),
        "accepted_actions": dict(Counter(a for _, a, _ in accepted)),
        **verify(url, accepted),
    }
    print(json.dumps(result, indent=2))
    ok = (stats.get("5xx", 0) == 0 and result["lost_updates"] == 0 and result["status_mismatches"] == 0
          and result["sources_with_wrong_records"] == 0 and result["published_verdicts_missing_from_records"] == 0
          and result["most_live_leases_of_one_reviewer"] <= MAX_LEASES)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
