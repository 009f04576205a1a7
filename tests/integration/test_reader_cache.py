"""Readers' pages kept by the worker (``web.readercache``): made once until anything is committed, here or by
another process, and never for staff or with a visitor's own message.

The requests here really commit (a database of their own), as the other tests' shared transaction never does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from factcheck import migrate
from factcheck.app import create_app
from factcheck.db import Database, session_scope
from factcheck.domain.workflow import Decision, Policy, Role, Status
from factcheck.models import CheckItem
from factcheck.web.readercache import ReaderCache, _Kept
from tests.conftest import PG_URL, TEST_SECRET, migrated_sqlite_url, scratch_schema
from tests.factories import gen_item_in, gen_user
from tests.helpers import recorded_statements, sign_in


@contextmanager
def _desk(backend: str, tmp_path: Path) -> Iterator[tuple[Flask, int]]:
    """An app on a database of its own with one published verdict (its item's id)."""
    if backend == "postgresql":
        if not PG_URL:
            pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL)")
        with scratch_schema("reader_cache") as url:
            migrate.upgrade(url)
            yield from _app_on(url)
    else:
        yield from _app_on(migrated_sqlite_url(tmp_path / "desk.sqlite3"))


def _app_on(url: str) -> Iterator[tuple[Flask, int]]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    try:
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            item = gen_item_in(session, Status.PUBLISHED)
            item_id = item.id
        yield app, item_id
    finally:
        app.extensions["factcheck.db"].dispose()


def _summary(url: str, item_id: int, summary: str) -> None:
    """Another process changes the verdict's summary (an engine of its own: other connections)."""
    other = Database(url)
    try:
        with other.engine.begin() as conn:
            conn.execute(text("UPDATE verdicts SET summary = :s WHERE item_id = :i"), {"s": summary, "i": item_id})
    finally:
        other.dispose()


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _one_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Desk pages are kept within the minute they were made: the tests' minute stands still, so a request
    landing in the next one on a slow machine is not made again (the test of a new minute moves it itself)."""
    from factcheck.web import readercache

    monkeypatch.setattr(readercache, "_minute", lambda: 29_000_000)


def _seen(client, path: str):  # type: ignore[no-untyped-def]
    """``path`` asked twice: on SQLite the first request on a connection notices the database as it is
    (its page is not kept), the second's page is kept."""
    client.get(path)
    return client.get(path)


