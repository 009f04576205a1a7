""""My work" lists a page of each group (the oldest first; this week's publications the newest first), links to
each group's next page, and reaches every item held."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update

from factcheck.domain.workflow import Decision, Policy, Role, Status
from factcheck.models import CheckItem, Verdict
from factcheck.queries import decode_cursor
from factcheck.queries import items as item_queries
from factcheck.services import items as item_service
from tests.factories import gen_item_in, gen_user
from tests.helpers import recorded_statements, sign_in

NOW = dt.datetime.now(dt.UTC)


def _age(session, item: CheckItem, days: float) -> None:
    """Move the item's status change (and a publication, as publishing sets both) ``days`` back."""
    at = NOW - dt.timedelta(days=days)
    session.execute(update(CheckItem).where(CheckItem.id == item.id).values(status_changed_at=at))
    session.execute(update(Verdict).where(Verdict.item_id == item.id, Verdict.published_at.is_not(None))
                    .values(published_at=at))
    session.expire_all()


@pytest.fixture
def small_page(monkeypatch):
    """Pages of two rows a group, so paging shows (the statements are built anew with it)."""
    monkeypatch.setattr(item_queries, "MY_WORK_PAGE", 2)
    item_queries._my_work_statement.cache_clear()
    yield 2
    item_queries._my_work_statement.cache_clear()


def _ids(work) -> dict[str, list[int]]:
    return {group: [r.id for r in getattr(work, group)] for group in ("assigned", "returned", "waiting", "published")}


def _after(work, group: str) -> tuple[dt.datetime, int]:
    position = decode_cursor(work.next_cursors[group])
    assert position is not None
    return position[1], position[2]


def test_only_publications_of_the_last_seven_days_are_listed(session) -> None:
    checker = gen_user(session, Role.CHECKER)
    recent = gen_item_in(session, Status.PUBLISHED, checker=checker)
    old = gen_item_in(session, Status.PUBLISHED, checker=checker)
    other = gen_item_in(session, Status.PUBLISHED)  # someone else's
    _age(session, recent, 6)
    _age(session, old, 8)
    work = item_queries.my_work(session, checker, NOW)
    assert _ids(work)["published"] == [recent.id]
    assert other.id not in [r.id for r in work.published]


def test_each_group_lists_its_first_page_and_says_where_the_next_starts(session, small_page) -> None:
    checker = gen_user(session, Role.CHECKER)
    evidence = [gen_item_in(session, Status.EVIDENCE, checker=checker) for _ in range(3)]
    waiting = [gen_item_in(session, Status.VERDICT, checker=checker) for _ in range(2)]
    published = [gen_item_in(session, Status.PUBLISHED, checker=checker) for _ in range(3)]
    for item, days in zip([*evidence, *waiting, *published], (1, 5, 3, 4, 0.5, 2, 1, 3), strict=True):
        _age(session, item, days)
    work = item_queries.my_work(session, checker, NOW)
    # The oldest two of the three in evidence, both waiting (oldest first), the newest two publications.
    assert _ids(work) == {"assigned": [evidence[1].id, evidence[2].id], "returned": [],
                          "waiting": [waiting[0].id, waiting[1].id], "published": [published[1].id, published[0].id]}
    assert set(work.next_cursors) == {"assigned", "published"}, "only the groups that go on have a next page"
    assert work.more and work.total == 6


def test_a_group_s_next_pages_reach_every_item_held_once(session, small_page) -> None:
    checker = gen_user(session, Role.CHECKER)
    held = [gen_item_in(session, Status.EVIDENCE, checker=checker) for _ in range(5)]
    published = [gen_item_in(session, Status.PUBLISHED, checker=checker) for _ in range(5)]
    for n, item in enumerate(held):
        _age(session, item, 5 - n)  # held[0] is the oldest
    for n, item in enumerate(published):
        _age(session, item, 5 - n)  # published[4] is the newest
    for group, expected in (("assigned", [i.id for i in held]), ("published", [i.id for i in reversed(published)])):
        work = item_queries.my_work(session, checker, NOW)
        seen = [r.id for r in getattr(work, group)]
        while group in work.next_cursors:
            work = item_queries.my_work(session, checker, NOW, group=group, after=_after(work, group))
            assert work.group == group and work.total == len(getattr(work, group)), "only the group asked for"
            seen += [r.id for r in getattr(work, group)]
        assert seen == expected


