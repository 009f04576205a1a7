"""Denials and supports linked to the claim they answer, across sentences (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract


def find(result, words: str):
    matches = [a for a in result.assertions if words in a.text]
    assert len(matches) == 1, [a.text for a in result.assertions]
    return matches[0]


def linked(result, answer: str, claim: str, kind: str = "denies") -> bool:
    source, target = find(result, answer), find(result, claim)
    return any(r.type == kind and r.target == target.id for r in source.relations)


def test_a_denial_of_speculation_is_linked_by_the_words_it_shares_with_the_claim():
    text = ("The Daily Courier reported on Monday that the harbour authority plans to sell the northern pier. "
            "The weather stayed mild all week. "
            "The authority has denied speculation that it would sell the northern pier.")
    result = extract(text)
    assert linked(result, "has denied speculation", "plans to sell the northern pier")


def test_a_flat_denial_of_reports_by_a_named_outlet_points_at_that_outlets_claim():
    text = ("The Morning Ledger reported that the mayor had met the contractor in secret. "
            "Opposition councillors said the budget was already overspent. "
            "The mayor flatly denied reports by the Morning Ledger that he had met anyone in secret.")
    result = extract(text)
    assert linked(result, "flatly denied reports by", "met the contractor in secret")
    assert not linked(result, "flatly denied reports by", "budget was already overspent")


def test_a_claim_later_denied_by_someone_points_back_through_the_owner_named():
    text = ("The union said 300 workers would lose their jobs. "
            "The company said its profits had doubled. "
            "The union's claim was later denied by the company's chief executive.")
    result = extract(text)
    assert linked(result, "later denied by", "300 workers would lose their jobs")


def test_there_is_no_truth_in_this_denies_the_claim_before_it():
    text = ("A regional newspaper said the minister had taken a bribe from a builder. "
            "\"There is no truth in this,\" a spokesperson for the minister said.")
    result = extract(text)
    assert linked(result, "There is no truth in this", "had taken a bribe")


def test_a_spokesperson_denying_any_contact_denies_the_claim_of_contact():
    text = ("Two officials told the agency that the envoy had contact with the rebels last month. "
            "A spokesperson for the envoy denied any contact with the rebels.")
    result = extract(text)
    assert linked(result, "denied any contact", "had contact with the rebels")


def test_a_ministry_disputing_a_reported_number_is_linked_to_the_report():
    text = ("The observers' group said 120 civilians were killed in the shelling of the town. "
            "The defence ministry disputed the figure, saying its strikes hit only military targets.")
    result = extract(text)
    assert linked(result, "disputed the figure", "120 civilians were killed")


def test_calling_the_charges_fabricated_denies_them():
    text = ("Former staff members said the director shouted at volunteers. "
            "The director's office called the charges fabricated.")
    result = extract(text)
    assert linked(result, "called the charges fabricated", "shouted at volunteers")


def test_agreeing_with_a_named_speaker_supports_that_speakers_claim():
    text = ("The governor argued that the new road would cut journey times by half. "
            "The transport board said the budget would be published in June. "
            "The mayor agreed with the governor that journey times would fall.")
    result = extract(text)
    assert linked(result, "agreed with the governor", "cut journey times by half", "supports")
    assert not linked(result, "agreed with the governor", "budget would be published", "supports")


def test_a_bare_agreement_supports_the_claim_just_made():
    text = ("The coach said the team needed a new stadium. "
            "The club's owner agreed, but added that money was short.")
    result = extract(text)
    assert linked(result, "owner agreed", "needed a new stadium", "supports")


def test_a_confirmation_of_the_report_supports_it():
    text = ("A local radio station reported that the factory would close in March. "
            "The factory's owner confirmed the report on Tuesday.")
    result = extract(text)
    assert linked(result, "confirmed the report", "factory would close", "supports")


def test_a_speaker_does_not_deny_their_own_claim_and_an_unrelated_rejection_links_nothing():
    text = ("The senator said the tax would raise two billion dollars. "
            "Voters rejected the stadium plan in a referendum last year.")
    result = extract(text)
    assert all(not a.relations for a in result.assertions)


def test_a_negated_verdict_and_a_denial_inside_quoted_words_link_nothing():
    text = ("The columnist wrote that the election had been rigged in three counties. "
            "The senator said, \"I don't think the idea is ridiculous at all.\" "
            "\"Some people will always deny that climate change is real,\" the professor said.")
    result = extract(text)
    assert all(r.type == "repeats" for a in result.assertions for r in a.relations)


def test_a_passive_confirmation_is_no_bare_agreement():
    text = ("The hospital said the patient was stable. "
            "When the diagnosis was confirmed, the family asked for privacy.")
    result = extract(text)
    assert all(not a.relations for a in result.assertions)


def test_no_one_has_ever_told_me_denies_the_claim_it_answers():
    text = ("The tabloid said the singer was paid to attend the charity gala. "
            "\"No one has ever told me I would be paid,\" the singer said.")
    result = extract(text)
    assert linked(result, "No one has ever told me", "paid to attend the charity gala")


def test_the_authority_denying_reports_that_links_to_the_reported_claim():
    text = ("Local media reported that the water authority had poisoned the river with chlorine. "
            "The mayor opened a new school on Friday. "
            "The water authority denied reports that it had poisoned the river.")
    result = extract(text)
    assert linked(result, "denied reports that", "poisoned the river with chlorine")
    assert "reports" in find(result, "denied reports that").hedges


def test_dismissing_those_reports_answers_the_claim_written_with_reports_even_when_it_is_the_speakers():
    text = ("The singer Dana Ruiz told the court that published reports alleged she had hidden her savings abroad. "
            "The court then adjourned until Friday. "
            "Ruiz said she dismissed those reports as gossip.")
    result = extract(text)
    answer, claim = find(result, "dismissed those reports"), find(result, "hidden her savings abroad")
    assert answer.claimant == claim.claimant  # her own words, as the reports gave them
    assert linked(result, "dismissed those reports", "hidden her savings abroad")


def test_those_claims_without_an_earlier_claim_naming_claims_keep_to_claims_by_others():
    text = ("The port authority said the new crane would arrive in May. "
            "The harbour workers said the crane had already been sold. "
            "The port authority rejected those claims.")
    result = extract(text)
    assert linked(result, "rejected those claims", "already been sold")
    assert not linked(result, "rejected those claims", "would arrive in May")
