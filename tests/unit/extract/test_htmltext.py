"""Reading uploaded articles: HTML to text, and plain-words errors for bad files."""

from __future__ import annotations

import time

import pytest

from factcheck.interchange.htmltext import MAX_ARTICLE_BYTES, ArticleInputError, decode_article, html_to_text

PAGE = """<!doctype html><html><head><title>T</title><style>p {color: red}</style>
<script>var tracking = "Lavrov said nothing";</script></head>
<body><header>Site menu</header><nav><a href="/">Home</a></nav>
<article><h1>Lavrov speaks</h1><p>Foreign Minister Sergei Lavrov <b>said</b> the talks failed.</p>
<p>Reuters wrote that the offer was refused.</p><aside>Read also: other story</aside>
<form><input name="q"></form><noscript>Enable JS</noscript></article>
<footer>Copyright 2024</footer></body></html>"""


def test_html_to_text_keeps_the_article_text_and_drops_scripts_styles_and_chrome():
    text = html_to_text(PAGE)
    assert "Foreign Minister Sergei Lavrov said the talks failed." in text
    assert "Reuters wrote that the offer was refused." in text
    for chrome in ("tracking", "color: red", "Site menu", "Home", "Read also", "Enable JS", "Copyright"):
        assert chrome not in text


def test_html_to_text_separates_blocks_with_blank_lines():
    assert html_to_text("<p>One.</p><p>Two.</p><div>Three</div>") == "One.\n\nTwo.\n\nThree"


def test_decode_article_reads_utf8_with_or_without_a_byte_order_mark():
    assert decode_article("Kyiv – “quoted”".encode(), "a.txt") == "Kyiv – “quoted”"
    assert decode_article(b"\xef\xbb\xbfHello", "a.txt") == "Hello"


def test_decode_article_reads_utf16_with_its_byte_order_mark():
    """Notepad's "Unicode" is UTF-16 with a byte order mark: its NUL bytes made it "a binary file" before."""
    text = "The minister said that the Straße reopens on 2 May.\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
        assert decode_article(bom + text.encode(encoding), "notes.txt") == text
    with pytest.raises(ArticleInputError, match="does not decode as it"):
        decode_article(b"\xff\xfe" + b"\x00\xd8", "odd.txt")  # a lone surrogate
    with pytest.raises(ArticleInputError, match="binary"):
        decode_article(b"\x00\x01\x02binary\x00", "upload.txt")  # NULs without the mark: still refused


def test_decode_article_accepts_windows_1252_text():
    assert decode_article("caf\u00e9 \u201cquoted\u201d".encode("cp1252"), "a.txt") == "caf\u00e9 \u201cquoted\u201d"


def test_decode_article_turns_html_files_into_text():
    assert "Sergei Lavrov said" in decode_article(PAGE.encode(), "page.html")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (bytes(range(128, 160)) * 50, "not UTF-8"),
        (b"x" * (MAX_ARTICLE_BYTES + 1), "10 MB limit"),
    ],
)
def test_decode_article_explains_unreadable_input_in_plain_words(data: bytes, message: str):
    with pytest.raises(ArticleInputError, match=message):
        decode_article(data, "upload.txt")


def test_the_input_error_is_a_value_error():
    assert issubclass(ArticleInputError, ValueError)


def test_deeply_nested_blocks_are_read_in_time_proportional_to_the_page():
    page = "<div>" * 8_000 + "The ministry said the talks failed." + "</div>" * 8_000
    started = time.process_time()  # this process's CPU time: other processes' load does not count
    text = html_to_text(page)
    spent = time.process_time() - started
    assert text == "The ministry said the talks failed."
    # About half a second; separators inserted into the tree block by block took 15 s.
    assert spent < 5, f"{spent:.1f} s of CPU"


def test_a_page_of_more_tags_than_any_article_page_is_refused_in_plain_words():
    """A page of nothing but tags costs the parser ten times a page of text of the same size (a 9.6 MB one
    took 40 s and 1.4 GB): beyond ``MAX_HTML_TAGS`` it is refused, by upload, paste or API alike."""
    from factcheck.interchange.htmltext import MAX_HTML_TAGS

    bomb = "<b>x</b>" * (MAX_HTML_TAGS // 2 + 1)
    with pytest.raises(ArticleInputError, match=r"bomb\.html holds more than 100,000 HTML tags"):
        decode_article(bomb.encode(), "bomb.html")
    with pytest.raises(ArticleInputError, match="The page holds more than"):
        html_to_text(bomb)
    page = "<p>The ministry said the talks failed.</p>" * (MAX_HTML_TAGS // 4)  # half the bound: read
    assert decode_article(page.encode(), "page.html").startswith("The ministry said the talks failed.")


def test_comments_and_doctypes_are_not_text_and_inline_tags_do_not_split_words():
    page = '<!DOCTYPE html><p>Lavrov <i>said</i><!-- hidden --> it <span>was</span> over.</p><p>Next.</p>'
    assert html_to_text(page) == "Lavrov said it was over.\n\nNext."
