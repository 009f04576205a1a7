"""Dismissals of a claim noun with its that-clause ("pooh-poohed the consensus that …") are denials (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.model import Link
from factcheck.domain.extract.relations import Draft, find_relations
from tests.unit.extract.test_relations import linked

SENATOR = (Link("the senator", "person", "dismissed"),)
AGENCIES = (Link("intelligence agencies", "unnamed", "concluded"),)
INVESTIGATORS = (Link("investigators", "unnamed", "said"),)


def _draft(number: int, chain: tuple[Link, ...], text: str, start: int) -> Draft:
    return Draft(str(number), chain, text, text, start=start, end=start + len(text))


def test_dismissing_the_consensus_that_something_happened_denies_the_earlier_claim_of_it():
    text = ("Investigators said a foreign service stole the files from the party servers. "
            "The senator has dismissed the consensus that a foreign service stole the files.")
    assert linked(extract(text), "dismissed the consensus", "stole the files from the party servers")


def test_a_pooh_poohed_consensus_cut_from_the_same_sentence_is_what_is_denied():
    earlier = "Investigators said the party's budget had doubled."
    dismissal = "The senator has pooh-poohed the intelligence agencies' consensus that"
    inner = "a foreign service stole the files."
    article = f"{earlier} {dismissal} {inner}"
    drafts = [_draft(0, INVESTIGATORS, earlier, 0), _draft(1, SENATOR, dismissal, len(earlier) + 1),
              _draft(2, AGENCIES, inner, len(earlier) + len(dismissal) + 2)]
    relations = find_relations(drafts, article)
    assert [(r.type, r.target) for r in relations[1]] == [("denies", "2")]


def test_scoffing_at_or_waving_off_an_assessment_is_a_denial_of_the_claim_before():
    claim = "the new bridge will cost twice the planned sum"
    for answer in ("the mayor scoffed at the assessment that the bridge will cost twice the planned sum",
                   "the mayor waved off the finding that the bridge will cost twice as much"):
        drafts = [Draft("0", INVESTIGATORS, claim, claim), Draft("1", SENATOR, answer, answer)]
        assert [(r.type, r.target) for r in find_relations(drafts)[1]] == [("denies", "0")], answer


def test_waving_off_an_object_that_is_no_claim_noun_denies_the_claim_sharing_its_words():
    claim = "Rebels said the army suffered heavy losses at the northern base."
    other = "Farmers said the harvest was late this year."
    answer = "The general waved off the heavy losses at the northern base."
    drafts = [Draft("0", INVESTIGATORS, "the army suffered heavy losses at the northern base", claim),
              Draft("1", INVESTIGATORS, "the harvest was late this year", other),
              Draft("2", SENATOR, answer, answer)]
    relations = find_relations(drafts)
    assert [(r.type, r.target) for r in relations[2]] == [("denies", "0")]


def test_brushing_aside_reports_by_a_named_outlet_denies_that_outlets_claim():
    text = ("The Courier reported that the mayor had sold the harbour land to a developer. "
            "Residents said the council met twice last week. "
            "The mayor brushed aside reports by the Courier about the harbour land.")
    assert linked(extract(text), "brushed aside reports", "sold the harbour land")
