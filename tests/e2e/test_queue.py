"""The reviewer queue through the web: review next, approve, approve as, return with a comment."""

from __future__ import annotations

import re

from factcheck.domain.workflow import Role, Status
from factcheck.models import CheckItem
from tests.e2e.conftest import signed_in
from tests.factories import gen_item_in, gen_user, seen_key
from tests.helpers import csrf_token, login, post_form, sign_in


def _text(response) -> str:
    return response.get_data(as_text=True)


def fresh(session, item_id):
    return session.get(CheckItem, item_id, populate_existing=True)


def test_the_queue_lists_the_verdict_with_its_rating_and_author(client, world):
    signed_in(client, world, "reviewer")
    page = _text(client.get("/queue"))
    assert "Reviewer queue" in page and "#%d" % world.ids["verdict_item_id"] in page
    assert "False</span>" in page and world.users["checker"].display_name in page
    assert "<kbd>n</kbd>" in page and "<kbd>a</kbd>" in page and "<kbd>j</kbd>" in page


def test_review_next_opens_the_top_item_and_leases_it(client, world, session):
    signed_in(client, world, "reviewer")
    response = post_form(client, "/queue/next", {}, form_page="/queue")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/queue/review/%d" % world.ids["verdict_item_id"])
    item = fresh(session, world.ids["verdict_item_id"])
    assert item.lease_user_id == world.users["reviewer"].id
    page = _text(client.get(response.headers["Location"]))
    assert "Reserved for you for" in page and "Approve <kbd>a</kbd>" in page


def test_a_second_reviewer_is_not_given_the_leased_item(client, app, world, session):
    signed_in(client, world, "reviewer")
    post_form(client, "/queue/next", {}, form_page="/queue")
    other = gen_user(session, Role.REVIEWER)
    second = app.test_client()
    login(second, other.email)
    response = post_form(second, "/queue/next", {}, form_page="/queue", follow_redirects=True)
    assert "Nothing is waiting for your review." in _text(response)
    assert "in review by" in _text(second.get("/queue"))


def test_approving_publishes_the_verdict(client, world, session):
    signed_in(client, world, "reviewer")
    url = world.url("/queue/{verdict_item_id}/vote")
    response = post_form(client, url, {"decision": "approve"}, form_page=world.url("/queue/review/{verdict_item_id}"))
    assert response.status_code == 302
    item = fresh(session, world.ids["verdict_item_id"])
    assert item.status is Status.PUBLISHED and item.current_verdict.final_rating.key == "false"
    assert item.lease_user_id is None


def test_approving_as_another_rating_publishes_that_rating(client, world, session):
    signed_in(client, world, "reviewer")
    url = world.url("/queue/{verdict_item_id}/vote")
    post_form(client, url, {"decision": "approve", "rating": "mostly-false"},
              form_page=world.url("/queue/review/{verdict_item_id}"))
    assert fresh(session, world.ids["verdict_item_id"]).current_verdict.final_rating.key == "mostly-false"


def test_returning_needs_a_comment_and_sends_the_item_back(client, world, session):
    signed_in(client, world, "reviewer")
    url = world.url("/queue/{verdict_item_id}/vote")
    review_page = world.url("/queue/review/{verdict_item_id}")
    response = post_form(client, url, {"decision": "return", "comment": " "}, form_page=review_page)
    assert response.status_code == 422 and "Write a comment telling the author" in _text(response)
    assert fresh(session, world.ids["verdict_item_id"]).status is Status.VERDICT
    response = post_form(client, url, {"decision": "return", "comment": "Cite the tide gauge."}, form_page=review_page)
    assert response.status_code == 302
    item = fresh(session, world.ids["verdict_item_id"])
    assert item.status is Status.EVIDENCE and item.current_verdict.votes[0].comment == "Cite the tide gauge."


def test_a_reviewer_cannot_vote_on_their_own_verdict(client, world, session):
    both = gen_user(session, Role.CHECKER, Role.REVIEWER)
    item = gen_item_in(session, Status.VERDICT, checker=both)
    sign_in(client, both.email)
    page = _text(client.get(f"/queue/review/{item.id}"))
    assert "You wrote this verdict" in page and "/vote" not in page
    response = client.post(f"/queue/{item.id}/vote", data={"csrf_token": csrf_token(page), "decision": "approve",
                                                            "seen": seen_key(session, item.id)})
    assert response.status_code == 403
    assert fresh(session, item.id).status is Status.VERDICT


