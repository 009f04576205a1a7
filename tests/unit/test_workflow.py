"""The lifecycle table and its guards, without a database."""

from __future__ import annotations

import pytest

from factcheck.domain import workflow as wf
from factcheck.domain.workflow import Action, Policy, ReviewMode, Role, Status

ALL_ROLES = frozenset(Role)

# (action, from, to, a role that may do it) — DESIGN §2, row by row.
TABLE = [
    (Action.TAKE, Status.CLAIM, Status.EVIDENCE, Role.CHECKER),
    (Action.DISMISS, Status.CLAIM, Status.DISMISSED, Role.CHECKER),
    (Action.DISMISS, Status.EVIDENCE, Status.DISMISSED, Role.EDITOR),
    (Action.RESTORE, Status.DISMISSED, Status.CLAIM, Role.EDITOR),
    (Action.PROPOSE, Status.EVIDENCE, Status.VERDICT, Role.CHECKER),
    (Action.VOTE, Status.VERDICT, Status.VERDICT, Role.REVIEWER),
    (Action.RETURN, Status.VERDICT, Status.EVIDENCE, Role.REVIEWER),
    (Action.REOPEN, Status.PUBLISHED, Status.EVIDENCE, Role.EDITOR),
]


@pytest.mark.parametrize(("action", "source", "target", "role"), TABLE)
def test_each_row_of_the_table_moves_the_item_to_its_target(action, source, target, role):
    assert wf.resolve(action, source, {role}).target is target


def test_publish_is_fired_by_the_policy_and_needs_no_role():
    assert wf.resolve(Action.PUBLISH, Status.VERDICT, set()).target is Status.PUBLISHED


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_an_action_from_a_status_not_in_its_row_is_refused_with_the_status_named(action, status):
    if status in wf.transition_for(action).sources:
        return
    with pytest.raises(wf.ActionNotAllowed, match=f"This item is in {status.value}"):
        wf.resolve(action, status, ALL_ROLES)


@pytest.mark.parametrize(("action", "source", "target", "role"), TABLE)
def test_a_user_without_the_rows_role_is_refused(action, source, target, role):
    others = {r for r in Role if r not in wf.transition_for(action).roles}
    with pytest.raises(wf.RoleRequired, match="Only a"):
        wf.resolve(action, source, others)


def test_allowed_actions_lists_only_what_the_roles_permit_from_the_status():
    assert wf.allowed_actions(Status.CLAIM, {Role.CHECKER}) == [Action.TAKE, Action.DISMISS]
    assert wf.allowed_actions(Status.VERDICT, {Role.REVIEWER}) == [Action.VOTE, Action.RETURN]
    assert wf.allowed_actions(Status.PUBLISHED, {Role.CHECKER, Role.REVIEWER}) == []


def test_a_reviewer_cannot_vote_on_their_own_verdict():
    with pytest.raises(wf.OwnVerdict, match="another reviewer"):
        wf.check_reviewer(7, 7, [])


def test_a_reviewer_votes_only_once():
    with pytest.raises(wf.AlreadyVoted):
        wf.check_reviewer(8, 7, [8])
    wf.check_reviewer(9, 7, [8])


def test_another_checkers_item_is_refused_unless_the_actor_is_an_editor():
    with pytest.raises(wf.NotAssignee):
        wf.check_holder(2, 1, {Role.CHECKER})
    wf.check_holder(2, 1, {Role.EDITOR})
    wf.check_holder(1, 1, {Role.CHECKER})
    wf.check_holder(2, None, {Role.CHECKER})


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_dismissing_needs_a_reason(reason):
    with pytest.raises(wf.ReasonRequired, match="Say why"):
        wf.check_reason(reason)


@pytest.mark.parametrize("comment", [None, "", "\n"])
def test_returning_needs_a_comment(comment):
    with pytest.raises(wf.CommentRequired):
        wf.check_comment(comment)


@pytest.mark.parametrize(("tier", "note", "match"), [
    (None, "note", "correction tier"),
    ("typo", "note", "correction tier"),
    ("correction", " ", "public note"),
])
def test_reopening_needs_a_tier_and_a_note(tier, note, match):
    with pytest.raises(wf.CorrectionRequired, match=match):
        wf.check_correction(tier, note)


def test_a_valid_correction_is_returned_cleaned():
    assert wf.check_correction("rating_change", " New records. ") == (wf.CorrectionTier.RATING_CHANGE, "New records.")


