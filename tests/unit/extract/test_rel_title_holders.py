"""Who holds a title, and whose claims "the president's claims" are (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.model import Link
from factcheck.domain.extract.relations import Draft, _holder_mentions, _holds_title, _title_holder, find_relations
from tests.unit.extract.test_relations import linked


def test_a_title_holder_ends_at_the_full_stop_after_the_name():
    text = "He met President Putin. The Kremlin said the talks went well."
    assert _holder_mentions(text, "president") == [(7, "Putin")]
    assert _title_holder(text, "president", len(text)) == "Putin"


def test_a_middle_initial_is_part_of_the_holders_name():
    text = "Reporters asked President George W. Bush about the war."
    assert _title_holder(text, "president", len(text)) == "Bush"


def test_a_prime_minister_named_before_a_new_sentence_keeps_the_title():
    text = "The talks were led by Prime Minister Jane Doe. Officials said they ended early."
    assert _title_holder(text, "prime minister", len(text)) == "Doe"


def test_a_title_or_office_counts_only_as_whole_words():
    assert not _holds_title("Alejandro Mayorkas", "mayor", "", 0)
    assert not _holds_title("Stephen King", "king", "", 0)
    assert not _holds_title("Food and Drug Administration", "president", "", 0)
    assert _holds_title("the White House", "president", "", 0)
    assert _holds_title("the mayor's office", "mayor", "", 0)
    assert _holds_title("the prime minister", "prime minister", "", 0)


def test_any_government_or_administration_or_former_holder_is_not_the_holder():
    text = "President Obama said the plan would work."
    assert not _holds_title("the opposition government", "prime minister", text, len(text))
    assert not _holds_title("the Chinese government", "premier", text, len(text))
    assert not _holds_title("the Trump administration", "president", text, len(text))
    assert not _holds_title("the former president", "president", text, len(text))
    assert _holds_title("the Obama administration", "president", text, len(text))


def test_the_presidents_claims_are_not_a_food_and_drug_administration_claim():
    text = ("President Halvorsen said the new dam would double the water supply. "
            "The Food and Drug Administration said the water from the dam was safe to drink. "
            "Farmers rejected the president's claims about the water from the dam.")
    result = extract(text)
    assert linked(result, "rejected the president's claims", "double the water supply")
    assert not linked(result, "rejected the president's claims", "safe to drink")


def test_the_prime_ministers_claims_are_not_a_regional_governments_claim():
    text = ("Prime Minister Arlen Voss said the new tax would fund twelve hospitals. "
            "The regional government said the new tax would fund roads and hospitals. "
            "Union leaders rejected the prime minister's claims about the tax and the hospitals.")
    result = extract(text)
    assert linked(result, "rejected the prime minister's claims", "twelve hospitals")
    assert not linked(result, "rejected the prime minister's claims", "roads and hospitals")


def test_an_office_named_as_a_relay_does_not_make_the_claim_the_title_holders():
    relayed = (Link("a senator", "person", "said"), Link("the White House", "organisation", "told"))
    article = ("President Halvorsen said exports would double. A senator told the White House that the harbour "
               "was unsafe. Fishermen rejected the president's claims about the harbour.")
    first = "President Halvorsen said exports would double."
    second = "A senator told the White House that the harbour was unsafe."
    third = "Fishermen rejected the president's claims about the harbour."
    starts = [article.index(first), article.index(second), article.index(third)]
    drafts = [Draft("0", (Link("Halvorsen", "person", "said"),), "exports would double", first,
                    start=starts[0], end=starts[0] + len(first)),
              Draft("1", relayed, "the harbour was unsafe", second, start=starts[1], end=starts[1] + len(second)),
              Draft("2", (Link("Fishermen", "unnamed", "rejected"),), third, third,
                    start=starts[2], end=starts[2] + len(third))]
    relations = find_relations(drafts, article)
    assert [(r.type, r.target) for r in relations[2]] == [("denies", "0")]


def _presidential_drafts(article: str, rebuttals: int) -> list[Draft]:
    first = "President Halvorsen said exports would double."
    drafts = [Draft("0", (Link("Halvorsen", "person", "said"),), "exports would double", first, start=0, end=len(first))]
    at = len(first) + 1
    for number in range(1, rebuttals + 1):
        text = "Fishermen rejected the president's claims about exports."
        drafts.append(Draft(str(number), (Link("Fishermen", "unnamed", "rejected"),), text, text,
                            start=at, end=at + len(text)))
        at += len(text) + 1
    return drafts


def test_the_title_holders_are_read_once_per_title_for_many_denials(monkeypatch):
    from factcheck.domain.extract import relations

    calls: list[str] = []
    real = relations._holder_mentions

    def counted(article: str, title: str) -> list[tuple[int, str]]:
        calls.append(title)
        return real(article, title)

    monkeypatch.setattr(relations, "_holder_mentions", counted)
    article = "President Halvorsen said exports would double. " + "Fishermen rejected the president's claims about exports. " * 5
    relations_found = find_relations(_presidential_drafts(article, 5), article)
    assert all(("denies", "0") in [(r.type, r.target) for r in found] for found in relations_found[1:])
    assert calls == ["president"]


def test_no_article_text_is_kept_after_relations_are_found():
    import sys

    article = "".join(["President Halvorsen said exports would double. ",
                       "Fishermen rejected the president's claims about exports. ", str(id(object()))])
    drafts = _presidential_drafts(article, 1)
    references = sys.getrefcount(article)
    find_relations(drafts, article)
    assert sys.getrefcount(article) == references