@pytest.fixture
def versions(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each database version the reader cache read (``db.data_version`` as it calls it), in order: the real one."""
    from factcheck.web import readercache

    seen: list[object] = []
    real = readercache.data_version

    def spy(connection):  # type: ignore[no-untyped-def]
        seen.append(version := real(connection))
        return version

    monkeypatch.setattr(readercache, "data_version", spy)
    return seen


#: How many times ``_asked_again`` asks at most.
_TRIES = 50


def _asked_again(client, path: str, versions: list[object], engine):  # type: ignore[no-untyped-def]
    """``path`` asked again until a request reads the version the request before it read, so its answer is the one
    kept under that version; with the statements that request sent. On PostgreSQL the version is the cluster's
    snapshot, which the other test processes' commits move at any moment (a request after one of those makes the
    page again, and keeps it under the new version); on SQLite only this test moves it, and the first try is it."""
    for _ in range(_TRIES):
        before = list(versions)
        with recorded_statements(engine) as sent:
            answer = client.get(path)
        if before and len(versions) == len(before) + 1 and versions[-1] == before[-1]:
            return answer, sent
    pytest.fail(f"no two of {_TRIES} requests in a row read the same version of the database")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_readers_page_is_made_once_until_another_process_commits(backend: str, tmp_path: Path,
                                                                   versions: list[object]) -> None:
    with _desk(backend, tmp_path) as (app, item_id):
        client = app.test_client()
        url = app.config["DATABASE_URL"]
        first = _seen(client, f"/verdicts/{item_id}")
        assert first.status_code == 200 and "It is false." in first.get_data(as_text=True)
        again, sent = _asked_again(client, f"/verdicts/{item_id}", versions, app.extensions["factcheck.db"].engine)
        assert again.get_data() == first.get_data()
        # Only the database's version was asked: the page was not made again.
        asked = [statement for statement in sent if statement != "BEGIN"]  # SQLite's read transaction
        assert len(asked) == 1 and ("pg_current_snapshot" in asked[0] or "data_version" in asked[0]), sent
        _summary(url, item_id, "Corrected: it is misleading.")
        changed = client.get(f"/verdicts/{item_id}").get_data(as_text=True)
        assert "Corrected: it is misleading." in changed and "It is false." not in changed


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_commit_of_this_process_is_seen_at_once(backend: str, tmp_path: Path, versions: list[object]) -> None:
    with _desk(backend, tmp_path) as (app, item_id):
        client = app.test_client()
        assert _seen(client, "/claimreview.json").get_json()["claimReviews"][0]["reviewRating"]["alternateName"] == "False"
        answer, sent = _asked_again(client, "/claimreview.json", versions, app.extensions["factcheck.db"].engine)
        kept = answer.get_json()
        assert len(kept["claimReviews"]) == 1 and not any("verdicts" in statement for statement in sent)  # kept
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            second = gen_item_in(session, Status.PUBLISHED, rating="true")
            second_id = second.id
        reviews = client.get("/claimreview.json").get_json()["claimReviews"]
        assert [review["url"].rsplit("/", 1)[1] for review in reviews] == [str(item_id), str(second_id)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_staff_and_a_visitor_with_a_message_are_never_served_a_kept_page(backend: str, tmp_path: Path) -> None:
    with _desk(backend, tmp_path) as (app, item_id):
        reader = app.test_client()
        kept = reader.get(f"/reports/articles/{item_id}")  # no article: 404, not kept
        assert kept.status_code == 404
        page = _seen(reader, f"/verdicts/{item_id}")
        assert page.headers["Cache-Control"] == "no-cache" and page.headers.get("ETag")
        # A visitor with a message waiting gets a page made for them, showing it; nobody else gets that page.
        with reader.session_transaction() as cookie_session:
            cookie_session["_flashes"] = [("message", "Thank you, your claim was sent.")]
        assert "Thank you, your claim was sent." in reader.get(f"/verdicts/{item_id}").get_data(as_text=True)
        assert "Thank you" not in app.test_client().get(f"/verdicts/{item_id}").get_data(as_text=True)
        # Staff get the page made for them (drafts and their name), never kept.
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            gen_user(session, Role.REVIEWER, email="reviewer@desk.test")
        staff = app.test_client()
        sign_in(staff, "reviewer@desk.test")
        answer = staff.get(f"/verdicts/{item_id}")
        assert answer.status_code == 200 and "private" in answer.headers["Cache-Control"]
        assert "reviewer@desk.test" in answer.get_data(as_text=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_reader_asking_again_with_the_etag_gets_304_until_something_changes(backend: str, tmp_path: Path) -> None:
    with _desk(backend, tmp_path) as (app, item_id):
        client = app.test_client()
        etag = _seen(client, f"/verdicts/{item_id}").headers["ETag"]
        assert client.get(f"/verdicts/{item_id}", headers={"If-None-Match": etag}).status_code == 304
        _summary(app.config["DATABASE_URL"], item_id, "Reworded.")
        changed = client.get(f"/verdicts/{item_id}", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "Reworded." in changed.get_data(as_text=True)
        again = client.get(f"/verdicts/{item_id}", headers={"If-None-Match": etag})
        assert again.status_code == 200 and again.headers["ETag"] != etag


def test_pages_are_kept_per_site_address(tmp_path: Path) -> None:
    """The feed holds absolute addresses: a page made for one host name is not served for another."""
    with _desk("sqlite", tmp_path) as (app, item_id):
        client = app.test_client()
        first = client.get("/claimreview.json", base_url="http://desk.example").get_json()
        other = client.get("/claimreview.json", base_url="http://mirror.example").get_json()
        assert first["claimReviews"][0]["url"] == f"http://desk.example/verdicts/{item_id}"
        assert other["claimReviews"][0]["url"] == f"http://mirror.example/verdicts/{item_id}"


def test_no_cache_when_its_size_is_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_READER_CACHE_MB", "0")
    with _desk("sqlite", tmp_path) as (app, item_id):
        client = app.test_client()
        _seen(client, f"/verdicts/{item_id}")
        with recorded_statements(app.extensions["factcheck.db"].engine) as sent:
            assert client.get(f"/verdicts/{item_id}").status_code == 200
        assert len(sent) > 1 and "ETag" not in client.get(f"/verdicts/{item_id}").headers


def test_the_cache_drops_the_least_recently_used_pages_beyond_its_size() -> None:
    page = _Kept(b"x" * 800, (), "etag")
    bound = 3 * (page.size + len("page0")) + 100  # three pages with their keys
    cache = ReaderCache(max_bytes=bound)
    assert cache.get("v1", ("page", "0")) is None
    for n in range(3):
        cache.put("v1", ("page", str(n)), page)
    assert cache.get("v1", ("page", "0")) is page  # now the most recently used
    cache.put("v1", ("page", "3"), page)
    assert cache.get("v1", ("page", "1")) is None and cache.get("v1", ("page", "0")) is page
    assert cache.size <= bound
    cache.put("v1", ("huge",), _Kept(b"x" * bound, (), "etag"))  # larger than the whole cache: not kept
    assert cache.get("v1", ("huge",)) is None and cache.get("v1", ("page", "3")) is page


def test_a_kept_pages_key_counts_towards_the_size_as_its_answer_does() -> None:
    """A key holds the request's path and query string, which any visitor chooses: many small answers under
    long query strings must not hold more than the cache's size."""
    cache = ReaderCache(max_bytes=100_000)
    cache.get("v1", ("start",))
    small = _Kept(b"x" * 100, (), "etag")
    for n in range(200):
        cache.put("v1", ("reader", "verdicts.show", "http://desk.test/", f"/verdicts/1?junk{n}=" + "j" * 4_000), small)
    assert cache.size <= 100_000
    assert cache.get("v1", ("reader", "verdicts.show", "http://desk.test/", "/verdicts/1?junk199=" + "j" * 4_000))
    assert cache.get("v1", ("reader", "verdicts.show", "http://desk.test/", "/verdicts/1?junk0=" + "j" * 4_000)) is None
    cache.put("v1", ("q" * 100_001,), small)  # its key alone is larger than the cache: not kept
    assert cache.get("v1", ("q" * 100_001,)) is None


