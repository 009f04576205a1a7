"""The source pages and the intake panel through the web, with real sign-in and CSRF tokens."""

from __future__ import annotations

from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from factcheck.domain.workflow import Role, SourceKind, Status
from factcheck.models import AuditEvent, ItemRelation, Source
from factcheck.queries.intake import intake_for
from factcheck.services.sources import find_source
from tests.factories import gen_item, gen_item_in, gen_source, gen_user
from tests.helpers import csrf_token, post_form, sign_in


def test_the_list_shows_sources_with_their_record_and_interval(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    sign_in(client, checker.email)
    page = client.get("/sources?sort=volume").get_data(as_text=True)
    assert item.claimant.name in page
    assert "1 (1 / 0)" in page  # one published verdict, as claimant
    assert "0.33 [" in page  # Beta(1, 2): mean 1/3


def test_the_list_sorted_by_worst_score_puts_the_false_claimant_first(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    liar = gen_item_in(session, Status.PUBLISHED, rating="pants-on-fire").claimant
    honest = gen_item_in(session, Status.PUBLISHED, rating="true").claimant
    sign_in(client, checker.email)
    page = client.get("/sources?sort=score_asc").get_data(as_text=True)
    assert page.index(liar.name) < page.index(honest.name)
    page = client.get("/sources?sort=score").get_data(as_text=True)
    assert page.index(honest.name) < page.index(liar.name)


def test_the_detail_page_shows_aliases_record_score_bar_and_items(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    sign_in(client, checker.email)
    page = client.get(f"/sources/{item.claimant_id}").get_data(as_text=True)
    assert item.claimant.name in page
    assert "<svg" in page and "score 0.33" in page
    assert f"#{item.id}" in page
    assert "Save prior" not in page  # only editors edit the prior


def test_an_unknown_source_is_a_404_page(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    sign_in(client, checker.email)
    assert client.get("/sources/999999").status_code == 404


def test_an_editor_sets_a_prior_and_a_stale_form_gets_a_conflict_with_its_input_kept(client, session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session, "A Government Spokesperson")
    sign_in(client, editor.email)
    url = f"/sources/{source.id}"
    page = client.get(url).get_data(as_text=True)
    token = csrf_token(page)
    response = client.post(f"{url}/prior", data={"csrf_token": token, "mean": "0.3", "strength": "10",
                                                 "note": "often wrong", "version": str(source.version)})
    assert response.status_code == 302
    session.refresh(source)
    assert (source.prior_alpha, source.prior_beta) == (3.0, 7.0)
    stale = client.post(f"{url}/prior", data={"csrf_token": token, "mean": "0.9", "strength": "4",
                                              "note": "second opinion", "version": "1"})
    assert stale.status_code == 409
    assert "second opinion" in stale.get_data(as_text=True)
    session.refresh(source)
    assert source.prior_alpha == 3.0


def test_a_prior_with_a_mean_but_no_strength_is_a_form_error(client, session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session)
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{source.id}/prior", {"mean": "0.4", "strength": ""},
                         form_page=f"/sources/{source.id}")
    assert response.status_code == 422
    assert "Give both the mean and the strength" in response.get_data(as_text=True)


def test_an_editor_merges_two_sources_and_the_record_moves(client, session) -> None:
    editor = gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    duplicate = item.claimant
    kept = gen_source(session, "Another Spelling Person")
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{duplicate.id}/merge", {"into": f"#{kept.id}"},
                         form_page=f"/sources/{duplicate.id}")
    assert response.status_code == 200  # the confirmation page: nothing has moved yet
    page = response.get_data(as_text=True)
    assert "1 check item as claimant" in page and "1 published verdict counted again" in page
    session.expire_all()
    assert session.get(Source, duplicate.id).merged_into_id is None
    response = post_form(client, f"/sources/{duplicate.id}/merge", {"into": f"#{kept.id}", "confirm": "yes"},
                         form_page=f"/sources/{duplicate.id}")
    assert response.status_code == 302
    page = client.get(f"/sources/{kept.id}").get_data(as_text=True)
    assert duplicate.name in page  # its name is now an alias
    assert "from 1 verdict as claimant" in page


def test_merging_into_an_unknown_name_keeps_the_input_and_changes_nothing(client, session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session)
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{source.id}/merge", {"into": "Nobody Known"},
                         form_page=f"/sources/{source.id}")
    assert response.status_code == 404
    assert "Nobody Known" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Source, source.id).merged_into_id is None