@pytest.mark.parametrize(("rating", "summary", "rationale", "missing"), [
    (None, "s", "r", "a rating"),
    ("false", "", "r", "a summary"),
    ("false", "s", " ", "a rationale"),
    ("", "", "", "a rating, a summary and a rationale"),
])
def test_a_verdict_needs_rating_summary_and_rationale(rating, summary, rationale, missing):
    with pytest.raises(wf.IncompleteVerdict, match=missing):
        wf.check_verdict_fields(rating, summary, rationale)


def _facts(*keys: str, **flags: bool) -> wf.EvidenceFacts:
    return wf.EvidenceFacts(frozenset(keys), **flags)


def _assess(*pieces: wf.EvidenceFacts, claimant=(), chain=()) -> wf.EvidenceAssessment:
    return wf.assess_evidence(list(pieces), claimant_keys=claimant, chain_keys=chain)


def test_the_default_evidence_policy_needs_two_items_from_two_sources():
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 2 from 1"):
        wf.check_evidence(Policy(), _assess(_facts("source:1"), _facts("source:1")))
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 1 from 1"):
        wf.check_evidence(Policy(), _assess(_facts("source:1")))
    assert wf.check_evidence(Policy(), _assess(_facts("source:1"), _facts("source:2"))) == []


def test_the_evidence_policy_is_configurable_and_flags_weak_evidence():
    strict = Policy(min_evidence=3, min_evidence_sources=3)
    facts = [_facts("a"), _facts("b", is_anonymous=True), _facts("c", is_off_record=True)]
    assert wf.check_evidence(strict, _assess(*facts)) == facts[1:]
    with pytest.raises(wf.EvidencePolicyNotMet):
        wf.check_evidence(strict, _assess(*facts[:2]))


def test_a_source_and_its_links_domain_are_one_source():
    # "Bloomberg" with a bloomberg.com link, and a bare bloomberg.com link: one outlet, not two.
    bloomberg = _facts("source:7", "domain:bloomberg.com")
    bare_link = _facts("domain:bloomberg.com")
    assessment = _assess(bloomberg, bare_link)
    assert assessment.independent_sources == 1
    assert [p.standing for p in assessment.pieces] == [wf.Independence.INDEPENDENT, wf.Independence.SAME_SOURCE]
    assert assessment.pieces[1].reason == "same source as piece 1"
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 2 from 1"):
        wf.check_evidence(Policy(), assessment)


def test_sharing_a_key_joins_sources_transitively():
    # a–b share the source, b–c share the domain: all three are one source; d stands alone.
    assessment = _assess(_facts("source:1"), _facts("source:1", "domain:x.org"), _facts("domain:x.org"),
                         _facts("source:2"))
    assert [p.group for p in assessment.pieces] == [1, None, None, 2]
    assert assessment.independent_sources == 2


def test_evidence_from_the_claimant_or_the_chain_is_not_independent():
    assessment = _assess(_facts("source:1"), _facts("domain:rt.com"), _facts("source:3"), _facts("source:4"),
                         claimant=["source:1", "domain:rt.com"], chain=["source:3"])
    assert [p.standing for p in assessment.pieces] == [
        wf.Independence.CLAIMANT, wf.Independence.CLAIMANT, wf.Independence.CHAIN, wf.Independence.INDEPENDENT]
    assert assessment.independent_sources == 1
    assert "claimant" in assessment.pieces[0].reason and "chain" in assessment.pieces[2].reason
    with pytest.raises(wf.EvidencePolicyNotMet, match="has 4 from 1"):
        wf.check_evidence(Policy(), assessment)


def test_a_piece_naming_no_one_counts_as_a_piece_but_not_as_a_source():
    assessment = _assess(_facts(), _facts("source:1"), _facts("source:2"))
    assert assessment.pieces[0].standing is wf.Independence.NO_SOURCE
    assert wf.check_evidence(Policy(min_evidence=3), assessment) == []


def test_one_approval_publishes_by_default_with_the_proposed_rating():
    outcome = wf.tally(Policy(), "false", [None])
    assert outcome.is_reached and outcome.rating == "false"


def test_approve_as_another_rating_changes_the_published_rating():
    assert wf.tally(Policy(), "false", ["mostly-false"]).rating == "mostly-false"


def test_panel_mode_waits_for_the_whole_panel_and_a_strict_majority_wins():
    panel = Policy(review_mode=ReviewMode.PANEL)
    assert not wf.tally(panel, "false", [None, None]).is_reached  # two of three: the third may still vote
    outcome = wf.tally(panel, "false", ["half-true", None, "half-true"])
    assert outcome.is_reached and outcome.rating == "half-true" and not outcome.no_majority


