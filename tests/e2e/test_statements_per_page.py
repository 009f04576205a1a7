"""Every page a fact-checker or reader opens runs the same number of SQL statements with a small desk
and with a larger one: nothing on a page grows a statement per row.

Each page is loaded once to warm caches, counted, then the desk grows (more items of every status in
the same article, for the same claimant and checker, with evidence, votes, history, published
verdicts and track records) and the page is counted again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Decision, Policy, RelationType, Role, SourceKind, Status
from factcheck.facts import KEPT_MATCHES
from factcheck.models import Article, CheckItem, Source, User
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.ingest import ingest_article
from factcheck.services.items import LinkInput
from factcheck.services.relations import add_relation
from factcheck.services.sources import find_or_create_source
from tests.factories import gen_user
from tests.helpers import csrf_token, hidden_fields, recorded_statements, sign_in

ARTICLE = (
    "Officials deny the harbour will close\n\n"
    "The mayor said on Monday that the harbour would close for two years from March.\n\n"
    "The port authority denied that the harbour would close at all.\n"
)

#: (page, URL template, who opens it): every page of issue #13's list.
PAGES = [
    ("queue", "/queue", "reviewer"),
    ("triage", "/triage", "checker"),
    ("my work", "/my-work", "checker"),
    ("my work, one group", "/my-work?group=published", "checker"),
    ("item", "/items/{item}", "checker"),
    ("item, published with its votes, seen by an editor", "/items/{published}", "editor"),
    ("article", "/articles/{article}", "checker"),
    ("articles", "/articles", "checker"),
    ("sources", "/sources", "checker"),
    ("source", "/sources/{relay}", "checker"),
    ("article report HTML", "/reports/articles/{article}", "reader"),
    ("article report JSON", "/reports/articles/{article}.json", "reader"),
    ("article report CSV", "/reports/articles/{article}.csv", "reader"),
    ("verdict page", "/verdicts/{published}", "reader"),
    ("ClaimReview feed", "/claimreview.json", "reader"),
    ("dashboard", "/dashboard", "editor"),
    ("search", "/search?q=harbour", "checker"),
    ("search, items only", "/search?q=harbour+tonnes&kind=item", "checker"),
]


@dataclass
class Desk:
    """The rows the pages show, and the people who work on them."""

    checker: User
    reviewers: list[User]
    editor: User
    article: Article
    claimant: Source
    relay: Source
    ids: dict[str, int]


def _item(session: Session, desk: Desk, n: int, status: Status) -> int:
    """An item of ``desk``'s article and claimant moved through the real services to ``status``."""
    item = item_service.create_item(session, claim_text=f"The harbour handled {n} million tonnes in {2000 + n}.",
                                    actor=None, article=desk.article,
                                    chain=[LinkInput(desk.claimant, "said"), LinkInput(desk.relay, "reported")],
                                    checkworthiness=0.5)
    if status is Status.CLAIM:
        return item.id
    item_service.take_item(session, item.id, desk.checker)
    for k in range(2):
        evidence_service.add_evidence(session, item.id, desk.checker, version=item.version, title=f"Record {n}.{k}",
                                      stance="refutes", url=f"https://records{n}-{k}.example.org/doc",
                                      passage="The record says otherwise.")
    if status is Status.EVIDENCE:
        return item.id
    item_service.propose_verdict(session, item.id, desk.checker, rating_key=("false", "true", "half-true")[n % 3],
                                 summary="It is not so.", rationale="Two **records**.", policy=Policy())
    if status is Status.VERDICT:
        return item.id
    item_service.vote_on_verdict(session, item.id, desk.reviewers[n % len(desk.reviewers)],
                                 decision=Decision.APPROVE, policy=Policy())
    return item.id


def _grow(session: Session, desk: Desk, start: int, count: int) -> None:
    """``count`` more items of every status, sources, and on the item page's own item more evidence,
    relations and history."""
    for n in range(start, start + count):
        for status in (Status.CLAIM, Status.EVIDENCE, Status.VERDICT, Status.PUBLISHED):
            other = _item(session, desk, n, status)
        find_or_create_source(session, f"Another Speaker{n}", SourceKind.PERSON)
        if "item" in desk.ids:
            item = session.get(CheckItem, desk.ids["item"])
            evidence_service.add_evidence(session, item.id, desk.checker, version=item.version, title=f"More {n}",
                                          stance="supports", url=f"https://more{n}.example.org/doc",
                                          passage="Another record.")
            add_relation(session, item.id, desk.checker, relation_type=RelationType.SUPPORTS, target_id=other)


