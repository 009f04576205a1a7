"""One small text for each hard case of extraction."""

from __future__ import annotations

from factcheck.domain.extract import Extraction, extract


def only(text: str):
    result = extract(text)
    claimed = [a for a in result.assertions if a.claimant is not None]
    assert len(claimed) == 1, [a.text for a in result.assertions]
    return claimed[0]


def chain_of(assertion) -> list[tuple[str, str, str]]:
    return [(link.name, link.kind, link.role) for link in assertion.chain]


def content_of(text: str, assertion) -> str:
    return text[assertion.content_start:assertion.content_end]


def dropped_texts(result: Extraction) -> list[str]:
    return [item.text for item in result.dropped]


# --- Boilerplate -------------------------------------------------------------------------

def test_read_also_read_more_and_related_links_are_dropped_as_boilerplate():
    text = ("The mayor said the bridge will reopen in May.\n\nRead also: Ten bridges that fell\n\n"
            "READ MORE: Why bridges fail\n\nRelated: Bridge closures in 2023")
    result = extract(text)
    assert dropped_texts(result) == ["Read also: Ten bridges that fell", "READ MORE: Why bridges fail",
                                     "Related: Bridge closures in 2023"]
    assert len(result.assertions) == 1


def test_donation_and_subscription_appeals_are_dropped_as_boilerplate():
    text = ("Officials said 40 people were evacuated.\n\n"
            "Support independent journalism with a donation today!\n\n"
            "Subscribe to our newsletter for daily updates.")
    result = extract(text)
    assert len(result.dropped) == 2
    assert all(item.reason == "boilerplate" for item in result.dropped)


def test_photo_captions_credits_and_original_article_lines_are_dropped():
    text = ("Protesters gathered outside parliament. (AP Photo/Efrem Lukatsky)\n\n"
            "Photo: Reuters\n\nRead the original article on Example News\n\n"
            "The police said 300 people attended the rally on Sunday.")
    result = extract(text)
    assert len(result.dropped) == 3
    assert [a.text for a in result.assertions] == ["The police said 300 people attended the rally on Sunday."]


def test_a_dateline_and_a_time_stamp_are_dropped_but_the_sentence_after_the_dateline_is_kept():
    text = "Updated: 10:45 a.m. ET\n\nKYIV, Feb 15 (Reuters) - The ministry said 12 drones were shot down."
    result = extract(text)
    assert dropped_texts(result) == ["Updated: 10:45 a.m. ET", "KYIV, Feb 15 (Reuters) -"]
    claim = only(text)
    assert claim.text == "The ministry said 12 drones were shot down."


# --- Sentences and quotations ------------------------------------------------------------

def test_a_quotation_of_several_sentences_stays_one_assertion_with_its_speaker():
    text = 'Senator Jane Doe spoke on Monday. "We will win. We have the votes. Nobody can stop us," she said.'
    claim = only(text)
    assert claim.text.startswith('"We will win.') and claim.text.endswith("she said.")
    assert claim.claimant.name == "Jane Doe"


def test_a_question_in_quotes_followed_by_the_speaker_is_one_sentence():
    text = '"How many times must this happen?" Clinton said. "It is intolerable."'
    claim = only(text)
    assert claim.claimant.name == "Clinton"
    assert claim.text == text


def test_a_quotation_running_on_after_he_said_keeps_the_speaker():
    text = ('"The plan is dead," said Finance Minister Olga Petrenko. "There is no money left. '
            'We will cut spending by 10 percent."')
    claim = only(text)
    assert claim.claimant.name == "Olga Petrenko"
    assert claim.end == len(text)
    assert len(claim.content_spans) == 2


# --- Attribution forms -------------------------------------------------------------------

def test_x_said_that_attributes_the_clause_after_that():
    text = "Mayor John Smith said that the city budget grew by 12 percent last year."
    claim = only(text)
    assert chain_of(claim) == [("John Smith", "person", "said")]
    assert content_of(text, claim) == "the city budget grew by 12 percent last year"


def test_a_quote_followed_by_comma_x_said_is_attributed_to_x():
    text = '"Inflation has peaked," central bank governor Maria Lopez said on Tuesday.'
    claim = only(text)
    assert chain_of(claim) == [("Maria Lopez", "person", "said")]
    assert content_of(text, claim) == '"Inflation has peaked,"'