def test_returned_items_page_apart_from_the_others_in_evidence(session, small_page) -> None:
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    returned = []
    for _ in range(3):
        item = gen_item_in(session, Status.VERDICT, checker=checker)
        item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.RETURN, policy=Policy(),
                                     comment="Needs a second source.")
        returned.append(item)
    assigned = gen_item_in(session, Status.EVIDENCE, checker=checker)
    work = item_queries.my_work(session, checker, NOW)
    assert _ids(work)["assigned"] == [assigned.id]
    assert _ids(work)["returned"] == [returned[0].id, returned[1].id]
    assert work.returned[0].returned_comment == "Needs a second source."
    rest = item_queries.my_work(session, checker, NOW, group="returned", after=_after(work, "returned"))
    assert _ids(rest)["returned"] == [returned[2].id] and not rest.next_cursors
    assert rest.returned[0].returned_comment == "Needs a second source."


def test_a_list_that_fits_has_no_next_page(session, small_page) -> None:
    checker = gen_user(session, Role.CHECKER)
    for _ in range(2):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
    work = item_queries.my_work(session, checker, NOW)
    assert work.total == 2 and not work.more and not work.next_cursors


def test_the_page_links_each_group_to_its_next_rows(app, client, session, small_page) -> None:
    checker = gen_user(session, Role.CHECKER)
    held = [gen_item_in(session, Status.EVIDENCE, checker=checker) for _ in range(2)]
    waiting = gen_item_in(session, Status.VERDICT, checker=checker)
    sign_in(client, checker.email)
    page = BeautifulSoup(client.get("/my-work").get_data(as_text=True), "html.parser")
    assert page.find(id="assigned-more") is None and "(3)" in page.h1.get_text()
    held.append(gen_item_in(session, Status.EVIDENCE, checker=checker))
    page = BeautifulSoup(client.get("/my-work").get_data(as_text=True), "html.parser")
    assert "(3+)" in page.h1.get_text() and "(2+)" in page.find(id="assigned-title").get_text()
    more = page.find(id="assigned-more")
    assert more is not None and page.find(id="waiting-more") is None
    assert [a.get_text() for a in page.select("#assigned-table a[href^='/items/']")][::2] == [
        f"#{held[0].id}", f"#{held[1].id}"]
    following = BeautifulSoup(client.get(more["href"]).get_data(as_text=True), "html.parser")
    assert [s["id"] for s in following.select("section.work-group")] == ["assigned"]
    assert [a.get_text() for a in following.select("#assigned-table a[href^='/items/']")][::2] == [f"#{held[2].id}"]
    assert following.find(id="assigned-more") is None
    assert f"#{waiting.id}" not in following.get_text() and following.find("a", href="/my-work") is not None


def test_a_group_page_runs_as_many_statements_for_few_or_many_items(client, session, database, small_page) -> None:
    checker = gen_user(session, Role.CHECKER)
    for _ in range(3):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
    sign_in(client, checker.email)
    first = BeautifulSoup(client.get("/my-work").get_data(as_text=True), "html.parser")
    href = first.find(id="assigned-more")["href"]
    client.get(href)  # warm caches
    with recorded_statements(database.engine) as few:
        assert client.get(href).status_code == 200
    for _ in range(6):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
    with recorded_statements(database.engine) as many:
        assert client.get(href).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["group=everything", "group=assigned&after=" + "A" * 300, "group=assigned&after=%%%",
                                   "after=bm90IGEgY3Vyc29y"])
def test_odd_parameters_get_a_clear_answer_never_a_500(client, session, query) -> None:
    checker = gen_user(session, Role.CHECKER)
    gen_item_in(session, Status.EVIDENCE, checker=checker)
    sign_in(client, checker.email)
    response = client.get(f"/my-work?{query}")
    if query.startswith("group=everything"):
        assert response.status_code == 400 and "must be one of" in response.get_data(as_text=True)
    else:  # a mangled cursor starts the group from its first row, as triage's does
        assert response.status_code == 200
        assert re.search(r"#\d+", BeautifulSoup(response.get_data(as_text=True), "html.parser")
                         .find(id="assigned").get_text())
