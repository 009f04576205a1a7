"""The default rating scale. The scale itself is data (table ``ratings``); this is its seed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RatingSpec:
    """One rating on the scale."""

    key: str
    label: str
    #: 1.0 for true … 0.0 for false; None counts for nothing in a track record.
    truth_value: float | None
    colour: str
    #: The number published as ClaimReview ``ratingValue`` (1 = worst … 6 = best); None when unrated.
    claimreview_value: int | None
    position: int


#: PolitiFact's six levels plus Misleading and Unverifiable, best first.
DEFAULT_SCALE: tuple[RatingSpec, ...] = (
    RatingSpec("true", "True", 1.0, "#1a7f37", 6, 1),
    RatingSpec("mostly-true", "Mostly True", 0.8, "#4c9a2a", 5, 2),
    RatingSpec("half-true", "Half True", 0.5, "#bf8700", 4, 3),
    RatingSpec("misleading", "Misleading", 0.3, "#d4722c", 3, 4),
    RatingSpec("mostly-false", "Mostly False", 0.2, "#e0582f", 3, 5),
    RatingSpec("false", "False", 0.0, "#cf222e", 2, 6),
    RatingSpec("pants-on-fire", "Pants on Fire", 0.0, "#82071e", 1, 7),
    RatingSpec("unverifiable", "Unverifiable", None, "#6e7781", None, 8),
)

#: ClaimReview numeric bounds of the default scale.
CLAIMREVIEW_BEST = 6
CLAIMREVIEW_WORST = 1
