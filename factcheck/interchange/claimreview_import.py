"""Reading ClaimReview archives: JSON-LD (one object, a list, or a feed) and TSV/CSV exports.

JSON-LD may be a single ClaimReview, a list of them, or a feed ``{"claimReviews": [...]}`` or
``{"@graph": [...]}``; the Google Fact Check Tools shape ``{"claims": [{"text", "claimant",
"claimReview": [...]}]}`` is read too. Tables need a header row naming the ClaimReview fields
(FACTCK.BR: URL, Author, datePublished, claimReviewed, reviewBody, title, ratingValue, bestRating,
alternativeName). This module only parses; ``factcheck.services.imports`` stores.

Archives are messy, so every record is checked before it is stored: a field of the wrong shape
is read as missing, and a record that cannot be stored as it is (a claim, name or URL longer than
its column, a rating that is not a finite number, a NUL character) is rejected with its reason.
A document that cannot be read at all (not JSON, nested too deeply, no header) raises
``ValueError`` with a message for people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from factcheck.domain.links import link_problem
from factcheck.domain.labels import LabelNormaliser, parse_master_mapping
from factcheck.domain.archives import ClaimRecord
from factcheck.interchange.liar import MAX_CLAIM, Rejected

#: Longest values that fit their columns: a claimant becomes a source (``sources.name``), the
#: publisher is kept as ``verdicts.rated_by`` and the review's address as ``verdicts.review_url``.
MAX_NAME = 200
MAX_URL = 2000

@lru_cache(maxsize=1)
def default_normaliser() -> LabelNormaliser:
    """The label normaliser built from the shipped X-Fact map plus the desk's own additions."""
    text = resources.files("factcheck.data").joinpath("xfact_master_mapping.tsv").read_text(encoding="utf-8")
    return LabelNormaliser(parse_master_mapping(text.splitlines()))


class _Unusable(ValueError):
    """A record that cannot be stored as it is; the message says why."""


def _check(record: ClaimRecord) -> ClaimRecord | Rejected:
    """The record, or why it cannot be stored: lengths against the columns, characters a database refuses."""
    for name, value in (("claimReviewed", record.claim_text), ("the claimant", record.claimant),
                        ("the publisher", record.publisher), ("url", record.review_url),
                        ("the rating label", record.label), ("the title", record.title),
                        ("reviewBody", record.body)):
        if value is None:
            continue
        if "\x00" in value:
            return Rejected(record.line, f"{name} contains a NUL character, which cannot be stored")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return Rejected(record.line, f"{name} contains an unpaired surrogate (broken Unicode)")
    if len(record.claim_text) > MAX_CLAIM:
        return Rejected(record.line, f"claimReviewed is longer than {MAX_CLAIM} characters")
    if record.claimant is not None and len(record.claimant) > MAX_NAME:
        return Rejected(record.line, f"the claimant's name is longer than {MAX_NAME} characters")
    if len(record.rated_by) > MAX_NAME:
        return Rejected(record.line, f"the publisher's name is longer than {MAX_NAME} characters")
    if record.review_url is not None and len(record.review_url) > MAX_URL:
        return Rejected(record.line, f"the review's url is longer than {MAX_URL} characters")
    if record.label is not None and len(record.label) > MAX_NAME:
        return Rejected(record.line, f"the rating label is longer than {MAX_NAME} characters")
    return record


# --- helpers ----------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A string field (the first of a list; the name of an object), stripped; None when empty.

    Anything else (an object without a name, a list of lists, a boolean) counts as missing.
    """
    for _ in range(3):
        if isinstance(value, list):
            value = value[0] if value else None
        elif isinstance(value, dict):
            value = value.get("name") or value.get("url") or value.get("@id")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None


def _number(value: Any, name: str = "ratingValue") -> float | None:
    """A number field; None when missing or not a number; ``_Unusable`` when it is not finite."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or value == "":
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number):
        raise _Unusable(f"{name} is not a finite number")
    return number


def _date(value: Any) -> dt.date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _url(value: Any) -> str | None:
    text = _text(value)
    if text and not text.lower().startswith(("http://", "https://")):
        # FACTCK.BR mangles its author URLs ("https:www.aosfatos.org"): repair the slashes.
        if text.lower().startswith(("https:", "http:")):
            scheme, rest = text.split(":", 1)
            text = f"{scheme}://{rest.lstrip('/')}"
        else:
            return None
    # Not a link the backup could take back: none (one too long is refused with its record, as other long fields).
    return text if text is None or link_problem(text, max_chars=None) is None else None


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    return {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)}


