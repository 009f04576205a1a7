"""A merge asks first: the editor sees exactly what will move to the kept source, and nothing moves
until they confirm. A refused merge is refused at the first step, with nothing changed."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.domain.workflow import Role, SourceKind, Status
from factcheck.models import AuditEvent, Source
from tests.factories import gen_item_in, gen_source, gen_user
from tests.helpers import post_form, sign_in


def _moves(html: str) -> list[str]:
    block = re.search(r'<ul id="merge-moves">(.*?)</ul>', html, re.S)
    assert block, "the confirmation page lists no moves"
    return [" ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def test_the_first_step_lists_what_moves_and_changes_nothing(client, session):
    editor = gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")  # its claimant is its one chain link
    duplicate = item.claimant
    kept = gen_source(session, "A Kept Outlet", SourceKind.OUTLET)
    session.flush()
    sign_in(client, editor.email)
    events_before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))

    response = post_form(client, f"/sources/{duplicate.id}/merge", {"into": "A Kept Outlet"},
                         form_page=f"/sources/{duplicate.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    moves = _moves(html)
    assert moves[0] == f"1 name: {duplicate.name}"
    assert "1 place in attribution chains" in moves
    assert "1 check item as claimant" in moves
    assert "0 pieces of evidence" in moves and "0 articles as outlet" in moves
    assert "1 published verdict counted again in one record" in moves
    assert f'value="#{kept.id}"' in html and 'name="confirm" type="hidden" value="yes"' in html

    session.expire_all()
    assert session.get(Source, duplicate.id).merged_into_id is None
    assert session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == events_before

    response = post_form(client, f"/sources/{duplicate.id}/merge", {"into": f"#{kept.id}", "confirm": "yes"},
                         form_page=f"/sources/{duplicate.id}")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Source, duplicate.id).merged_into_id == kept.id


def test_a_merge_refused_at_the_first_step_shows_the_reason_on_the_source_page(client, session):
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session, "A Lone Official")
    sign_in(client, editor.email)
    response = post_form(client, f"/sources/{source.id}/merge", {"into": f"#{source.id}"},
                         form_page=f"/sources/{source.id}")
    assert response.status_code == 422
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert 'id="merge-moves"' not in response.get_data(as_text=True)
