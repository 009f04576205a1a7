"""Review-next reservations through the web: my reserved item comes back, I hold at most a few,
and another reviewer cannot vote on an item I reserved."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.domain.workflow import Role, Status
from factcheck.models import CheckItem, Vote, utcnow
from tests.e2e.conftest import signed_in
from tests.factories import gen_item_in, gen_user
from tests.helpers import csrf_token, login, post_form


def _text(response) -> str:
    return response.get_data(as_text=True)


def _reserved_by(session, user_id: int) -> set[int]:
    return set(session.scalars(select(CheckItem.id).where(
        CheckItem.lease_user_id == user_id, CheckItem.lease_expires_at > utcnow())))


def _review_next_from(client, page_url: str):
    """Press Review next on ``page_url`` with the fields its form carries (the item left behind, if any)."""
    page = _text(client.get(page_url))
    data = {"csrf_token": csrf_token(page)}
    marker = 'name="skip" value="'
    if marker in page:
        data["skip"] = page.split(marker, 1)[1].split('"', 1)[0]
    return client.post("/queue/next", data=data)


def test_pressing_review_next_again_opens_the_item_i_reserved(client, world, session):
    signed_in(client, world, "reviewer")
    first = post_form(client, "/queue/next", {}, form_page="/queue")
    assert first.headers["Location"].endswith(world.url("/queue/review/{verdict_item_id}"))
    again = post_form(client, "/queue/next", {}, form_page="/queue")
    assert again.status_code == 302, "not “Nothing is waiting”: the reserved item waits for me"
    assert again.headers["Location"].endswith(world.url("/queue/review/{verdict_item_id}"))


def test_review_next_from_review_pages_reserves_at_most_three_items(client, world, session):
    for _ in range(4):
        gen_item_in(session, Status.VERDICT)
    reviewer = world.users["reviewer"]
    signed_in(client, world, "reviewer")
    response = _review_next_from(client, "/queue")
    opened = []
    for _ in range(6):
        assert response.status_code == 302
        opened.append(response.headers["Location"])
        response = _review_next_from(client, response.headers["Location"])
    held = _reserved_by(session, reviewer.id)
    assert len(held) == 3, "a reviewer cannot reserve the whole queue"
    assert len(set(opened)) == 3 and opened[3:] == opened[:3], "past the limit my reserved items take turns"
    other = gen_user(session, Role.REVIEWER)
    second = client.application.test_client()
    login(second, other.email)
    response = post_form(second, "/queue/next", {}, form_page="/queue")
    assert response.status_code == 302 and "/queue/review/" in response.headers["Location"]


def test_at_the_limit_review_next_says_so_and_keeps_me_on_my_item(client, app, world, session):
    app.config["REVIEW_MAX_LEASES"] = 1
    gen_item_in(session, Status.VERDICT)
    signed_in(client, world, "reviewer")
    review_page = post_form(client, "/queue/next", {}, form_page="/queue").headers["Location"]
    response = _review_next_from(client, review_page)
    assert response.status_code == 302 and response.headers["Location"] == review_page
    page = _text(client.get(review_page))
    assert "You can hold 1 reserved verdict at a time" in page
    assert len(_reserved_by(session, world.users["reviewer"].id)) == 1


def test_another_reviewer_cannot_vote_on_an_item_i_reserved(client, app, world, session):
    signed_in(client, world, "reviewer")
    post_form(client, "/queue/next", {}, form_page="/queue")
    other = gen_user(session, Role.REVIEWER)
    second = app.test_client()
    login(second, other.email)
    review_page = world.url("/queue/review/{verdict_item_id}")
    page = _text(second.get(review_page))
    assert "Another reviewer reserved this verdict" in page and 'id="vote-approve"' not in page
    for data in ({"decision": "approve"}, {"decision": "return", "comment": "Cite the source."}):
        response = second.post(world.url("/queue/{verdict_item_id}/vote"),
                               data={**data, "csrf_token": csrf_token(page)})
        assert response.status_code == 409
        assert "Another reviewer reserved item" in _text(response)
    item = session.get(CheckItem, world.ids["verdict_item_id"], populate_existing=True)
    assert item.status is Status.VERDICT and item.lease_user_id == world.users["reviewer"].id
    assert session.scalar(select(func.count(Vote.id)).where(Vote.reviewer_id == other.id)) == 0


def test_giving_an_item_back_lets_another_reviewer_take_it(client, app, world, session):
    signed_in(client, world, "reviewer")
    review_page = post_form(client, "/queue/next", {}, form_page="/queue").headers["Location"]
    page = _text(client.get(review_page))
    assert "Give it back" in page
    response = post_form(client, world.url("/queue/{verdict_item_id}/release"), {}, form_page=review_page,
                         follow_redirects=True)
    assert "is back in the queue" in _text(response)
    assert not _reserved_by(session, world.users["reviewer"].id)
    other = gen_user(session, Role.REVIEWER)
    second = app.test_client()
    login(second, other.email)
    response = post_form(second, "/queue/next", {}, form_page="/queue")
    assert response.headers["Location"].endswith(review_page)
