"""Reading an article before it is stored: its text as stored, checked, and what the extractor finds in it.

The part of ingest that reads nothing stored (``services.ingest`` writes what is read here). It imports
no database code, so a process that only reads (``interchange.reading``) starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factcheck.domain.extract import extract
from factcheck.domain.ranking import Analysed, analyse
from factcheck.services.errors import InvalidInput

MAX_ARTICLE_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class ReadArticle:
    """An article's text as stored (``normalise_article_text``) and what the extractor found in it
    (``Extraction.to_dict``), ready for ``services.ingest.ingest_article``."""

    text: str
    extraction: dict[str, Any]
    #: Each assertion's text as claim matching analyses it (``ranking.analyse``), made where the article was
    #: read: a reader process hands them over with the article, and the writer does not analyse them again.
    analysed: tuple[Analysed, ...] = ()


def normalise_article_text(text: str) -> str:
    """The form articles are stored and hashed in: Unix newlines, no trailing space, no NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def checked_text(text: str) -> str:
    """``text`` as stored; ``InvalidInput`` when it is empty or too long."""
    text = normalise_article_text(text or "")
    if not text.strip():
        raise InvalidInput("The article is empty: paste its text or upload a .txt or .html file.")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InvalidInput(f"The article is longer than {MAX_ARTICLE_CHARS:,} characters; split it up.")
    return text


def read_checked(text: str) -> ReadArticle:
    """What the extractor finds in ``text``, already as ``checked_text`` returns it."""
    extraction = extract(text).to_dict()
    return ReadArticle(text, extraction, tuple(analyse(a["text"]) for a in extraction["assertions"]))


def read_article(text: str) -> ReadArticle:
    """``text`` checked (``checked_text``) and read by the extractor."""
    return read_checked(checked_text(text))
