"""Article input: decode uploaded bytes and turn an HTML page into its main text.

Outside the domain because it uses BeautifulSoup; the ingest service and the
``factcheck extract`` command share it.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning

#: Largest article accepted, in bytes.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024

_DROPPED_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg",
                 "template", "button", "select", "figure")
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4",
               "h5", "h6", "pre", "table", "tr", "dd", "dt", "figcaption", "address", "br", "hr")
_BLANK_RUN = re.compile(r"\n\s*\n\s*")
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Share of characters that may be control or unassigned before input counts as binary.
_MAX_ODD_SHARE = 0.05


class ArticleInputError(ValueError):
    """The input cannot be read as an article; the message says why in plain words."""


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML page: blocks separated by blank lines, chrome removed."""
    with warnings.catch_warnings():
        # A short page such as "<p>x.html</p>" is markup we were given, not a path to open.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROPPED_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for block in root.find_all(_BLOCK_TAGS):
        # Blank lines around every block keep paragraphs apart once the tags are gone.
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = root.get_text()
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def decode_article(data: bytes, filename: str) -> str:
    """Decode uploaded bytes as article text (HTML files reduced to their main text).

    Raises ArticleInputError for empty, binary, oversized or undecodable input.
    """
    name = filename or "the input"
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleInputError(f"{name} is larger than the 10 MB limit; split it or paste the article text only.")
    if not data.strip():
        raise ArticleInputError(f"{name} is empty; there is no article text to read.")
    if b"\x00" in data:
        raise ArticleInputError(f"{name} looks like a binary file, not article text.")
    text = _decode(data, name)
    if _odd_share(text) > _MAX_ODD_SHARE:
        raise ArticleInputError(f"{name} looks like a binary file, not article text.")
    if filename.lower().endswith(_HTML_SUFFIXES) or _looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            raise ArticleInputError(f"{name} is an HTML page without readable text.")
    return text


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "utf-8"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    # cp1252 decodes almost anything; accept it only when the result reads like text.
    if text is not None and not any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f" for ch in text):
        return text
    raise ArticleInputError(f"The file is not UTF-8 text ({name}); save it as UTF-8 and try again.")


def _odd_share(text: str) -> float:
    sample = text[:20000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in {"Cc", "Cn", "Co", "Cs"} and ch not in "\n\r\t\f")
    return odd / max(1, len(sample))


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))