def test_a_panel_split_three_ways_has_no_majority_and_publishes_nothing():
    panel = Policy(review_mode=ReviewMode.PANEL)
    # Proposed Half True; the panel votes True, False, Mostly False: nobody agrees.
    outcome = wf.tally(panel, "half-true", ["true", "false", "mostly-false"])
    assert not outcome.is_reached and outcome.rating is None and outcome.no_majority
    # Half of an even panel is no strict majority either.
    four = Policy(review_mode=ReviewMode.PANEL, panel_size=4)
    assert wf.tally(four, "false", [None, None, "true", "true"]).no_majority
    assert wf.tally(four, "false", [None, None, None, "true"]).rating == "false"


def test_a_deadlocked_panel_takes_no_more_reviewer_votes_and_only_an_editor_decides():
    panel = Policy(review_mode=ReviewMode.PANEL)
    deadlocked = wf.tally(panel, "half-true", ["true", "false", "mostly-false"])
    with pytest.raises(wf.PanelDeadlocked):
        wf.check_panel_open(deadlocked)
    with pytest.raises(wf.RoleRequired):
        wf.check_deciding_vote(9, {Role.REVIEWER}, 1, [2, 3, 4], deadlocked)
    with pytest.raises(wf.OwnVerdict):
        wf.check_deciding_vote(1, {Role.EDITOR}, 1, [2, 3, 4], deadlocked)
    with pytest.raises(wf.AlreadyVoted):
        wf.check_deciding_vote(2, {Role.EDITOR, Role.REVIEWER}, 1, [2, 3, 4], deadlocked)
    with pytest.raises(wf.NoDecisionNeeded):
        wf.check_deciding_vote(9, {Role.EDITOR}, 1, [2, 3], wf.tally(panel, "false", [None, None]))
    wf.check_deciding_vote(9, {Role.EDITOR}, 1, [2, 3, 4], deadlocked)


def test_refusals_name_roles_with_the_right_article():
    with pytest.raises(wf.RoleRequired, match="^Only an editor can restore"):
        wf.resolve(Action.RESTORE, Status.DISMISSED, {Role.CHECKER})
    with pytest.raises(wf.RoleRequired, match="^Only a checker or an editor can dismiss"):
        wf.resolve(Action.DISMISS, Status.CLAIM, {Role.REVIEWER})


def test_a_stale_version_is_refused_with_the_current_version():
    with pytest.raises(wf.StaleEdit) as info:
        wf.check_version(3, 4)
    assert info.value.current_version == 4
    wf.check_version(None, 4)
    wf.check_version(4, 4)
    with pytest.raises(wf.StaleEdit, match="changed this source"):
        wf.check_version(1, 2, "source")


def test_replaying_a_valid_trail_gives_the_final_status():
    trail = [("create", None, "claim"), ("take", "claim", "evidence"), ("propose", "evidence", "verdict"),
             ("vote", None, None), ("return", "verdict", "evidence"), ("edit", None, None),
             ("propose", "evidence", "verdict"), ("publish", "verdict", "published"),
             ("reopen", "published", "evidence")]
    assert wf.replay(trail) is Status.EVIDENCE


@pytest.mark.parametrize("trail", [
    [("create", None, "claim"), ("propose", "claim", "verdict")],
    [("create", None, "claim"), ("take", "evidence", "verdict")],
    [("take", "claim", "evidence")],
    [("create", None, "claim"), ("create", None, "claim")],
])
def test_replaying_a_trail_with_a_step_outside_the_table_fails(trail):
    with pytest.raises(ValueError):
        wf.replay(trail)


def test_every_workflow_action_is_recorded_under_an_audit_action_of_the_same_name():
    assert {a.value for a in Action} <= {a.value for a in wf.AuditAction}


def test_the_work_order_puts_urgent_then_long_waiting_then_old_items_first():
    import datetime as dt

    early, late = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    items = [(0.2, early, 1), (0.9, late, 4), (0.9, early, 3), (0.9, early, 2)]
    assert sorted(items, key=lambda i: wf.work_order_key(*i)) == [
        (0.9, early, 2), (0.9, early, 3), (0.9, late, 4), (0.2, early, 1)]
    assert [name for name, _ in wf.WORK_ORDER] == ["priority", "status_changed_at", "id"]