@pytest.fixture
def desk(session: Session) -> Desk:
    checker = gen_user(session, Role.CHECKER)
    reviewers = [gen_user(session, Role.REVIEWER) for _ in range(3)]
    editor = gen_user(session, Role.EDITOR)
    article = ingest_article(session, ARTICLE, actor=checker, title="Harbour closure").article
    claimant = find_or_create_source(session, "A Harbour Official", SourceKind.PERSON)
    relay = find_or_create_source(session, "Coastal Gazette", SourceKind.OUTLET)
    desk = Desk(checker, reviewers, editor, article, claimant, relay, {})
    published = _item(session, desk, 0, Status.PUBLISHED)
    desk.ids = {"item": _item(session, desk, 1, Status.EVIDENCE), "published": published, "article": article.id,
                "relay": relay.id}
    _grow(session, desk, 2, 1)
    session.flush()
    return desk


def _count(client: FlaskClient, database, url: str) -> int:
    # What claim matching found is kept until a text changes (growing the desk changes some): dropped
    # before each count, so both counts include matching's own statements.
    KEPT_MATCHES.clear()
    with recorded_statements(database.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(statements)


@pytest.mark.parametrize(("page", "template", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_runs_as_many_statements_for_a_larger_desk(client, session, database, desk, page, template, who):
    people = {"checker": desk.checker, "reviewer": desk.reviewers[0], "editor": desk.editor}
    if who in people:
        sign_in(client, people[who].email)
    url = template.format(**desk.ids)
    client.get(url)  # the first request compiles statements and fills caches
    few = _count(client, database, url)
    _grow(session, desk, 10, 6)
    session.flush()
    many = _count(client, database, url)
    assert many == few, f"{page}: {few} statements for a small desk, {many} for a larger one"


def test_the_item_page_shown_again_after_a_refused_form_runs_as_many_statements_with_more_people(
        client, session, database, desk):
    """A form that does not validate rolls the request back and shows the item page again: the people it
    names (the signed-in checker among them, expired by the rollback) are read in one statement, not
    one each."""
    sign_in(client, desk.checker.email)
    url = f"/items/{desk.ids['item']}"

    def refused() -> int:
        html = client.get(url).get_data(as_text=True)
        with recorded_statements(database.engine) as statements:
            response = client.post(f"{url}/evidence", data={**hidden_fields(html, f"{url}/evidence"),
                                                            "csrf_token": csrf_token(html), "title": ""})
        assert response.status_code == 422, f"the empty evidence form answered {response.status_code}"
        return len(statements)

    refused()  # compiles statements and fills caches
    few = refused()
    for k in range(4):  # four more people named on the page, each as the adder of a piece of evidence
        editor = gen_user(session, Role.EDITOR)
        item = session.get(CheckItem, desk.ids["item"])
        evidence_service.add_evidence(session, item.id, editor, version=item.version, title=f"Record by another {k}",
                                      stance="supports", url=f"https://another{k}.example.org/doc",
                                      passage="Another record.")
    session.flush()
    assert refused() == few


@pytest.mark.parametrize(("page", "template", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_reads_the_rating_scale_at_most_once(client, database, desk, page, template, who):
    """Verdicts' ratings, sources' scores, ClaimReview's worst and best and the rating choices all come from
    one read of the scale (``standings.rating_scale``)."""
    people = {"checker": desk.checker, "reviewer": desk.reviewers[0], "editor": desk.editor}
    if who in people:
        sign_in(client, people[who].email)
    url = template.format(**desk.ids)
    client.get(url)
    with recorded_statements(database.engine) as statements:
        assert client.get(url).status_code == 200
    scale_reads = [s for s in statements if "FROM ratings" in " ".join(s.split())]
    assert len(scale_reads) <= 1, f"{page}: the scale was read {len(scale_reads)} times"