def test_a_new_version_drops_every_page_of_the_old_one() -> None:
    cache = ReaderCache(max_bytes=3_000)
    page = _Kept(b"x" * 800, (), "etag")
    cache.get("v1", ("page",))
    cache.put("v1", ("page",), page)
    assert cache.get("v2", ("page",)) is None and cache.size == 0  # never to be served again: freed
    cache.put("v1", ("page",), page)  # made under the old version by a request still running: not kept
    assert cache.get("v2", ("page",)) is None


def _probe(app: Flask, path: str, view):  # type: ignore[no-untyped-def]
    """A readers' route on ``app`` whose view counts its runs."""
    from factcheck.web.readercache import for_readers

    runs: list[int] = []

    def counted():  # type: ignore[no-untyped-def]
        runs.append(1)
        return view()

    app.add_url_rule(path, endpoint=path.strip("/"), view_func=for_readers(counted))
    return runs


def test_only_whole_answers_that_carry_nothing_of_the_visitor_are_kept(tmp_path: Path) -> None:
    from flask import Response, session
    from flask_wtf.csrf import generate_csrf

    def with_cookie():  # type: ignore[no-untyped-def]
        response = Response("cookie")
        response.set_cookie("seen", "1")
        return response

    def into_session():  # type: ignore[no-untyped-def]
        session["seen"] = 1
        return "session"

    def csv():  # type: ignore[no-untyped-def]
        return Response("a,b\n", mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="r.csv"'})

    with _desk("sqlite", tmp_path) as (app, _):
        probes = {
            "/created": _probe(app, "/created", lambda: ("made", 201)),
            "/cookie": _probe(app, "/cookie", with_cookie),
            "/session": _probe(app, "/session", into_session),
            "/token": _probe(app, "/token", lambda: generate_csrf()),
            "/csv": _probe(app, "/csv", csv),
        }
        for path in probes:
            client = app.test_client()  # each its own visitor: a cookie one probe set stays out of the others
            _seen(client, "/reports")
            client.get(path)
            client.get(path)
        assert {path: len(runs) for path, runs in probes.items()} == {
            "/created": 2, "/cookie": 2, "/session": 2, "/token": 2, "/csv": 1}
        kept = app.test_client().get("/csv")
        assert kept.headers["Content-Disposition"] == 'attachment; filename="r.csv"'
        assert kept.mimetype == "text/csv" and kept.get_data() == b"a,b\n"


def test_made_up_query_arguments_make_no_kept_pages_and_push_none_out(tmp_path: Path) -> None:
    """An answer is kept only when its view read every argument of its address: a visitor adding made-up
    arguments is served the page, made for them, and nothing is kept under their addresses (so they cannot
    fill the cache and push out the pages in use); arguments the view reads are kept per value."""
    from flask import request

    with _desk("sqlite", tmp_path) as (app, item_id):
        plain = _probe(app, "/plain", lambda: "plain")
        reading = _probe(app, "/reading", lambda: f"page {request.args.get('page', '1')}")
        listing = _probe(app, "/listing", lambda: ",".join(sorted(request.args)))  # looks at all of them
        client = app.test_client()
        _seen(client, "/reports")
        cache = app.extensions["factcheck.readercache"]
        client.get("/plain")
        size = cache.size
        for n in range(5):
            assert client.get(f"/plain?junk{n}=x").get_data(as_text=True) == "plain"
        assert len(plain) == 6 and cache.size == size  # each made, none kept
        assert client.get("/plain").get_data(as_text=True) == "plain" and len(plain) == 6  # the page in use, kept
        for _ in range(2):
            assert client.get("/reading?page=2").get_data(as_text=True) == "page 2"
            client.get("/reading?page=2&junk=1")
        assert len(reading) == 3  # ?page=2 once, then kept; with junk made each time
        for _ in range(2):
            assert client.get("/listing?b=1&a=2").get_data(as_text=True) == "a,b"
        assert len(listing) == 1
        # A kept page of the app itself: a verdict page with a made-up argument is made and not kept.
        assert "It is false." in client.get(f"/verdicts/{item_id}?utm_source=x").get_data(as_text=True)
        with recorded_statements(app.extensions["factcheck.db"].engine) as sent:
            client.get(f"/verdicts/{item_id}?utm_source=x")
        assert len(sent) > 1


def test_a_head_request_keeps_the_whole_page_for_the_next_get(tmp_path: Path) -> None:
    with _desk("sqlite", tmp_path) as (app, item_id):
        client = app.test_client()
        assert client.head(f"/verdicts/{item_id}").status_code == 200
        page = client.get(f"/verdicts/{item_id}")
        assert "It is false." in page.get_data(as_text=True)


def test_a_commit_landing_while_a_reader_reads_the_version_never_shares_its_version(tmp_path: Path) -> None:
    """SQLite: another thread's commit right after a reader's ``PRAGMA data_version`` (its snapshot taken) and
    before it reads the count: the reader's page must not be kept under the count that commit made, which a
    reader on the writer's connection (whose own commit its PRAGMA never shows) then asks for."""
    from sqlalchemy import event

    from factcheck.db import data_version, write_intent

    db = Database(migrated_sqlite_url(tmp_path / "race.sqlite3"))
    reading = write_intent.set(False)  # as a page's request: the reader's BEGIN takes no write lock
    try:
        with db.engine.connect() as reader, db.engine.connect() as writer:
            data_version(reader), data_version(writer)  # each connection's first look
            reader.rollback(), writer.rollback()

            armed = [True]

            def commit_in_between(conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
                if armed and conn is reader and statement == "PRAGMA data_version":
                    armed.clear()
                    writer.execute(text("CREATE TABLE IF NOT EXISTS race_probe (n integer)"))
                    writer.execute(text("INSERT INTO race_probe VALUES (1)"))
                    writer.commit()

            event.listen(db.engine, "after_cursor_execute", commit_in_between)
            read_before = data_version(reader)
            event.remove(db.engine, "after_cursor_execute", commit_in_between)
            reader.rollback()
            assert data_version(writer) != read_before
    finally:
        write_intent.reset(reading)
        db.dispose()


def test_a_commit_of_another_thread_after_a_request_first_read_never_shares_its_version(tmp_path: Path) -> None:
    """SQLite: a signed-in request reads its user first (its snapshot is taken there), then the version. A commit
    of another thread of this process in between moves the process's count but not the request's PRAGMA (it
    stays as it was inside the transaction): the page, made from the older snapshot, must not be kept under the
    version a later request on the committing connection asks for (it would be served the older page)."""
    from factcheck.db import data_version, write_intent

    db = Database(migrated_sqlite_url(tmp_path / "race.sqlite3"))
    reading = write_intent.set(False)
    try:
        with db.engine.connect() as request, db.engine.connect() as other:
            data_version(request), data_version(other)  # each connection's first look
            request.rollback(), other.rollback()
            request.execute(text("SELECT count(*) FROM users")).scalar()  # the user's load: the snapshot
            other.execute(text("UPDATE ratings SET label = label || '.' WHERE key = 'false'"))
            other.commit()  # another thread's commit
            made_under = data_version(request)
            assert request.execute(text("SELECT label FROM ratings WHERE key = 'false'")).scalar() == "False"
            request.rollback()
            asked = data_version(other)  # a later request on the connection that committed
            assert asked is not None and made_under != asked
    finally:
        write_intent.reset(reading)
        db.dispose()


def _article_with_a_draft(app: Flask) -> int:
    """An article with one published verdict and one proposed (a draft only staff see); its id."""
    from factcheck.services import items as item_service
    from factcheck.services.ingest import ingest_article
    from tests.factories import gen_evidence

    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        result = ingest_article(session, "The minister said that unemployment fell to 4 percent in March.\n\n"
                                         "The mayor claimed that the bridge will reopen in May.\n", actor=None)
        checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
        for n, item_id in enumerate(result.item_ids):
            item_service.take_item(session, item_id, checker)
            gen_evidence(session, session.get(CheckItem, item_id), checker)
            item_service.propose_verdict(session, item_id, checker, rating_key="false", summary=f"Summary {n}.",
                                         rationale="Two records refute it.", policy=Policy())
        item_service.vote_on_verdict(session, result.item_ids[0], reviewer, decision=Decision.APPROVE, policy=Policy())
        gen_user(session, Role.CHECKER, email="checker@desk.test")
        return result.article.id


@pytest.mark.parametrize("backend", BACKENDS)
def test_staff_share_one_kept_feed_and_report_and_readers_never_get_theirs(backend: str, tmp_path: Path,
                                                                           versions: list[object]) -> None:
    with _desk(backend, tmp_path) as (app, _):
        article_id = _article_with_a_draft(app)
        staff, reader = app.test_client(), app.test_client()
        sign_in(staff, "checker@desk.test")
        for path in (f"/reports/articles/{article_id}.json", f"/reports/articles/{article_id}.csv", "/claimreview.json"):
            first = _seen(staff, path)
            again, sent = _asked_again(staff, path, versions, app.extensions["factcheck.db"].engine)
            assert again.get_data() == first.get_data() and again.status_code == 200
            # Kept: the request machinery still reads who is signed in, but nothing of the page is read again.
            assert not any("verdicts" in statement or "check_items" in statement for statement in sent), sent
            assert again.headers["Cache-Control"] == "private, no-store"  # drafts: no shared cache keeps it
            if backend == "postgresql":  # the version is read with the user's row, not by a statement of its own
                assert not any(statement.lstrip().startswith("SELECT pg_current_snapshot()") for statement in sent)
                assert any(statement.lstrip().startswith("SELECT users.id") and "pg_current_snapshot()" in statement
                           for statement in sent), sent
        staff_report = staff.get(f"/reports/articles/{article_id}.json").get_data(as_text=True)
        reader_report = _seen(reader, f"/reports/articles/{article_id}.json")
        assert "Summary 1." in staff_report  # the draft, for staff
        assert "Summary 0." in reader_report.get_data(as_text=True) and "Summary 1." not in reader_report.get_data(as_text=True)
        assert reader_report.headers["Cache-Control"] == "no-cache"
        # Another member of staff gets the kept answer; it names nobody.
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            gen_user(session, Role.REVIEWER, email="reviewer@desk.test")
        other = app.test_client()
        sign_in(other, "reviewer@desk.test")
        assert other.get(f"/reports/articles/{article_id}.json").get_data(as_text=True) == staff_report
        assert "checker@desk.test" not in staff_report


#: The desk's pages are kept by the same version as readers' (tested on both databases above); what is tested
#: below is whom a kept page is served to, on a database nobody else writes to: PostgreSQL's version is its
#: snapshot, which other test processes' transactions on the same server move at any moment.
ALONE = ["sqlite"]


def _read_for_the_page(sent: list[str]) -> list[str]:
    """The statements of a request beyond the request machinery's (who is signed in, the database's version)."""
    machinery = ("BEGIN", "COMMIT", "ROLLBACK", "SELECT users.id", "PRAGMA data_version", "SELECT pg_current_snapshot()")
    return [statement for statement in sent if not statement.lstrip().startswith(machinery)]


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page))


