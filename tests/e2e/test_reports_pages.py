"""The article verdict report over HTTP: readers see published verdicts, staff also see drafts."""

from __future__ import annotations

import csv
import io

from factcheck.queries.reports import CSV_COLUMNS
from factcheck.services import items as item_service
from tests.helpers import sign_in
from tests.integration.test_reports_queries import CLAIM_A, CLAIM_B, propose, publish


def report(client, world, suffix: str = ""):
    return client.get(f"/reports/articles/{world.article.id}{suffix}")


def test_readers_see_the_published_verdict_highlighted_and_nothing_of_the_draft(session, report_world, client):
    world = report_world
    response = report(client, world)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="claim-span state-published"' in html and "--rating-colour: #cf222e" in html
    assert 'id="item-%d"' % world.published.id in html and 'id="item-%d"' % world.draft.id not in html
    assert "Mostly so." not in html and "Draft" not in html
    assert "2 further assertions not yet checked" in html
    assert "Cache-Control" not in response.headers or "no-store" not in response.headers["Cache-Control"]


def test_staff_see_the_draft_under_a_banner_and_the_response_is_not_cached(session, report_world, client):
    world = report_world
    sign_in(client, world.reviewer.email)
    response = report(client, world)
    html = response.get_data(as_text=True)
    assert "Draft — this report shows 1 proposed verdict that readers cannot see yet." in html
    assert 'id="item-%d"' % world.draft.id in html and "Mostly so." in html
    assert 'class="claim-span state-draft"' in html and "not yet checked" in html
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_card_shows_claimant_chain_with_verbs_hedges_evidence_reviewers_and_rendered_rationale(session,
                                                                                                   report_world,
                                                                                                   client):
    world = report_world
    html = report(client, world).get_data(as_text=True)
    card = html.split('id="item-%d"' % world.published.id, 1)[1].split("</article>", 1)[0]
    assert "Vladimir Putin <em>told</em>" in card and "Talk Show Host Example <em>stated</em>" in card
    assert "Russian media <em>reported</em>" in card and "off the record" in card
    assert "Two <strong>records</strong> refute it." in card
    assert "refutes" in card and "Transcript" in card and "context" in card
    assert world.reviewer.display_name in card and world.checker.display_name in card


def test_article_text_and_rationale_are_escaped_never_executed(session, report_world, client):
    world = report_world
    sign_in(client, world.checker.email)
    html = report(client, world).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in html
    assert CLAIM_A in html


def test_the_report_shows_the_sources_records_and_an_inline_svg_chart(session, report_world, client):
    world = report_world
    html = report(client, world).get_data(as_text=True)
    assert "The sources&#39; records" in html or "The sources' records" in html
    sources = html.split('id="sources-heading"', 1)[1].split("</section>", 1)[0]
    assert "Vladimir Putin" in sources and "Russian media" in sources
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'fill="#cf222e"' in chart and 'width="300.0"' in chart and "False 1" in chart


def test_the_json_report_matches_what_the_reader_may_see(session, report_world, client):
    world = report_world
    body = report(client, world, ".json").get_json()
    assert body["article"]["title"] == "Talks & <rumours> about a deal"
    assert [i["id"] for i in body["items"]] == [world.published.id]
    item = body["items"][0]
    assert item["chain"][0]["verb"] == "told" and item["claimant"]["name"] == "Vladimir Putin"
    assert item["verdict"]["rating"]["key"] == "false" and len(item["verdict"]["evidence"]) == 2
    assert item["verdict"]["url"] == f"http://factcheck.test/verdicts/{world.published.id}"
    assert body["counts"] == {"shown": 1, "published": 1, "drafts": 0, "not_shown": 2, "by_rating": {"false": 1}}
    assert body["includes_drafts"] is False


def test_staff_get_the_drafts_in_the_json_report_marked_as_drafts(session, report_world, client):
    world = report_world
    sign_in(client, world.editor.email)
    body = report(client, world, ".json").get_json()
    states = {i["id"]: i["state"] for i in body["items"]}
    assert states[world.draft.id] == "draft" and states[world.unchecked.id] == "unchecked"
    assert body["includes_drafts"] is True


def test_the_csv_report_has_the_documented_columns_and_one_row_per_item(session, report_world, client):
    world = report_world
    response = report(client, world, ".csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [(r["item_id"], r["rating_label"], r["claimant"]) for r in rows] == [
        (str(world.published.id), "False", "Vladimir Putin")]
    assert rows[0]["chain"] == "Vladimir Putin (told) | Talk Show Host Example (stated) | Russian media (reported)"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(session, report_world, client):
    world = report_world
    item = item_service.create_item(session, claim_text="=HYPERLINK(\"http://x\") is a claim.", actor=None,
                                    article=world.article)
    propose(session, item, world.checker, "false")
    publish(session, item, world.reviewer)
    rows = list(csv.DictReader(io.StringIO(report(client, world, ".csv").get_data(as_text=True))))
    assert [r["claim"] for r in rows if r["item_id"] == str(item.id)] == ["'=HYPERLINK(\"http://x\") is a claim."]


def test_an_unknown_article_is_a_404_in_every_format(client):
    for suffix in ("", ".json", ".csv"):
        response = client.get(f"/reports/articles/987654{suffix}")
        assert response.status_code == 404, suffix


def test_the_reports_index_lists_articles_with_published_verdict_counts(session, report_world, client):
    world = report_world
    html = client.get("/reports").get_data(as_text=True)
    assert "Talks &amp; &lt;rumours&gt; about a deal" in html
    row = html.split(f'/reports/articles/{world.article.id}"', 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in row


def test_a_draft_claim_text_is_not_leaked_to_readers_through_any_format(session, report_world, client):
    world = report_world
    for suffix in (".json", ".csv"):
        assert "Mostly so." not in report(client, world, suffix).get_data(as_text=True)
    assert CLAIM_B.split("<")[0] in report(client, world).get_data(as_text=True)  # the article text itself is public


def test_the_verdict_page_does_not_link_to_itself_and_the_report_links_each_verdict(client, report_world):
    published, article = report_world.published.id, report_world.article.id
    verdict = client.get(f"/verdicts/{published}").get_data(as_text=True)
    assert f'href="/verdicts/{published}"' not in verdict
    report = client.get(f"/reports/articles/{article}").get_data(as_text=True)
    assert f'/verdicts/{published}">Verdict page #{published}</a>' in report
