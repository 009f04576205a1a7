"""What the archive readers hand over: checked rows of LIAR and ClaimReview archives, as plain data.

The readers (``factcheck.interchange``) parse files into these; the import service stores them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from factcheck.domain.names import domain_key
from factcheck.domain.publishers import known_publisher

#: The PolitiFact rulings the LIAR statements come from.
RATED_BY = "PolitiFact"

#: Parties that tell a speaker is a person (LIAR has no kind column).
_PERSON_PARTIES = frozenset({
    "republican", "democrat", "independent", "libertarian", "green", "constitution-party", "tea-party-member",
    "columnist", "journalist", "talk-show-host", "activist", "business-leader", "newsmaker",
    "state-official", "county-commissioner", "education-official", "labor-leader", "Moderate",
})


@dataclass(frozen=True, slots=True)
class LiarRow:
    """One statement of a LIAR file, checked and mapped onto the desk's scale."""

    line: int
    ref: str
    label: str
    rating_key: str
    statement: str
    subjects: tuple[str, ...]
    speaker: str
    job: str
    state: str
    party: str
    credit: tuple[int, ...]
    context: str

    @property
    def external_ref(self) -> str:
        """The item's identifier in factcheck: "liar:2635.json"."""
        return f"liar:{self.ref}"

    @property
    def speaker_name(self) -> str:
        """A display name from the slug: "jeb-bush" → "Jeb Bush" (upper-case parts kept: "AARP")."""
        return display_name(self.speaker)

    @property
    def speaker_is_person(self) -> bool:
        """A guess from the party and job columns: LIAR does not say what a speaker is."""
        return self.party in _PERSON_PARTIES or bool(self.job)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line that could not be imported, and why."""

    line: int
    reason: str


def display_name(slug: str) -> str:
    """A name for people from a LIAR speaker slug."""
    parts = [p for p in slug.replace("_", "-").split("-") if p]
    return " ".join(p if any(ch.isupper() for ch in p) else p.capitalize() for p in parts) or slug


#: Publishers that archives name only by a (sometimes mangled) address, by a fragment of it.

@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One reviewed claim, as the archive gives it."""

    line: int
    claim_text: str
    review_url: str | None
    publisher: str | None
    claimant: str | None
    claimant_is_person: bool
    label: str | None
    value: float | None
    best: float | None
    worst: float | None
    date: dt.date | None
    title: str | None
    body: str | None

    @property
    def external_ref(self) -> str:
        """A stable id: one review page may check several claims, so the claim is part of it."""
        digest = hashlib.sha1(f"{self.review_url or self.publisher or ''}\n{self.claim_text}".encode()).hexdigest()
        site = domain_key(self.review_url) if self.review_url else "unknown"
        return f"claimreview:{site[:120]}:{digest[:24]}"

    @property
    def rated_by(self) -> str:
        """The fact-checker who published the review, as readers should see it named."""
        return publisher_name(self.publisher, self.review_url)


def publisher_name(publisher: str | None, review_url: str | None = None) -> str:
    """A name for the publisher: its own name, a known name for its address, or the address's domain."""
    value = publisher or review_url
    if not value:
        return "an unnamed fact-checker"
    if not value.lower().startswith(("http://", "https://")):
        return value
    known = known_publisher(value)
    return known.name if known is not None else domain_key(value) or value
