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
    assert claimed("The mayor did not approve plans to pay for the new stadium.") == []


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


# --- Passive reports -----------------------------------------------------------------------------

def test_a_passive_report_without_an_agent_is_credited_to_no_one_named():
    text = "The former treasurer was accused of moving club funds into a private account."
    [(claimant, content)] = claimed(text)
    assert claimant == "unidentified speaker" and content.startswith("The former treasurer")


def test_a_passive_forecast_keeps_its_subject_and_stops_at_the_next_clause():
    text = "The vote is expected to take place before the holiday, but the chair has not set a date."
    assert claimed(text) == [("unidentified speaker", "The vote is expected to take place before the holiday")]


def test_it_was_reported_that_gives_the_clause_after_that():
    text = "It was reported that the factory would close in March."
    assert claimed(text) == [("unidentified speaker", "the factory would close in March")]


def test_a_passive_report_with_an_agent_is_the_agents():
    text = "The surgeon has been called a charlatan by several former colleagues."
    [(claimant, content)] = claimed(text)
    assert "colleagues" in claimant and content.startswith("The surgeon")


def test_a_passive_that_reports_nothing_stays_the_articles_own_voice():
    assert claimed("It was expected to rain all weekend in the valley.") == []
    assert claimed("The bridge was closed for repairs last spring.") == []


# --- Participles, credits and "that" --------------------------------------------------------------

def test_an_ing_reporting_verb_after_by_shares_the_subject_of_its_clause():
    text = "The doctor appeared on television and began by saying he would never diagnose a patient on air."
    assert claimed(text) == [("doctor", "he would never diagnose a patient on air")]


def test_a_credit_followed_by_the_writers_own_clause_keeps_only_the_quotation():
    text = '"He really does care about us," the voter said, and soon the balloons were dropping.'
    assert claimed(text) == [("voter", '"He really does care about us,"')]


def test_a_credit_followed_by_more_quoted_words_keeps_them():
    text = '"I like the mayor," he said, but "on the budget she has been wrong for years."'
    assert claimed(text)[0][1].endswith('she has been wrong for years."')


def test_a_that_followed_by_a_verb_is_the_subject_of_the_content():
    text = "The ministry said that was not its view."
    assert claimed(text) == [("ministry", "that was not its view")]


def test_a_that_after_a_comma_and_a_second_verb_belongs_to_that_verb():
    text = "His former partner agreed, but also argued that the records should stay sealed."
    assert [content for _, content in claimed(text)][-1] == "the records should stay sealed"


# --- Relative clauses and coordinated clauses -------------------------------------------------------

def test_a_report_in_a_relative_clause_is_the_antecedents_and_ends_with_the_clause():
    text = "The governor, who said last week that taxes would rise, changed course on Monday."
    assert claimed(text) == [("governor", "taxes would rise")]


def test_a_new_speaker_after_comma_and_ends_the_first_report():
    text = "The senator praised the bill, and critics said it would raise prices."
    assert claimed(text) == [("senator", "the bill"), ("critics", "it would raise prices")]


def test_a_that_followed_by_a_verb_after_an_adjunct_belongs_to_the_adjuncts_noun():
    text = '"We are in a difficult place," the chancellor told reporters after the meeting that was held on a boat.'
    assert claimed(text) == [("chancellor", '"We are in a difficult place,"')]


# --- Plain forms after "do" ------------------------------------------------------------------------

def test_a_plain_form_after_do_is_a_verb_that_reports():
    text = "The campaign did not immediately respond to requests for comment."
    assert claimed(text) == [("campaign", "to requests for comment")]


def test_a_plain_form_after_will_or_would_is_no_report_yet():
    assert claimed("The council would endorse the plan only after a vote.") == []


def test_it_is_not_that_reports_nothing():
    assert claimed("It is not that the plan failed; the money ran out.") == []


def test_more_nouns_name_a_report_with_its_that_clause():
    text = "The judge's view that courts should not weigh the news value of records was not shared by others."
    [(claimant, content)] = claimed(text)
    assert claimant.startswith("judge") and content.startswith("courts should not weigh")


def test_a_subject_after_an_opening_prepositional_phrase_or_inside_a_subordinate_clause_speaks():
    text = "Along with the dispute over the rolls, the Supreme Court this month rejected a request from the party."
    assert claimed(text) == [("Supreme Court", "a request from the party")]
    text = "The feud may cool now that the Texas senator this week endorsed the nominee."
    assert claimed(text)[0][1] == "the nominee"


