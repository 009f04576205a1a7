"""Attributions that news prose words in less common ways: each rule finds its report and no more."""

from __future__ import annotations

from factcheck.domain.extract import extract


def claimed(text: str) -> list[tuple[str, str]]:
    """(claimant, content) of every assertion with a claimant, in text order."""
    return [(a.claimant.name, text[a.content_start:a.content_end])
            for a in extract(text).assertions if a.claimant is not None]


# --- A subject that opens its clause as a longer phrase --------------------------------------

def test_a_subject_with_a_prepositional_phrase_before_said_is_the_speaker():
    text = "Experts on trade and tariffs said the new duties could backfire."
    assert claimed(text) == [("Experts", "the new duties could backfire")]


def test_a_subject_after_an_opening_clause_is_the_speaker():
    text = "Although the council lacks money, elected officials from both towns say the bridge will be rebuilt."
    [(claimant, content)] = claimed(text)
    assert "officials" in claimant and content == "the bridge will be rebuilt"


def test_a_time_phrase_between_a_name_and_its_verb_is_left_out_of_the_speaker():
    text = "Northwind Bank just this month announced it would close four branches."
    assert claimed(text) == [("Northwind Bank", "it would close four branches")]


def test_a_cue_form_used_as_a_noun_before_a_verb_is_no_report():
    assert claimed("Voting rights advocates have filed a new lawsuit in the state court.") == []
    assert claimed("The mayor did not unveil plans to pay for the new stadium.") == []


# --- "that" after an object is a relative pronoun ------------------------------------------------

def test_a_that_after_the_object_of_the_verb_starts_a_relative_clause_not_the_content():
    text = "The senator attacked loopholes that benefit large firms."
    assert claimed(text) == [("senator", "loopholes that benefit large firms")]


def test_a_that_after_an_adjunct_or_a_person_told_still_opens_the_content():
    assert claimed("The mayor said in a statement on Monday that the bridge is safe.")[0][1] == "the bridge is safe"
    assert claimed("The mayor warned residents that the bridge is unsafe.")[0][1] == "the bridge is unsafe"
    assert claimed("The union denied reports that the plant would close.")[-1][1] == "the plant would close"


def test_an_object_ends_where_the_subject_goes_on_with_another_predicate():
    text = "The administration has promised a veto of the measure and attempted to persuade lawmakers to drop it."
    assert claimed(text) == [("administration", "a veto of the measure")]


def test_a_clause_after_a_said_keeps_its_own_second_predicate():
    text = "The mayor said the bridge was closed in May and has stayed closed since."
    assert claimed(text)[0][1] == "the bridge was closed in May and has stayed closed since"


# --- More verbs of speaking and judging -----------------------------------------------------------

def test_verbs_of_judging_report_their_object():
    assert claimed("The governor chastised the agency for its slow response.") == [
        ("governor", "the agency for its slow response")]
    assert claimed("The candidate decried the new tariffs on steel.")[0][0] == "candidate"


def test_a_quotation_credited_with_a_verb_of_manner_of_speaking_is_the_speakers():
    text = '"We will not back down," the mayor quipped.'
    assert claimed(text) == [("mayor", '"We will not back down,"')]


def test_a_verb_of_manner_of_speaking_without_words_reports_nothing():
    assert claimed("The director shouted at volunteers during the rehearsal.") == []


# --- Sentences --------------------------------------------------------------------------------

def test_a_quotation_closed_by_a_full_stop_ends_its_sentence_before_a_new_speaker():
    text = 'Japan called the launch "a grave provocation." Russia insisted that talks resume at once.'
    assert claimed(text)[-1] == ("Russia", "talks resume at once")
    assert len(extract(text).assertions) == 2
