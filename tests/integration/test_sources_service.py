"""Sources: merging, editorial priors, and priorities that follow credibility."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.domain.workflow import Decision, Policy, Role, RoleRequired, StaleEdit, Status
from factcheck.models import AuditEvent, CheckItem, Evidence, Source, SourceAlias
from factcheck.services import items as item_service
from factcheck.standings import standing
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.items import LinkInput
from factcheck.services.sources import (
    compute_priority,
    find_source,
    merge_sources,
    refresh_priority,
    set_prior,
)
from tests.factories import gen_evidence, gen_item, gen_item_in, gen_source, gen_user


def test_merging_moves_aliases_records_and_items_and_keeps_the_merged_source(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    merged = item.claimant
    kept = gen_source(session, "Kept Spelling Person")
    evidence = item.evidence[0]
    evidence.source_id = merged.id
    session.flush()
    merged_id, kept_id, item_id, evidence_id = merged.id, kept.id, item.id, evidence.id
    result = merge_sources(session, merged_id, f"#{kept_id}", editor)
    assert result.id == kept_id
    merged = session.get(Source, merged_id)
    assert merged.merged_into_id == kept_id
    assert session.get(CheckItem, item_id).claimant_id == kept_id
    assert [link.source_id for link in session.get(CheckItem, item_id).chain] == [kept_id]
    assert session.get(Evidence, evidence_id).source_id == kept_id
    assert {a.source_id for a in session.scalars(select(SourceAlias).where(
        SourceAlias.source_id.in_([merged_id, kept_id])))} == {kept_id}
    assert standing(session, session.get(Source, kept_id)).counts["claimant"] == {"false": 1}
    assert standing(session, merged).counts["claimant"] == {}
    assert find_source(session, merged.name).id == kept_id  # the old name now finds the kept source
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "merge")).one()
    assert event.entity_id == merged_id and event.payload["into_id"] == kept_id


def test_an_item_naming_both_merged_sources_counts_once(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    checker = gen_user(session, Role.CHECKER)
    a, b = gen_source(session, "Spelling One"), gen_source(session, "Spelling Two")
    item = item_service.create_item(session, claim_text="A claim passed on.", actor=None,
                                    chain=[LinkInput(a, "said"), LinkInput(b, "reported")])
    item_service.take_item(session, item.id, checker)
    gen_evidence(session, item, checker)
    item_service.propose_verdict(session, item.id, checker, rating_key="true", summary="s", rationale="r",
                                 policy=Policy())
    item_service.vote_on_verdict(session, item.id, gen_user(session, Role.REVIEWER), decision=Decision.APPROVE,
                                 policy=Policy())
    assert standing(session, b).counts["relay"] == {"true": 1}
    kept = merge_sources(session, b.id, a.id, editor)
    record = standing(session, kept).counts
    assert record["claimant"] == {"true": 1} and record["relay"] == {}


def test_merging_is_refused_for_checkers_into_itself_and_into_unknown_names(session) -> None:
    checker, editor = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
    source = gen_source(session)
    with pytest.raises(RoleRequired):
        merge_sources(session, source.id, "anything", checker)
    with pytest.raises(InvalidInput):
        merge_sources(session, source.id, source.id, editor)
    with pytest.raises(NotFound):
        merge_sources(session, source.id, "Nobody Known At All", editor)


def test_an_editorial_prior_sets_pseudo_counts_and_is_audited(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session)
    set_prior(session, source.id, editor, mean=0.25, strength=8, note="a record of hoaxes", version=source.version)
    assert (source.prior_alpha, source.prior_beta) == (2.0, 6.0)
    score = standing(session, source).score
    assert score.prior.origin == "editorial" and score.mean == 0.25
    assert session.scalars(select(AuditEvent).where(AuditEvent.entity == "source",
                                                    AuditEvent.action == "edit")).one().payload["prior"]


def test_a_prior_set_against_an_old_version_is_refused(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session)
    old = source.version
    set_prior(session, source.id, editor, mean=0.5, strength=2, version=old)
    with pytest.raises(StaleEdit):
        set_prior(session, source.id, editor, mean=0.9, strength=2, version=old)
    assert source.prior_alpha == 1.0


def test_clearing_the_prior_returns_to_the_default(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    source = gen_source(session)
    set_prior(session, source.id, editor, mean=0.5, strength=2)
    set_prior(session, source.id, editor, mean=None, strength=None)
    assert source.prior_alpha is None and standing(session, source).score.prior.origin == "uniform"


def test_a_claimant_with_false_verdicts_raises_the_priority_of_their_next_claim(session) -> None:
    liar = gen_item_in(session, Status.PUBLISHED, rating="pants-on-fire").claimant
    honest = gen_item_in(session, Status.PUBLISHED, rating="true").claimant
    from_liar = gen_item(session, "Unicorns were seen over the city hall.", claimant=liar)
    from_honest = gen_item(session, "Dragons nested in the harbour crane.", claimant=honest)
    assert compute_priority(session, from_liar) > compute_priority(session, from_honest)


def test_a_new_prior_recomputes_the_open_items_of_the_source_without_bumping_their_version(session) -> None:
    editor = gen_user(session, Role.EDITOR)
    item = gen_item(session, "Unicorns were seen over the city hall.")
    refresh_priority(session, item)
    before, version = item.priority, item.version
    set_prior(session, item.claimant_id, editor, mean=0.05, strength=20)
    session.refresh(item)
    assert item.priority > before and item.version == version


def test_publishing_updates_the_score_from_the_kept_counts(session) -> None:
    item = gen_item_in(session, Status.PUBLISHED, rating="false")
    assert standing(session, item.claimant).score.mean == pytest.approx(1 / 3)
    editor = gen_user(session, Role.EDITOR)
    item_service.reopen_item(session, item.id, editor, tier="rating_change", note="Wrong rating.")
    assert standing(session, item.claimant).score.mean == pytest.approx(0.5)


def test_a_published_false_verdict_raises_the_priority_of_the_claimants_open_items(session) -> None:
    claimant = gen_source(session, "Often Wrong Person")
    waiting = gen_item(session, "Unicorns were seen over the city hall.", claimant=claimant)
    refresh_priority(session, waiting)
    before, version = waiting.priority, waiting.version
    checked = gen_item(session, "Dragons nested in the harbour crane.", claimant=claimant)
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    item_service.take_item(session, checked.id, checker)
    gen_evidence(session, checked, checker)
    item_service.propose_verdict(session, checked.id, checker, rating_key="pants-on-fire", summary="s",
                                 rationale="r", policy=Policy())
    item_service.vote_on_verdict(session, checked.id, reviewer, decision=Decision.APPROVE, policy=Policy())
    session.refresh(waiting)
    assert waiting.priority > before and waiting.version == version
