"""Claimants through names sharing a surname and pronoun subjects that carry on (sentences written for the test)."""

from __future__ import annotations

from tests.unit.extract.test_coreference import claimant_of


def test_a_couple_named_with_one_surname_are_two_people_the_first_named_first():
    text = ("Marcus Vell's divorce from his wife Odile was settled in 1998. "
            "Odile Vell later wrote a memoir about the marriage. "
            "Odile Vell said the book was finished. "
            "This month, lawyers for both Marcus and Odile Vell filed papers opposing the request. "
            "The businessman argued that the file should stay sealed.")
    assert claimant_of(text, "file should stay sealed") == "Marcus Vell"


def test_a_first_name_before_a_shared_surname_picks_that_person():
    text = ("Marcus Vell and his wife Odile Vell ran the shipping firm for thirty years. "
            "Odile Vell said the firm would be sold. "
            "Odile Vell added that the staff would keep their jobs. "
            "A court hearing was set for May, and Marcus Vell sat in the gallery. "
            "He said the sale had been agreed in private.")
    assert claimant_of(text, "agreed in private") == "Marcus Vell"


def test_she_opening_a_sentence_goes_on_with_the_woman_before_not_one_in_an_apposition():
    text = ("Ruth Amsel, the attorney general, said the inquiry would be fair. "
            "She has faced criticism since meeting Paul Darrow, whose wife, Vera Lund, "
            "was under investigation. "
            "She said she was not aware of any pressure from the meeting.")
    assert claimant_of(text, "not aware of any pressure") == "Ruth Amsel"


def test_my_father_is_the_father_the_writer_names_elsewhere_in_the_article():
    text = ('"Hard times are coming," my father often said. '
            "He also told his friends that the banks would fail. "
            "My parents, Walter and Edith Brand, ran a hardware store for forty years.")
    assert claimant_of(text, "Hard times are coming") == "Walter Brand"
    assert claimant_of(text, "banks would fail") == "Walter Brand"


def test_she_after_my_mother_is_the_mother_the_writer_names():
    text = ("My parents, Walter and Edith Brand, ran a hardware store for forty years. "
            "The mayor, Ruth Amsel, said the store was a landmark. "
            "My mother has grown gentler, but she still says the town has gone to ruin.")
    assert claimant_of(text, "gone to ruin") == "Edith Brand"


def test_my_father_stays_as_written_when_the_article_never_names_him():
    text = ('"Hard times are coming," my father often said. '
            "The mayor, Ruth Amsel, said the store was a landmark.")
    assert claimant_of(text, "Hard times are coming") == "my father"
