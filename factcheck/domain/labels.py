"""The rating-label normaliser: raw fact-checker labels and numeric scales → the desk's rating keys.

Built from the X-Fact master label map (Gupta & Srikumar 2021, MIT licence, shipped as
``factcheck/data/xfact_master_mapping.tsv``), which groups hundreds of raw labels into seven
classes, plus PolitiFact/LIAR labels and the Portuguese labels of Brazilian fact-checkers.
Labels are compared case- and accent-insensitively, so 'Falso' and 'falso' are the same verdict.

When a publisher's numbers are known to follow its own scale (Agência Pública: 1–8, Aos Fatos:
1–5 with 6 for true), ``PUBLISHER_SCALES`` maps each ratingValue; a publisher whose numbers are
known to be meaningless (Lupa publishes 4/6 for every verdict) is listed with an empty scale, so
only its label counts. Otherwise a number is placed on the line worstRating … bestRating.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from factcheck.domain.publishers import known_publisher

#: X-Fact's seven classes → the desk's rating keys (None: not a verdict, the row is rejected).
XFACT_CLASSES: dict[str, str | None] = {
    "true": "true",
    "mostly true": "mostly-true",
    "partly true/misleading": "misleading",
    "complicated/hard to categorise": "unverifiable",
    "other": None,
    "mostly false": "mostly-false",
    "false": "false",
}

#: Labels whose X-Fact class is too coarse for the desk's scale, and labels X-Fact does not list.
EXTRA_LABELS: dict[str, str | None] = {
    # PolitiFact and LIAR
    "half true": "half-true",
    "half-true": "half-true",
    "half false": "half-true",
    "partly true": "half-true",
    "partly false": "half-true",
    "partially true": "half-true",
    "partially false": "half-true",
    "mix": "half-true",
    "mixture": "half-true",
    "mostly-true": "mostly-true",
    "mostly-false": "mostly-false",
    "barely true": "mostly-false",
    "barely-true": "mostly-false",
    "pants on fire": "pants-on-fire",
    "pants-fire": "pants-on-fire",
    "pants on fire!": "pants-on-fire",
    "pants-on-fire": "pants-on-fire",
    "misleading": "misleading",
    "unverifiable": "unverifiable",
    # Portuguese (Lupa, Aos Fatos, Agência Pública / Truco)
    "verdadeiro": "true",
    "verdade": "true",
    "verdadeiro, mas": "mostly-true",
    "verdadeiro mas": "mostly-true",
    "quase verdadeiro": "mostly-true",
    "falso": "false",
    "mentira": "false",
    "exagerado": "misleading",
    "distorcido": "misleading",
    "impreciso": "misleading",
    "sem contexto": "misleading",
    "subestimado": "misleading",
    "enganoso": "misleading",
    "contraditorio": "misleading",
    "insustentavel": "unverifiable",
    "discutivel": "unverifiable",
    "impossivel provar": "unverifiable",
    "ainda e cedo para dizer": "unverifiable",
    "de olho": "unverifiable",
    "outros": None,
}


@dataclass(frozen=True, slots=True)
class Scale:
    """A publisher's numeric scale: ratingValue → rating key; empty means "ignore its numbers"."""

    values: Mapping[int, str | None]


#: Per-publisher scales, keyed by a fragment of the publisher's name or URL (folded).
PUBLISHER_SCALES: dict[str, Scale] = {
    # Agência Pública (Truco): 1 Falso, 2 Impossível provar, 3 Distorcido, 4 Exagerado, 5 Discutível,
    # 6 Subestimado, 7 Sem contexto, 8 Verdadeiro — categories, not a line from false to true.
    "apublica": Scale({1: "false", 2: "unverifiable", 3: "misleading", 4: "misleading", 5: "unverifiable",
                       6: "misleading", 7: "misleading", 8: "true"}),
    # Aos Fatos: 1 falso, 2 insustentável, 3 distorcido, 4 exagerado, 5 impreciso, 6 verdadeiro (above "best" 5).
    "aosfatos": Scale({0: None, 1: "false", 2: "unverifiable", 3: "misleading", 4: "misleading", 5: "misleading",
                       6: "true"}),
    # Lupa publishes ratingValue 4 of 6 whatever the verdict: only its label means something.
    "lupa": Scale({}),
}

