""""My work" lists the oldest of what a checker holds, over all its groups, and this week's publications only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from factcheck.domain.workflow import Role, Status
from factcheck.models import CheckItem, Verdict
from factcheck.queries import items as item_queries
from tests.factories import gen_item_in, gen_user

NOW = dt.datetime.now(dt.UTC)


def _age(session, item: CheckItem, days: float) -> None:
    """Move the item's status change (and a publication, as publishing sets both) ``days`` back."""
    at = NOW - dt.timedelta(days=days)
    session.execute(update(CheckItem).where(CheckItem.id == item.id).values(status_changed_at=at))
    session.execute(update(Verdict).where(Verdict.item_id == item.id, Verdict.published_at.is_not(None))
                    .values(published_at=at))
    session.expire_all()


@pytest.fixture
def small_limit(monkeypatch):
    """A page of three rows, so the limit's choice shows (the statement is built anew with it)."""
    monkeypatch.setattr(item_queries, "MY_WORK_LIMIT", 3)
    item_queries._my_work_statement.cache_clear()
    yield 3
    item_queries._my_work_statement.cache_clear()


def _ids(work) -> dict[str, list[int]]:
    return {group: [r.id for r in getattr(work, group)] for group in ("assigned", "returned", "waiting", "published")}


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


def test_the_limit_keeps_the_oldest_rows_over_every_group(session, small_limit) -> None:
    checker = gen_user(session, Role.CHECKER)
    evidence = [gen_item_in(session, Status.EVIDENCE, checker=checker) for _ in range(3)]
    waiting = [gen_item_in(session, Status.VERDICT, checker=checker) for _ in range(2)]
    published = gen_item_in(session, Status.PUBLISHED, checker=checker)
    for item, days in zip([*evidence, *waiting, published], (1, 5, 3, 4, 0.5, 2), strict=True):
        _age(session, item, days)
    work = item_queries.my_work(session, checker, NOW)
    # The three oldest: evidence 5 days, waiting 4 days, evidence 3 days.
    assert _ids(work) == {"assigned": [evidence[1].id, evidence[2].id], "returned": [], "waiting": [waiting[0].id],
                          "published": []}
    assert work.more, "six items held and three listed: the list is cut"


def test_a_list_that_fits_is_not_called_cut(session, small_limit) -> None:
    checker = gen_user(session, Role.CHECKER)
    for _ in range(3):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
    work = item_queries.my_work(session, checker, NOW)
    assert work.total == 3 and not work.more


def test_the_page_says_when_the_list_is_cut(app, client, session, small_limit) -> None:
    from bs4 import BeautifulSoup

    from tests.helpers import sign_in

    checker = gen_user(session, Role.CHECKER)
    for _ in range(3):
        gen_item_in(session, Status.EVIDENCE, checker=checker)
    sign_in(client, checker.email)
    page = BeautifulSoup(client.get("/my-work").get_data(as_text=True), "html.parser")
    assert page.find(id="work-cut") is None and "(3)" in page.h1.get_text()
    gen_item_in(session, Status.EVIDENCE, checker=checker)
    page = BeautifulSoup(client.get("/my-work").get_data(as_text=True), "html.parser")
    notice = page.find(id="work-cut")
    assert notice is not None and "more than 3 items" in notice.get_text()
    assert "(3+)" in page.h1.get_text()
