"""Labels that say one thing each: the navigation marks the page you are on, the article list names
its columns once."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import signed_in


def _current(page: str) -> list[str]:
    """The navigation links marked as the current page."""
    nav = page[page.index('<ul class="nav-links">'):page.index("</ul>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


@pytest.mark.parametrize(("url", "current"), [
    ("/my-work", ["/my-work"]),
    ("/items/{item_id}", []),
    ("/items/{published_item_id}", []),
    ("/items/evidence/{evidence_id}/edit", []),
    ("/articles", ["/articles"]),
    ("/articles/{article_id}", ["/articles"]),
    ("/triage", ["/triage"]),
    ("/sources/{source_id}", ["/sources"]),
    ("/admin/users", ["/admin/users"]),
])
def test_the_navigation_marks_only_the_section_of_the_page(client, world, url, current):
    signed_in(client, world, "admin" if url.startswith("/admin") else "editor")
    response = client.get(world.url(url))
    assert response.status_code == 200
    assert _current(response.get_data(as_text=True)) == current


def test_the_article_list_names_each_column_once(client, world):
    signed_in(client, world, "checker")
    page = client.get("/articles").get_data(as_text=True)
    head = page[page.index("<thead>"):page.index("</thead>")]
    labels = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    assert len(labels) == len(set(labels)), labels
    assert "Published on" in labels and "Verdicts published" in labels and "Published" not in labels
