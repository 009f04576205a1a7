"""Reading ClaimReview archives: JSON-LD (one object, a list, or a feed) and TSV/CSV exports.

JSON-LD may be a single ClaimReview, a list of them, or a feed ``{"claimReviews": [...]}`` or
``{"@graph": [...]}``; the Google Fact Check Tools shape ``{"claims": [{"text", "claimant",
"claimReview": [...]}]}`` is read too. Tables need a header row naming the ClaimReview fields
(FACTCK.BR: URL, Author, datePublished, claimReviewed, reviewBody, title, ratingValue, bestRating,
alternativeName). This module only parses; ``factcheck.services.imports`` stores.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from factcheck.domain.labels import LabelNormaliser, parse_master_mapping
from factcheck.domain.names import domain_key
from factcheck.interchange.liar import Rejected


@lru_cache(maxsize=1)
def default_normaliser() -> LabelNormaliser:
    """The label normaliser built from the shipped X-Fact map plus the desk's own additions."""
    text = resources.files("factcheck.data").joinpath("xfact_master_mapping.tsv").read_text(encoding="utf-8")
    return LabelNormaliser(parse_master_mapping(text.splitlines()))


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


# --- helpers ----------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A string field (the first of a list; the name of an object), stripped; None when empty."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


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
    return text


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    return {str(v) for v in (value if isinstance(value, list) else [value])}


# --- JSON-LD --------------------------------------------------------------------------------


def record_from_jsonld(number: int, obj: Any) -> ClaimRecord | Rejected:
    """One ClaimReview object, or why it cannot be used."""
    if not isinstance(obj, dict):
        return Rejected(number, "not a JSON object")
    if "ClaimReview" not in _types(obj):
        return Rejected(number, f"@type is {obj.get('@type')!r}, not ClaimReview")
    claim = _text(obj.get("claimReviewed"))
    if not claim:
        return Rejected(number, "claimReviewed is missing")
    rating = obj.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    if not isinstance(rating, dict):
        rating = {}
    item = obj.get("itemReviewed") or {}
    item = item if isinstance(item, dict) else {}
    author = item.get("author") or {}
    if isinstance(author, list):
        author = author[0] if author else {}
    claimant = _text(author)
    publisher = obj.get("author") or obj.get("publisher")
    return ClaimRecord(
        line=number,
        claim_text=claim,
        review_url=_url(obj.get("url")),
        publisher=_text(publisher) if not isinstance(publisher, dict) else (
            _text(publisher.get("name")) or _url(publisher.get("url"))),
        claimant=claimant,
        claimant_is_person=isinstance(author, dict) and "Person" in _types(author),
        label=_text(rating.get("alternateName") or rating.get("alternativeName")),
        value=_number(rating.get("ratingValue")),
        best=_number(rating.get("bestRating")),
        worst=_number(rating.get("worstRating")),
        date=_date(obj.get("datePublished")),
        title=_text(obj.get("name") or obj.get("headline")),
        body=_text(obj.get("reviewBody")),
    )


def _fact_check_tools(claims: list[Any]) -> Iterator[dict[str, Any]]:
    """Google Fact Check Tools claims → ClaimReview-shaped objects."""
    for claim in claims:
        if not isinstance(claim, dict):
            yield {}
            continue
        for review in claim.get("claimReview") or [{}]:
            publisher = review.get("publisher") or {}
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


def read_json(text: str) -> Iterator[ClaimRecord | Rejected]:
    """Records of a JSON-LD document; numbered by their position (1-based) in it."""
    data = json.loads(text)
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
        yield record_from_jsonld(number, obj)


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
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    rows = csv.reader(text.splitlines(), delimiter=delimiter, quoting=quoting)
    header = next(rows, None)
    if not header:
        raise ValueError("the table is empty")
    fields = [_COLUMNS.get("".join(ch for ch in h.lower() if ch.isalnum())) for h in header]
    if "claim" not in fields:
        raise ValueError("the header names no claimReviewed column")
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield Rejected(number, f"expected {len(header)} columns, found {len(cells)}")
            continue
        row = {f: c.strip() for f, c in zip(fields, cells, strict=True) if f}
        if not row.get("claim"):
            yield Rejected(number, "claimReviewed is empty")
            continue
        yield ClaimRecord(
            line=number, claim_text=" ".join(row["claim"].split()), review_url=_url(row.get("url")),
            publisher=_url(row.get("publisher")) or _text(row.get("publisher")), claimant=_text(row.get("claimant")),
            claimant_is_person=True, label=_text(row.get("label")), value=_number(row.get("value")),
            best=_number(row.get("best")), worst=_number(row.get("worst")), date=_date(row.get("date")),
            title=_text(row.get("title")), body=_text(row.get("body")),
        )


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
