"""Verdict pages carry one valid ClaimReview, checked with a real structured-data parser (extruct)."""

from __future__ import annotations

import json

import extruct
import pytest

from factcheck.domain import claimreview_rules
from factcheck.domain.workflow import Role
from factcheck.interchange.claimreview import claimreview_problems_for_item
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from tests.factories import gen_source, gen_user
from tests.helpers import sign_in
from tests.integration.test_reports_queries import build_world, propose, publish

BASE = "http://factcheck.test"


def claimreviews(html: str, url: str) -> list[dict]:
    """Every ClaimReview object extruct finds in the page's JSON-LD."""
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    return [d for d in data if d.get("@type") == "ClaimReview"]


def page(client, item_id: int):
    response = client.get(f"/verdicts/{item_id}")
    return response, response.get_data(as_text=True)


def test_a_published_verdict_page_carries_exactly_one_claimreview_with_every_field(session, report_world, client, app):
    world = report_world
    response, html = page(client, world.published.id)
    assert response.status_code == 200
    [review] = claimreviews(html, f"{BASE}/verdicts/{world.published.id}")
    verdict = world.published.current_verdict
    assert review["@context"] in ("https://schema.org", "http://schema.org")
    assert review["url"] == f"{BASE}/verdicts/{world.published.id}"
    assert review["claimReviewed"] == "Putin is ready for a significant compromise on Ukraine"
    assert review["datePublished"] == verdict.published_at.date().isoformat()
    # No ORGANISATION_URL is set: the organisation is the site the request reached.
    assert review["author"] == {"@type": "Organization", "name": app.config["ORGANISATION_NAME"],
                                "url": f"{BASE}/"}
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 2,
                                      "bestRating": 6, "worstRating": 1}
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["datePublished"] == "2026-02-10"
    assert claim["author"] == {"@type": "Person", "name": "Vladimir Putin",
                               "sameAs": "https://en.wikipedia.org/wiki/Vladimir_Putin"}
    assert [a["url"] for a in claim["appearance"]] == ["https://news.example.com/story"]
    assert claim["appearance"][0]["@type"] == "CreativeWork"
    assert claimreview_rules.validate(review) == []


def test_the_json_ld_escapes_angle_brackets_and_ampersands_yet_parses_to_the_original_text(session, report_world,
                                                                                           client):
    world = report_world
    _, html = page(client, world.published.id)
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    assert "\\u003crumours\\u003e" in script
    [review] = claimreviews(html, BASE)
    assert review["itemReviewed"]["appearance"][0]["headline"] == "Talks & <rumours> about a deal"


def test_a_claim_containing_a_closing_script_tag_cannot_break_out_of_the_json_ld(session, report_world, client):
    world = report_world
    item = item_service.create_item(session, claim_text="Officials said </script><script>alert(1)</script> it.",
                                    actor=None, article=world.article)
    propose(session, item, world.checker, "false")
    publish(session, item, world.reviewer)
    _, html = page(client, item.id)
    assert "<script>alert(1)" not in html
    [review] = claimreviews(html, BASE)
    assert review["claimReviewed"] == "Officials said </script><script>alert(1)</script> it."


def test_a_long_claim_is_shortened_under_75_characters_at_a_word_boundary(session, report_world, client):
    world = report_world
    long_claim = ("Russian media reported that a talk show host stated that the president told him off the record "
                  "that he was ready for a significant compromise on the war")
    item = item_service.create_item(session, claim_text=long_claim, actor=None, article=world.article)
    propose(session, item, world.checker, "mostly-false")
    publish(session, item, world.reviewer)
    _, html = page(client, item.id)
    [review] = claimreviews(html, BASE)
    claimed = review["claimReviewed"]
    assert len(claimed) < 75 and claimed.endswith("…") and long_claim.startswith(claimed[:-1])
    assert "Mostly False" not in claimed


def test_a_claim_made_in_the_articles_own_voice_is_attributed_to_its_outlet_as_an_organization(session, report_world,
                                                                                               client):
    world = report_world
    _, html = page(client, world.published.id)
    item = item_service.create_item(session, claim_text="Prices doubled last year.", actor=None, article=world.article)
    propose(session, item, world.checker, "false")
    publish(session, item, world.reviewer)
    _, html = page(client, item.id)
    [review] = claimreviews(html, BASE)
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Kyiv Daily Example"}


def test_readers_get_404_for_a_verdict_under_review_and_staff_see_it_under_a_draft_banner(session, report_world,
                                                                                          client):
    world = report_world
    response, _ = page(client, world.draft.id)
    assert response.status_code == 404
    sign_in(client, world.checker.email)
    response, html = page(client, world.draft.id)
    assert response.status_code == 200
    assert "Draft — not published" in html and "Mostly True" in html
    assert claimreviews(html, BASE) == []
    assert response.headers["Cache-Control"] == "private, no-store"