def test_a_checker_may_not_merge(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    source = gen_source(session)
    sign_in(client, checker.email)
    response = post_form(client, f"/sources/{source.id}/merge", {"into": "x"}, form_page=f"/sources/{source.id}")
    assert response.status_code == 403


def test_the_intake_panel_renders_matches_and_records_a_repeat_in_one_click(app, client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    earlier = gen_item_in(session, Status.PUBLISHED, rating="false")
    media = gen_source(session, "Russian media", SourceKind.UNNAMED)
    item = gen_item(session, "Since 1900 the sea level has risen by 20 cm, reportedly.", claimant=media)
    with app.test_request_context():
        login_user(checker)
        html = render_template_string('{% include "items/_intake.html" %}', intake=intake_for(session, item))
    assert "Russian media" in html and f"record: repeats #{earlier.id}" in html and "False" in html
    sign_in(client, checker.email)
    page = client.get("/sources").get_data(as_text=True)
    response = client.post(f"/items/{item.id}/repeats", data={"csrf_token": csrf_token(page),
                                                              "target_id": str(earlier.id)})
    assert response.status_code == 302
    assert session.scalars(select(ItemRelation).where(ItemRelation.item_id == item.id)).one().target_id == earlier.id
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "relate",
                                                    AuditEvent.item_id == item.id)).one()


def test_recording_a_repeat_of_a_missing_item_is_refused_and_a_reviewer_is_refused(client, session) -> None:
    checker = gen_user(session, Role.CHECKER)
    reviewer = gen_user(session, Role.REVIEWER)
    item = gen_item(session)
    sign_in(client, checker.email)
    token = csrf_token(client.get("/sources").get_data(as_text=True))
    assert client.post(f"/items/{item.id}/repeats", data={"csrf_token": token, "target_id": "999999"}).status_code == 422
    assert client.post(f"/items/{item.id}/repeats", data={"csrf_token": token, "target_id": "abc"}).status_code == 422
    client.post("/auth/logout", data={"csrf_token": token})
    sign_in(client, reviewer.email)
    token = csrf_token(client.get("/sources").get_data(as_text=True))
    assert client.post(f"/items/{item.id}/repeats", data={"csrf_token": token,
                                                          "target_id": str(item.id)}).status_code == 403
    assert find_source(session, item.claimant.name) is not None


def test_the_detail_page_lists_each_item_with_the_source_s_role_and_the_published_rating(client, session) -> None:
    from factcheck.services import items as item_service
    from factcheck.services.items import LinkInput

    checker = gen_user(session, Role.CHECKER)
    published = gen_item_in(session, Status.PUBLISHED, rating="false")
    source = published.claimant
    waiting = gen_item(session, "The ferry fares doubled in 2024.", claimant=source)
    relayed = item_service.create_item(session, claim_text="The bridge will close in May.", actor=None,
                                       chain=[LinkInput(gen_source(session), "said"), LinkInput(source, "reported")],
                                       checkworthiness=0.5)
    imported = gen_item_in(session, Status.PUBLISHED, rating="true")
    imported.chain[0].source_id = source.id  # the same source said it; the verdict came from an archive
    imported.claimant_id = source.id
    imported.verdicts[-1].rated_by = "Another Fact-Checker"
    session.flush()
    sign_in(client, checker.email)
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    items = page[page.index('<ul class="source-items">'):]
    items = items[:items.index("</ul>")]
    rows = {int(line.split("#", 1)[1].split("<", 1)[0]): line for line in items.split("<li>")[1:]}
    assert set(rows) == {published.id, waiting.id, relayed.id, imported.id}
    assert list(rows) == sorted(rows, reverse=True)  # newest first
    assert f'href="/items/{published.id}"' in rows[published.id]
    assert "(claimant)" in rows[published.id] and ">False</span>" in rows[published.id]
    assert "rated by" not in rows[published.id]
    assert "(claimant)" in rows[waiting.id] and "chip-claim" in rows[waiting.id] and "rating" not in rows[waiting.id]
    assert "(reported)" in rows[relayed.id] and "chip-claim" in rows[relayed.id]
    assert ">True</span>" in rows[imported.id] and "rated by Another Fact-Checker" in rows[imported.id]
    assert "Items (4)" in page
