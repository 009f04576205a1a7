"""The check-item page through the browser's eyes: real forms, real CSRF tokens, every refusal."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from sqlalchemy import select

from factcheck.domain.workflow import Role, Status
from factcheck.models import AuditEvent, CheckItem, Evidence, ItemRelation
from tests.e2e.conftest import signed_in
from tests.factories import gen_evidence, gen_item, gen_item_in, gen_user
from tests.helpers import csrf_token, post_form, sign_in


def fresh(session, model, key):
    """The row as the app left it (the test's session may hold an older copy)."""
    return session.get(model, key, populate_existing=True)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _alerts(response) -> list[str]:
    return re.findall(r'role="alert">([^<]+)<', _text(response))


def test_the_item_page_shows_the_claim_chain_evidence_and_history(client, world):
    signed_in(client, world, "checker")
    page = _text(client.get(world.url("/items/{item_id}")))
    assert "Claim as written" in page and "The sea level rose by 20 cm since 1900." in page
    assert "Evidence (1 from 1 source)" in page
    assert "<strong>take</strong>" in page  # the history lists the transition


def test_a_checker_sees_why_they_cannot_propose_yet(client, world):
    signed_in(client, world, "checker")
    page = _text(client.get(world.url("/items/{item_id}")))
    # The page gives the reason the service would refuse with: the same rule, the same words.
    assert ("<strong>Propose verdict</strong> — The desk&#39;s policy needs at least 2 pieces of evidence from at "
            "least 2 independent sources; this item has 1 from 1.") in page
    assert 'action="/items/%d/propose"' % world.ids["item_id"] not in page


def test_a_reviewer_sees_no_edit_buttons_and_the_reasons(client, world):
    signed_in(client, world, "reviewer")
    page = _text(client.get(world.url("/items/{item_id}")))
    assert "/edit\"" not in page and "Only checkers and editors can edit check items." in page


def test_a_checker_takes_an_item_from_triage(client, world, session):
    signed_in(client, world, "checker")
    response = post_form(client, world.url("/items/{claim_item_id}/take"), {}, form_page="/triage")
    assert response.status_code == 302
    item = fresh(session, CheckItem, world.ids["claim_item_id"])
    assert item.status is Status.EVIDENCE and item.assignee_id == world.users["checker"].id


def test_taking_an_item_somebody_took_first_is_refused_with_a_reason(client, world, session):
    other = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.CLAIM)
    signed_in(client, world, "checker")
    token = csrf_token(_text(client.get("/triage")))
    version = item.version
    from factcheck.services.items import take_item

    take_item(session, item.id, other)
    response = client.post(f"/items/{item.id}/take", data={"csrf_token": token, "version": version})
    assert response.status_code == 409
    assert "Only items waiting in triage" in _text(response)
    assert fresh(session, CheckItem, item.id).assignee_id == other.id


def test_dismissing_needs_a_reason_and_keeps_the_page(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/dismiss", {"reason": ""}, form_page=url)
    assert response.status_code == 422 and "Say why the item is dismissed." in _text(response)
    response = post_form(client, url + "/dismiss", {"reason": "duplicate of #1"}, form_page=url)
    assert response.status_code == 302
    assert fresh(session, CheckItem, world.ids["item_id"]).status is Status.DISMISSED


def test_similar_earlier_claims_follow_a_restatement_edited_after_the_page_was_seen(client, world, session):
    """What matching found is kept until a text changes: the page seen again after an edit shows the new matches."""
    signed_in(client, world, "checker")
    item = gen_item(session, "A lighthouse keeper said the beacon was switched off in 1974 for good.")
    url = f"/items/{item.id}"
    earlier = f'href="/items/{world.ids["claim_item_id"]}"'
    assert 'class="intake-matches"' not in _text(client.get(url))
    assert 'class="intake-matches"' not in _text(client.get(url))  # seen twice: the second from what was kept
    response = post_form(client, url + "/edit", {"restatement": "The sea level rose by 20 cm since 1900.",
                                                 "hedges": "", "priority": "", "version": item.version}, form_page=url)
    assert response.status_code == 302
    page = _text(client.get(url))
    assert 'class="intake-matches"' in page and earlier in page


def test_editing_the_restatement_and_hedges_is_saved_and_audited(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    item = fresh(session, CheckItem, world.ids["item_id"])
    response = post_form(client, url + "/edit", {"restatement": "Sea level rose 20 cm since 1900",
                                                 "hedges": "allegedly\nreportedly", "priority": "0.3",
                                                 "version": item.version}, form_page=url)
    assert response.status_code == 302
    session.refresh(item)
    assert item.restatement == "Sea level rose 20 cm since 1900" and item.hedges == ["allegedly", "reportedly"]
    assert item.priority == 0.3 and item.priority_is_manual
    last = session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id)
                           .order_by(AuditEvent.id.desc())).first()
    assert last.action == "edit" and "restatement" in last.payload


