"""Claimants through names the article defines: initials and women's first names (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract import extract


def claimant_of(text: str, words: str) -> str | None:
    matches = [a for a in extract(text).assertions if words in a.text]
    assert len(matches) == 1, [a.text for a in extract(text).assertions]
    claimant = matches[0].claimant
    return claimant.name if claimant else None


def test_initials_defined_in_brackets_stand_for_the_full_name():
    text = ("Turnout was high, according to the organiser, the Coalition for Clean Rivers (CCR).\n\n"
            "CCR said the next march would start at the old mill bridge.")
    assert claimant_of(text, "next march") == "Coalition for Clean Rivers"


def test_initials_that_do_not_spell_the_words_before_them_are_left_as_written():
    text = ("The march ended at noon (CCR).\n\n"
            "CCR said the next march would start at the old mill bridge.")
    assert claimant_of(text, "next march") == "CCR"


def test_she_is_the_woman_named_last_when_her_first_name_ends_in_a():
    text = ("Mary Cole, the harbour director, said the dredging would finish in June. "
            "Aparna Rao, an economist, studied the harbour's accounts for a year. "
            '"The costs are not in the budget at all," she said after reading them.')
    assert claimant_of(text, "not in the budget") == "Aparna Rao"


def test_a_man_whose_first_name_ends_in_a_is_still_he():
    text = ("Joshua Reed, the coach, said the season had been long. "
            "Anna Holt, a midfielder, left the club in March. "
            '"We are tired but we are proud," he said.')
    assert claimant_of(text, "tired but") == "Joshua Reed"


def test_a_surname_alone_ending_in_a_is_no_womans_first_name():
    text = ("Mr. Okafora said the bridge would reopen on Monday. "
            '"Nobody will wait longer than a week," he said.')
    assert claimant_of(text, "Nobody will wait") == "Okafora"


def test_a_capitalised_modifier_makes_the_campaign_a_name_not_the_last_organisation():
    text = ("The Green Party said the mayor had broken the spending rules. "
            "The Harper campaign called the charges baseless.")
    assert claimant_of(text, "called the charges") == "Harper campaign"


def test_the_party_with_a_modifier_it_shares_is_the_party_named_before():
    text = ("The Green Party said the mayor had broken the spending rules. "
            "The transport union marched on Tuesday. "
            "The Green party later said it would appeal.")
    assert claimant_of(text, "would appeal") == "Green Party"


def test_a_body_and_its_supporters_speak_as_the_body():
    text = "The Harbour Trust and its supporters say the old pier is safe for visitors."
    assert claimant_of(text, "old pier") == "Harbour Trust"


def test_its_owners_after_an_unrelated_clause_stay_unnamed():
    text = "The pier is old and its owners said it was safe for visitors."
    assert claimant_of(text, "safe for visitors") == "its owners"


def test_a_hyphenated_role_noun_is_a_subject_that_reports():
    text = ("Mayor Tom Reyes said the plan was sound. "
            "His ex-wife said the plan would fail within a year.")
    assert claimant_of(text, "would fail within a year") == "His ex-wife"


def test_a_subject_cut_down_to_a_function_word_is_no_person_for_a_later_he():
    text = ("My uncle kept a shed full of tools. "
            "The worry remained but found other points of focus, such as the weather. "
            "He also told the neighbours on a regular basis that \"rain is the enemy.\"")
    result = extract(text)
    assert all(a.claimant is None or a.claimant.name not in {"The", "Once", "This"} for a in result.assertions)
