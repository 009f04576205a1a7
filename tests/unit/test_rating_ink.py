"""A rating chip's text colour: white or black, whichever reads better on the rating's colour."""

from __future__ import annotations

import pytest

from factcheck.web.templating import _luminance, ink_on


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: The default scale's colours (migrations/versions/…_create_the_initial_schema.py) and a few others.
COLOURS = ["#1a7f37", "#4c9a2a", "#bf8700", "#d4722c", "#e0582f", "#cf222e", "#82071e", "#6e7781",
           "#ffffff", "#000000", "#777777", "#767676", "#ffd700"]


@pytest.mark.parametrize("colour", COLOURS)
def test_every_colour_gets_an_ink_that_reaches_wcag_aa(colour):
    assert _contrast(colour, ink_on(colour)) >= 4.5


def test_the_mid_tones_of_the_default_scale_get_black_and_the_dark_ones_white():
    assert [ink_on(c) for c in ("#4c9a2a", "#bf8700", "#d4722c", "#e0582f")] == ["#000000"] * 4
    assert [ink_on(c) for c in ("#1a7f37", "#cf222e", "#82071e")] == ["#ffffff"] * 3


@pytest.mark.parametrize("colour", [None, "", "red", "#12", "#gggggg"])
def test_a_colour_that_is_not_hex_gets_white(colour):
    assert ink_on(colour) == "#ffffff"
