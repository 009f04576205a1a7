"""The rationale's Markdown: markdown-it renders it with raw HTML off, nh3 sanitises what comes out."""

from __future__ import annotations

from bs4 import BeautifulSoup

from factcheck.web.templating import markdown


def _links(html: str) -> list:
    return BeautifulSoup(html, "html.parser").find_all("a")


def test_links_carry_rel_noopener_noreferrer_nofollow():
    [link] = _links(markdown("See [the record](https://records.example.org/1)."))
    assert link["href"] == "https://records.example.org/1"
    assert set(link["rel"]) == {"noopener", "noreferrer", "nofollow"}


def test_only_web_and_mail_links_survive():
    html = markdown("[a](ftp://files.example/x) [b](intent://scan/#Intent;end) [c](tel:+123) "
                    "[d](mailto:desk@example.org) [e](javascript:alert(1))")
    assert [a.get("href") for a in _links(html) if a.get("href")] == ["mailto:desk@example.org"]


def test_raw_html_is_shown_as_text_never_as_markup():
    html = markdown("<script>alert(1)</script> <img src=x onerror=alert(1)> **bold**")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None and soup.find("strong").text == "bold"


def test_a_text_shown_again_is_not_rendered_again():
    from factcheck.web import templating

    text = "A rationale shown on every page of this item: **twice** over."
    first = markdown(text)
    hits = templating._rendered.cache_info().hits
    assert markdown(text) == first and "<strong>twice</strong>" in first
    assert templating._rendered.cache_info().hits == hits + 1


def test_a_long_text_is_rendered_and_sanitised_but_not_kept():
    from factcheck.web import templating

    text = "<script>alert(1)</script> [x](javascript:alert(1)) " + "word " * 2_000
    size = templating._rendered.cache_info().currsize
    html = markdown(text)
    assert len(text) > templating._KEPT_UP_TO
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and not _links(html) and html.count("word") == 2_000
    assert templating._rendered.cache_info().currsize == size


def test_an_image_from_another_site_is_not_kept():
    """A rationale's image would be fetched from its site by whoever opens a report saved as a file (it has
    no Content-Security-Policy): the image is dropped; links stay."""
    html = markdown("See ![the chart](https://elsewhere.example/pixel.png) and [the source](https://example.org/).")
    soup = BeautifulSoup(str(html), "html.parser")
    assert soup.find("img") is None and "elsewhere.example" not in str(html)
    assert soup.find("a")["href"] == "https://example.org/"