def test_a_quoted_title_in_an_opening_phrase_is_not_the_speakers_words():
    text = 'In an interview on "Meet the Voters," the speaker said the budget would pass by June.'
    assert claimed(text) == [("speaker", "the budget would pass by June")]


def test_a_lower_case_possessive_belongs_to_the_speakers_phrase():
    text = "Secrecy is nothing new for this campaign, the candidate's former doctor said."
    [(claimant, content)] = claimed(text)
    assert "doctor" in claimant and content == "Secrecy is nothing new for this campaign"


def test_verbs_of_knowing_and_feeling_report_a_clause():
    assert claimed("As a child I knew this kind of talk was wrong.")[0][1] == "this kind of talk was wrong"
    assert claimed("The mayor understood that a vote would fail.") == [("mayor", "a vote would fail")]


def test_verbs_of_knowing_without_a_clause_report_nothing():
    assert claimed("The mayor knew the road well.") == []
    assert claimed("Well, you know, the council has been busy.") == []


def test_commenting_and_discussing_report_their_object():
    assert claimed("The governor discussed her plan for rural hospitals.") == [
        ("governor", "her plan for rural hospitals")]


def test_verbs_of_seeing_report_only_with_an_as():
    assert claimed("Many voters see the deal as a betrayal of the region.") == [
        ("Many voters", "the deal as a betrayal of the region")]
    assert claimed("The city saw a rise in rents last year.") == []


def test_a_report_made_with_make_and_a_noun_of_speech():
    text = "The council made a strong condemnation of the attack on the clinic."
    assert claimed(text) == [("council", "the attack on the clinic")]
    assert claimed("The senator made the comments during a visit to the port.") == []


def test_a_participle_opening_the_sentence_reports_for_the_subject_after_its_comma():
    text = "Citing a report by the auditors, the mayor ordered a review of the contract."
    assert claimed(text)[0] == ("mayor", "a report by the auditors")
    assert all(content != "for the local paper" for _, content in
               claimed("Writing for the local paper, the mayor noted that the contract was late."))


def test_a_name_followed_by_one_stray_lower_case_word_is_not_read_as_a_subject_phrase():
    assert claimed("Maria costa said the port handled nine thousand ships.") == []


# --- A report named by a noun and its topic, without "that" ---------------------------------------

def test_a_possessive_noun_of_speech_names_a_report_on_its_topic():
    text = "The governor's remarks on the strike angered the union."
    assert claimed(text) == [("governor", "the strike angered the union")]
    assert claimed("The council's criticism of the budget was sharp.") == [("council", "the budget")]


def test_a_possessive_pronoun_before_the_noun_is_the_clause_subject():
    text = "The senator repeated his attacks on the trade deal during the hearing."
    assert ("senator", "the trade deal during the hearing") in claimed(text)


def test_a_noun_of_attitude_names_a_report_and_a_time_is_no_topic():
    assert claimed("The editors' disdain for the nominee was plain.") == [("editors", "the nominee")]
    assert claimed("The bishop's sermon on Sunday carried a personal tone.") == []


def test_a_topic_noun_inside_another_report_or_a_quotation_adds_no_report():
    text = "The mayor said the governor's remarks on the strike were unhelpful."
    assert claimed(text) == [("mayor", "the governor's remarks on the strike were unhelpful")]
    assert len(claimed('"Her views on taxes are well known," the aide said.')) == 1


# --- Attitudes voiced with a noun, plural nouns before their verb ---------------------------------

def test_a_verb_of_utterance_with_a_noun_of_attitude_reports_its_topic():
    assert claimed("The residents voiced deep concern about the new highway.") == [("residents", "the new highway")]
    assert claimed("The senator is raising questions about the contract.") == [("senator", "the contract")]


def test_raising_money_or_prices_is_no_report():
    assert claimed("The charity raised money for the victims of the flood.") == []
    assert claimed("The company raised prices for its customers in May.") == []


def test_an_s_form_before_a_plural_auxiliary_is_a_noun_not_a_verb():
    text = "The advocates have expressed concern about the new fees."
    assert claimed(text) == [("advocates", "the new fees")]