def test_voting_twice_is_refused(client, world, session):
    signed_in(client, world, "reviewer")
    from factcheck.domain.workflow import Decision, Policy, ReviewMode
    from factcheck.services.items import vote_on_verdict

    panel_item = gen_item_in(session, Status.VERDICT)
    vote_on_verdict(session, panel_item.id, world.users["reviewer"], decision=Decision.APPROVE,
                    policy=Policy(review_mode=ReviewMode.PANEL))
    page = _text(client.get("/queue"))
    response = client.post(f"/queue/{panel_item.id}/vote", data={"csrf_token": csrf_token(page), "decision": "approve",
                                                                  "seen": seen_key(session, panel_item.id)})
    assert response.status_code == 409 and "already voted" in _text(response)


def test_the_queue_filters_keep_their_values_and_ignore_nonsense(client, world):
    signed_in(client, world, "reviewer")
    page = _text(client.get("/queue?rating=true&claimant=Nobody&age=24&article=abc"))
    assert 'value="Nobody"' in page and "Nothing waits for your review with these filters" in page
    assert re.search(r'<option value="true" selected>', page)


def test_the_queue_needs_the_reviewer_role(client, world):
    signed_in(client, world, "checker")
    assert client.get("/queue").status_code == 403


def test_a_vote_from_a_page_showing_an_older_verdict_is_refused_and_the_page_shows_the_new_one(client, world, session):
    """The review page's forms name what the reviewer read: after the verdict is returned by another reviewer and
    proposed again as another rating, approving from the page opened before is refused (409), records nothing,
    and the page shown then has the new verdict, from which the vote goes through."""
    from factcheck.domain.workflow import Decision, Policy
    from factcheck.services.items import propose_verdict, vote_on_verdict

    signed_in(client, world, "reviewer")
    item_id = world.ids["verdict_item_id"]
    opened = _text(client.get(f"/queue/review/{item_id}"))
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', opened)
    assert seen, "the vote forms name what the page shows"
    other = gen_user(session, Role.REVIEWER)
    vote_on_verdict(session, item_id, other, decision=Decision.RETURN, policy=Policy(), comment="Check the date.",
                    seen=seen.group(1))
    propose_verdict(session, item_id, world.users["checker"], rating_key="true", summary="It is true after all.",
                    rationale="The dated record.", policy=Policy())
    session.flush()
    votes = len(fresh(session, item_id).current_verdict.votes)
    response = client.post(f"/queue/{item_id}/vote", data={"csrf_token": csrf_token(opened), "decision": "approve",
                                                           "seen": seen.group(1)})
    page = _text(response)
    assert response.status_code == 409 and "changed while you were reviewing it" in page
    item = fresh(session, item_id)
    assert item.status is Status.VERDICT and len(item.current_verdict.votes) == votes
    assert "It is true after all." in page
    again = re.search(r'name="seen" value="([0-9a-f]+)"', page)
    assert again and again.group(1) != seen.group(1)
    response = client.post(f"/queue/{item_id}/vote", data={"csrf_token": csrf_token(page), "decision": "approve",
                                                           "seen": again.group(1)})
    assert response.status_code == 302 and fresh(session, item_id).status is Status.PUBLISHED


def test_a_vote_that_does_not_name_the_verdict_read_is_refused_as_the_apis_is(client, world, session):
    """A reviewer never publishes a verdict they have not seen: a vote without the page's review key (an old
    form, a hand-made request) records nothing, even when the verdict was proposed again meanwhile."""
    from factcheck.domain.workflow import Decision, Policy
    from factcheck.models import Vote
    from factcheck.services.items import propose_verdict, vote_on_verdict

    signed_in(client, world, "reviewer")
    item_id = world.ids["verdict_item_id"]
    opened = client.get(f"/queue/review/{item_id}").get_data(as_text=True)
    other = gen_user(session, Role.REVIEWER)
    vote_on_verdict(session, item_id, other, decision=Decision.RETURN, policy=Policy(), comment="Check the date.")
    propose_verdict(session, item_id, world.users["checker"], rating_key="true", summary="It is true after all.",
                    rationale="The dated record.", policy=Policy())
    session.flush()
    votes = session.query(Vote).count()
    for seen in (None, ""):
        data = {"csrf_token": csrf_token(opened), "decision": "approve"} | ({} if seen is None else {"seen": seen})
        response = client.post(f"/queue/{item_id}/vote", data=data)
        assert response.status_code == 422 and "which verdict you read" in response.get_data(as_text=True)
    assert session.get(CheckItem, item_id, populate_existing=True).status is Status.VERDICT
    assert session.query(Vote).count() == votes
