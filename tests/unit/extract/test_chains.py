"""Complete chains, originator first, and claimants through coreference (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract


def chains(text: str) -> list[list[tuple[str, str]]]:
    return [[(link.name, link.role) for link in a.chain] for a in extract(text).assertions if a.chain]


def claimants(text: str) -> list[str | None]:
    return [a.claimant.name if a.claimant else None for a in extract(text).assertions]


# --- Relays named in the sentence --------------------------------------------------------

def test_an_unnamed_source_telling_the_agency_gives_the_agency_as_a_relay():
    text = "One intelligence source told the agency that the convoy had crossed the border at night."
    assert chains(text) == [[("intelligence source", "told"), ("agency", "reported")]]
    assert extract(text).assertions[0].chain[0].kind == "unnamed"


def test_a_statement_carried_by_an_agency_names_the_agency_after_the_ministry():
    text = "The Defence Ministry said in a statement carried by Interfax that the plant was safe."
    assert chains(text) == [[("Defence Ministry", "said"), ("Interfax", "reported")]]


def test_according_to_a_channel_before_an_official_makes_the_channel_the_relay():
    text = "According to TV channel Rossiya 1, the official said that the talks would resume in May."
    assert chains(text) == [[("official", "said"), ("TV channel Rossiya 1", "reported")]]


def test_an_interview_with_an_outlet_is_a_relay_before_or_after_the_content():
    assert chains("In a Bloomberg interview the senator declared that the treaty was dead.") == [
        [("senator", "declared"), ("Bloomberg", "reported")]]
    assert chains('"The law has a loophole," the director explained in an interview with The Guardian.') == [
        [("director", "explained"), ("The Guardian", "reported")]]


def test_telling_an_outlet_names_it_and_telling_reporters_names_no_relay():
    assert chains("A campaign spokeswoman told The Washington Post that the plan covers single parents.") == [
        [("campaign spokeswoman", "told"), ("The Washington Post", "reported")]]
    assert chains("The senator told reporters that the vote would be close.") == [[("senator", "told")]]


def test_a_trailing_according_to_relays_a_persons_statement():
    # The rule: "X said …, according to Y" -> [X, Y]; Y passed X's words on.
    assert chains("The mayor said the bridge will close next week, according to city officials.") == [
        [("mayor", "said"), ("city officials", "according to")]]


def test_a_trailing_according_to_after_an_outlets_report_names_its_origin():
    text = "The Daily Courier reported that turnout fell by a third, according to the election commission."
    assert chains(text) == [[("election commission", "according to"), ("Daily Courier", "reported")]]


def test_according_to_inside_the_reported_clause_is_its_origin():
    assert chains("The mayor said that, according to police, the bridge will close next week.") == [
        [("police", "according to"), ("mayor", "said")]]


def test_a_nested_speaker_named_in_an_appositive_opens_the_chain():
    text = ("The Daily Courier reported that the station's editor, Jane Roe, conveyed to a presenter "
            "that her remarks broke the rules.")
    assert chains(text) == [[("Jane Roe", "conveyed"), ("Daily Courier", "reported")]]


# --- Claimants through coreference --------------------------------------------------------

def test_he_after_a_quote_goes_on_with_the_last_speaker_not_a_name_inside_the_quote():
    text = ('Mr. Okafor said the dam was safe. "My engineer, Tom Reyes, checks it every week," he said. '
            '"The water level is normal," he added.')
    assert claimants(text) == ["Okafor", "Okafor", "Okafor"]


def test_a_place_is_no_antecedent_for_he():
    text = ("Senator Maria Lund visited the Pacific Ocean coast. The governor, Paul Grant, flew over South Asia. "
            "Floods are spreading in the Marshall Islands, he noted.")
    assert claimants(text)[-1] == "Paul Grant"


def test_a_description_with_a_role_noun_is_the_person_named_just_before():
    text = ("Senator Maria Lund toured the flooded valley on Monday. "
            "The former governor said the river had never been so high.")
    assert claimants(text)[-1] == "Maria Lund"


def test_the_name_opening_an_appositive_speaks_not_the_body_it_leads():
    text = ("Paul Grant, president of the National Farmers Union, which represents growers, said the harvest "
            "was the worst in years.")
    assert claimants(text) == ["Paul Grant"]


def test_a_judge_described_by_a_court_title_is_cleaned_to_the_name():
    text = "District Court Judge Anna Berg rejected the request on Friday."
    assert claimants(text) == ["Anna Berg"]


def test_the_outlet_is_never_the_claimant_when_a_person_speaks_to_it():
    text = ('"The archive must stay open," Jane Roe, a historian at the city museum, told The Guardian.')
    assert claimants(text) == ["Jane Roe"]
    assert chains(text) == [[("Jane Roe", "told"), ("The Guardian", "reported")]]


def test_a_day_after_said_is_no_speaker():
    text = '"The veto will be overridden," Senate Majority Leader Ann Park, R-Ky., said Tuesday.'
    assert claimants(text) == ["Ann Park"]


def test_the_title_of_someone_named_before_is_a_mention_for_a_later_he():
    text = ("President Tom Berg met the delegates. His adviser, Paul Reyes, recalled a speech about floods. "
            "The president's island roots also mattered. In Suva last week, he told leaders that the seas were rising.")
    assert claimants(text)[-1] == "Tom Berg"


def test_a_subheading_or_an_opening_preposition_is_no_person_for_he():
    text = ("Mr. Okafor led the agency for ten years.\n\nThe Work Goes On:\n\n"
            "Unlike Patriot, the firm paid its debts. In recent months, he said he backed the plan.")
    assert claimants(text)[-1] == "Okafor"


def test_he_after_an_outlets_report_is_the_person_it_named_never_the_outlet():
    text = ("The Morning Ledger reported that Defence Minister Tom Hale met the envoy in Vienna. "
            "He allegedly told the envoy that the deal was done.")
    result = extract(text).assertions
    assert result[0].chain[0].kind == "outlet"
    assert result[1].claimant.name == "Tom Hale"
    assert result[1].hedges == ("allegedly",)


def test_the_agency_of_a_wire_story_is_the_one_in_its_dateline():
    text = "KYIV, Feb 15 (Reuters) - One intelligence source told the agency that the convoy had crossed the border."
    assert chains(text) == [[("intelligence source", "told"), ("Reuters", "reported")]]