# --- A name as the whole object, passives of stance with their agent ------------------------------

def test_a_name_alone_is_the_object_of_a_verb_of_stance():
    assert claimed("The senator has endorsed Ruiz.") == [("senator", "Ruiz")]
    assert claimed("The mayor spoke Monday.") == []


def test_a_passive_of_stance_or_report_names_its_agent_as_the_speaker():
    assert claimed("The merger was criticized by several economists.") == [("economists", "The merger")]
    assert claimed("The leak was first reported by the Northfield Gazette.") == [
        ("Northfield Gazette", "The leak")]
    assert claimed("They were praised by the mayor.") == []


# --- A cue form that is also a noun is a verb by agreement with its subject and object ------------

HEADLINE = "Council news\n\n"  # a first paragraph is a headline, read by its own rule


def test_a_plain_form_after_a_plural_subject_and_before_an_object_is_a_verb():
    assert claimed(HEADLINE + "Spain and Portugal support the proposal.") == [("Spain and Portugal", "the proposal")]
    assert claimed(HEADLINE + "Most farmers back the new rules.") == [("Most farmers", "the new rules")]


def test_an_s_form_after_a_singular_subject_and_before_an_object_is_a_verb():
    assert claimed(HEADLINE + "The union demands a raise for its members.") == [("union", "a raise for its members")]


def test_the_same_forms_as_nouns_report_nothing():
    opening = HEADLINE
    assert claimed(opening + "The peace talks collapsed in June.") == []
    assert claimed(opening + "Voter support remained steady all year.") == []
    assert claimed(opening + "The senator continues his tour of the state.") == []


# --- A reporting verb in the infinitive of a verb of aspect or attempt -------------------------------

def test_the_subject_of_went_on_to_has_yet_to_was_able_to_speaks_through_the_infinitive():
    assert claimed(HEADLINE + "The mayor went on to discuss the new budget.") == [("mayor", "the new budget")]
    assert claimed(HEADLINE + "The minister has yet to explain why the talks failed.") == [
        ("minister", "why the talks failed")]
    assert claimed(HEADLINE + "The coach was able to quickly praise the young players.") == [
        ("coach", "the young players")]


def test_an_infinitive_of_evidence_after_such_a_verb_is_no_report():
    assert claimed(HEADLINE + "The witness failed to show up at the hearing.") == []


# --- Knowing, feeling and judging said with "be" and an adjective -----------------------------------

def test_an_adjective_of_feeling_or_judging_with_its_complement_is_the_subjects_stance():
    assert claimed(HEADLINE + "The farmers were angry that the subsidy was cut.") == [
        ("farmers", "that the subsidy was cut")]
    assert claimed(HEADLINE + "The senator has been critical of the treaty.") == [("senator", "the treaty")]
    assert claimed(HEADLINE + "The coach was sure his team would win.") == [("coach", "his team would win")]


def test_an_adjective_without_a_complement_or_with_a_thing_as_subject_is_no_report():
    assert claimed(HEADLINE + "It is clear that the bridge needs repairs.") == []
    assert claimed(HEADLINE + "The players were angry.") == []
    assert claimed(HEADLINE + "The country was determined to have hosted the attackers.") == []


# --- Verbs of admiring and judging (Levin's admire and judgement classes) ----------------------------

def test_verbs_of_admiring_and_judging_report_their_object():
    assert claimed(HEADLINE + "The senator lauded the firefighters for their courage.") == [
        ("senator", "the firefighters for their courage")]
    assert claimed(HEADLINE + "The governor openly admires the former president.") == [
        ("governor", "the former president")]
    assert claimed(HEADLINE + "The editorial castigated the council over the delays.") == [
        ("editorial", "the council over the delays")]


# --- A second subject that reports after "and" ends the object of the first ---------------------------

def test_an_object_ends_where_and_opens_a_second_subject_that_reports():
    text = HEADLINE + "Most farmers back the new rules and the union opposes the plan."
    assert claimed(text) == [("Most farmers", "the new rules"), ("union", "the plan")]
    text = HEADLINE + "The mayor praised the council and the demand for new parks."
    assert claimed(text) == [("mayor", "the council and the demand for new parks")]


# --- Indirect questions and what is known, a short determined object --------------------------------

