"""The item page names everybody in its history (holder, evidence's adders, verdicts' authors, reviewers)
with the same number of statements however many of them there are."""

from __future__ import annotations

from bs4 import BeautifulSoup

from factcheck.domain.workflow import Decision, Policy, Role, Status
from factcheck.services import items as item_service
from tests.factories import gen_item_in, gen_user
from tests.helpers import recorded_statements, sign_in


def _return_and_propose_again(session, item_id: int, checker, reviewer) -> None:
    item_service.vote_on_verdict(session, item_id, reviewer, decision=Decision.RETURN, policy=Policy(),
                                 comment=f"{reviewer.display_name}: find a second record.")
    item_service.propose_verdict(session, item_id, checker, rating_key="false", summary="Not so.",
                                 rationale="Records.", policy=Policy())


def test_more_people_on_the_item_cost_no_statement_more(client, session, database):
    checker, editor = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.VERDICT, checker=checker)
    reviewers = [gen_user(session, Role.REVIEWER) for _ in range(4)]
    _return_and_propose_again(session, item.id, checker, reviewers[0])
    session.commit()
    sign_in(client, editor.email)
    url = f"/items/{item.id}"
    client.get(url)  # compiles statements
    with recorded_statements(database.engine) as few:
        assert client.get(url).status_code == 200
    for reviewer in reviewers[1:]:
        _return_and_propose_again(session, item.id, checker, reviewer)
    session.commit()
    with recorded_statements(database.engine) as many:
        page = client.get(url)
    text = BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text(" ")
    for reviewer in reviewers:
        assert f"{reviewer.display_name}: find a second record." in text  # each return's comment …
        assert text.count(reviewer.display_name) >= 2  # … and its reviewer, named with the vote
    assert checker.display_name in text
    assert len(many) == len(few), f"{len(few)} statements with one reviewer, {len(many)} with four"
