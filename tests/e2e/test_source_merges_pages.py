"""Merging sources through the web: a merge that would go round in a circle is refused in plain words."""

from __future__ import annotations

import threading

from sqlalchemy import select, update

from factcheck.domain.workflow import Role
from factcheck.models import Source
from tests.factories import gen_source, gen_user
from tests.helpers import post_form, sign_in


def _merged_into(session, source_id: int) -> int | None:
    return session.scalar(select(Source.merged_into_id).where(Source.id == source_id))


def test_merging_a_source_back_into_the_one_merged_into_it_is_refused_and_changes_nothing(client, session):
    editor = gen_user(session, Role.EDITOR)
    first, second = gen_source(session, "Regional governor"), gen_source(session, "Ministry spokesperson")
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{first.id}/merge", {"into": f"#{second.id}", "confirm": "yes"},
                         form_page=f"/sources/{first.id}")
    assert response.status_code == 302
    response = post_form(client, f"/sources/{second.id}/merge", {"into": f"#{first.id}"},
                         form_page=f"/sources/{second.id}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "would point at each other" in page and "Traceback" not in page
    assert _merged_into(session, first.id) == second.id and _merged_into(session, second.id) is None


def test_naming_a_source_caught_in_a_circle_of_merges_answers_with_a_conflict_page(client, session):
    editor = gen_user(session, Role.EDITOR)
    first, second = gen_source(session, "Regional governor"), gen_source(session, "Ministry spokesperson")
    third = gen_source(session, "Council chair")
    session.execute(update(Source).where(Source.id == first.id).values(merged_into_id=second.id))
    session.execute(update(Source).where(Source.id == second.id).values(merged_into_id=first.id))
    sign_in(client, editor.email)
    answers: list = []
    request = threading.Thread(daemon=True, target=lambda: answers.append(post_form(
        client, f"/sources/{third.id}/merge", {"into": "Regional governor"}, form_page=f"/sources/{third.id}")))
    request.start()
    request.join(60)
    assert not request.is_alive(), "the request kept following the merges"
    response = answers[0]
    assert response.status_code == 409
    assert "merged into each other in a circle" in response.get_data(as_text=True)
    assert _merged_into(session, third.id) is None