def test_a_second_save_on_an_old_version_gets_the_conflict_page_with_both_versions(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    item = fresh(session, CheckItem, world.ids["item_id"])
    old_version = item.version
    page = _text(client.get(url))
    # Somebody else (an editor) saves first.
    from factcheck.services.items import edit_item

    edit_item(session, item.id, world.users["editor"], version=old_version, restatement="Their restatement")
    response = client.post(url + "/edit", data={"csrf_token": csrf_token(page), "version": old_version,
                                                "restatement": "My careful restatement", "hedges": ""})
    assert response.status_code == 409
    body = _text(response)
    assert "Somebody else saved first" in body
    assert "Their restatement" in body and "My careful restatement" in body
    session.refresh(item)
    assert item.restatement == "Their restatement"
    # Resubmitting from the conflict page saves over the newer version on purpose.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1)
    assert int(version) == item.version
    again = client.post(url + "/edit", data={"csrf_token": csrf_token(body), "version": version,
                                             "restatement": "My careful restatement", "hedges": ""})
    assert again.status_code == 302
    session.refresh(item)
    assert item.restatement == "My careful restatement"


def test_a_failed_form_keeps_what_was_typed(client, world):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/evidence", {"title": "", "url": "not a link",
                                                     "passage": "A passage I typed", "stance": "refutes"},
                         form_page=url)
    assert response.status_code == 422
    body = _text(response)
    assert "A passage I typed" in body and "Say what the evidence is." in body
    assert "Enter a full link starting with https://." in body


def test_the_chain_is_saved_with_sources_found_or_created_by_name(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    item = fresh(session, CheckItem, world.ids["item_id"])
    response = post_form(client, url + "/chain", {
        "version": item.version,
        "links-0-source": "Vladimir Putin", "links-0-kind": "person", "links-0-verb": "told",
        "links-1-source": "a harbour official", "links-1-kind": "person", "links-1-verb": "stated",
        "links-2-source": "", "links-2-kind": "person", "links-2-verb": "",
        "links-3-source": "Russian media", "links-3-kind": "unnamed", "links-3-verb": "reported",
    }, form_page=url)
    assert response.status_code == 302
    session.refresh(item)
    assert [(link.source.name, link.verb) for link in item.chain] == [
        ("Vladimir Putin", "told"), ("A Harbour Official", "stated"), ("Russian media", "reported")]
    assert item.claimant.name == "Vladimir Putin"
    assert item.chain[1].source.id == world.ids["source_id"]  # found by name, not duplicated


def test_the_source_picker_suggests_sources_as_json(client, world):
    signed_in(client, world, "checker")
    response = client.get("/items/sources/search?q=harb")
    assert response.status_code == 200 and response.is_json
    assert {"id": world.ids["source_id"], "name": "A Harbour Official", "kind": "person"} in response.get_json()
    assert client.get("/items/sources/search?q=").get_json() == []


def test_evidence_is_added_and_edited_with_its_flags(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/evidence", {
        "title": "Kremlin transcript", "url": "https://kremlin.example/t", "passage": "No such offer.",
        "source": "Kremlin press office", "source_kind": "government", "stance": "refutes",
        "is_off_record": "y"}, form_page=url)
    assert response.status_code == 302
    evidence = session.scalars(select(Evidence).where(Evidence.item_id == world.ids["item_id"])
                               .order_by(Evidence.id.desc())).first()
    assert evidence.title == "Kremlin transcript" and evidence.is_off_record and not evidence.is_anonymous
    assert evidence.source.name == "Kremlin press office" and evidence.source.kind.value == "government"
    edit_url = f"/items/evidence/{evidence.id}/edit"
    response = post_form(client, edit_url, {"title": "Kremlin transcript, 14 Feb", "stance": "context",
                                            "version": evidence.version, "source": "Kremlin press office",
                                            "source_kind": "government"})
    assert response.status_code == 302
    session.refresh(evidence)
    assert evidence.title == "Kremlin transcript, 14 Feb" and evidence.stance.value == "context"
    assert not evidence.is_off_record


def test_editing_evidence_on_an_old_version_is_a_conflict(client, world, session):
    signed_in(client, world, "checker")
    evidence = fresh(session, Evidence, world.ids["evidence_id"])
    edit_url = f"/items/evidence/{evidence.id}/edit"
    response = post_form(client, edit_url, {"title": "Mine", "stance": "refutes", "version": evidence.version - 1 or 99})
    assert response.status_code == 409
    assert "The evidence as saved now" in _text(response) and 'value="Mine"' in _text(response)


