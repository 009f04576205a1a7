"""Corrections through the services: a correction and a rating change are announced at the top of the
verdict page and the report; a clarification appears in the correction log only."""

from __future__ import annotations

import re

import extruct

from factcheck.domain.workflow import CorrectionTier, Policy, Status
from factcheck.services import items as item_service
from tests.helpers import sign_in
from tests.integration.test_reports_queries import publish


def reopen_and_republish(session, world, tier: CorrectionTier, note: str, rating: str) -> None:
    """An editor reopens the published item; its checker proposes again; a reviewer approves."""
    item = world.published
    item_service.reopen_item(session, item.id, world.editor, tier=tier.value, note=note)
    assert item.status is Status.EVIDENCE
    item_service.propose_verdict(session, item.id, world.checker, rating_key=rating, summary="Corrected summary.",
                                 rationale="Updated after the correction.", policy=Policy())
    publish(session, item, world.reviewer)
    assert item.status is Status.PUBLISHED


def top_of(html: str, marker: str) -> str:
    """The part of the page before ``marker`` (the page's first heading or the report's header)."""
    return html.split(marker, 1)[0]


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1]


def test_a_correction_is_announced_at_the_top_with_its_date_and_note(session, report_world, client):
    world = report_world
    reopen_and_republish(session, world, CorrectionTier.CORRECTION, "The interview date was wrong.", "false")
    date = world.published.current_verdict.published_at.date().isoformat()
    headline = f"Corrected on {date}: The interview date was wrong."
    verdict_html = main_of(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True))
    assert headline in top_of(verdict_html, "<h1>")
    report_html = main_of(client.get(f"/reports/articles/{world.article.id}").get_data(as_text=True))
    assert headline in top_of(report_html, '<header class="report-head">')
    assert "Correction log" in report_html and "The interview date was wrong." in report_html.split('id="log-heading"')[1]


def test_a_rating_change_names_the_old_and_the_new_rating_at_the_top(session, report_world, client):
    world = report_world
    reopen_and_republish(session, world, CorrectionTier.RATING_CHANGE, "New records came to light.", "mostly-false")
    verdict_html = main_of(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True))
    assert "Rating changed from False to Mostly False" in top_of(verdict_html, "<h1>")
    report_html = main_of(client.get(f"/reports/articles/{world.article.id}").get_data(as_text=True))
    assert "Rating changed from False to Mostly False" in top_of(report_html, '<header class="report-head">')
    [review] = [d for d in extruct.extract(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True),
                                           base_url="http://factcheck.test", syntaxes=["json-ld"])["json-ld"]]
    assert review["reviewRating"]["alternateName"] == "Mostly False" and review["reviewRating"]["ratingValue"] == 3
    first = world.published.verdicts[0].published_at.date().isoformat()
    assert review["datePublished"] == first


def test_a_clarification_appears_in_the_log_only(session, report_world, client):
    world = report_world
    reopen_and_republish(session, world, CorrectionTier.CLARIFICATION, "We added a link to the transcript.", "false")
    verdict_html = main_of(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True))
    assert "We added a link to the transcript." not in top_of(verdict_html, "<h1>")
    assert "Clarification" in verdict_html and "We added a link to the transcript." in verdict_html
    report_html = main_of(client.get(f"/reports/articles/{world.article.id}").get_data(as_text=True))
    assert "We added a link to the transcript." not in top_of(report_html, '<header class="report-head">')
    assert "We added a link to the transcript." in report_html.split('id="log-heading"')[1]
    assert "Corrected on" not in report_html and "Rating changed" not in report_html


def test_a_reopened_item_stays_public_under_review_until_it_is_published_again(session, report_world, client):
    world = report_world
    item_service.reopen_item(session, world.published.id, world.editor, tier="correction", note="Checking again.")
    page = client.get(f"/verdicts/{world.published.id}")
    assert page.status_code == 200 and "Under review." in page.get_data(as_text=True)
    body = client.get(f"/reports/articles/{world.article.id}.json").get_json()
    assert [i["id"] for i in body["items"]] == [world.published.id] and body["items"][0]["under_review"]
    assert body["items"][0]["verdict"]["rating"]["key"] == "false" and body["counts"]["not_shown"] == 2


def test_the_json_report_carries_the_correction_log_with_both_ratings(session, report_world, client):
    world = report_world
    reopen_and_republish(session, world, CorrectionTier.RATING_CHANGE, "New records came to light.", "half-true")
    body = client.get(f"/reports/articles/{world.article.id}.json").get_json()
    [entry] = body["corrections"]
    assert (entry["tier"], entry["from_rating"]["key"], entry["to_rating"]["key"]) == (
        "rating_change", "false", "half-true")
    assert entry["headline"] == "Rating changed from False to Half True"
    assert body["items"][0]["verdict"]["rating"]["key"] == "half-true"


def _log_entries(html: str) -> list[str]:
    """The correction log's entries as text (tags removed, spaces folded)."""
    log = html.split('<ol class="corrections">', 1)[1].split("</ol>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", "", entry).split()) for entry in log.split("<li>")[1:]]


def test_the_reports_log_names_an_item_by_its_number_in_the_report_as_its_notice_does(session, report_world, client):
    world = report_world
    reopen_and_republish(session, world, CorrectionTier.RATING_CHANGE, "New records came to light.", "mostly-false")
    report_html = main_of(client.get(f"/reports/articles/{world.article.id}").get_data(as_text=True))
    notice = report_html.split('<p class="correction-notice" role="note">', 1)[1].split("</p>", 1)[0]
    number = notice.split(f'<a href="#item-{world.published.id}">', 1)[1].split("</a>", 1)[0]
    [entry] = _log_entries(report_html.split('id="log-heading"', 1)[1])
    date = world.published.current_verdict.published_at.date().isoformat()
    assert entry.startswith(f"Rating change {date} {number}: New records came to light.")
    if number != f"#{world.published.id}":
        assert f"#{world.published.id}:" not in entry
    [on_its_page] = _log_entries(main_of(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True)))
    assert on_its_page.startswith(f"Rating change {date}: New records came to light.")  # no space before the colon


def test_a_rating_change_being_worked_on_names_only_the_rating_it_had(session, report_world, client):
    world = report_world
    item_service.reopen_item(session, world.published.id, world.editor, tier="rating_change", note="New records.")
    html = main_of(client.get(f"/verdicts/{world.published.id}").get_data(as_text=True))
    [entry] = _log_entries(html)
    assert "(being corrected)" in entry and "pending" not in entry and "Rating changed" not in entry
    body = client.get(f"/reports/articles/{world.article.id}.json").get_json()
    assert [c["headline"] for c in body["corrections"]] == ["Rating of False under correction"]


def test_a_rating_colour_that_is_not_a_colour_never_reaches_a_style_or_fill(session, report_world, client):
    """Whatever stores a rating's colour, only #rgb / #rrggbb reaches a page: the report (chip, card, span, chart),
    the verdict page and the claimant's source page show a neutral grey instead."""
    from sqlalchemy import text

    from factcheck.web.templating import NO_COLOUR

    world = report_world
    hostile = "x;}a{b"  # (the column holds 7 characters)
    session.execute(text("UPDATE ratings SET colour = :c WHERE key = 'false'"), {"c": hostile})
    session.flush()
    claimant = world.published.chain[0].source_id
    for path in (f"/reports/articles/{world.article.id}", f"/verdicts/{world.published.id}", f"/sources/{claimant}"):
        if path.startswith("/sources/"):
            sign_in(client, world.reviewer.email)  # the desk's page of the claimant's record
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert hostile not in html, path
        assert NO_COLOUR in html, path
