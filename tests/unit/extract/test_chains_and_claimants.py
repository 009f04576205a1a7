"""Relays, claimants through coreference, claims named inside denials and captions (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract
from factcheck.domain.extract.boilerplate import is_caption, is_credit_line
from factcheck.domain.extract.coref import clean_name


def chains(text: str) -> list[list[tuple[str, str]]]:
    return [[(link.name, link.role) for link in a.chain] for a in extract(text).assertions if a.chain]


def claimants(text: str) -> list[str | None]:
    return [a.claimant.name if a.claimant else None for a in extract(text).assertions]


# --- Relays ------------------------------------------------------------------------------------

def test_a_piece_in_an_outlet_is_a_relay_and_goes_on_with_the_speakers_next_report():
    text = ('In a Wall Street Journal essay last week, Jane Roe acknowledged the problem. '
            '"The number of households has doubled," she wrote, "and most of them are poor."')
    assert chains(text) == [[("Jane Roe", "acknowledged"), ("The Wall Street Journal", "reported")],
                            [("Jane Roe", "wrote"), ("The Wall Street Journal", "reported")]]


def test_a_carried_relay_stops_at_the_paragraph_and_at_another_speaker():
    text = ("In a CNN interview, Jane Roe said the plant would close.\n\n"
            '"It is over," she said.')
    assert chains(text) == [[("Jane Roe", "said"), ("CNN", "reported")], [("Jane Roe", "said")]]
    other = "In a CNN interview, Jane Roe said the plant would close. John Doe said the plant would stay open."
    assert chains(other)[1] == [("John Doe", "said")]


def test_a_speakers_appearance_on_an_outlet_names_the_outlet():
    text = "Critics seized upon Mr. Lowe's RT appearance, in which he said the vote had been rigged."
    assert chains(text) == [[("Lowe", "said"), ("RT", "reported")]]


def test_as_someone_put_it_in_a_statement_to_a_reporter_names_both():
    text = ("As Ms. Roe put it in a statement to my colleague John M. Doe in July, the channel is "
            '"providing a perspective you will not get elsewhere."')
    result = extract(text).assertions
    assert chains(text) == [[("Roe", "said"), ("John M. Doe", "interviewed")]]
    assert text[result[0].content_start:result[0].content_end].startswith("the channel is")


def test_as_someone_said_closing_a_sentence_credits_the_words_before():
    assert chains("The bridge is unsafe for trucks, as the mayor put it.") == [[("mayor", "said")]]
    assert chains("As prices rose, the bridge became unsafe for trucks and buses.") == []
    assert chains("As the mayor said it would, the bridge closed to all traffic.") == []


def test_a_speaker_quoting_someone_inside_a_quotation_puts_the_quoted_one_first():
    text = ("Mr. Lowe met a group of historians after the vote. Jane Roe, a historian who attended the session, "
            "recalled, \"Out of nowhere, he said, 'If we don't act on the climate, all bets are off.'\"")
    assert chains(text) == [[("Lowe", "said"), ("Jane Roe", "recalled")]]


def test_a_date_is_no_antecedent_for_he():
    text = ("But soon after Election Day, Mr. Lowe interrupted the meeting. Jane Roe recalled, "
            "\"Out of nowhere, he said, 'The plan is dead.'\"")
    assert chains(text)[0][0] == ("Lowe", "said")


# --- Claimants through coreference ------------------------------------------------------------

def test_the_network_means_the_broadcaster_named_before_not_the_newspaper():
    text = ("The New York Times reported that RT had rebuked its host. "
            "The network said it would send the host to the region for a better understanding.")
    assert claimants(text) == ["The New York Times", "RT"]


def test_the_newspaper_means_a_paper_not_a_broadcaster():
    text = ("CNN aired the interview on Monday night. The Boston Globe reported that the deal was off. "
            "CNN repeated the claim later. The newspaper said it stood by its reporting on the deal.")
    assert claimants(text)[-1] == "The Boston Globe"


def test_an_indefinite_description_before_the_name_is_the_one_person_with_that_title():
    text = ("A New York judge has rejected a request to unseal the divorce file of a developer. "
            "Manhattan Supreme Court Justice Frank Nervo said the courts have no business deciding it.")
    assert claimants(text) == ["Frank Nervo", "Frank Nervo"]


def test_a_word_near_a_name_is_no_title_of_it():
    # "The judge agreed with Jane Roe": Jane Roe is no judge, so "the judge" is not her.
    text = ("Justice Frank Nervo heard the case. The judge agreed with Jane Roe that the file should stay sealed. "
            "The judge added that the court would not intrude.")
    assert claimants(text)[-1] == "Frank Nervo"


def test_a_relative_of_the_other_sex_is_the_nearest_person_of_that_sex():
    text = ("Ivana Roe filed her papers with the court on Friday. Mr. Lowe objected to the motion. "
            "His ex-wife agreed that the files should stay sealed.")
    assert claimants(text)[-1] == "Ivana Roe"


def test_a_role_for_a_body_is_that_role_unless_it_speaks_for_the_body():
    assert clean_name("A reporter for USA Today") == ("reporter for USA Today", ())
    assert clean_name("an analyst at Goldman Sachs") == ("analyst at Goldman Sachs", ())
    assert clean_name("A spokesman for the Defence Ministry")[0] == "Defence Ministry"
    assert claimants("A reporter for USA Today said the crowd was small.") == ["reporter for USA Today"]


def test_someone_at_a_body_is_that_someone():
    assert claimants("Jane Roe at the Brookings Institution said taxes would rise next year.") == ["Jane Roe"]
    assert claimants("The Tax Policy Center at the Urban Institute estimates that the plan would raise taxes.") == [
        "Tax Policy Center"]


def test_an_unresolved_ministry_keeps_its_kind():
    result = extract("The ministry said the talks had failed.").assertions
    assert (result[0].claimant.name, result[0].claimant.kind) == ("ministry", "government")


# --- Claims named inside denials ---------------------------------------------------------------

def test_denied_speculation_gives_the_speculation_its_own_item_linked_from_the_denial():
    result = extract("The Kremlin has denied speculation that the president is ill.").assertions
    assert [(a.text, a.claimant.name, a.claimant.kind) for a in result] == [
        ("The Kremlin has denied speculation that", "Kremlin", "government"),
        ("the president is ill.", "speculation", "unnamed")]
    assert [(r.type, r.target) for r in result[0].relations] == [("denies", result[1].id)]


def test_reports_by_someone_denied_are_that_someones_claim():
    result = extract("The ministry flatly denied reports by Interfax that troops had crossed the border.").assertions
    assert [a.claimant.name for a in result] == ["ministry", "Interfax"]
    assert [link.name for link in result[1].chain] == ["Interfax"]  # the denier passes nothing on
    assert result[0].end <= result[1].start
    assert [(r.type, r.target) for r in result[0].relations] == [("denies", result[1].id)]


def test_a_claim_later_denied_by_someone_is_the_claimants_item_before_the_denial():
    result = extract("The union's claim that wages fell was later denied by the company.").assertions
    assert [(a.text, a.claimant.name) for a in result] == [
        ("The union's claim that wages fell", "union"), ("was later denied by the company.", "company")]
    assert [(r.type, r.target) for r in result[1].relations] == [("denies", result[0].id)]


def test_confirmed_reports_are_supported():
    result = extract("The company confirmed reports that the plant would close in May.").assertions
    assert [a.claimant.name for a in result] == ["company", "reports"]
    assert [(r.type, r.target) for r in result[0].relations] == [("supports", result[1].id)]


def test_reports_in_an_adverbial_are_a_claim_beside_the_main_report():
    result = extract("Amid reports that the plant would close, the company said it was hiring.").assertions
    assert [a.claimant.name for a in result] == ["reports", "company"]
    assert result[0].end <= result[1].start
    assert all(not a.relations for a in result)


def test_a_claim_named_by_a_possessive_pronoun_or_after_the_clause_subject():
    assert claimants("Mr. Lowe repeated his claim that the vote was rigged.") == ["Lowe"]
    assert claimants("Democrats also persisted in arguments that the panel is trying to second-guess the FBI.") == [
        "Democrats"]


# --- Reports the lexicon reads --------------------------------------------------------------

def test_a_progressive_report_has_the_subject_before_the_auxiliary():
    assert chains("Jane Roe is warning voters that the plan would raise their taxes.") == [[("Jane Roe", "warned")]]
    assert chains("But the attorney general isn't saying if the foundation broke any laws.") == [
        [("attorney general", "said")]]
    assert chains("The workers are talking loudly in the hall.") == []


def test_the_content_resumes_after_a_short_adjunct():
    text = "The middle fifth paid 8.9 percent, the agency said in a June report, and the top fifth paid more."
    result = extract(text).assertions
    assert text[result[0].content_start:result[0].content_end].endswith("the top fifth paid more")


# --- Captions ----------------------------------------------------------------------------------

def test_a_present_tense_caption_after_a_credit_line_is_dropped():
    text = ("The film opens on Friday in twelve cities, the studio said.\n\nNetflix.\n\n"
            "An activist talks to the director about the prisons in the film.\n\n"
            "The director said the film took three years to make.")
    result = extract(text)
    assert [d.text for d in result.dropped] == ["Netflix.", "An activist talks to the director about the prisons in the film."]
    assert all("activist" not in a.text for a in result.assertions)


def test_a_caption_needs_the_credit_line_before_it():
    assert is_caption("The mayor speaks during a rally in Ohio.")
    assert not is_caption("The mayor speaks often. She said the bridge would close.")
    assert is_credit_line("Netflix.") and not is_credit_line("The mayor said the bridge would close next week.")
    text = "The mayor opened the bridge.\n\nThe mayor speaks to reporters about the bridge every week."
    assert extract(text).dropped == ()


def test_a_coordinated_report_keeps_a_described_subject():
    assert claimants("A reporter for USA Today spotted the candidate and reported her presence on Twitter.") == [
        "reporter for USA Today"]


def test_a_result_clause_after_tells_is_no_report():
    text = "Mook further asserted that Trump tells so many lies that Clinton could lose her message."
    assert claimants(text) == ["Mook"]


def test_a_poll_released_on_a_day_is_the_source_not_the_day():
    text = "The latest opinion poll released Friday shows that the senator leads by five points."
    assert claimants(text) == ["latest opinion poll"]


def test_plain_forms_of_reporting_verbs_need_that():
    assert claimants("Democrats warn that the plan would raise taxes for most families.") == ["Democrats"]
    assert all(a.claimant is None for a in extract("The workers warn the neighbours about the noise.").assertions)


def test_speaker_labels_open_a_turn_even_with_other_verbs_in_it():
    text = '"MODERATOR: Will she be there?\n\n"CANDIDATE: Well, look, the senator has been out there saying tough things.'
    assert [a.claimant.name for a in extract(text).assertions if a.claimant][-1] == "CANDIDATE"


def test_a_short_lead_is_content_when_the_sentence_ends_or_goes_on_after_the_verb():
    assert claimants("People like Scott, he said.") == ["unidentified speaker"]
    text = "The museum, Mr. Lowe said, would make visitors face the past."
    result = extract(text).assertions
    assert result[0].claimant.name == "Lowe" and text[result[0].content_start:].startswith("The museum")


def test_third_person_forms_and_verbs_after_to_report():
    assert claimants("But Mr. Lowe claims that he should be the exception.") == ["Lowe"]
    assert claimants("The senator continues to insist that the plan works.") == ["senator"]


def test_a_document_heading_a_long_subject_shows_and_a_time_may_sit_before_the_verb():
    text = "The average of polls taken over the past two weeks shows the senator leading by three points."
    assert claimants(text) == ["average of polls"]
    assert claimants("Instant polls showed the senator was the winner of the debate.") == ["Instant polls"]
    text = "Jane Roe met the leader, Mr. Lowe, who in 2010 said the most important goal was to win."
    assert claimants(text)[-1] == "Lowe"


def test_a_verb_of_thought_takes_a_clause_without_that_only_when_a_finite_verb_follows():
    assert claimants("Mr. Lowe believes his efforts will be the most consequential of his tenure.") == ["Lowe"]
    assert all(a.claimant is None for a in extract("Mr. Lowe believes his own press releases.").assertions)
    assert claimants("Twenty-seven states and industry groups are challenging the agency's rules.") == [
        "industry groups"]


def test_a_study_by_someone_is_theirs_and_a_body_named_after_a_person_is_no_person():
    assert claimants("A 2014 study by Loyola Law School professor Jane Roe found 31 incidents of fraud.") == ["Jane Roe"]
    assert extract("The Obama administration said the veto would stand.").assertions[0].claimant.kind == "government"


def test_a_date_like_number_may_describe_a_speaker_after_the_verb():
    text = '"The rationales do not hold weight," said 9/11 widow Jane Roe.'
    assert claimants(text) == ["Jane Roe"]


def test_a_headline_whose_subject_reports_is_attributed_in_title_case_too():
    text = "Jane Roe Calls The Plan 'A Disgrace' Over Police Comments\n\nThe plan was announced on Monday."
    assert claimants(text)[0] == "Jane Roe"
    assert claimants("Former party chairman calls for a contingency plan\n\nThe party met.")[0] == "Former party chairman"
    headline = "A lesson from the attorney general: be the voice of the people.\n\nThe speech was short."
    assert all(a.claimant is None for a in extract(headline).assertions)


def test_it_goes_on_with_the_body_that_spoke_not_the_relay_named_after_it():
    text = ("The ministry said in a statement carried by the agency that the talks had failed. "
            "It added that a new round would start in May.")
    assert chains(text) == [[("ministry", "said"), ("agency", "reported")], [("ministry", "added"), ("agency", "reported")]]


def test_he_resolves_to_the_person_named_before_never_to_the_outlet():
    text = ("KYIV, Feb 15 (Reuters) - Defence Minister Rustem Umerov met his counterpart on Monday. "
            "Interfax reported the talks lasted four hours. He allegedly told the agency that the deal was close.")
    assert chains(text)[-1] == [("Rustem Umerov", "told"), ("Interfax", "reported")]
