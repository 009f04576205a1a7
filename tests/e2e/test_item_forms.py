"""The item page builds the forms of the actions it shows, and only those (a WTForm per action costs)."""

from __future__ import annotations

from collections import Counter

import pytest
from bs4 import BeautifulSoup

from factcheck.web import items as item_views
from tests.e2e.conftest import signed_in
from tests.helpers import csrf_token

FORMS = ("ItemTakeForm", "ItemDismissForm", "ItemRestoreForm", "ItemEditForm", "ItemChainForm", "RelationAddForm",
         "EvidenceForm", "VerdictProposeForm", "ItemReopenForm", "VerdictVoteForm", "DecidingVoteForm",
         "ItemAssignForm", "NoteForm")


@pytest.fixture
def built(monkeypatch) -> Counter:
    """How many of each item-page form the request built."""
    counted: Counter = Counter()
    for name in FORMS:
        original = getattr(item_views, name)

        def make(*args, _original=original, _name=name, **kwargs):
            counted[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(item_views, name, make)
    return counted


def _form_actions(response) -> set[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return {form["action"].rsplit("/", 1)[-1] for form in page.select("form[action*='/items/']")}


def test_a_reviewer_opening_an_item_in_evidence_gets_no_form_of_the_holder(client, world, built):
    signed_in(client, world, "reviewer")
    response = client.get(world.url("/items/{item_id}"))
    assert response.status_code == 200
    assert not {"edit", "chain", "relations", "evidence", "propose", "take"} & _form_actions(response)
    assert built["ItemChainForm"] == built["ItemEditForm"] == built["EvidenceForm"] == 0
    assert built["VerdictProposeForm"] == built["VerdictVoteForm"] == built["DecidingVoteForm"] == 0
    assert built["NoteForm"] == 1, "the note form is shown to every reviewer, so it is built"


def test_the_holder_gets_the_forms_of_what_they_may_do_each_built_once(client, world, built):
    signed_in(client, world, "checker")
    response = client.get(world.url("/items/{item_id}"))
    assert {"edit", "chain", "relations", "evidence", "notes"} <= _form_actions(response)
    assert built["ItemEditForm"] == built["ItemChainForm"] == built["EvidenceForm"] == built["RelationAddForm"] == 1
    assert built["ItemTakeForm"] == built["ItemReopenForm"] == built["VerdictVoteForm"] == 0


def test_a_form_sent_back_keeps_its_input_and_the_others_are_built_fresh(client, world, built):
    signed_in(client, world, "checker")
    html = client.get(world.url("/items/{item_id}")).get_data(as_text=True)
    built.clear()
    response = client.post(world.url("/items/{item_id}/notes"), data={"csrf_token": csrf_token(html), "body": " "})
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("#note-form .error") is not None, "the note form came back with its error"
    assert built["NoteForm"] == 1, "the submitted note form is shown; no default one is built beside it"