def test_an_inverted_said_x_is_attributed_to_x():
    text = "The talks collapsed after midnight, said a spokesman for the Foreign Ministry."
    claim = only(text)
    assert claim.claimant.kind in {"unnamed", "government"}
    assert content_of(text, claim) == "The talks collapsed after midnight"


def test_according_to_x_at_the_start_and_at_the_end_names_x():
    start = only("According to Reuters, the plant was shut down for two weeks.")
    end = only("The plant was shut down for two weeks, according to the Energy Ministry.")
    assert chain_of(start) == [("Reuters", "outlet", "reported")]
    assert chain_of(end) == [("Energy Ministry", "government", "according to")]


def test_x_told_y_that_attributes_to_x_not_to_y():
    text = "Prime Minister Anna Berg told reporters that the election will be held in March."
    claim = only(text)
    assert chain_of(claim) == [("Anna Berg", "person", "told")]
    assert content_of(text, claim) == "the election will be held in March"


def test_a_nested_report_runs_from_the_originator_to_the_publisher():
    text = ("The Guardian reported that former aide Tom Hale stated that the minister had told him "
            "that the contract was rigged.")
    claim = only(text)
    assert [link.role for link in claim.chain] == ["told", "stated", "reported"]
    assert [link.name for link in claim.chain][1:] == ["Tom Hale", "The Guardian"]
    assert content_of(text, claim) == "the contract was rigged"


def test_the_headline_form_says_x_is_an_attribution():
    text = "Ceasefire is not on the table, says Defence Minister Rustem Umerov"
    assert chain_of(only(text)) == [("Rustem Umerov", "person", "said")]


def test_x_said_according_to_y_makes_y_the_publisher():
    text = "The army has lost 40 tanks, General Mark Olsen said, according to local media."
    assert chain_of(only(text)) == [("Mark Olsen", "person", "said"), ("local media", "unnamed", "reported")]


def test_an_appositive_between_the_name_and_the_verb_is_skipped():
    text = "Jane Roe, a lawyer for the families, said the settlement was unfair."
    assert only(text).claimant.name == "Jane Roe"


# --- Coreference ---------------------------------------------------------------------------

def test_a_quote_followed_by_he_said_is_attributed_to_the_last_named_speaker():
    text = 'Olaf Scholz visited the plant on Friday. "This is a good day for workers," he said.'
    assert only(text).claimant.name == "Olaf Scholz"


def test_she_resolves_to_a_woman_named_earlier_rather_than_the_last_man():
    text = ("Hillary Clinton met Bernie Sanders in Ohio. Sanders left early. "
            "She said the campaign would spend $5 million there.")
    assert only(text).claimant.name == "Hillary Clinton"


def test_the_agency_resolves_to_the_outlet_named_before():
    text = "Bloomberg reported the deal on Monday. The agency said the price was $2 billion."
    result = extract(text)
    agency = next(a for a in result.assertions if a.text.startswith("The agency"))
    assert agency.claimant.name == "Bloomberg" and agency.claimant.kind == "outlet"


def test_the_ukrainian_leader_resolves_to_the_president_named_before():
    text = ("President Volodymyr Zelenskyy met Chancellor Olaf Scholz in Berlin. "
            "The Ukrainian leader said that air defence is the priority.")
    result = extract(text)
    leader = next(a for a in result.assertions if a.text.startswith("The Ukrainian leader"))
    assert leader.claimant.name == "Volodymyr Zelenskyy"


def test_the_minister_resolves_to_the_minister_named_before():
    text = ("Foreign Minister Sergei Lavrov arrived in Ankara. Turkey's president greeted him. "
            "The minister said the talks were constructive.")
    result = extract(text)
    minister = next(a for a in result.assertions if a.text.startswith("The minister"))
    assert minister.claimant.name == "Sergei Lavrov"


def test_they_resolves_to_the_organisation_named_before():
    text = "The Institute for War Studies published a report. They said Russian losses doubled in May."
    result = extract(text)
    they = next(a for a in result.assertions if a.text.startswith("They said"))
    assert they.claimant == result.assertions[0].claimant or they.claimant.name == "Institute for War Studies"


def test_a_surname_alone_resolves_to_the_full_name_used_in_the_article():
    text = "Vladimir Putin spoke for two hours. Putin said that sanctions had failed."
    result = extract(text)
    assert result.assertions[-1].claimant.name == "Vladimir Putin"


