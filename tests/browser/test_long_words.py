"""A word longer than the page (a pasted identifier, a mangled title) wraps inside its card: no page of the
desk or of readers scrolls sideways because of it, on a laptop or a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser

LONG_WORD = "Unbroken" * 60  # 480 characters without a space or a hyphen
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_a_very_long_word_in_an_evidence_title_wraps_instead_of_widening_the_page(desk, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, desk, "checker")
    item_url = desk.url + f"/items/{desk.ids['item_id']}"
    page.goto(item_url)
    page.locator(".item-actions a", has_text="Add evidence").click()
    form = page.locator("#evidence-form form")
    form.locator("#title").fill(LONG_WORD)
    form.locator("#url").fill("https://records.example.org/long")
    form.locator("#passage").fill("The record " + LONG_WORD)
    form.locator("#source").fill("Harbour Records Office")
    form.locator("#source_kind").select_option("organisation")
    form.locator("#stance").select_option("refutes")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("#source-choice").count():  # a name near a known source's: keep it as a new one
        page.locator("#source-choice input[value=new]").check()
        page.locator("#evidence-add button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(item_url)
    assert LONG_WORD[:40] in page.content(), "the evidence was not added"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(item_url)
        assert page.evaluate(OVERFLOW) <= 0, f"the item page scrolls sideways at {width} px"
    context.close()


#: The words of the list tables' column heads, numbers, first column (the item's number), status chips and
#: ratings that the browser laid out over more than one line: a word split in two, as "Prio / rity" or "1 / 2".
SPLIT_WORDS = """() => {
  const split = [];
  const cells = document.querySelectorAll(
    "table.list th, table.list td.num, table.list td:first-child, table.list .chip, table.list .rating");
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_column_heads_numbers_and_chips_are_never_split_inside_a_word(desk, browser):
    # 700 px: a laptop's half screen, where the desk's lists are squeezed most before they stack as cards.
    seen = {"numbers": 0, "chips": 0}
    for role, paths in (("checker", ("/my-work",)), ("editor", ("/triage", "/articles", "/sources", "/queue"))):
        context = browser.new_context(viewport={"width": 700, "height": 900})
        page = context.new_page()
        sign_in_as(page, desk, role)
        for path in paths:
            page.goto(desk.url + path)
            seen["numbers"] += page.locator("table.list td.num").count()
            seen["chips"] += page.locator("table.list .chip").count()
            assert page.evaluate(SPLIT_WORDS) == [], f"{path} splits words of its column heads, numbers or chips"
            assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 700 px"
        context.close()
    assert all(seen.values()), f"the lists showed too little to check: {seen}"
