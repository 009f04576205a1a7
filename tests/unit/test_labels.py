"""The rating-label normaliser: raw labels and publisher scales → the desk's rating keys."""

from __future__ import annotations

import pytest

from factcheck.domain.labels import LabelNormaliser, fold_label, parse_master_mapping
from factcheck.interchange.claimreview_import import default_normaliser

MAP = [
    "true\ttrue",
    "mostly true\tmostly true|almost true|true, but",
    "partly true/misleading\thalf true|misleading|exaggerated|incomplete",
    "complicated/hard to categorise\tunverifiable|too early to say",
    "other\tsatire|incomplete",
    "mostly false\tmostly false",
    "false\tfalse|fake|total lie",
]


@pytest.fixture
def normaliser() -> LabelNormaliser:
    return LabelNormaliser(parse_master_mapping(MAP))


@pytest.mark.parametrize(("raw", "key"), [
    ("Falso", "false"), ("falso", "false"), (" FALSO ", "false"),
    ("Verdadeiro", "true"), ("Verdadeiro, mas", "mostly-true"), ("Exagerado", "misleading"),
    ("insustentável", "unverifiable"), ("Impossível provar", "unverifiable"),
    ("Total Lie", "false"), ("almost true", "mostly-true"), ("exaggerated", "misleading"),
    ("half true", "half-true"), ("barely-true", "mostly-false"), ("pants-fire", "pants-on-fire"),
    ("Pants on Fire!", "pants-on-fire"), ("too early to say", "unverifiable"),
])
def test_raw_labels_map_onto_the_desks_ratings(normaliser: LabelNormaliser, raw: str, key: str) -> None:
    assert normaliser.normalise(raw).key == key


def test_labels_that_are_not_verdicts_are_refused_with_a_reason(normaliser: LabelNormaliser) -> None:
    outcome = normaliser.normalise("Satire")
    assert outcome.key is None and "not a verdict" in (outcome.reason or "")


def test_a_label_listed_under_two_classes_keeps_the_first(normaliser: LabelNormaliser) -> None:
    assert normaliser.normalise("incomplete").key == "misleading"


def test_folding_ignores_case_accents_and_spacing() -> None:
    assert fold_label("  Impossível   PROVAR ") == fold_label("impossivel provar") == "impossivel provar"


def test_a_known_publisher_scale_maps_each_value(normaliser: LabelNormaliser) -> None:
    # Agência Pública's 2 of 8 is "Impossível provar"; a straight line would call it nearly false.
    outcome = normaliser.normalise(None, 2, 8, publisher="https://apublica.org")
    assert (outcome.key, outcome.via) == ("unverifiable", "publisher scale")
    assert normaliser.normalise(None, 6, 5, publisher="https:www.aosfatos.org").key == "true"


def test_a_publisher_whose_numbers_mean_nothing_needs_a_label(normaliser: LabelNormaliser) -> None:
    assert normaliser.normalise("Falso", 4, 6, publisher="piaui.folha.uol.com.br/lupa").key == "false"
    assert normaliser.normalise("", 4, 6, publisher="piaui.folha.uol.com.br/lupa").key is None


def test_an_unknown_publishers_number_is_placed_on_its_scale(normaliser: LabelNormaliser) -> None:
    assert normaliser.normalise(None, 1, 5, publisher="example.org").key == "false"
    assert normaliser.normalise(None, 5, 5).key == "true"
    assert normaliser.normalise(None, 3, 5).key == "half-true"
    out_of_scale = normaliser.normalise(None, 9, 5)
    assert out_of_scale.key is None and "outside" in (out_of_scale.reason or "")


def test_the_label_wins_over_the_number(normaliser: LabelNormaliser) -> None:
    assert normaliser.normalise("Verdadeiro", 1, 5, publisher="example.org").key == "true"


def test_nothing_usable_is_refused_with_a_reason(normaliser: LabelNormaliser) -> None:
    assert normaliser.normalise("", None, 8).reason == "no rating label and no usable rating value"
    assert "unknown label" in (normaliser.normalise("Bizarre").reason or "")


def test_the_shipped_xfact_map_is_read_whole() -> None:
    normaliser = default_normaliser()
    assert normaliser.normalise("going pinocchio").key == "false"
    assert normaliser.normalise("lacks context").key == "misleading"
    assert normaliser.normalise("unproven").key == "unverifiable"
