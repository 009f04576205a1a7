"""The source picker's inputs carry the address of the suggestions; app.js reads it from there."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import url_for

from factcheck.resources import PACKAGE_DIR
from tests.e2e.conftest import signed_in


def test_every_source_picker_on_the_item_page_holds_the_search_address(app, client, world) -> None:
    signed_in(client, world, "checker")
    html = client.get(world.url("/items/{item_id}")).get_data(as_text=True)
    with app.test_request_context():
        expected = url_for("items.source_search")
    pickers = BeautifulSoup(html, "html.parser").select("[data-source-picker]")
    names = {p.get("name", "") for p in pickers}
    assert any(n.startswith("links-") for n in names), names  # the chain editor's sources
    assert "source" in names  # the evidence form's source
    assert expected == "/items/sources/search"
    assert {p["data-source-picker"] for p in pickers} == {expected}


def test_the_script_takes_the_address_from_the_page() -> None:
    script = (PACKAGE_DIR / "static" / "app.js").read_text(encoding="utf-8")
    assert "/items/sources/search" not in script
    assert "dataset.sourcePicker" in script
