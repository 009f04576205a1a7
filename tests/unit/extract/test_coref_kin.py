"""Relatives after "my", "his", "her": one table of kin words with their sex (sentences written for the test)."""

from __future__ import annotations

from factcheck.domain.extract.coref import Tracker, _named_kin


def test_a_relative_named_inside_a_quote_is_the_speakers_not_the_writers():
    text = ('"My father, Walter Brand, built this mill," a neighbour said. '
            '"My father, Owen Pike, worked in it," another neighbour said.')
    assert _named_kin(text) == {}


def test_a_relative_the_writer_names_outside_quotes_is_kept_past_a_quoted_one():
    text = ('"My father, Owen Pike, worked in the mill," a neighbour said. '
            "My father, Walter Brand, built the mill in 1950.")
    assert _named_kin(text) == {"father": "Walter Brand"}


def _mentions_of_kin(text: str) -> list[tuple[str, tuple[str, ...]]]:
    tracker = Tracker.for_text(text)
    tracker.scan(text, 0, len(text), 0)
    return [(m.source.name, m.titles) for m in tracker.mentions if m.source.name == "Robin Brand"]


def test_a_grandmother_or_aunt_named_by_the_writer_is_a_woman():
    for kin in ("grandmother", "aunt"):
        text = f"My {kin}, Robin Brand, ran the store. Later my {kin} sold it."
        assert ("Robin Brand", ("mrs",)) in _mentions_of_kin(text)


def test_her_grandfather_or_uncle_is_the_nearest_man_named_before():
    text = "Robin Vale met Dana Kerrow and Paul Darrow at the harbour."
    tracker = Tracker.for_text(text)
    tracker.scan(text, 0, len(text), 0)
    for kin in ("grandfather", "uncle"):
        found = tracker.description(f"her {kin}", len(text), 1)
        assert found is not None and found.name == "Paul Darrow"