def _object(value: Any) -> dict[str, Any]:
    """An object field (the first of a list); an empty object for anything else."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


# --- JSON-LD --------------------------------------------------------------------------------


def record_from_jsonld(number: int, obj: Any) -> ClaimRecord | Rejected:
    """One ClaimReview object, or why it cannot be used."""
    if not isinstance(obj, dict):
        return Rejected(number, "not a JSON object")
    if "ClaimReview" not in _types(obj):
        shown = obj.get("@type") if isinstance(obj.get("@type"), str | None) else "not a name"
        return Rejected(number, f"@type is {shown!r}, not ClaimReview")
    claim = _text(obj.get("claimReviewed"))
    if not claim:
        return Rejected(number, "claimReviewed is missing")
    rating = _object(obj.get("reviewRating"))
    item = _object(obj.get("itemReviewed"))
    author = item.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    publisher = obj.get("author") or obj.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    try:
        record = ClaimRecord(
            line=number,
            claim_text=claim,
            review_url=_url(obj.get("url")),
            publisher=_text(publisher) if not isinstance(publisher, dict) else (
                _text(publisher.get("name")) or _url(publisher.get("url"))),
            claimant=_text(author),
            claimant_is_person=isinstance(author, dict) and "Person" in _types(author),
            label=_text(rating.get("alternateName") or rating.get("alternativeName")),
            value=_number(rating.get("ratingValue")),
            best=_number(rating.get("bestRating"), "bestRating"),
            worst=_number(rating.get("worstRating"), "worstRating"),
            date=_date(obj.get("datePublished")),
            title=_text(obj.get("name") or obj.get("headline")),
            body=_text(obj.get("reviewBody")),
        )
    except _Unusable as exc:
        return Rejected(number, str(exc))
    return _check(record)


def _fact_check_tools(claims: list[Any]) -> Iterator[Any]:
    """Google Fact Check Tools claims → ClaimReview-shaped objects, or the reason one cannot be read."""
    for claim in claims:
        if not isinstance(claim, dict):
            yield _Unusable("the claim is not a JSON object")
            continue
        reviews = claim.get("claimReview") or [{}]
        if not isinstance(reviews, list):
            yield _Unusable("claimReview is not a list of reviews")
            continue
        for review in reviews:
            if not isinstance(review, dict):
                yield _Unusable("a claimReview entry is not a JSON object")
                continue
            publisher = _object(review.get("publisher"))
            yield {
                "@type": "ClaimReview",
                "claimReviewed": claim.get("text"),
                "url": review.get("url"),
                "author": {"name": publisher.get("name") or publisher.get("site")},
                "datePublished": review.get("reviewDate"),
                "name": review.get("title"),
                "reviewRating": {"alternateName": review.get("textualRating")},
                "itemReviewed": {"author": {"@type": "Person", "name": claim.get("claimant")}}
                if claim.get("claimant") else {},
            }


#: Integers with more digits than this are read as infinite (and so rejected where a number is
#: expected) instead of stopping the whole file at Python's limit on integer conversion.
_MAX_DIGITS = 100


def _int(text: str) -> int | float:
    return int(text) if len(text.lstrip("-")) <= _MAX_DIGITS else math.inf


def read_json(text: str) -> Iterator[ClaimRecord | Rejected]:
    """Records of a JSON-LD document; numbered by their position (1-based) in it."""
    try:
        data = json.loads(text, parse_int=_int)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None
    if isinstance(data, dict):
        if isinstance(data.get("claimReviews"), list):
            objects = data["claimReviews"]
        elif isinstance(data.get("@graph"), list):
            objects = data["@graph"]
        elif isinstance(data.get("claims"), list):
            objects = list(_fact_check_tools(data["claims"]))
        else:
            objects = [data]
    elif isinstance(data, list):
        objects = data
    else:
        raise ValueError("the JSON is neither a ClaimReview, a list of them, nor a feed")
    for number, obj in enumerate(objects, start=1):
        yield Rejected(number, str(obj)) if isinstance(obj, _Unusable) else record_from_jsonld(number, obj)


# --- tables ---------------------------------------------------------------------------------

#: Header names (folded) → ClaimRecord fields.
_COLUMNS = {
    "claimreviewed": "claim", "claim": "claim", "text": "claim",
    "url": "url", "reviewurl": "url",
    "author": "publisher", "publisher": "publisher",
    "claimant": "claimant", "itemreviewedauthor": "claimant",
    "datepublished": "date", "reviewdate": "date",
    "reviewbody": "body", "title": "title", "name": "title", "headline": "title",
    "ratingvalue": "value", "bestrating": "best", "worstrating": "worst",
    "alternatename": "label", "alternativename": "label", "textualrating": "label", "rating": "label",
}


def read_table(text: str, delimiter: str) -> Iterator[ClaimRecord | Rejected]:
    """Records of a TSV/CSV table with a header row; line numbers count the header as line 1."""
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    # Lines end at a line feed (or CR LF) alone, as csv reads them: not at every character ``splitlines`` takes for
    # one (U+2028 in a claim), and a quoted field keeps its line breaks.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    try:
        header = next(rows, None)
    except csv.Error as exc:
        raise ValueError(f"the header row cannot be read ({exc})") from None
    if not header:
        raise ValueError("the table is empty")
    fields = [_COLUMNS.get("".join(ch for ch in h.lower() if ch.isalnum())) for h in header]
    if "claim" not in fields:
        raise ValueError("the header names no claimReviewed column")
    while True:
        number = rows.line_num + 1  # the line the row begins on
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejected(number, f"the row cannot be read ({exc})")
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield Rejected(number, f"expected {len(header)} columns, found {len(cells)}")
            continue
        row = {f: c.strip() for f, c in zip(fields, cells, strict=True) if f}
        if not row.get("claim"):
            yield Rejected(number, "claimReviewed is empty")
            continue
        try:
            record = ClaimRecord(
                line=number, claim_text=" ".join(row["claim"].split()), review_url=_url(row.get("url")),
                publisher=_url(row.get("publisher")) or _text(row.get("publisher")),
                claimant=_text(row.get("claimant")), claimant_is_person=True, label=_text(row.get("label")),
                value=_number(row.get("value")), best=_number(row.get("best"), "bestRating"),
                worst=_number(row.get("worst"), "worstRating"), date=_date(row.get("date")),
                title=_text(row.get("title")), body=_text(row.get("body")),
            )
        except _Unusable as exc:
            yield Rejected(number, str(exc))
            continue
        yield _check(record)


def read_claimreview(path: Path | str) -> list[ClaimRecord | Rejected]:
    """Every record of a ClaimReview file (JSON-LD by content, else a table by extension or tabs)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return list(read_json(text))
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    first_line = stripped.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in first_line else ","
    return list(read_table(text, delimiter))
