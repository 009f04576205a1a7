"""A NUL character typed or pasted into any form is refused with the form's errors, never stored and never a
server error (PostgreSQL refuses NUL in text; SQLite would store it)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.models import ApiToken, Evidence, Note
from factcheck.web.forms import NUL_REFUSED
from tests.e2e.conftest import signed_in
from tests.helpers import post_form

SIGNED_OUT = [
    ("/auth/login", {"email": "checker\x00@example.org", "password": "whatever it is"}),
    ("/auth/reset", {"email": "checker\x00@example.org"}),
]


@pytest.mark.parametrize(("path", "data"), SIGNED_OUT)
def test_a_nul_character_before_signing_in_is_a_plain_refusal(app, client, path, data):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: an error page, not a traceback
    response = post_form(client, path, data)
    assert 400 <= response.status_code < 500, response.status_code


DESK = [
    ("/items/{item_id}/notes", {"body": "Called the ministry\x00 back"}, Note),
    ("/items/{item_id}/evidence", {"title": "Transcript\x00", "url": "https://example.org/t", "stance": "supports",
                                   "summary": "What the transcript says."}, Evidence),
    ("/account/tokens", {"name": "cms\x00sync", "scope": "read", "expires_days": "30"}, ApiToken),
]


@pytest.mark.parametrize(("path", "data", "model"), DESK)
def test_a_nul_character_in_a_desk_form_is_refused_and_nothing_is_stored(app, client, world, session, path, data,
                                                                         model):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    signed_in(client, world, "checker")
    item_id = world.ids["item_id"]
    before = session.scalar(select(func.count()).select_from(model))
    response = post_form(client, path.format(item_id=item_id), data, form_page=f"/items/{item_id}")
    assert response.status_code == 422, response.status_code
    assert "holds a NUL character" in response.get_data(as_text=True) and "holds a NUL character" in NUL_REFUSED
    assert session.scalar(select(func.count()).select_from(model)) == before


def test_a_nul_character_in_a_restatement_changes_nothing(app, client, world, session):
    from factcheck.models import CheckItem

    app.config["PROPAGATE_EXCEPTIONS"] = False
    signed_in(client, world, "checker")
    item_id = world.ids["item_id"]
    before = session.get(CheckItem, item_id).restatement
    response = post_form(client, f"/items/{item_id}/edit", {"restatement": "The minister said\x00 so"},
                         form_page=f"/items/{item_id}")
    assert response.status_code == 422, response.status_code
    assert session.get(CheckItem, item_id, populate_existing=True).restatement == before
