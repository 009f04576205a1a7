"""Reading PolitiFact-style TSV files in the LIAR format (Wang, ACL 2017).

Fourteen tab-separated columns, no header: id ("2635.json"), label, statement, subjects, speaker
(a slug such as ``chain-email``), job, state, party, five credit-history counts (barely-true,
false, half-true, mostly-true, pants-fire) and context. Read with ``csv.QUOTE_NONE``: statements
contain bare quotes. This module only parses; ``factcheck.services.imports`` stores.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: LIAR labels → the desk's rating keys.
LIAR_LABELS = {
    "true": "true",
    "mostly-true": "mostly-true",
    "half-true": "half-true",
    "barely-true": "mostly-false",
    "false": "false",
    "pants-fire": "pants-on-fire",
}

#: The order of LIAR's credit-history columns.
CREDIT_LABELS = ("barely-true", "false", "half-true", "mostly-true", "pants-fire")

COLUMNS = 14

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


def parse_row(line: int, cells: list[str]) -> LiarRow | Rejected:
    """One row, or the reason it is rejected."""
    if len(cells) != COLUMNS:
        return Rejected(line, f"expected {COLUMNS} tab-separated columns, found {len(cells)}")
    ref, label, statement, subjects, speaker, job, state, party, *credit, context = (c.strip() for c in cells)
    if not ref:
        return Rejected(line, "the id column is empty")
    if label not in LIAR_LABELS:
        return Rejected(line, f"unknown label “{label}” (expected one of {', '.join(LIAR_LABELS)})")
    if not statement:
        return Rejected(line, "the statement is empty")
    if not any(ch.isalnum() for ch in speaker):
        return Rejected(line, "the speaker is empty")
    try:
        counts = tuple(int(float(c or 0)) for c in credit)
    except ValueError:
        return Rejected(line, "a credit-history count is not a number")
    return LiarRow(
        line=line, ref=ref[:190], label=label, rating_key=LIAR_LABELS[label], statement=statement,
        subjects=tuple(s.strip() for s in subjects.split(",") if s.strip()), speaker=speaker[:200],
        job=job, state=state, party=party, credit=counts, context=context,
    )


def read_liar(path: Path | str) -> Iterator[LiarRow | Rejected]:
    """Every row of a LIAR TSV file, parsed or rejected, with 1-based line numbers."""
    with open(path, encoding="utf-8", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if not cells or cells == [""]:
                continue
            yield parse_row(number, cells)
