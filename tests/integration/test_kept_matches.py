"""What claim matching found for a text is kept under the stamp of the items' texts, and never outlives a change
of any item's claim or restatement (``facts.rank_items``, ``services.term_counts``; SQLite and PostgreSQL)."""

from __future__ import annotations

from factcheck.domain.workflow import Role
from factcheck.facts import rank_items, texts_stamp
from factcheck.interchange.liar import parse_row
from factcheck.services import items as item_service
from factcheck.services.imports import import_liar_rows
from factcheck.services.term_counts import fold_pending_term_counts
from tests.factories import gen_item, gen_user, written_item
from tests.helpers import recorded_statements

HARBOUR = "The harbour authority said the northern pier will close for two years from March."
LIGHTHOUSE = "A lighthouse keeper said the beacon was switched off in 1974 for good."



def _found(session, claim: str) -> tuple[list[int], list[str]]:
    """The ids ``rank_items`` finds for ``claim``, and the statements it sent."""
    with recorded_statements(session.get_bind()) as statements:
        found = [m.item_id for m in rank_items(session, claim, limit=5)]
    return found, list(statements)


def test_a_fold_gives_the_texts_a_new_stamp_and_none_is_given_while_a_text_waits(session) -> None:
    fold_pending_term_counts(session)
    first = texts_stamp(session)
    assert first is not None
    written_item(session, HARBOUR)
    assert texts_stamp(session) is None, "a text waits to be counted"
    fold_pending_term_counts(session)
    second = texts_stamp(session)
    assert second is not None and second != first
    fold_pending_term_counts(session)  # nothing waited: the texts are the same, and so is their stamp
    assert texts_stamp(session) == second


def test_matches_are_found_again_without_ranking_until_a_text_changes(session) -> None:
    harbour = gen_item(session, HARBOUR)
    lighthouse = gen_item(session, LIGHTHOUSE)
    query = "The northern pier of the harbour will close for two years, the authority said."

    found, statements = _found(session, query)
    assert harbour.id in found and lighthouse.id not in found
    assert len(statements) > 1, "the first question is ranked"
    again, statements = _found(session, query)
    assert again == found and len(statements) == 1, "asked again, it is read from what was kept"

    # Another item's text changes (as a direct write would): nothing kept is used while it waits ...
    lighthouse.restatement = "The authority said the harbour's northern pier will close for two years."
    session.flush()
    while_waiting, statements = _found(session, query)
    assert lighthouse.id in while_waiting and len(statements) > 1
    # ... nor once it is counted, under the texts' new stamp.
    fold_pending_term_counts(session)
    after, statements = _found(session, query)
    assert lighthouse.id in after and harbour.id in after and len(statements) > 1
    assert _found(session, query) == (after, statements[:1])


def test_a_new_item_is_found_at_once_after_the_same_question_was_kept(session) -> None:
    gen_item(session, LIGHTHOUSE)
    query = "The harbour's northern pier will close for two years from March."
    assert _found(session, query)[0] == []
    assert len(_found(session, query)[1]) == 1  # kept: no item matches
    harbour = gen_item(session, HARBOUR)
    assert _found(session, query)[0] == [harbour.id]


def test_services_that_write_a_text_count_it_at_once(session) -> None:
    fold_pending_term_counts(session)
    before = texts_stamp(session)
    item = gen_item(session, HARBOUR)  # create_item
    created = texts_stamp(session)
    assert created is not None and created != before

    editor = gen_user(session, Role.EDITOR)
    item_service.edit_item(session, item.id, editor, version=item.version, restatement="The pier closes in March.")
    edited = texts_stamp(session)
    assert edited is not None and edited != created
    item_service.edit_item(session, item.id, editor, version=item.version, hedges=["reportedly"])
    assert texts_stamp(session) == edited, "a change of hedges leaves the texts as they were"

    row = ["1.json", "false", LIGHTHOUSE, "energy", "a-keeper", "", "", "none", "0", "1", "0", "0", "1", "an interview"]
    report = import_liar_rows(session, [parse_row(1, row)], actor=None)
    assert report.imported == 1
    imported = texts_stamp(session)
    assert imported is not None and imported != edited