#: Truth values of the desk's default scale, to place a generic number on it (nearest wins).
_LINE = (("false", 0.0), ("mostly-false", 0.2), ("half-true", 0.5), ("mostly-true", 0.8), ("true", 1.0))


def fold_label(label: str) -> str:
    """Lower-case, accents off, inner spaces collapsed: 'Falso' and ' falso ' fold alike."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(text.replace("_", " ").split()).strip(" .")


def parse_master_mapping(lines: Iterable[str]) -> dict[str, str | None]:
    """Raw label → rating key from X-Fact's master_mapping.tsv ("class<TAB>label|label|…" per line)."""
    mapping: dict[str, str | None] = {}
    for line in lines:
        if "\t" not in line:
            continue
        cls, raw = line.rstrip("\n").split("\t", 1)
        if fold_label(cls) not in XFACT_CLASSES:
            continue  # a class the desk does not know: its labels stay unknown rather than guessed
        key = XFACT_CLASSES[fold_label(cls)]
        for label in raw.split("|"):
            folded = fold_label(label)
            # A label listed under two classes ("incomplete") is ambiguous; the first class wins.
            if folded and folded not in mapping:
                mapping[folded] = key
    return mapping


class LabelNormaliser:
    """Maps raw labels (and, failing that, numeric ratings) onto the desk's rating keys."""

    def __init__(self, mapping: Mapping[str, str | None]) -> None:
        self.mapping = {**mapping, **{fold_label(k): v for k, v in EXTRA_LABELS.items()}}

    def label(self, raw: str | None) -> tuple[str | None, bool]:
        """(rating key or None, whether the label is known at all)."""
        folded = fold_label(raw or "")
        if not folded:
            return None, False
        if folded in self.mapping:
            return self.mapping[folded], True
        return None, False

    def normalise(
        self,
        label: str | None,
        value: float | None = None,
        best: float | None = None,
        worst: float | None = None,
        publisher: str | None = None,
    ) -> Outcome:
        """The rating key for a ClaimReview rating, or the reason there is none."""
        key, known = self.label(label)
        if known:
            if key is None:
                return Outcome(None, f"the label “{label}” is not a verdict")
            return Outcome(key, None, "label")
        scale = publisher_scale(publisher)
        if value is not None:
            if scale is not None:
                if not scale.values:
                    return Outcome(None, f"unknown label “{label or ''}”, and this publisher's numbers carry no verdict")
                if int(value) == value and int(value) in scale.values:
                    mapped = scale.values[int(value)]
                    if mapped is None:
                        return Outcome(None, f"rating {value:g} of this publisher is not a verdict")
                    return Outcome(mapped, None, "publisher scale")
                return Outcome(None, f"rating {value:g} is not on this publisher's scale")
            if best is not None:
                low = 1.0 if worst is None else worst
                if best <= low or not low <= value <= best:
                    return Outcome(None, f"rating {value:g} is outside its scale {low:g}–{best:g}")
                share = (value - low) / (best - low)
                return Outcome(min(_LINE, key=lambda kv: abs(kv[1] - share))[0], None, "numeric scale")
        if label and label.strip():
            return Outcome(None, f"unknown label “{label.strip()}”")
        return Outcome(None, "no rating label and no usable rating value")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A normalised rating key, or why there is none; ``via`` says what decided it."""

    key: str | None
    reason: str | None
    via: str | None = None


def publisher_scale(publisher: str | None) -> Scale | None:
    """The known numeric scale of ``publisher`` (a name or URL, known as ``publishers.known_publisher`` knows it),
    if any."""
    known = known_publisher(publisher)
    return PUBLISHER_SCALES.get(known.key) if known is not None else None