# --- Hedges and dates ----------------------------------------------------------------------

def test_hedges_are_found_allegedly_reportedly_off_the_record_anonymous_sources_may_might():
    assert "allegedly" in only("The plant was allegedly shelled, officials said.").hedges
    assert "reportedly" in only("The deal was reportedly signed, Reuters said.").hedges
    assert "off the record" in only("The aide told CNN off the record that talks failed.").hedges
    assert "anonymous sources" in only("Two unnamed sources said that the bank might fail.").hedges
    assert "might" in only("Two unnamed sources said that the bank might fail.").hedges
    assert "may" in only("The company said that prices may rise in the autumn.").hedges


def test_the_month_may_is_not_a_hedge():
    assert "may" not in only("The ministry said the bridge opened on May 5.").hedges


def test_dates_are_kept_as_written():
    claim = only("Bloomberg reported on Jan. 25 that exports fell 3% between 2023-10-01 and last week.")
    assert claim.dates == ("Jan. 25", "2023-10-01", "last week")


# --- Relations -------------------------------------------------------------------------------

def test_a_denial_of_this_statement_denies_the_previous_claim():
    text = ("The governor said the dam was safe. The engineers' union denied this statement "
            "and published photos of cracks.")
    result = extract(text)
    first, denial = result.assertions[0], result.assertions[1]
    assert [(r.type, r.target) for r in denial.relations] == [("denies", first.id)]


def test_a_confirmation_supports_the_previous_claim():
    text = "Reuters reported that the plant had closed. The company confirmed the report on Friday."
    result = extract(text)
    assert [(r.type, r.target) for r in result.assertions[1].relations] == [("supports", "a1")]


def test_the_same_claim_made_again_repeats_the_earlier_one():
    text = ("The minister said that unemployment fell to 4 percent in March. "
            "Later the minister repeated that unemployment fell to 4 percent in March.")
    result = extract(text)
    assert ("repeats", "a1") in [(r.type, r.target) for r in result.assertions[1].relations]


# --- Source kinds and names --------------------------------------------------------------

def test_source_kinds_come_from_the_gazetteer_and_the_head_word():
    kinds = {
        "The New York Times reported that the law passed.": ("The New York Times", "outlet"),
        "The Kyiv Post reported that the law passed.": ("Kyiv Post", "outlet"),
        "The Kremlin said that the law passed.": ("Kremlin", "government"),
        "The State Department said that the law passed.": ("State Department", "government"),
        "The Defence Ministry said that the law passed.": ("Defence Ministry", "government"),
        "The Brookings Institution said that the law passed.": ("Brookings Institution", "organisation"),
        "The Atlantic Council said that the law passed.": ("Atlantic Council", "organisation"),
        "Sources said that the law passed.": ("Sources", "unnamed"),
        "Senator Mary Jones said that the law passed.": ("Mary Jones", "person"),
    }
    for text, expected in kinds.items():
        claimant = only(text).claimant
        assert (claimant.name, claimant.kind) == expected, text


def test_titles_and_descriptions_are_stripped_from_names():
    assert only("Former Fox News host Tucker Carlson said that he met Putin.").claimant.name == "Tucker Carlson"
    assert only("Foreign Minister Sergei Lavrov said that talks failed.").claimant.name == "Sergei Lavrov"
    assert only("Charlotte Mayor Jennifer Roberts said that the video exists.").claimant.name == "Jennifer Roberts"


def test_a_country_speaks_as_a_government():
    claimant = only("Even China said it was resolutely opposed to the test.").claimant
    assert (claimant.name, claimant.kind) == ("China", "government")


# --- Check-worthiness ----------------------------------------------------------------------

def test_a_factual_sentence_with_numbers_is_more_check_worthy_than_a_question():
    result = extract("Unemployment rose to 9 percent in Ohio in 2023. Who could have expected that?")
    scores = {a.text: a.checkworthiness for a in result.assertions}
    assert scores.get("Unemployment rose to 9 percent in Ohio in 2023.", 0) >= 0.5
    assert scores.get("Who could have expected that?", 0) < 0.5


# --- Later additions: coordinated reports, announced quotes, speaker labels ----------------

def test_two_coordinated_reports_in_one_sentence_become_one_assertion_for_both_clauses():
    text = "Strada accused the government of stalling and asserted that the families are tired of waiting."
    claim = only(text)
    assert claim.claimant.name == "Strada"
    assert claim.text == text
    assert "the families are tired of waiting" in [text[start:end] for start, end in claim.content_spans]


