"""The item page speaks the desk's words: how an item came in, who holds, proposed or checked it, what an edit
changed (an empty value reads "(empty)", never "null"), and a refused form's address reloads as the page."""

from __future__ import annotations

from tests.e2e.conftest import signed_in
from tests.helpers import csrf_token, hidden_fields, post_form


def test_a_refused_forms_address_opened_again_leads_back_to_the_item_page(client, world):
    signed_in(client, world, "checker")
    item = world.url("/items/{item_id}")
    html = client.get(item).get_data(as_text=True)
    refused = client.post(f"{item}/evidence", data={**hidden_fields(html, f"{item}/evidence"),
                                                     "csrf_token": csrf_token(html), "title": ""})
    assert refused.status_code == 422  # the page is shown again under the form's address
    reloaded = client.get(f"{item}/evidence")
    assert reloaded.status_code == 302 and reloaded.location.endswith(item)
    assert client.get(f"{item}/evidence", follow_redirects=True).status_code == 200


def test_a_refused_votes_address_opened_again_leads_back_to_the_review_page(client, world):
    signed_in(client, world, "reviewer")
    reloaded = client.get(world.url("/queue/{verdict_item_id}/vote"))
    assert reloaded.status_code == 302 and reloaded.location.endswith(world.url("/queue/review/{verdict_item_id}"))


def test_an_edit_from_nothing_reads_empty_in_the_history(client, world):
    signed_in(client, world, "checker")
    item = world.url("/items/{item_id}")
    response = post_form(client, f"{item}/edit", {"restatement": "A clearer wording of the claim"}, form_page=item)
    assert response.status_code == 302
    page = client.get(item).get_data(as_text=True)
    assert "restatement: <del>(empty)</del> → <ins>A clearer wording of the claim</ins>" in page
    assert "null" not in page


def test_the_heading_says_who_holds_proposed_or_checked_the_item(client, world):
    signed_in(client, world, "editor")
    checker = world.users["checker"].display_name
    held = client.get(world.url("/items/{item_id}")).get_data(as_text=True)
    proposed = client.get(world.url("/items/{verdict_item_id}")).get_data(as_text=True)
    published = client.get(world.url("/items/{published_item_id}")).get_data(as_text=True)
    assert f"held by {checker}" in held
    assert f"proposed by {checker}, waiting for review" in proposed and "held by" not in proposed
    assert f"checked by {checker}" in published and "held by" not in published
    assert "added by hand" in held and "manual" not in held  # how the world's items came in, in words


def test_the_claimreview_check_shows_a_long_claim_cut_to_fit_until_a_restatement_says_it_whole(client, world, session):
    from factcheck.models import CheckItem

    item = session.get(CheckItem, world.ids["item_id"])
    item.claim_text = ("The harbour authority said on Monday that the port would close to all cargo traffic for two "
                       "full years from the start of March.")
    item.restatement = None
    session.flush()
    signed_in(client, world, "checker")
    page = client.get(world.url("/items/{item_id}")).get_data(as_text=True)
    assert 'id="claim-reviewed-cut"' in page and "The harbour authority said on Monday that the port would close" in page
    assert "…”" in page.split('id="claim-reviewed-cut"')[1]
    item.restatement = "The port closes to cargo for two years from March."
    session.flush()
    page = client.get(world.url("/items/{item_id}")).get_data(as_text=True)
    assert 'id="claim-reviewed-cut"' not in page


def test_a_chain_edit_reads_as_names_and_verbs_in_the_history(client, world):
    signed_in(client, world, "checker")
    item = world.url("/items/{item_id}")
    response = post_form(client, f"{item}/chain", {"links-0-source": "A Harbour Official", "links-0-kind": "person",
                                                    "links-0-verb": "said", "links-1-source": "Coastal Gazette",
                                                    "links-1-kind": "outlet", "links-1-verb": "reported"},
                         form_page=item)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    history = client.get(item).get_data(as_text=True).split('id="history"')[-1]
    assert "A Harbour Official said ▸ Coastal Gazette reported" in history
    assert "[" not in history.split("chain:")[1].split("</div>")[0]


def test_a_dismissed_item_credits_no_one_and_a_published_one_its_verdicts_author(client, world, session):
    from factcheck.domain.workflow import Role, Status
    from factcheck.services.items import dismiss_item
    from tests.factories import gen_item_in, gen_user

    holder = gen_user(session, Role.CHECKER)
    dismissed = gen_item_in(session, Status.EVIDENCE, checker=holder)  # held by a checker …
    dismiss_item(session, dismissed.id, world.users["editor"], "Opinion, not checkable.")  # … dismissed by an editor
    session.flush()
    assert dismissed.assignee_id == holder.id
    signed_in(client, world, "editor")
    page = client.get(f"/items/{dismissed.id}").get_data(as_text=True)
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert "checked by" not in heading and "held by" not in heading
    published = client.get(world.url("/items/{published_item_id}")).get_data(as_text=True)
    assert f"checked by {world.users['checker'].display_name}" in published.split("<h1>")[1].split("</h1>")[0]
