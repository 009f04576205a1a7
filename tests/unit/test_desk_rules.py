"""The desk's rules without a database: who may assign, who a note mentions, what changed since a return."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from factcheck.domain.changes import Snapshot, compare, evidence_piece
from factcheck.domain.notifications import DeliveryMode, MailStep, Person, find_mentions, step_for
from factcheck.domain.permissions import Capability, may_assign, roles_for
from factcheck.domain.workflow import ActionNotAllowed, NotAssignable, Role, RoleRequired, Status


@dataclass(frozen=True)
class Someone:
    id: int
    roles: frozenset[Role]
    is_active: bool = True


@dataclass(frozen=True)
class Item:
    status: Status
    assignee_id: int | None = None


EDITOR = Someone(1, frozenset({Role.EDITOR}))
CHECKER = Someone(2, frozenset({Role.CHECKER}))
OTHER_CHECKER = Someone(3, frozenset({Role.CHECKER}))
REVIEWER = Someone(4, frozenset({Role.REVIEWER}))


def test_only_editors_may_assign_and_any_member_may_write_notes():
    assert roles_for(Capability.ASSIGN) == {Role.EDITOR}
    assert roles_for(Capability.WRITE_NOTES) == set(Role)
    assert isinstance(may_assign(Item(Status.CLAIM), CHECKER, OTHER_CHECKER).refusal, RoleRequired)


@pytest.mark.parametrize(("item", "assignee", "refusal", "words"), [
    (Item(Status.CLAIM), REVIEWER, NotAssignable, "not a checker"),
    (Item(Status.CLAIM), Someone(5, frozenset({Role.CHECKER}), is_active=False), NotAssignable, "disabled"),
    (Item(Status.CLAIM), None, NotAssignable, "Choose a checker"),
    (Item(Status.EVIDENCE, assignee_id=2), CHECKER, NotAssignable, "already holds"),
    (Item(Status.VERDICT, assignee_id=2), OTHER_CHECKER, ActionNotAllowed, "triage (claim) or in evidence"),
    (Item(Status.PUBLISHED, assignee_id=2), OTHER_CHECKER, ActionNotAllowed, "triage (claim) or in evidence"),
])
def test_an_assignment_is_refused_with_the_reason(item, assignee, refusal, words):
    permission = may_assign(item, EDITOR, assignee)
    assert isinstance(permission.refusal, refusal) and words in (permission.reason or "")


def test_an_editor_assigns_from_triage_or_hands_an_item_in_evidence_over():
    assert may_assign(Item(Status.CLAIM), EDITOR, CHECKER).allowed
    assert may_assign(Item(Status.EVIDENCE, assignee_id=2), EDITOR, OTHER_CHECKER).allowed
    assert may_assign(Item(Status.EVIDENCE, assignee_id=2), EDITOR, check_assignee=False).allowed
    assert not may_assign(Item(Status.VERDICT), EDITOR, check_assignee=False).allowed


PEOPLE = [Person(1, "checker@example.org", "Desk Checker"), Person(2, "reviewer@example.org", "Desk Reviewer"),
          Person(3, "editor@example.org", "Desk Editor"), Person(4, "editor2@example.org", "Desk Editor Two"),
          Person(5, "copy.one@example.org", "Copy Desk"), Person(6, "copy.two@example.org", "Copy Desk")]


def _ids(text: str) -> list[int]:
    return [p.id for p in find_mentions(text, PEOPLE).people]


def test_mentions_by_address_and_by_display_name_whatever_the_case():
    assert _ids("Please look, @reviewer@example.org.") == [2]
    assert _ids("@desk checker can you add the port log?") == [1]
    assert _ids("(@Desk Reviewer) and @checker@example.org") == [2, 1]


def test_the_longest_display_name_wins_and_a_name_must_end_where_the_word_ends():
    assert _ids("@Desk Editor Two has the file") == [4]
    assert _ids("@Desk Editor, please") == [3]
    assert _ids("@Desk Editorial board") == []


def test_an_address_in_running_text_is_not_a_mention_and_a_person_is_told_once():
    assert _ids("write to checker@example.org") == []
    assert _ids("@checker@example.org and again @Desk Checker") == [1]


def test_a_name_several_people_share_mentions_nobody_and_is_reported():
    found = find_mentions("@Copy Desk please check, and @copy.two@example.org too", PEOPLE)
    assert [p.id for p in found.people] == [6]
    assert found.ambiguous == ("copy desk",)


def test_each_delivery_mode_sets_the_mail_step():
    assert [step_for(m) for m in DeliveryMode] == [MailStep.MAILED, MailStep.DIGEST, MailStep.SKIPPED]


def _piece(piece_id: int, title: str, **values: object) -> dict[str, object]:
    return evidence_piece(piece_id, {"title": title, "stance": "refutes", **values})


def test_the_diff_since_a_return_names_fields_and_evidence_added_removed_and_edited():
    before = Snapshot("The port closed.", "false", "It is false.",
                      (_piece(1, "Port log"), _piece(2, "Old memo", url="https://a.example.org")))
    after = Snapshot("The port closed in March.", "mostly-false", "It is false.",
                     (_piece(1, "Port log", passage="Open every day."), _piece(3, "Harbour statement")))
    changes = compare(before, after)
    assert [(c.label, c.before, c.after) for c in changes.fields] == [
        ("restatement", "The port closed.", "The port closed in March."), ("rating", "false", "mostly-false")]
    assert [(e.kind, e.evidence_id, e.title) for e in changes.evidence] == [
        ("edited", 1, "Port log"), ("added", 3, "Harbour statement"), ("removed", 2, "Old memo")]
    assert [(f.label, f.before, f.after) for f in changes.evidence[0].fields] == [("passage", None, "Open every day.")]


def test_an_unchanged_resubmission_has_an_empty_diff_and_blank_space_is_no_change():
    snapshot = Snapshot("The port closed.", "false", "It is false.", (_piece(1, "Port log"),))
    assert compare(snapshot, Snapshot("The port closed.  ", "false", "It is false.", (_piece(1, "Port log"),))).is_empty
    assert Snapshot.from_payload(snapshot.as_payload()) == Snapshot(
        "The port closed.", "false", "It is false.", (dict(_piece(1, "Port log")),))