def test_a_denial_coordinated_with_another_report_is_one_assertion_that_keeps_the_denial():
    text = "The mayor said the bridge was safe. The engineers union rejected the claim and called it reckless."
    mayor, union = extract(text).assertions
    assert union.text == "The engineers union rejected the claim and called it reckless."
    assert chain_of(union) == [("engineers union", "unnamed", "rejected")]
    assert [(r.type, r.target) for r in union.relations] == [("denies", mayor.id)]
    assert [text[start:end] for start, end in union.content_spans] == ["the claim", "it reckless"]


def test_two_reports_whose_clauses_share_no_words_keep_their_own_spans():
    text = ('"Broadening the base involves some administration," said Mr. Kamin, '
            "who emphasized that her proposals would simplify returns for small businesses.")
    said, emphasized = extract(text).assertions
    assert said.text.endswith("said Mr. Kamin")
    assert emphasized.text.startswith("who emphasized that")
    assert said.end <= emphasized.start


def test_a_report_inside_another_report_of_the_same_sentence_is_not_a_second_assertion():
    text = "Earnest said Obama hopes that his successor will push for the same goals."
    claim = only(text)
    assert claim.text == text
    assert claim.claimant.name == "Earnest"


def test_a_paragraph_announced_by_x_added_colon_is_attributed_to_x():
    text = "The governor spoke on the radio.\n\nThe governor added:\n\nShe knows nothing about what happened here."
    result = extract(text)
    last = result.assertions[-1]
    assert last.text == "She knows nothing about what happened here."
    assert last.claimant.name == "governor"


def test_a_quote_after_a_reported_sentence_in_the_same_paragraph_keeps_that_speaker():
    text = 'The administration may wait, Adam Schiff said. "The other factor is the election."'
    claim = only(text)
    assert claim.claimant.name == "Adam Schiff"
    assert claim.end == len(text)


def test_a_transcript_speaker_label_attributes_the_line():
    claim = only('WALLACE: Will Gennifer Flowers be at the debate tomorrow night?')
    assert claim.claimant.name == "WALLACE"


def test_a_quote_credited_after_a_dash_is_attributed_to_the_name():
    claim = only('"Maybe we can build a wall around him." - Steve Quinlan')
    assert claim.claimant.name == "Steve Quinlan"


def test_a_verb_inside_a_quotation_is_the_quoted_speakers_words_not_a_new_report():
    text = '"Bryan already asserted his rights before this Congress," his lawyer Mark MacDougall said.'
    assert only(text).claimant.name == "Mark MacDougall"


def test_a_passive_reporting_verb_has_no_speaker():
    assert extract("When the diagnosis was confirmed, the hospital was closed.").assertions == () or all(
        a.claimant is None for a in extract("When the diagnosis was confirmed, the hospital was closed.").assertions)


def test_a_report_named_by_a_noun_is_attributed_to_its_owner():
    text = "Trump's claim that the election was rigged has been rejected by every court."
    claim = only(text)
    assert chain_of(claim) == [("Trump", "person", "claimed")]
    # Without a parser the content runs to the end of the sentence; it starts right after "that".
    assert content_of(text, claim).startswith("the election was rigged")


def test_an_intention_with_to_is_attributed():
    claim = only("The Clinton campaign plans to spend $10 million in Florida.")
    assert claim.claimant.name == "Clinton campaign"


def test_corrections_reporting_credits_media_pointers_and_running_story_intros_are_boilerplate():
    text = ("The council said the library will close in June.\n\n"
            "Correction: An earlier version of this article misstated the date of the vote.\n\n"
            "This article has been revised to reflect the following correction: the vote was in May.\n\n"
            "Jane Roe reported from Leeds, and John Doe from York.\n\n"
            "Check out the full interview with the librarian below.\n\n"
            "LONDON (AP) — The Latest on the library closures (all times local):")
    result = extract(text)
    assert len(dropped_texts(result)) == 5  # the intro is dropped whole, with its dateline
    assert [a.text for a in result.assertions] == ["The council said the library will close in June."]


def test_a_sentence_about_a_reporter_is_no_credit_line():
    text = "The mayor reported from the flooded district that 40 homes were lost."
    assert extract(text).dropped == ()
