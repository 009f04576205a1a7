"""Reading PolitiFact-style TSV files in the LIAR format (Wang, ACL 2017).

Fourteen tab-separated columns, no header: id ("2635.json"), label, statement, subjects, speaker
(a slug such as ``chain-email``), job, state, party, five credit-history counts (barely-true,
false, half-true, mostly-true, pants-fire) and context. Read with ``csv.QUOTE_NONE``: statements
contain bare quotes. This module only parses; ``factcheck.services.imports`` stores.

A row that cannot be stored as it is (an over-long id, speaker or statement, a count that is not a
whole number the database can hold, a NUL character) is rejected with its reason, never cut short
or left to fail in the database; the rows around it are read as usual.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

from factcheck.domain.archives import RATED_BY, LiarRow, Rejected, display_name
from factcheck.domain.names import name_key

__all__ = ["RATED_BY", "LiarRow", "Rejected", "display_name", "read_liar"]

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

#: Longest values that fit the columns they are stored in (``check_items.external_ref`` holds
#: "liar:" + the id; a speaker slug becomes a source alias) or that a claim may sensibly have.
MAX_REF = 190
MAX_SPEAKER = 200
MAX_CLAIM = 20_000
#: A credit-history count above this is not a count of statements.
MAX_COUNT = 1_000_000_000

def parse_count(text: str) -> int | None:
    """A credit-history count ("3", "3.0", "" for 0), or None when it is not a whole number in range."""
    try:
        value = float(text or 0)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value) or not 0 <= value <= MAX_COUNT:
        return None
    return int(value)


def parse_row(line: int, cells: list[str]) -> LiarRow | Rejected:
    """One row, or the reason it is rejected."""
    if len(cells) != COLUMNS:
        return Rejected(line, f"expected {COLUMNS} tab-separated columns, found {len(cells)}")
    if any("\x00" in c for c in cells):
        return Rejected(line, "the row contains a NUL character, which cannot be stored")
    ref, label, statement, subjects, speaker, job, state, party, *credit, context = (c.strip() for c in cells)
    if not ref:
        return Rejected(line, "the id column is empty")
    if len(ref) > MAX_REF:
        return Rejected(line, f"the id is longer than {MAX_REF} characters")
    if label not in LIAR_LABELS:
        return Rejected(line, f"unknown label “{label}” (expected one of {', '.join(LIAR_LABELS)})")
    if not statement:
        return Rejected(line, "the statement is empty")
    if len(statement) > MAX_CLAIM:
        return Rejected(line, f"the statement is longer than {MAX_CLAIM} characters")
    if not any(ch.isalnum() for ch in speaker) or not name_key(speaker):  # (the key a source is found by)
        return Rejected(line, "the speaker is empty")
    if len(speaker) > MAX_SPEAKER:
        return Rejected(line, f"the speaker is longer than {MAX_SPEAKER} characters")
    counts = [parse_count(c) for c in credit]
    if any(count is None for count in counts):
        return Rejected(line, f"a credit-history count is not a whole number from 0 to {MAX_COUNT}")
    return LiarRow(
        line=line, ref=ref, label=label, rating_key=LIAR_LABELS[label], statement=statement,
        subjects=tuple(s.strip() for s in subjects.split(",") if s.strip()), speaker=speaker,
        job=job, state=state, party=party, credit=tuple(c for c in counts if c is not None), context=context,
    )


def read_liar(path: Path | str) -> Iterator[LiarRow | Rejected]:
    """Every row of a LIAR TSV file, parsed or rejected, with 1-based line numbers.

    With ``QUOTE_NONE`` every row is one line. A field too large for the csv module is rejected
    with its line, and reading goes on with the next line.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:  # (a byte order mark is not text)
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Rejected(reader.line_num, f"the row cannot be read ({exc})")
                continue
            if not cells or cells == [""]:
                continue
            yield parse_row(reader.line_num, cells)
