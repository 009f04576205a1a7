"""The item page's relations, both ways, and the intake panel's "recorded: repeats" read from them."""

from __future__ import annotations

from bs4 import BeautifulSoup

from factcheck.domain.workflow import RelationType, Role
from factcheck.services.relations import add_relation
from tests.factories import gen_item, gen_user
from tests.helpers import sign_in

CLAIM = "The harbour ferry carried forty thousand passengers across the bay last winter."


def test_relations_show_outgoing_then_incoming_and_the_intake_knows_a_recorded_repeat(client, session):
    editor = gen_user(session, Role.EDITOR, Role.CHECKER)
    earlier = gen_item(session, CLAIM)
    other = gen_item(session, "The mayor opened a second bridge over the river in spring.")
    item = gen_item(session, CLAIM)
    later = gen_item(session, "A regional paper says the ferry carried far fewer passengers.")
    add_relation(session, item.id, editor, relation_type=RelationType.SUPPORTS, target_id=other.id)
    add_relation(session, item.id, editor, relation_type=RelationType.REPEATS, target_id=earlier.id)
    add_relation(session, later.id, editor, relation_type=RelationType.DENIES, target_id=item.id)
    session.commit()
    sign_in(client, editor.email)
    page = BeautifulSoup(client.get(f"/items/{item.id}").get_data(as_text=True), "html.parser")
    lines = [" ".join(li.get_text(" ").split()) for li in page.select("#relations ul.relations li")]
    assert [line.split("“")[0].strip() for line in lines] == [
        f"This item supports #{other.id}", f"This item repeats #{earlier.id}", f"Denies by #{later.id}"]
    matches = page.select("ul.intake-matches li")
    assert matches and f"#{earlier.id}" in matches[0].get_text()
    assert f"recorded: repeats #{earlier.id}" in matches[0].get_text()
    assert matches[0].find("form") is None, "a repeat already recorded is not offered again"


def test_an_unrecorded_repeat_is_offered_to_record(client, session):
    editor = gen_user(session, Role.EDITOR, Role.CHECKER)
    earlier = gen_item(session, CLAIM)
    item = gen_item(session, CLAIM)
    add_relation(session, earlier.id, editor, relation_type=RelationType.REPEATS, target_id=item.id)  # the other way
    session.commit()
    sign_in(client, editor.email)
    page = BeautifulSoup(client.get(f"/items/{item.id}").get_data(as_text=True), "html.parser")
    match = page.select_one("ul.intake-matches li")
    assert match is not None and match.find("form") is not None
    assert "recorded: repeats" not in match.get_text()
    assert [" ".join(li.get_text(" ").split()).split("“")[0].strip()
            for li in page.select("#relations ul.relations li")] == [f"Repeats by #{earlier.id}"]
