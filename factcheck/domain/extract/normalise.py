"""Length-preserving normalisation, so every offset found stays valid in the original.

Every later step works on the folded text; because folding maps each character to
exactly one character, a span found there is the same span in the input.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
        "\u2003": " ", "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ", "\t": " ",
        "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2012": "-", "\u2212": "-",
        "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n",
    }
)
# "\r\n" becomes " \n" (one newline); a lone "\r" (old Mac files) becomes "\n".
_DOUBLE_APOSTROPHE = re.compile(r"''(?=(\w))?")
_CARRIAGE = re.compile(r"\r(\n?)")


def fold(text: str) -> str:
    """Return ``text`` with quotes, dashes, spaces and line ends unified, same length."""
    folded = text.translate(_FOLD)
    if "''" in folded:
        # Some archives write a double quote as two apostrophes: ''We're …,'' he said.
        folded = _DOUBLE_APOSTROPHE.sub(lambda m: ' "' if m.group(1) else '" ', folded)
    if "\r" in folded:
        folded = _CARRIAGE.sub(lambda m: " \n" if m.group(1) else "\n", folded)
    return folded