def test_a_verb_of_saying_or_knowing_before_an_indirect_question_reports_it():
    assert claimed(HEADLINE + "The minister could not explain why the budget was late.") == [
        ("minister", "why the budget was late")]
    assert claimed(HEADLINE + "The regulators did not know what the company planned.") == [
        ("regulators", "what the company planned")]


def test_a_verb_of_knowing_or_believing_with_about_or_in_reports_its_object():
    assert claimed(HEADLINE + "The mayor knew about the leak for months.") == [("mayor", "about the leak for months")]
    assert claimed(HEADLINE + "The residents were worried.") == []


def test_a_determined_noun_is_a_whole_short_object():
    assert claimed(HEADLINE + "The governor has promised a veto.") == [("governor", "a veto")]


def test_a_bare_noun_after_an_agreeing_cue_form_opens_its_object():
    assert claimed(HEADLINE + "Farmers want policies that lower costs.") == [("Farmers", "policies that lower costs")]
    assert claimed(HEADLINE + "Farmers want badly to sell their crops.") == []


# --- A speaker label opening a paragraph holds the whole paragraph -----------------------------------

def test_a_speaker_label_holds_every_sentence_of_its_paragraph():
    text = HEADLINE + "HOST: Welcome back to the programme. The mayor said the bridge is safe.\n\nThe bridge opened in May."
    [labelled] = [a for a in extract(text).assertions if a.claimant is not None]
    assert labelled.claimant.name == "HOST"
    assert labelled.text == "HOST: Welcome back to the programme. The mayor said the bridge is safe."


# --- An object ends before an adjunct of time or cause ----------------------------------------------

def test_an_object_ends_before_an_adjunct_of_time_or_cause():
    assert claimed(HEADLINE + "The senator criticized the mayor during the hearing.") == [("senator", "the mayor")]
    assert claimed(HEADLINE + "The union praised the deal on Monday.") == [("union", "the deal")]
    assert claimed(HEADLINE + "The union praised the deal for its workers.") == [("union", "the deal for its workers")]


def test_a_that_after_a_reporting_participle_belongs_to_the_participle():
    text = HEADLINE + '"We will rebuild the bridge," the mayor said at a briefing announcing that the road would reopen.'
    said = [a for a in extract(text).assertions if a.claimant is not None and a.claimant.name == "mayor"]
    pieces = said[0].content_spans or ((said[0].content_start, said[0].content_end),)
    assert text[pieces[0][0]:pieces[0][1]] == '"We will rebuild the bridge,"'


def test_an_s_form_before_a_plain_reporting_verb_is_its_plural_subject():
    text = HEADLINE + "The council kept the old funding formula, which advocates say hurts poor schools."
    assert ("advocates", "hurts poor schools") in claimed(text)


def test_a_sentence_keeps_at_most_a_dozen_reports():
    from factcheck.domain.extract.attribution import find

    text = "The mayor went on to discuss " * 40
    assert len(find(text, 0, len(text))) == 12


# --- Plain forms of irregular verbs, an adverb before "that", a bare noun opening a clause ----------

def test_plain_forms_of_think_fear_and_tell_report_before_that():
    assert claimed(HEADLINE + "The police also fear that the protests could spread.") == [
        ("police", "the protests could spread")]
    assert claimed(HEADLINE + "Most economists think that rates will fall.") == [("Most economists", "rates will fall")]
    assert claimed(HEADLINE + "The police fear the dark.") == []


def test_an_adverb_between_the_verb_and_that_keeps_the_that_clause():
    text = HEADLINE + "Farmers complain bitterly that prices are too low."
    assert claimed(text) == [("Farmers", "prices are too low")]


def test_a_bare_noun_can_open_the_clause_after_a_verb_of_thought():
    text = HEADLINE + "Many voters believe corruption is the main problem."
    assert claimed(text) == [("Many voters", "corruption is the main problem")]


def test_spoke_with_adverbs_before_about_or_of_reports_the_topic():
    text = HEADLINE + "The mayor spoke emotionally of the flood victims."
    assert claimed(text) == [("mayor", "emotionally of the flood victims")]
    assert claimed(HEADLINE + "The mayor spoke briefly on Monday.") == []


def test_a_day_right_after_the_verb_is_not_part_of_the_content():
    text = HEADLINE + "The police said Tuesday the suspect had fled."
    assert claimed(text) == [("police", "the suspect had fled")]