def test_a_relation_is_recorded_by_item_number(client, world, session):
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/relations", {"type": "denies", "target": "#%d" % world.ids["claim_item_id"]},
                         form_page=url)
    assert response.status_code == 302
    relation = session.scalars(select(ItemRelation).where(ItemRelation.item_id == world.ids["item_id"])).one()
    assert (relation.type.value, relation.target_id) == ("denies", world.ids["claim_item_id"])
    assert "denies</strong>" in _text(client.get(url))
    # A mistyped number is a form error that keeps the input, not a dead end.
    response = post_form(client, url + "/relations", {"type": "supports", "target": "#99999999"}, form_page=url)
    assert response.status_code == 422
    assert "There is no check item #99999999" in _text(response)
    assert 'value="#99999999"' in _text(response) and '<option selected value="supports">' in _text(response)


def test_proposing_a_verdict_sends_the_item_to_the_queue(client, world, session):
    signed_in(client, world, "checker")
    item = fresh(session, CheckItem, world.ids["item_id"])
    gen_evidence(session, item, world.users["checker"], n=1)
    url = world.url("/items/{item_id}")
    response = post_form(client, url + "/propose", {"rating": "false", "summary": "The sea rose less than that.",
                                                    "rationale": "Tide gauges show **15 cm**.",
                                                    "version": item.version}, form_page=url)
    assert response.status_code == 302
    session.refresh(item)
    assert item.status is Status.VERDICT and item.current_verdict.rating.key == "false"
    page = _text(client.get(url))
    assert "<strong>15 cm</strong>" in page


def test_the_claimreview_length_hint_sits_on_the_restatement_and_a_refusal_keeps_input(client, world, session):
    # ClaimReview's claimReviewed is the restatement, so the 75-character counter belongs there.
    item = fresh(session, CheckItem, world.ids["item_id"])
    item.restatement = "A restatement that runs well past the seventy-five characters ClaimReview shows."
    session.flush()
    signed_in(client, world, "checker")
    url = world.url("/items/{item_id}")
    page = BeautifulSoup(_text(client.get(url)), "html.parser")
    counter = page.select_one("[data-restatement-length]")
    assert counter is not None and "too long for ClaimReview" in counter.get_text()
    assert counter.find_previous(["textarea", "input"])["name"] == "restatement"
    assert page.select_one("[data-summary-length]") is None
    summary = "A summary that runs well past the seventy-five characters ClaimReview shows in search."
    response = post_form(client, url + "/propose", {"rating": "false", "summary": summary, "rationale": "Because.",
                                                    "version": item.version}, form_page=url)
    assert response.status_code == 422
    body = _text(response)
    assert "this item has 1 from 1" in body.replace("&#39;", "'")
    assert summary in body


def test_the_rationale_is_rendered_without_scripts(client, world, session):
    item = gen_item_in(session, Status.VERDICT, checker=world.users["checker"])
    from factcheck.models import Verdict

    verdict = session.get(Verdict, item.current_verdict.id)
    verdict.rationale = "<script>alert(1)</script> [x](javascript:alert(1)) **ok**"
    session.flush()
    signed_in(client, world, "checker")
    page = _text(client.get(f"/items/{item.id}"))
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page and "<strong>ok</strong>" in page


def test_an_editor_reopens_a_published_verdict_with_a_note(client, world, session):
    signed_in(client, world, "editor")
    url = world.url("/items/{published_item_id}")
    response = post_form(client, url + "/reopen", {"tier": "correction", "note": "The date was wrong."},
                         form_page=url)
    assert response.status_code == 302
    assert fresh(session, CheckItem, world.ids["published_item_id"]).status is Status.EVIDENCE


def test_a_checker_who_does_not_hold_the_item_is_refused(client, world, session):
    other = gen_user(session, Role.CHECKER)
    sign_in(client, other.email)
    url = world.url("/items/{item_id}")
    page = _text(client.get(url))
    assert "Another checker holds this item" in page
    version = fresh(session, CheckItem, world.ids["item_id"]).version
    response = client.post(url + "/edit", data={"csrf_token": csrf_token(page), "restatement": "mine",
                                                "version": version})
    assert response.status_code == 403
    assert fresh(session, CheckItem, world.ids["item_id"]).restatement is None


def test_my_work_lists_what_i_hold(client, world):
    signed_in(client, world, "checker")
    page = _text(client.get("/my-work"))
    assert "#%d" % world.ids["item_id"] in page and "#%d" % world.ids["verdict_item_id"] in page
    assert "#%d" % world.ids["claim_item_id"] not in page


def test_the_verdict_form_shows_what_would_keep_claimreview_markup_off_the_page(client, session):
    from factcheck.domain.workflow import Role, Status
    from tests.factories import gen_item_in, gen_user

    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.VERDICT, checker=checker, rating="unverifiable")
    sign_in(client, checker.email)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "ClaimReview check" in page
    assert "no ClaimReview markup until these are fixed" in page

    fine = gen_item_in(session, Status.VERDICT, checker=checker, rating="false")
    page = client.get(f"/items/{fine.id}").get_data(as_text=True)
    assert "The verdict meets Google's ClaimReview rules." in page