def _signed_in(app: Flask, email: str, *roles: Role):  # type: ignore[no-untyped-def]
    """A client signed in as a new user with ``roles``."""
    with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
        gen_user(session, *roles, email=email)
    client = app.test_client()
    sign_in(client, email)
    return client


@pytest.mark.parametrize("backend", ALONE)
def test_a_desk_page_is_kept_for_everyone_with_the_same_roles_each_seeing_their_own_name_and_token(
        backend: str, tmp_path: Path) -> None:
    with _desk(backend, tmp_path) as (app, _):
        article_id = _article_with_a_draft(app)
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            gen_item_in(session, Status.CLAIM)  # in triage, with its forms
        first, second = app.test_client(), _signed_in(app, "second@desk.test", Role.CHECKER)
        sign_in(first, "checker@desk.test")
        for path in ("/articles", f"/articles/{article_id}", "/triage", "/sources", f"/reports/articles/{article_id}",
                     "/reports"):
            made = _seen(first, path).get_data(as_text=True)
            with recorded_statements(app.extensions["factcheck.db"].engine) as sent:
                kept = second.get(path)
            page = kept.get_data(as_text=True)
            assert kept.status_code == 200 and _read_for_the_page(sent) == [], (path, sent)
            assert kept.headers["Cache-Control"] == "private, no-store"
            # The second checker's own name and token, none of the first's.
            assert "second@desk.test" in page and "checker@desk.test" not in page and "checker@desk.test" in made
            assert len(_tokens(page)) == 1 and _tokens(page).isdisjoint(_tokens(made))
            if path == "/triage":  # the rows' forms carry it too
                assert page.count(_tokens(page).pop()) > 1
            # The rest is the page the first was sent.
            assert _frame_removed(page) == _frame_removed(made), path
        # The token written into the kept page is the second checker's own: it signs them out.
        token = _tokens(second.get("/articles").get_data(as_text=True)).pop()
        assert second.post("/auth/logout", data={"csrf_token": token}).status_code == 302
        assert second.get("/articles").status_code == 302  # signed out: to the sign-in page


