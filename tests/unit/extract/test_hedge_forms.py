"""More ways news text hedges a claim, each found with its words (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.hedges import HEDGE_LABELS, find_hedge_spans


def hedges(text: str) -> list[list[tuple[str, str]]]:
    return [[(h.label, text[h.start:h.end]) for h in a.hedge_spans] for a in extract(text).assertions]


def labels(text: str) -> set[str]:
    return {label for spans in hedges(text) for label, _ in spans}


def test_a_group_the_article_does_not_name_is_an_anonymous_source():
    assert ("anonymous sources", "advisers to the minister say") in hedges(
        "In recent days, advisers to the minister say, she has grown tired of the budget talks.")[0]
    assert ("anonymous sources", "a senior official said") in hedges(
        "The army will withdraw from the northern bank next week, a senior official said.")[0]
    assert ("anonymous sources", "people familiar with") in hedges(
        "The bank plans to cut 2,000 jobs, according to people familiar with the matter.")[0]


def test_asking_not_to_be_named_and_not_being_authorised_to_speak_are_anonymous_sources():
    text = ("An engineer, who asked not to be named because he was not authorised to speak publicly, "
            "said the dam had cracked.")
    assert "anonymous sources" in labels(text)


def test_active_and_passive_forms_of_not_verified_are_unconfirmed():
    assert "unconfirmed" in labels(
        "The agency said 40 people had died, a figure Reuters could not independently verify.")
    assert "unconfirmed" in labels("The rebels said they had taken the airport, which could not be confirmed.")
    assert "unconfirmed" in labels("Unverified videos showed smoke rising over the port, the broadcaster said.")


def test_the_alleged_and_said_to_have_hedge_like_allegedly_and_reportedly():
    assert ("allegedly", "the alleged") in hedges("Police said the alleged smuggler had crossed the river at night.")[0]
    assert ("reportedly", "is said to have") in hedges(
        "The minister is said to have met the buyer twice in May 2023.")[0]


def test_reports_and_rumours_as_nouns_hedge():
    assert ("reports", "according to local reports") in hedges(
        "The factory closed on Monday, according to local reports, the union said.")[0]
    assert ("rumoured", "rumours that") in hedges("The coach denied rumours that he would leave the club.")[0]


def test_could_in_what_someone_said_hedges_but_not_in_the_words_that_introduce_it():
    assert ("could", "could") in hedges("The governor said the new tax could raise two billion dollars.")[0]
    assert "could" not in labels("The minister, who could not attend, said the port had closed on Friday.")


def test_could_of_past_ability_and_the_articles_own_could_do_not_hedge():
    assert "could" not in labels("The mayor said the water rose so high that residents could not leave their homes "
                                 "before the police could reach them.")
    assert "could" not in labels("The ferry could carry 300 passengers across the bay in under an hour.")


def test_would_hedges_when_conditional_and_not_as_a_reported_future():
    assert ("would", "would") in hedges("The minister said prices would fall if the tax were cut.")[0]
    assert ("would", "would likely") in hedges("The engineer said the bridge would likely close for a year.")[0]
    assert "would" not in labels("The president said Ukraine would not accept territorial concessions.")


def test_every_label_found_has_a_span_inside_the_text_it_hedges():
    text = ("Two officials told the agency that the envoy allegedly met rebels, which could not be verified, "
            "and that talks might resume if the fighting stopped, though he would reportedly refuse.")
    (assertion,) = extract(text).assertions
    assert [h.label for h in assertion.hedge_spans] == list(assertion.hedges)
    assert set(assertion.hedges) >= {"allegedly", "reportedly", "anonymous sources", "might", "would", "unconfirmed"}
    for hedge in assertion.hedge_spans:
        assert assertion.start <= hedge.start < hedge.end <= assertion.end
        assert text[hedge.start:hedge.end].strip()


def test_modals_are_read_only_in_the_content_given():
    text = "The minister, who could not attend, said the port could close."
    content = (text.index("the port"), len(text))
    spans = find_hedge_spans(text, 0, len(text), content)
    assert ("could", content[0] + len("the port "), content[0] + len("the port could")) in spans
    assert all(label != "could" for label, _, _ in find_hedge_spans(text, 0, len(text)))
    assert HEDGE_LABELS.index("could") < HEDGE_LABELS.index("would")


def test_a_disclaimer_sentence_after_a_claim_hedges_that_claim_as_unconfirmed():
    text = ("The rebels said on Sunday that they had taken the airport. "
            "The agency could not independently verify the claim.\n\n"
            "The governor said the roads would reopen on Monday.")
    first, last = extract(text).assertions
    assert [(h.label, text[h.start:h.end]) for h in first.hedge_spans] == [
        ("unconfirmed", "could not independently verify")]
    assert "unconfirmed" not in last.hedges  # the disclaimer is before it, about the claim before


def test_reports_opening_a_sentence_and_the_purported_hedge():
    text = ("The ministry said the talks had failed.\n\n"
            "Reports in Russian media said the general had been arrested, the ministry said. "
            "Reports from the front said the town had fallen, officials said.")
    spans = hedges(text)
    assert ("reports", "Reports in") in spans[1] and ("reports", "Reports from") in spans[2]
    assert ("purportedly", "the purported") in hedges("The ministry said the purported letter was forged.")[0]
    assert "reports" not in labels("Bloomberg reports that the talks failed.")
