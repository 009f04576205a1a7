"""What the public sees: imported verdicts under their own fact-checker, no report of an unpublished
article, no anonymous source named, a reopened verdict kept public under review, and no 5xx for
any number in an address."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import extruct
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from factcheck.domain.workflow import CorrectionTier, Policy, Role, Stance, Status
from factcheck.interchange.claimreview_import import default_normaliser, read_claimreview
from factcheck.interchange.liar import read_liar
from factcheck.models import Article, CheckItem, UserRole
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.imports import import_claimreview_records, import_liar_rows
from factcheck.services.items import LinkInput
from tests.conftest import make_test_app
from tests.factories import gen_source, gen_user
from tests.helpers import login, sign_in
from tests.integration.test_reports_queries import build_world, propose, publish

BASE = "http://factcheck.test"

LIAR_ROW = ["2635.json", "false", "Says the moon is made of cheese.", "space", "chain-email", "", "", "none",
            "0", "1", "0", "0", "1", "an email"]

#: A FACTCK.BR-shaped table: the publisher is a mangled address, and no claimant is named.
FACTCKBR = (
    "URL\tAuthor\tdatePublished\tclaimReviewed\treviewBody\ttitle\tratingValue\tbestRating\talternativeName\n"
    "https://aosfatos.org/noticias/insulina/\thttps:www.aosfatos.org\t2019-07-22\t"
    "Governo retirou a insulina do SUS.\tO governo não encerrou a distribuição.\tNão suspendeu\t1\t5\tfalso\n"
)


def claimreviews(html: str) -> list[dict]:
    """Every ClaimReview object a structured-data parser finds in the page."""
    data = extruct.extract(html, base_url=BASE, syntaxes=["json-ld"])["json-ld"]
    return [d for d in data if d.get("@type") == "ClaimReview"]


def import_liar(session, tmp_path: Path) -> CheckItem:
    path = tmp_path / "liar.tsv"
    path.write_text("\t".join(LIAR_ROW) + "\n", encoding="utf-8")
    assert import_liar_rows(session, read_liar(path), actor=None).imported == 1
    return session.scalars(select(CheckItem).where(CheckItem.external_ref == "liar:2635.json")).one()


def import_reviews(session, path: Path) -> list[CheckItem]:
    report = import_claimreview_records(session, read_claimreview(path), actor=None, normaliser=default_normaliser())
    assert report.rejected == [] and report.imported >= 1
    return list(session.scalars(select(CheckItem).where(CheckItem.origin == "claimreview").order_by(CheckItem.id)))


def publish_desk_item(session, world, claim: str) -> CheckItem:
    item = item_service.create_item(session, claim_text=claim, actor=None, chain=[LinkInput(gen_source(session), "said")])
    propose(session, item, world.checker, "false")
    publish(session, item, world.reviewer)
    return item


# --- 4. imported verdicts keep their own fact-checker ------------------------------------------


def test_an_imported_liar_verdict_is_rated_by_politifact_and_carries_no_markup_naming_the_desk(session, client,
                                                                                               tmp_path):
    item = import_liar(session, tmp_path)
    response = client.get(f"/verdicts/{item.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rated by <strong>PolitiFact</strong>" in html and "not a verdict of this desk" in html
    assert claimreviews(html) == [] and "application/ld+json" not in html


def test_an_imported_claimreview_keeps_its_publisher_date_and_address_and_claims_no_article(session, client,
                                                                                           tmp_path):
    path = tmp_path / "factckbr.tsv"
    path.write_text(FACTCKBR, encoding="utf-8")
    [item] = import_reviews(session, path)
    html = client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Rated by <strong>Aos Fatos</strong> on" in html and "2019-07-22" in html
    assert 'href="https://aosfatos.org/noticias/insulina/"' in html
    assert "the article itself" not in html and claimreviews(html) == []


def test_a_json_claimreview_names_its_publisher_and_a_missing_claimant_is_not_the_article(session, client,
                                                                                         tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([{
        "@type": "ClaimReview", "claimReviewed": "Wind turbines cause cancer.", "url": "https://checker.example.org/r/1",
        "author": {"@type": "Organization", "name": "Checker Example"}, "datePublished": "2024-03-01",
        "reviewRating": {"alternateName": "False"}}]), encoding="utf-8")
    [item] = import_reviews(session, path)
    html = client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Rated by <strong>Checker Example</strong> on" in html and "2024-03-01" in html
    assert "the article itself" not in html and claimreviews(html) == []


def test_staff_are_told_on_the_item_page_why_an_imported_verdict_has_no_markup(session, client, tmp_path):
    item = import_liar(session, tmp_path)
    sign_in(client, gen_user(session, Role.EDITOR).email)
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "This verdict was rated by PolitiFact and imported from an archive" in html
    card = BeautifulSoup(html, "html.parser").select_one("#verdict article.verdict")
    assert "rated by PolitiFact" in card.get_text(" ", strip=True) and "by import" not in card.get_text()


def test_the_feed_carries_only_the_desks_own_verdicts_and_pages_past_imported_ones(session, report_world, client,
                                                                                   tmp_path):
    world = report_world
    imported = import_liar(session, tmp_path)
    later = publish_desk_item(session, world, "The harbour closed in 2025.")
    assert world.published.id < imported.id < later.id
    seen, withheld, url = [], [], "/claimreview.json?limit=1"
    while url:
        body = client.get(url.removeprefix(BASE)).get_json()
        assert body["claimReviews"], "a page of the feed came back empty"
        seen += [int(r["url"].rsplit("/", 1)[1]) for r in body["claimReviews"]]
        withheld += body["withheld"]
        url = body["next"]
    assert seen == [world.published.id, later.id] and imported.id not in withheld
    assert {r["author"]["name"] for r in client.get("/claimreview.json").get_json()["claimReviews"]} == {
        "factcheck desk"}


# --- 5. the report of an unpublished article is not public ------------------------------------


@pytest.fixture
def unpublished(session, report_world):
    """An article whose only item is a draft under review."""
    world = report_world
    article = Article(title="Unpublished story", text="The council said the bridge was safe. Nothing more.",
                      content_hash=f"unpublished-{world.checker.id}", dropped=[])
    session.add(article)
    session.flush()
    item = item_service.create_item(session, claim_text="The council said the bridge was safe.", actor=None,
                                    article=article, span=(0, 37))
    propose(session, item, world.checker, "false")
    return world, article


@pytest.mark.parametrize("suffix", ["", ".json", ".csv"])
def test_readers_get_404_for_the_report_of_an_article_without_a_published_verdict(client, unpublished, suffix):
    _, article = unpublished
    response = client.get(f"/reports/articles/{article.id}{suffix}")
    assert response.status_code == 404
    assert "bridge was safe" not in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", ["", ".json", ".csv"])
def test_staff_see_the_report_of_an_unpublished_article(client, unpublished, suffix):
    world, article = unpublished
    sign_in(client, world.checker.email)
    response = client.get(f"/reports/articles/{article.id}{suffix}")
    assert response.status_code == 200 and "bridge was safe" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_signed_in_account_without_a_role_is_a_reader(session, client, unpublished):
    _, article = unpublished
    account = gen_user(session, Role.CHECKER)
    sign_in(client, account.email)
    for row in session.scalars(select(UserRole).where(UserRole.user_id == account.id)):
        session.delete(row)
    session.flush()
    session.expire(account)
    assert client.get(f"/reports/articles/{article.id}").status_code == 404


# --- 18. anonymous sources are never named to readers ------------------------------------------


@pytest.fixture
def sourced(session):
    """A published item resting on two named sources, an anonymous one and an off-the-record one."""
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    article = Article(title="Harbour talks", text="Officials said the harbour will close. The end.",
                      content_hash=f"sourced-{checker.id}", dropped=[])
    session.add(article)
    session.flush()
    item = item_service.create_item(session, claim_text="Officials said the harbour will close.", actor=None,
                                    article=article, span=(0, 38))
    item_service.take_item(session, item.id, checker)
    for n in range(2):
        evidence_service.add_evidence(session, item.id, checker, version=item.version, title=f"Port timetable {n}",
                                      stance=Stance.REFUTES,
                                      url=f"https://port{n}.example.org/timetable", passage="Sailings continue.")
    secret = evidence_service.add_evidence(
        session, item.id, checker, version=item.version, title="Interview with Harbourmaster Example", stance=Stance.SUPPORTS,
        url="https://notes.example.org/harbourmaster", passage="Closure is being discussed in private.",
        source=gen_source(session, "Harbourmaster Example"), is_anonymous=True)
    cleared = evidence_service.add_evidence(
        session, item.id, checker, version=item.version, title="Call with Deputy Minister Example", stance=Stance.CONTEXT,
        url="https://notes.example.org/deputy", passage="No decision before spring.",
        source=gen_source(session, "Deputy Minister Example"), is_off_record=True, is_publishable=True)
    item_service.propose_verdict(session, item.id, checker, rating_key="false", summary="It is false.",
                                 rationale="The timetable runs on.", policy=Policy())
    publish(session, item, reviewer)
    return item, article, checker, secret, cleared


SECRETS = ("Harbourmaster Example", "notes.example.org/harbourmaster", "Closure is being discussed in private.",
           "Deputy Minister Example", "notes.example.org/deputy")


@pytest.mark.parametrize("path", ["/verdicts/{item}", "/reports/articles/{article}",
                                  "/reports/articles/{article}.json", "/reports/articles/{article}.csv"])
def test_readers_see_an_anonymous_source_never_its_name_link_or_unpublishable_passage(client, sourced, path):
    item, article, *_ = sourced
    text = client.get(path.format(item=item.id, article=article.id)).get_data(as_text=True)
    assert "An anonymous source" in text
    assert not [s for s in SECRETS if s in text]
    if not path.endswith(".csv"):  # the CSV lists evidence without passages
        assert "No decision before spring." in text  # cleared for readers
    assert "Port timetable 0" in text and "port0.example.org" in text  # named evidence stays named


def test_the_json_report_gives_readers_no_source_or_link_for_anonymous_evidence(client, sourced):
    _, article, _, secret, cleared = sourced
    body = client.get(f"/reports/articles/{article.id}.json").get_json()
    evidence = {e["id"]: e for e in body["items"][0]["verdict"]["evidence"]}
    assert evidence[secret.id] | {"id": 0} == {"id": 0, "title": "An anonymous source", "url": None, "passage": None,
                                               "stance": "supports", "source": None, "is_anonymous": True,
                                               "is_off_record": False}
    assert (evidence[cleared.id]["passage"], evidence[cleared.id]["source"]) == ("No decision before spring.", None)


@pytest.mark.parametrize("path", ["/verdicts/{item}", "/reports/articles/{article}",
                                  "/reports/articles/{article}.json", "/reports/articles/{article}.csv"])
def test_staff_see_every_source_of_the_evidence(client, sourced, path):
    item, article, checker, *_ = sourced
    sign_in(client, checker.email)
    text = client.get(path.format(item=item.id, article=article.id)).get_data(as_text=True)
    if path.endswith(".csv"):
        [row] = csv.DictReader(io.StringIO(text))
        assert "Interview with Harbourmaster Example" in row["evidence"] and "notes.example.org/deputy" in row["evidence"]
    else:
        assert all(s in text for s in SECRETS)


# --- 19. reopening keeps the published verdict public until the corrected one is published -----


def test_a_reopened_verdict_stays_public_with_its_page_feed_entry_and_report_under_review(session, report_world,
                                                                                          client):
    world = report_world
    item = world.published
    item_service.reopen_item(session, item.id, world.editor, tier=CorrectionTier.RATING_CHANGE.value,
                             note="New records came to light.")
    assert item.status is Status.EVIDENCE
    page = client.get(f"/verdicts/{item.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Under review." in html and "New records came to light." in html
    [review] = claimreviews(html)
    assert review["reviewRating"]["alternateName"] == "False"
    feed = client.get("/claimreview.json").get_json()
    assert f"{BASE}/verdicts/{item.id}" in [r["url"] for r in feed["claimReviews"]]
    report = client.get(f"/reports/articles/{world.article.id}").get_data(as_text=True)
    assert f'id="item-{item.id}"' in report and "Under review." in report
    assert f'href="/reports/articles/{world.article.id}"' in client.get("/reports").get_data(as_text=True)


def test_readers_keep_the_old_verdict_while_the_new_one_is_in_review_then_see_the_change(session, report_world, client,
                                                                                         app):
    world = report_world
    item = world.published
    item_service.reopen_item(session, item.id, world.editor, tier=CorrectionTier.RATING_CHANGE.value,
                             note="New records came to light.")
    item_service.propose_verdict(session, item.id, world.checker, rating_key="mostly-false", summary="Mostly false.",
                                 rationale="Updated.", policy=Policy())
    assert item.status is Status.VERDICT
    body = client.get(f"/reports/articles/{world.article.id}.json").get_json()
    [card] = [i for i in body["items"] if i["id"] == item.id]
    assert card["state"] == "published" and card["under_review"] and card["verdict"]["rating"]["key"] == "false"
    assert "Mostly false." not in json.dumps(body)
    staff = app.test_client()
    login(staff, world.checker.email)
    staff_html = staff.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Draft — not published" in staff_html and "readers still see the verdict published" in staff_html
    assert "Mostly false." in staff_html
    publish(session, item, world.reviewer)
    html = client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Rating changed from False to Mostly False" in html and "Under review." not in html
    assert claimreviews(html)[0]["reviewRating"]["alternateName"] == "Mostly False"


UNREVIEWED = ("UNREVIEWED restatement", "UNREVIEWED lead", "unreviewed.example.org", "UNREVIEWED passage",
              "UNREVIEWED Claimant", "Confidential Insider", "Insider memo")


def _public_outputs(client, item_id: int, article_id: int) -> dict[str, str]:
    return {"verdict page": client.get(f"/verdicts/{item_id}").get_data(as_text=True),
            "feed": client.get("/claimreview.json").get_data(as_text=True),
            "report html": client.get(f"/reports/articles/{article_id}").get_data(as_text=True),
            "report json": client.get(f"/reports/articles/{article_id}.json").get_data(as_text=True),
            "report csv": client.get(f"/reports/articles/{article_id}.csv").get_data(as_text=True)}


def test_edits_made_during_a_correction_reach_readers_only_once_the_corrected_verdict_is_published(
        session, report_world, client, app):
    world = report_world
    item = world.published
    # A first correction publishes an anonymous source's piece and a new restatement.
    item_service.reopen_item(session, item.id, world.editor, tier=CorrectionTier.CORRECTION.value,
                             note="A source came forward.")
    item_service.edit_item(session, item.id, world.checker, version=item.version,
                           restatement="Corrected restatement of the claim")
    assert "Corrected restatement" not in client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    insider = evidence_service.add_evidence(session, item.id, world.checker, version=item.version,
                                            title="Insider memo", stance=Stance.REFUTES,
                                            source=gen_source(session, "Confidential Insider"),
                                            passage="Cleared words of the insider.", is_anonymous=True,
                                            is_publishable=True)
    item_service.propose_verdict(session, item.id, world.checker, rating_key="false", summary="Still false.",
                                 rationale="A source confirms it.", policy=Policy())
    publish(session, item, world.reviewer)
    html = client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Corrected restatement of the claim" in html and "Cleared words of the insider." in html

    # A second correction: nothing of the desk's work on it is reviewed yet.
    item_service.reopen_item(session, item.id, world.editor, tier=CorrectionTier.CORRECTION.value,
                             note="Checking a new document.")
    item_service.edit_item(session, item.id, world.checker, version=item.version,
                           restatement="UNREVIEWED restatement draft wording")
    evidence_service.edit_evidence(session, insider.id, world.checker, version=insider.version, is_anonymous=False)
    evidence_service.add_evidence(session, item.id, world.checker, version=item.version,
                                  title="UNREVIEWED lead from a tip", stance=Stance.SUPPORTS,
                                  url="https://unreviewed.example.org/tip", passage="UNREVIEWED passage")
    item_service.set_chain(session, item.id, world.checker,
                           [LinkInput(gen_source(session, "UNREVIEWED Claimant"), "said")], version=item.version)
    outputs = _public_outputs(client, item.id, world.article.id)
    leaks = {name: [w for w in UNREVIEWED if w in text] for name, text in outputs.items()}
    assert not any(leaks.values()), leaks
    assert "Under review." in outputs["verdict page"] and "Corrected restatement of the claim" in outputs["verdict page"]
    assert "Cleared words of the insider." in outputs["verdict page"] and "Vladimir Putin" in outputs["verdict page"]
    [review] = [r for r in json.loads(outputs["feed"])["claimReviews"] if r["url"].endswith(f"/verdicts/{item.id}")]
    assert review["claimReviewed"] == "Corrected restatement of the claim"
    assert review["itemReviewed"]["author"]["name"] == "Vladimir Putin"
    [card] = [c for c in json.loads(outputs["report json"])["items"] if c["id"] == item.id]
    assert card["under_review"] and card["claimant"]["name"] == "Vladimir Putin"
    # Staff reading the public verdict page see what readers see; the work in progress is on the item's page.
    staff = app.test_client()
    login(staff, world.checker.email)
    staff_page = staff.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "UNREVIEWED restatement" not in staff_page and "Corrected restatement of the claim" in staff_page

    # Once the corrected verdict is published, readers see the work it rests on.
    item_service.propose_verdict(session, item.id, world.checker, rating_key="false", summary="False again.",
                                 rationale="The document agrees.", policy=Policy())
    publish(session, item, world.reviewer)
    outputs = _public_outputs(client, item.id, world.article.id)
    assert all(w in outputs["verdict page"] for w in ("UNREVIEWED restatement", "UNREVIEWED Claimant",
                                                      "Confidential Insider", "UNREVIEWED lead"))


def test_a_kept_card_names_a_source_merged_since_as_the_source_it_was_merged_into(session, report_world, client):
    from factcheck.services.sources import merge_sources

    world = report_world
    item = world.published
    item_service.reopen_item(session, item.id, world.editor, tier=CorrectionTier.CORRECTION.value,
                             note="Checking a new document.")
    kept = gen_source(session, "Vladimir Vladimirovich Kremlinski")
    merge_sources(session, item.claimant_id, kept.id, world.editor)
    session.flush()
    page = client.get(f"/verdicts/{item.id}").get_data(as_text=True)
    assert "Vladimir Vladimirovich Kremlinski" in page and "Vladimir Putin" not in page
    report = client.get(f"/reports/articles/{world.article.id}.json").get_json()
    [card] = [c for c in report["items"] if c["id"] == item.id]
    assert card["claimant"]["name"] == "Vladimir Vladimirovich Kremlinski"


# --- the organisation's address, and numbers too large for any id -----------------------------


def test_the_organisation_url_is_the_site_the_request_reached(database, session_factory, session, monkeypatch):
    monkeypatch.delenv("FACTCHECK_ORGANISATION_URL", raising=False)
    app = make_test_app(database, session_factory, SERVER_NAME=None)
    world = build_world(session)
    client = app.test_client()
    html = client.get(f"/verdicts/{world.published.id}", base_url="https://desk-x.example.org").get_data(as_text=True)
    [review] = extruct.extract(html, base_url="https://desk-x.example.org", syntaxes=["json-ld"])["json-ld"]
    assert review["author"]["url"] == "https://desk-x.example.org/"
    feed = client.get("/claimreview.json", base_url="http://other-host.example.net").get_json()
    assert {r["author"]["url"] for r in feed["claimReviews"]} == {"http://other-host.example.net/"}


def test_an_explicit_organisation_url_wins_over_the_request(database, session_factory, session):
    app = make_test_app(database, session_factory, SERVER_NAME=None, ORGANISATION_URL="https://desk.example.org/")
    world = build_world(session)
    html = app.test_client().get(f"/verdicts/{world.published.id}",
                                 base_url="https://desk-x.example.org").get_data(as_text=True)
    [review] = extruct.extract(html, base_url="https://desk-x.example.org", syntaxes=["json-ld"])["json-ld"]
    assert review["author"]["url"] == "https://desk.example.org/"


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("path", [f"/verdicts/{HUGE}", "/verdicts/2147483648", f"/reports/articles/{HUGE}",
                                  f"/reports/articles/{HUGE}.json", f"/reports/articles/{HUGE}.csv",
                                  "/reports/articles/2147483648.json"])
@pytest.mark.parametrize("role", ["anonymous", "checker"])
def test_an_id_too_large_for_the_database_is_a_404_for_everyone(session, client, path, role):
    if role != "anonymous":
        sign_in(client, gen_user(session, Role.CHECKER).email)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("after", ["9007199254740992", "2147483647", "2147483648", HUGE, "9" * 5000, "²", "１"])
def test_a_feed_cursor_too_large_or_not_a_number_is_an_empty_page_or_a_400(session, report_world, client, after):
    response = client.get(f"/claimreview.json?after={after}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.get_json()["claimReviews"] == [] and response.get_json()["next"] is None