def _frame_removed(page: str) -> str:
    """A page without the viewer's own parts (their name, the token)."""
    page = re.sub(r'<form class="nav-user".*?</form>', "", page, flags=re.S)
    return re.sub(r'name="csrf_token"(?: type="hidden")? value="[^"]+"', "", page)


@pytest.mark.parametrize("backend", ALONE)
def test_a_desk_page_is_made_again_for_other_roles_after_a_commit_and_in_a_new_minute(
        backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.web import readercache

    with _desk(backend, tmp_path) as (app, _):
        article_id = _article_with_a_draft(app)
        checker = _signed_in(app, "second@desk.test", Role.CHECKER)
        reviewer = _signed_in(app, "reviewer@desk.test", Role.REVIEWER)
        engine = app.extensions["factcheck.db"].engine
        _seen(checker, "/articles")
        # Other roles: the page is made for them (the reviewer's navigation has the queue).
        with recorded_statements(engine) as sent:
            page = reviewer.get("/articles").get_data(as_text=True)
        assert _read_for_the_page(sent) and 'href="/queue"' in page
        assert 'href="/queue"' not in checker.get("/articles").get_data(as_text=True)
        # A commit: the new article is on the next page at once.
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            from factcheck.services.ingest import ingest_article
            ingest_article(session, "The governor said that the dam holds 40 million cubic metres.\n",
                           actor=None, title="A new article on the dam")
        assert "A new article on the dam" in _seen(checker, "/articles").get_data(as_text=True)
        with recorded_statements(engine) as sent:
            checker.get("/articles")
        assert _read_for_the_page(sent) == []
        # A new minute (ages and leases move): made again.
        minute = readercache._minute()
        monkeypatch.setattr(readercache, "_minute", lambda: minute + 1)
        with recorded_statements(engine) as sent:
            checker.get("/articles")
        assert _read_for_the_page(sent)
        assert article_id


@pytest.mark.parametrize("backend", ALONE)
def test_pages_of_ones_own_work_are_kept_for_nobody_else(backend: str, tmp_path: Path) -> None:
    with _desk(backend, tmp_path) as (app, _):
        article_id = _article_with_a_draft(app)
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            item_id = session.scalars(text("SELECT id FROM check_items WHERE article_id = :a ORDER BY id DESC"),
                                      {"a": article_id}).first()
        # The checker who proposed the verdicts is the article's first user; both checkers hold one role.
        with app.app_context(), session_scope(app.extensions["factcheck.db"].sessionmaker) as session:
            author_email = session.scalar(text("SELECT u.email FROM users u JOIN verdicts v ON v.author_id = u.id "
                                               "WHERE v.item_id = :i"), {"i": item_id})
        author, other = app.test_client(), _signed_in(app, "second@desk.test", Role.CHECKER)
        sign_in(author, author_email)
        engine = app.extensions["factcheck.db"].engine
        mine = _seen(author, "/my-work").get_data(as_text=True)
        with recorded_statements(engine) as sent:
            again = author.get("/my-work").get_data(as_text=True)
        assert _read_for_the_page(sent) == [] and _frame_removed(again) == _frame_removed(mine)
        assert f'href="/items/{item_id}"' in mine  # waiting for review: the author's work
        with recorded_statements(engine) as sent:
            theirs = other.get("/my-work").get_data(as_text=True)
        assert _read_for_the_page(sent) and f'href="/items/{item_id}"' not in theirs
        # The item page too: made for each viewer.
        _seen(author, f"/items/{item_id}")
        with recorded_statements(engine) as sent:
            assert other.get(f"/items/{item_id}").status_code == 200
        assert _read_for_the_page(sent)


@pytest.mark.parametrize("backend", ALONE)
def test_a_desk_page_with_a_message_waiting_is_made_for_the_viewer_and_never_kept(backend: str, tmp_path: Path) -> None:
    with _desk(backend, tmp_path) as (app, _):
        checker = _signed_in(app, "second@desk.test", Role.CHECKER)
        _seen(checker, "/articles")
        with checker.session_transaction() as cookie_session:
            cookie_session["_flashes"] = [("success", "Item #7 is yours.")]
        assert "Item #7 is yours." in checker.get("/articles").get_data(as_text=True)
        other = _signed_in(app, "third@desk.test", Role.CHECKER)
        assert "Item #7 is yours." not in _seen(other, "/articles").get_data(as_text=True)
        assert "Item #7 is yours." not in checker.get("/articles").get_data(as_text=True)  # shown once


def test_other_spellings_of_a_pages_address_are_made_for_the_request_and_never_kept(tmp_path: Path) -> None:
    """The same page asked for under another spelling of its address (leading zeros, other digits, a sign,
    spaces, an argument given twice) is served, made for the request, and nothing is kept under that address:
    nobody can fill the cache with copies of one page and push out the pages in use."""
    from flask import request

    with _desk("sqlite", tmp_path) as (app, item_id):
        reading = _probe(app, "/reading", lambda: f"number {int(request.args.get('n', '1'))}")
        client = app.test_client()
        _seen(client, "/reports")
        cache = app.extensions["factcheck.readercache"]
        client.get("/reading?n=2")
        size, runs = cache.size, len(reading)
        for spelling in ("02", "+2", "%202", "2%20", "%EF%BC%92", "2&n=2"):  # "%EF%BC%92": "２", a fullwidth 2
            for _ in range(2):
                assert client.get(f"/reading?n={spelling}").get_data(as_text=True) == "number 2", spelling
        assert len(reading) == runs + 12 and cache.size == size  # each made, none kept
        assert client.get("/reading?n=2").get_data(as_text=True) == "number 2" and len(reading) == runs + 12
        # A path the router reads as the same verdict: served, never kept.
        engine = app.extensions["factcheck.db"].engine
        for path in (f"/verdicts/00{item_id}", "/verdicts/" + "".join(chr(0xFF10 + int(d)) for d in str(item_id))):
            assert "It is false." in client.get(path).get_data(as_text=True), path
            with recorded_statements(engine) as sent:
                assert "It is false." in client.get(path).get_data(as_text=True)
            assert len(sent) > 1, path
        assert cache.size == size
        _seen(client, f"/verdicts/{item_id}")
        with recorded_statements(engine) as sent:
            client.get(f"/verdicts/{item_id}")
        assert len([s for s in sent if s != "BEGIN"]) == 1  # the plain address is kept


def test_pages_from_any_cursor_and_pages_for_made_up_sites_are_served_and_never_kept(tmp_path: Path) -> None:
    """Any number of the feed's and the reports list's later pages are valid (``after``, ``limit``, ``before``), and
    so are Host headers when the app knows its own address but no trusted host names: none of those pages is kept,
    so nobody can push out the pages in use by asking for thousands of them. The first pages, on the desk's own
    site, are kept."""
    with _desk("sqlite", tmp_path) as (app, item_id):
        app.config["BASE_URL"] = "http://localhost"
        client = app.test_client()
        cache = app.extensions["factcheck.readercache"]
        _seen(client, "/claimreview.json")
        _seen(client, "/reports")
        size = cache.size
        assert size > 0
        for path in ("/claimreview.json?after=1", f"/claimreview.json?after={item_id + 7}", "/claimreview.json?limit=3",
                     "/reports?before=5", f"/verdicts/{item_id}"):
            answers = [client.get(path, base_url="http://localhost" if "verdicts" not in path
                                  else "http://made-up.example").status_code for _ in range(2)]
            assert answers == [200, 200], path
        assert cache.size == size  # served, none kept
        _seen(client, f"/verdicts/{item_id}")  # on the desk's own site: kept
        assert cache.size > size


@pytest.mark.parametrize("backend", ALONE)
def test_the_desks_pages_are_kept_apart_and_freed_in_a_new_minute(backend: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff browsing through the minutes never pushes out a reader's kept page, and the desk's pages of a past
    minute (never to be served again) are freed when the next minute's are made."""
    from factcheck.web import readercache

    with _desk(backend, tmp_path) as (app, item_id):
        reader, checker = app.test_client(), _signed_in(app, "second@desk.test", Role.CHECKER)
        readers, desk = app.extensions["factcheck.readercache"], app.extensions["factcheck.deskcache"]
        _seen(reader, f"/verdicts/{item_id}")
        kept = readers.size
        minute = readercache._minute()
        sizes = []
        for n in range(5):
            monkeypatch.setattr(readercache, "_minute", lambda n=n: minute + n)
            for path in ("/articles", "/sources", "/triage"):
                assert checker.get(path).status_code == 200
            sizes.append(desk.size)
        assert readers.size == kept and sizes[0] > 0
        assert max(sizes) == min(sizes)  # the minute's three pages, never those of the minutes before
        with recorded_statements(app.extensions["factcheck.db"].engine) as sent:
            reader.get(f"/verdicts/{item_id}")
        assert len([s for s in sent if s != "BEGIN"]) == 1  # still kept


def test_a_kept_answer_is_counted_at_no_less_than_the_memory_it_holds() -> None:
    """The bound counts what the cache holds, not only the answers' bodies: many small answers (an empty page of
    the feed for each ``?after=``) must not take more memory than the bound says."""
    import tracemalloc

    cache = ReaderCache(max_bytes=100_000_000)
    cache.get("v1", ("start",))
    headers = (("Content-Type", "application/ld+json"),)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(3_000):
            key = ("reader", "verdicts.feed", "http://desk.test/", f"/claimreview.json?after={n}")
            cache.put("v1", key, _Kept(b'{"claimReviews": []}', headers, f"{n:032x}"))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held <= cache.size, (held, cache.size)


def test_with_trusted_hosts_another_host_is_refused_and_nothing_is_kept_for_it(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """FACTCHECK_TRUSTED_HOSTS: a request naming another host gets a plain 400 (no page with links to the site
    it names is made, or kept)."""
    monkeypatch.setenv("FACTCHECK_TRUSTED_HOSTS", "desk.example, www.desk.example")
    with _desk("sqlite", tmp_path) as (app, item_id):
        client = app.test_client()
        cache = app.extensions["factcheck.readercache"]
        for host in ("desk.example", "www.desk.example"):
            page = client.get("/claimreview.json", base_url=f"http://{host}").get_json()
            assert page["claimReviews"][0]["url"] == f"http://{host}/verdicts/{item_id}"
        size = cache.size
        refused = client.get("/claimreview.json", base_url="http://elsewhere.example")
        assert refused.status_code == 400 and refused.mimetype == "text/plain"
        assert "not trusted" in refused.get_data(as_text=True) and cache.size == size