def test_readers_get_404_for_an_item_without_a_verdict_and_for_an_unknown_item(session, report_world, client):
    world = report_world
    assert page(client, world.unchecked.id)[0].status_code == 404
    assert page(client, 987654)[0].status_code == 404


def test_an_unverifiable_verdict_is_published_without_markup_and_staff_are_told_why(session, report_world, client):
    world = report_world
    item = item_service.create_item(session, claim_text="A secret meeting took place.", actor=None,
                                    article=world.article)
    propose(session, item, world.checker, "unverifiable")
    publish(session, item, world.reviewer)
    response, html = page(client, item.id)
    assert response.status_code == 200 and "Unverifiable" in html
    assert claimreviews(html, BASE) == [] and "no place on the numeric scale" not in html
    sign_in(client, world.editor.email)
    _, html = page(client, item.id)
    assert "ClaimReview markup is withheld" in html and "no place on the numeric scale" in html


def test_the_feed_lists_every_published_review_and_withholds_invalid_ones(session, report_world, client):
    world = report_world
    unverifiable = item_service.create_item(session, claim_text="A secret meeting took place.", actor=None)
    propose(session, unverifiable, world.checker, "unverifiable")
    publish(session, unverifiable, world.reviewer)
    body = client.get("/claimreview.json").get_json()
    urls = [r["url"] for r in body["claimReviews"]]
    assert f"{BASE}/verdicts/{world.published.id}" in urls
    assert f"{BASE}/verdicts/{world.draft.id}" not in urls
    assert unverifiable.id in body["withheld"]
    assert all(claimreview_rules.validate(r) == [] for r in body["claimReviews"])


def test_the_feed_pages_through_with_after_and_limit(session, report_world, client):
    world = report_world
    ids = [world.published.id]
    for n in range(3):
        item = item_service.create_item(session, claim_text=f"Claim number {n} is here.", actor=None,
                                        chain=[LinkInput(gen_source(session), "said")])
        propose(session, item, world.checker, "false")
        publish(session, item, world.reviewer)
        ids.append(item.id)
    seen, url = [], "/claimreview.json?limit=2"
    while url:
        body = client.get(url.removeprefix(BASE)).get_json()
        seen += [int(r["url"].rsplit("/", 1)[1]) for r in body["claimReviews"]]
        url = body["next"]
    assert [i for i in seen if i in ids] == ids and len(seen) == len(set(seen))


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=ten", "after=-1"])
def test_the_feed_refuses_bad_paging_with_a_400_that_says_why(client, query):
    response = client.get(f"/claimreview.json?{query}")
    assert response.status_code == 400
    assert "must be a whole number" in response.get_data(as_text=True)


def test_the_verdict_form_can_list_claimreview_problems_before_publication(session, report_world, app):
    world = report_world
    with app.app_context():
        assert claimreview_problems_for_item(session, world.published, app.config) == []
        # Before any verdict only the claim's own rules apply; the outlet stands in for a missing claimant.
        assert claimreview_problems_for_item(session, world.unchecked, app.config) == []
        orphan = item_service.create_item(session, claim_text="Somebody said something.", actor=None)
        assert claimreview_problems_for_item(session, orphan, app.config) == [
            "itemReviewed.author.name is missing: record who made the claim (its claimant)."
        ]
        item = item_service.create_item(session, claim_text="It is true that the bridge is closed.", actor=None)
        propose(session, item, world.checker, "true")
        problems = claimreview_problems_for_item(session, item, app.config)
    assert any("contains the rating “True”" in p for p in problems)
    assert any("itemReviewed.author.name is missing" in p for p in problems)


def test_the_json_ld_block_is_data_that_a_json_parser_reads_directly(session, report_world, client):
    world = report_world
    _, html = page(client, world.published.id)
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script)["@type"] == "ClaimReview"


def test_a_reviewer_signed_in_sees_the_same_published_page_with_its_markup(session, report_world, client):
    world = report_world
    sign_in(client, gen_user(session, Role.REVIEWER).email)
    _, html = page(client, world.published.id)
    assert len(claimreviews(html, BASE)) == 1 and "Draft" not in html


def test_a_verdict_approved_as_another_rating_publishes_the_reviewers_rating(session, client):
    from factcheck.domain.workflow import Decision, Policy

    world = build_world(session)
    item = item_service.create_item(session, claim_text="Exports fell by half.", actor=None, article=world.article)
    propose(session, item, world.checker, "false")
    item_service.vote_on_verdict(session, item.id, world.reviewer, decision=Decision.APPROVE, policy=Policy(),
                                 rating_key="mostly-false")
    _, html = page(client, item.id)
    [review] = claimreviews(html, BASE)
    assert review["reviewRating"]["alternateName"] == "Mostly False"
