"""Where each hedge is written: stored at ingest, marked on the item page, given by the API, kept true on edits."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from markupsafe import Markup

from factcheck.models import CheckItem
from factcheck.services.ingest import ingest_article
from factcheck.services.items import edit_item
from factcheck.web.templating import hedge_marks
from tests.e2e.api.conftest import bearer, tokens  # noqa: F401  (the fixture)
from tests.e2e.conftest import World, signed_in

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_text(encoding="utf-8")
HEDGED = ("Officials allegedly met the contractor twice, the mayor said on Monday. "
          "One intelligence source told the agency that the talks may resume.")


def _ingested(session, world: World, text: str = SEED) -> list[CheckItem]:
    items = ingest_article(session, text, actor=world.users["checker"], title="Hedges").items
    session.flush()
    return items


def test_every_stored_hedge_span_points_at_its_words_inside_the_claim(session, world):
    items = _ingested(session, world)
    article_text = items[0].article.text
    off_record = next(i for i in items if "off the record" in i.hedges)
    span = next(s for s in off_record.hedge_spans if s["label"] == "off the record")
    assert article_text[span["start"]:span["end"]].lower() == "off the record"
    spans = [(item, s) for item in items for s in item.hedge_spans]
    assert spans, "the seed article's hedges were stored without their places"
    for item, s in spans:
        assert s["label"] in item.hedges
        assert item.span_start <= s["start"] < s["end"] <= item.span_end


def test_hedges_of_a_plain_article_are_stored_with_their_spans(session, world):
    items = _ingested(session, world, HEDGED)
    labels = {s["label"]: items[0].article.text[s["start"]:s["end"]] for i in items for s in i.hedge_spans}
    assert labels.get("allegedly") == "allegedly"
    assert labels.get("may") == "may"


def test_the_item_page_marks_the_hedge_in_the_claim(client, session, world):
    off_record = next(i for i in _ingested(session, world) if "off the record" in i.hedges)
    signed_in(client, world, "checker")
    page = BeautifulSoup(client.get(f"/items/{off_record.id}").get_data(as_text=True), "html.parser")
    marks = page.select("blockquote.claim mark.hedge")
    assert [m.get_text() for m in marks if m["title"] == "Hedge: off the record"] == ["off the record"]
    assert page.select_one("blockquote.claim").get_text() == off_record.claim_text  # nothing lost or added


def test_removing_a_hedge_removes_its_mark_and_an_added_one_has_none(session, world):
    item = next(i for i in _ingested(session, world) if "off the record" in i.hedges)
    kept = [h for h in item.hedges if h != "off the record"]
    edit_item(session, item.id, world.users["editor"], version=item.version, hedges=[*kept, "unconfirmed"])
    assert "off the record" not in {s["label"] for s in item.hedge_spans}
    assert "unconfirmed" not in {s["label"] for s in item.hedge_spans}
    assert {s["label"] for s in item.hedge_spans} <= set(item.hedges)


def test_the_api_gives_each_hedge_span(client, session, world, tokens):  # noqa: F811
    item = next(i for i in _ingested(session, world) if "off the record" in i.hedges)
    body = client.get(f"/api/v1/items/{item.id}", headers=bearer(tokens[("checker", "read")])).get_json()
    stored = next(s for s in item.hedge_spans if s["label"] == "off the record")
    assert stored in body["hedge_spans"]
    assert len(body["hedge_spans"]) == len(item.hedge_spans)


def test_marks_escape_the_text_and_skip_spans_that_do_not_fit():
    text = "<b>He</b> allegedly said it may rain"
    start = 100
    spans = [{"label": "allegedly", "start": 110, "end": 119},
             {"label": "may", "start": 128, "end": 131},
             {"label": "overlap", "start": 112, "end": 115},  # inside "allegedly": skipped
             {"label": "outside", "start": 90, "end": 95},    # before the claim
             {"label": "past", "start": 130, "end": 200},     # runs past its end
             {"label": "odd", "start": "1", "end": 2}]        # not numbers
    html = hedge_marks(text, start, spans)
    assert isinstance(html, Markup)
    assert str(html) == ('&lt;b&gt;He&lt;/b&gt; <mark class="hedge" title="Hedge: allegedly">allegedly</mark> said it '
                         '<mark class="hedge" title="Hedge: may">may</mark> rain')
    assert str(hedge_marks(text, None, spans)) == "&lt;b&gt;He&lt;/b&gt; allegedly said it may rain"
    assert str(hedge_marks("x", 0, [{"label": "<i>", "start": 0, "end": 1}])) == \
        '<mark class="hedge" title="Hedge: &lt;i&gt;">x</mark>'
