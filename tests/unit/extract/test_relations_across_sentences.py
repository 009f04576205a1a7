"""Denials and confirmations linked across sentences and within one (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.model import Link
from factcheck.domain.extract.relations import Draft, find_relations
from tests.unit.extract.test_relations import find, linked


def stances(result) -> list[tuple[str, str]]:
    return [(a.id, r.type) for a in result.assertions for r in a.relations if r.type != "repeats"]


def test_reports_by_an_outlet_named_by_its_common_noun_point_at_that_outlets_claim():
    text = ("A local newspaper reported that the governor had used state funds to pay for a family holiday. "
            "Opposition members said the budget office was understaffed. "
            "The governor's office flatly denied reports by the newspaper that he had used public money for the trip.")
    result = extract(text)
    assert linked(result, "flatly denied reports by the newspaper", "pay for a family holiday")
    assert not linked(result, "flatly denied reports by the newspaper", "understaffed")


def test_a_short_denial_sharing_one_word_with_a_recent_claim_is_linked():
    text = ("Police said the suspect had confessed to the murder. "
            "A spokesperson for the family denied any confession had been made.")
    assert linked(extract(text), "denied any confession", "had confessed")


def test_a_confirmation_with_its_own_clause_supports_the_claim_it_shares_words_with():
    text = ("Citing unnamed officials, a business daily reported that the central bank would raise interest rates. "
            "The central bank dismissed the report as speculation. "
            "The finance minister later confirmed that rates would rise.")
    result = extract(text)
    assert linked(result, "dismissed the report", "raise interest rates")
    assert linked(result, "later confirmed", "raise interest rates", "supports")


def test_saying_that_was_not_true_denies_the_claim_before_it():
    text = ("The mayor claimed the new bridge would be completed in June. "
            "Engineers working on the project said that was not true, because the steel had not been delivered.")
    assert linked(extract(text), "said that was not true", "completed in June")


def test_a_claim_the_article_reports_without_naming_who_made_it_can_be_denied():
    text = ("Critics of the council also persisted in arguments that the inquiry was a waste of public money. "
            "The council leader said that claim smacked of hypocrisy, because the critics had asked for the inquiry.")
    result = extract(text)
    assert linked(result, "smacked of hypocrisy", "persisted in arguments")


def test_a_denial_of_something_nobody_claimed_links_nothing():
    text = ("The harbour master said the new ferry would start sailing in April. "
            "The city treasurer denied any wrongdoing in the sale of the old town hall.")
    assert stances(extract(text)) == []


def _draft(number: int, chain: tuple[Link, ...], text: str, start: int) -> Draft:
    return Draft(str(number), chain, text, text, start=start, end=start + len(text))


MINISTRY = (Link("the ministry", "government", "denied"),)
PAPER = (Link("the Courier", "outlet", "reported"),)


def test_a_denial_links_to_the_claim_cut_from_its_own_sentence_before_anything_earlier():
    earlier = "The Courier said the plant had closed."
    denial = "The ministry denied reports by the Courier"
    inner = "that the troops had shelled the school."
    article = f"{earlier} {denial} {inner}"
    drafts = [_draft(0, PAPER, earlier, 0), _draft(1, MINISTRY, denial, len(earlier) + 1),
              _draft(2, PAPER, inner, len(earlier) + len(denial) + 2)]
    relations = find_relations(drafts, article)
    assert [(r.type, r.target) for r in relations[1]] == [("denies", "2")]


def test_a_claim_in_the_next_sentence_is_not_the_one_denied():
    first = "The Courier said the troops had shelled the school."
    denial = "The ministry denied that the troops had shelled the school."
    later = "The Courier said the plant had closed."
    article = f"{first} {denial} {later}"
    drafts = [_draft(0, PAPER, first, 0), _draft(1, MINISTRY, denial, len(first) + 1),
              _draft(2, PAPER, later, len(first) + len(denial) + 2)]
    relations = find_relations(drafts, article)
    assert [(r.type, r.target) for r in relations[1]] == [("denies", "0")]


def test_an_anaphoric_denial_answers_the_claim_before_it_even_when_read_as_the_same_speakers():
    # "'There is no truth in this,' the press office told a wire service" with the speaker read
    # wrong as the outlet that made the claim: the claim just before is still what is denied.
    claim = "the plant will close by the end of the year"
    answer = "There is no truth in this"
    drafts = [Draft("0", PAPER, claim, claim), Draft("1", PAPER, answer, answer)]
    assert [(r.type, r.target) for r in find_relations(drafts)[1]] == [("denies", "0")]
    # A denial with its own content does not deny its speaker's own earlier claim.
    own = "denied that the plant will close"
    drafts = [Draft("0", PAPER, claim, claim), Draft("1", PAPER, own, own)]
    assert find_relations(drafts)[1] == ()


def test_the_charges_after_a_run_of_claims_by_one_source_deny_the_first_of_them():
    text = ("The coach bullied young players for years, according to former team members. "
            "They said he mocked players who cried after defeats. "
            "The club's chairman said the accounts were in order. "
            "Former team members also said he made injured players train in the rain. "
            "The coach's lawyer called the charges invented by bitter former employees.")
    result = extract(text)
    assert linked(result, "called the charges", "bullied young players")


def test_a_negated_denial_or_confirmation_takes_no_stance():
    claim = "A weekly magazine reported that troops had crossed the border at night. "
    for answer in ("The defence ministry did not deny the report.",
                   "The defence ministry declined to confirm or deny the report.",
                   "The defence ministry has not publicly confirmed the report.",
                   "The defence ministry neither confirmed nor denied the report."):
        assert stances(extract(claim + answer)) == [], answer
    result = extract(claim + "The defence ministry said that was not its view and denied the report.")
    assert linked(result, "denied the report", "troops had crossed the border")


def test_disputing_a_number_answers_the_nearest_claim_that_gives_one():
    text = ("The regional health office said 45 patients were treated for smoke poisoning on Sunday. "
            "The mayor said the school would reopen on Monday. "
            "The plant's owner disputed the casualty toll, saying its filters had worked.")
    result = extract(text)
    assert linked(result, "disputed the casualty toll", "45 patients")
    assert not linked(result, "disputed the casualty toll", "school would reopen")


def test_a_headline_sharing_only_the_words_of_the_dispute_is_not_the_claim_disputed():
    text = ("Port says it handled 40 ships last week; ministry disputes figure\n\n"
            "The port authority said on Monday that it had handled 40 cargo ships last week.\n\n"
            "The transport ministry disputed the port's figures, saying the cranes were idle for days.")
    assert linked(extract(text), "disputed the port's figures", "handled 40 cargo ships")


def test_there_is_no_truth_in_this_after_a_denial_denies_what_that_denial_denied():
    text = ("A regional newspaper reported that two clerks of the land office had been arrested. "
            "The land office denied any of its clerks had been arrested. "
            "\"There is no truth in this,\" a spokeswoman for the office said.")
    result = extract(text)
    assert linked(result, "There is no truth in this", "two clerks of the land office")
    assert not linked(result, "There is no truth in this", "denied any of its clerks")


def test_no_one_has_ever_inside_a_quotation_after_a_colon_is_a_flat_denial():
    text = ("The county newspaper reported that the council had been offered money for the park. "
            "The council's deputy leader said on Thursday: \"No one has ever offered us money for the park.\"")
    assert linked(extract(text), "No one has ever offered", "offered money for the park")


def test_a_speaker_named_more_fully_is_still_the_same_speaker_but_another_ministry_is_not():
    text = ("The coast guard's spokesman said the ferry was unsafe. "
            "The transport ministry said the ferry would run all winter. "
            "The national transport ministry later said this was not true.")
    assert linked(extract(text), "said this was not true", "ferry was unsafe")
    assert not linked(extract(text), "said this was not true", "run all winter")
    claim = "Ukraine's defence ministry said 45 soldiers were killed in the attack on the village. "
    result = extract(claim + "Russia's defence ministry rejected the claim as fake.")
    assert linked(result, "rejected the claim", "45 soldiers were killed")


def test_a_denial_naming_its_claim_links_to_that_item_and_to_the_earlier_report_of_it():
    text = ("The Morning Ledger reported that the council had sold the northern pier to a developer. "
            "The weather stayed mild all week. "
            "The council flatly denied reports by the Morning Ledger that it had sold the northern pier.")
    result = extract(text)
    denial = next(a for a in result.assertions if "flatly denied" in a.text)
    nested = next(a for a in result.assertions if a.text.startswith("that it had sold") or
                  a.text.startswith("it had sold"))
    earlier = next(a for a in result.assertions if "reported that the council" in a.text)
    targets = {(r.type, r.target) for r in denial.relations}
    assert ("denies", nested.id) in targets
    assert ("denies", earlier.id) in targets
    assert nested.claimant is not None and "Ledger" in nested.claimant.name
