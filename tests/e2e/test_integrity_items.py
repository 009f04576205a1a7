"""The item page keeps records right: evidence edits keep their source, forms need their version, a
double submit adds one piece, a panel without a majority waits for an editor, and the scale says
which ratings publish no ClaimReview before anyone proposes them."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from factcheck.domain.workflow import Decision, Role, SourceKind, Stance, Status
from factcheck.models import CheckItem, Evidence, Source
from factcheck.services import evidence as evidence_service
from factcheck.services import items as svc
from factcheck.services.sources import find_or_create_source
from tests.conftest import make_test_app
from tests.e2e.conftest import signed_in
from tests.factories import gen_evidence, gen_item_in, gen_user
from tests.helpers import csrf_token, hidden_fields, post_form, sign_in


def _html(response) -> str:
    return response.get_data(as_text=True)


def _fresh(session, model, key):
    return session.get(model, key, populate_existing=True)


# --- 1. editing evidence keeps its source ----------------------------------------------------------


def test_the_evidence_edit_page_shows_the_source_name_and_saving_keeps_the_source(client, world, session):
    checker = world.users["checker"]
    item = _fresh(session, CheckItem, world.ids["item_id"])
    reuters = find_or_create_source(session, "Reuters", SourceKind.OUTLET)
    piece = evidence_service.add_evidence(session, item.id, checker, version=item.version, title="Wire copy",
                                          stance=Stance.REFUTES, url="https://reuters.example/a", source=reuters)
    sources_before = session.scalar(select(func.count(Source.id)))
    signed_in(client, world, "checker")
    url = f"/items/evidence/{piece.id}/edit"
    page = BeautifulSoup(_html(client.get(url)), "html.parser")
    assert page.select_one("input[name=source]")["value"] == "Reuters"
    assert "<Source" not in str(page)
    response = post_form(client, url, {"title": "Wire copy", "url": "https://reuters.example/b", "passage": "",
                                       "source": "Reuters", "source_kind": "outlet", "stance": "refutes"})
    assert response.status_code == 302, _html(response)
    piece = _fresh(session, Evidence, piece.id)
    assert piece.url == "https://reuters.example/b" and piece.source_id == reuters.id
    assert session.scalar(select(func.count(Source.id))) == sources_before


# --- 2. the evidence list says which pieces count ---------------------------------------------------


def test_the_evidence_list_says_which_pieces_count_and_why(client, world, session):
    checker = world.users["checker"]
    item = _fresh(session, CheckItem, world.ids["item_id"])
    bloomberg = find_or_create_source(session, "Bloomberg", SourceKind.OUTLET)
    for title, url, source in (("Bloomberg report", "https://bloomberg.com/a", bloomberg),
                               ("Bloomberg page", "https://bloomberg.com/b", None)):
        evidence_service.add_evidence(session, item.id, checker, version=item.version, title=title,
                                      stance=Stance.REFUTES, url=url, source=source)
    signed_in(client, world, "checker")
    page = BeautifulSoup(_html(client.get(f"/items/{item.id}")), "html.parser")
    notes = [n.get_text(" ", strip=True) for n in page.select("#evidence .independence")]
    assert notes[-2:] == ["Counts: independent source 2", "Does not count: same source as piece 2"]
    assert "Evidence (3 from 2 sources)" in page.get_text()


# --- 10. versions, missing fields, double submits -----------------------------------------------------


def test_an_edit_without_its_version_is_refused_and_changes_nothing(client, world, session):
    item = _fresh(session, CheckItem, world.ids["item_id"])
    svc.edit_item(session, item.id, world.users["checker"], version=item.version, restatement="Kept.",
                  hedges=["allegedly"])
    signed_in(client, world, "checker")
    token = csrf_token(_html(client.get(f"/items/{item.id}")))
    response = client.post(f"/items/{item.id}/edit", data={"csrf_token": token, "restatement": "Overwritten"})
    assert response.status_code == 422 and "lacks the version" in _html(response)
    # Only the CSRF token and the version: nothing is blanked.
    response = client.post(f"/items/{item.id}/edit", data={"csrf_token": token, "version": item.version})
    assert response.status_code == 302
    item = _fresh(session, CheckItem, item.id)
    assert item.restatement == "Kept." and item.hedges == ["allegedly"]


def test_a_chain_form_without_rows_does_not_clear_the_chain(client, world, session):
    item = _fresh(session, CheckItem, world.ids["item_id"])
    links = len(item.chain)
    signed_in(client, world, "checker")
    token = csrf_token(_html(client.get(f"/items/{item.id}")))
    response = client.post(f"/items/{item.id}/chain", data={"csrf_token": token, "version": item.version})
    assert response.status_code == 422
    assert len(_fresh(session, CheckItem, item.id).chain) == links == 1


def test_a_double_submit_of_add_evidence_adds_one_piece(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    html = _html(client.get(url))
    data = {**hidden_fields(html, url + "/evidence"), "csrf_token": csrf_token(html), "title": "Harbour log",
            "url": "https://harbour.example/log", "stance": "refutes", "source": "", "source_kind": "outlet"}
    assert "version" in data
    before = session.scalar(select(func.count(Evidence.id)).where(Evidence.item_id == world.ids["item_id"]))
    first, second = client.post(url + "/evidence", data=data), client.post(url + "/evidence", data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    after = session.scalar(select(func.count(Evidence.id)).where(Evidence.item_id == world.ids["item_id"]))
    assert after == before + 1


def test_a_hand_set_priority_stays_and_the_field_uses_one_scale(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/edit", {"priority": "7"}, form_page=url)
    assert response.status_code == 422 and "from 0 (least urgent) to 1 (most urgent)" in _html(response)
    response = post_form(client, url + "/edit", {"priority": "0.8"}, form_page=url)
    assert response.status_code == 302
    item = _fresh(session, CheckItem, world.ids["item_id"])
    assert item.priority == 0.8 and item.priority_is_manual
    # Saving the restatement with the page as shown leaves the hand-set priority alone.
    response = post_form(client, url + "/edit", {"restatement": "The sea rose 20 cm."}, form_page=url)
    assert response.status_code == 302
    item = _fresh(session, CheckItem, world.ids["item_id"])
    assert item.priority == 0.8 and item.priority_is_manual and item.restatement == "The sea rose 20 cm."


# --- 3. no majority on a panel ----------------------------------------------------------------------


def test_a_panel_without_a_majority_shows_it_and_an_editor_casts_the_deciding_vote(database, session_factory, session):
    app = make_test_app(database, session_factory, REVIEW_MODE="panel", PANEL_SIZE=3)
    client = app.test_client()
    checker, editor = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, item, checker)
    from factcheck.domain.workflow import Policy, ReviewMode

    panel = Policy(review_mode=ReviewMode.PANEL)
    svc.propose_verdict(session, item.id, checker, rating_key="half-true", summary="Partly.", rationale="Mixed.",
                        policy=panel)
    for rating in ("true", "false", "mostly-false"):
        svc.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                            rating_key=rating, policy=panel)
    session.flush()
    sign_in(client, editor.email)
    url = f"/items/{item.id}"
    page = _html(client.get(url))
    assert "No majority." in page and 'id="decide-form"' in page
    response = post_form(client, url + "/decide", {"rating": "false", "comment": "The records settle it."},
                         form_page=url)
    assert response.status_code == 302, _html(response)
    session.expire_all()
    item = session.get(CheckItem, item.id)
    assert item.status is Status.PUBLISHED and item.current_verdict.final_rating.key == "false"
    assert "cast the deciding vote for" in _html(client.get(url))


# --- smaller ones -----------------------------------------------------------------------------------


def test_the_rating_choices_say_which_ratings_publish_no_claimreview_before_proposing(client, world, session):
    checker = world.users["checker"]
    item = _fresh(session, CheckItem, world.ids["item_id"])
    gen_evidence(session, item, checker)
    signed_in(client, world, "checker")
    page = BeautifulSoup(_html(client.get(f"/items/{item.id}")), "html.parser")
    options = {o["value"]: o.get_text() for o in page.select("#verdict-form select[name=rating] option")}
    assert options["unverifiable"] == "Unverifiable (published without ClaimReview markup)"
    assert options["false"] == "False"
