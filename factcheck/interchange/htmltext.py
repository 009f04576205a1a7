"""Article input: decode uploaded bytes and turn an HTML page into its main text.

Outside the domain because it uses BeautifulSoup; the ingest service and the
``factcheck extract`` command share it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, CData, Comment, MarkupResemblesLocatorWarning, NavigableString, PageElement, Tag

#: Largest article accepted, in bytes.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024

_DROPPED_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg",
                 "template", "button", "select", "figure")
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4",
               "h5", "h6", "pre", "table", "tr", "dd", "dt", "figcaption", "address", "br", "hr")
#: The strings that are text (not comments, doctypes or processing instructions), as bs4's get_text reads them.
_TEXT_TYPES = (NavigableString, CData)
_BLANK_RUN = re.compile(r"\n\s*\n\s*")
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Share of characters that may be control or unassigned before input counts as binary.
_MAX_ODD_SHARE = 0.05
#: Most tags an HTML page may hold. A news page saved from a browser holds a few thousand to some tens of
#: thousands; the parser spends about ten times as long on a byte of tags as on a byte of text, so a page of
#: nothing but tags (``<b>x</b>`` × a million: 40 s and 1.4 GB) is refused rather than read.
MAX_HTML_TAGS = 100_000


class ArticleInputError(ValueError):
    """The input cannot be read as an article; the message says why in plain words."""


def html_to_text(html: str, name: str = "The page") -> str:
    """Return the readable text of an HTML page: blocks separated by blank lines, chrome removed.

    Raises ArticleInputError for a page of more than ``MAX_HTML_TAGS`` tags (``name`` names it in the message).
    """
    if html.count("<") > MAX_HTML_TAGS:
        raise ArticleInputError(f"{name} holds more than {MAX_HTML_TAGS:,} HTML tags, far more than an article page; "
                                "save the article's text and add that instead.")
    with warnings.catch_warnings():
        # A short page such as "<p>x.html</p>" is markup we were given, not a path to open.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROPPED_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    text = _text_with_blocks(root)
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def _text_with_blocks(root: Tag) -> str:
    """The text under ``root``, with blank lines around every block so paragraphs stay apart.

    One walk over the tree with a stack of its own: time in proportion to the page, however deep
    its nesting (inserting separators into the tree costs time in proportion to the depth each time).
    """
    parts: list[str] = []
    stack: list[tuple[PageElement, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, closing = stack.pop()
        if closing:
            parts.append("\n\n")
        elif isinstance(node, Tag):
            if node.name in _BLOCK_TAGS:
                parts.append("\n\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in _TEXT_TYPES:
            parts.append(str(node))
    return "".join(parts)


def decode_article(data: bytes, filename: str) -> str:
    """Decode uploaded bytes as article text (HTML files reduced to their main text).

    Raises ArticleInputError for empty, binary, oversized or undecodable input.
    """
    name = filename or "the input"
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleInputError(f"{name} is larger than the 10 MB limit; split it or paste the article text only.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-16 with its mark (Notepad's "Unicode")
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ArticleInputError(f"{name} begins as UTF-16 text but does not decode as it; save it as UTF-8 "
                                    "and try again.") from None
    if not data.strip():
        raise ArticleInputError(f"{name} is empty; there is no article text to read.")
    if b"\x00" in data:
        raise ArticleInputError(f"{name} looks like a binary file, not article text.")
    text = _decode(data, name)
    if _odd_share(text) > _MAX_ODD_SHARE:
        raise ArticleInputError(f"{name} looks like a binary file, not article text.")
    if filename.lower().endswith(_HTML_SUFFIXES) or _looks_like_html(text):
        text = html_to_text(text, name)
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
