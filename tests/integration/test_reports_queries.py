"""The report read models: what readers and staff see of an article, built through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Decision, Policy, Role, SourceKind, Stance
from factcheck.models import Article, CheckItem, Source, User
from factcheck.queries import reports
from factcheck.queries.verdicts import DRAFT, PUBLISHED, UNCHECKED
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services.items import LinkInput
from factcheck.services.sources import find_or_create_source
from factcheck.standings import standings
from tests.factories import gen_user
from tests.helpers import recorded_statements

CLAIM_A = "Putin told him off the record that he was ready for a significant compromise."
CLAIM_B = "Moscow is ready for a political deal <script>alert(1)</script> & more."
CLAIM_C = "Prices rose by 20% in 2025."
TEXT = f"Intro. {CLAIM_A} Middle text. {CLAIM_B} Then {CLAIM_C} The end."


@dataclass
class World:
    """An article with a published item (A), a draft under review (B) and an unchecked one (C)."""

    article: Article
    published: CheckItem
    draft: CheckItem
    unchecked: CheckItem
    checker: User
    reviewer: User
    editor: User


def span_of(claim: str) -> tuple[int, int]:
    """Where ``claim`` sits in the world's article."""
    start = TEXT.index(claim)
    return start, start + len(claim)


def propose(session: Session, item: CheckItem, checker: User, rating: str, summary: str = "It is false.",
            rationale: str = "Two **records** refute it.\n\n<script>alert('x')</script>") -> None:
    """Take ``item``, add two pieces of evidence, and propose ``rating``."""
    item_service.take_item(session, item.id, checker)
    for n, stance in enumerate((Stance.REFUTES, Stance.CONTEXT)):
        evidence_service.add_evidence(session, item.id, checker, version=item.version, title=f"Transcript {item.id}-{n}",
                                      stance=stance,
                                      url=f"https://records{item.id}x{n}.example.org/doc", passage="The record says otherwise.")
    item_service.propose_verdict(session, item.id, checker, rating_key=rating, summary=summary,
                                 rationale=rationale, policy=Policy())


def publish(session: Session, item: CheckItem, reviewer: User) -> None:
    """Approve the item's proposed verdict (one approval publishes under the default policy)."""
    item_service.vote_on_verdict(session, item.id, reviewer, decision=Decision.APPROVE, policy=Policy())


def build_world(session: Session) -> World:
    """The world most report, verdict and dashboard tests start from."""
    checker = gen_user(session, Role.CHECKER)
    reviewer = gen_user(session, Role.REVIEWER)
    editor = gen_user(session, Role.EDITOR)
    outlet = find_or_create_source(session, "Kyiv Daily Example", SourceKind.OUTLET, domain="news.example.com")
    article = Article(title="Talks & <rumours> about a deal", url="https://news.example.com/story", outlet=outlet,
                      published_on=dt.date(2026, 2, 10), text=TEXT, content_hash=f"hash-{id(session)}-{checker.id}",
                      dropped=[])
    session.add(article)
    session.flush()
    putin = find_or_create_source(session, "Vladimir Putin", SourceKind.PERSON)
    putin.same_as = "https://en.wikipedia.org/wiki/Vladimir_Putin"
    host = find_or_create_source(session, "Talk Show Host Example", SourceKind.PERSON)
    media = find_or_create_source(session, "Russian media", SourceKind.UNNAMED)
    lavrov = find_or_create_source(session, "Sergey Lavrov", SourceKind.PERSON)
    a = item_service.create_item(session, claim_text=CLAIM_A, actor=None, article=article, span=span_of(CLAIM_A),
                                 chain=[LinkInput(putin, "told"), LinkInput(host, "stated"),
                                        LinkInput(media, "reported")], hedges=["off the record"])
    b = item_service.create_item(session, claim_text=CLAIM_B, actor=None, article=article, span=span_of(CLAIM_B),
                                 chain=[LinkInput(lavrov, "said")])
    c = item_service.create_item(session, claim_text=CLAIM_C, actor=None, article=article, span=span_of(CLAIM_C))
    item_service.edit_item(session, a.id, editor, version=a.version,
                           restatement="Putin is ready for a significant compromise on Ukraine")
    propose(session, a, checker, "false")
    publish(session, a, reviewer)
    propose(session, b, checker, "mostly-true", summary="Mostly so.")
    return World(article, a, b, c, checker, reviewer, editor)


def test_readers_see_only_published_verdicts_and_a_count_of_the_rest(session, report_world):
    world = report_world
    report = reports.article_report(session, world.article.id, include_drafts=False)
    assert [c.id for c in report.cards] == [world.published.id]
    assert report.cards[0].state == PUBLISHED and report.cards[0].rating.key == "false"
    assert report.not_shown == 2 and report.drafts == []


def test_staff_also_see_the_draft_with_its_proposed_rating_and_the_unchecked_item(session, report_world):
    world = report_world
    report = reports.article_report(session, world.article.id, include_drafts=True)
    states = {c.id: (c.state, c.rating.key if c.rating else None) for c in report.cards}
    assert states == {world.published.id: (PUBLISHED, "false"), world.draft.id: (DRAFT, "mostly-true"),
                      world.unchecked.id: (UNCHECKED, None)}
    assert report.not_shown == 0


def test_the_text_is_split_into_plain_runs_and_item_spans_that_join_back_to_the_article(session, report_world):
    world = report_world
    report = reports.article_report(session, world.article.id, include_drafts=True)
    assert "".join(s.text for s in report.segments) == TEXT
    assert [s.text for s in report.segments if s.card] == [CLAIM_A, CLAIM_B, CLAIM_C]
    assert [s.number for s in report.segments if s.card] == [1, 2, 3]


def test_overlapping_and_out_of_range_spans_are_clipped_never_nested(session, report_world):
    world = report_world
    cards = reports.article_report(session, world.article.id, include_drafts=True).cards
    a, b, c = cards
    from dataclasses import replace
    overlapping = [replace(a, span=(0, 20)), replace(b, span=(10, 30)), replace(c, span=(25, 10_000))]
    segments = reports.segments_of("x" * 40, overlapping)
    assert [(s.number, len(s.text)) for s in segments] == [(1, 20), (2, 10), (3, 10)]


def test_the_distribution_counts_published_verdicts_per_rating_in_scale_order(session, report_world):
    world = report_world
    bars = reports.article_report(session, world.article.id, include_drafts=True).distribution
    assert [b.rating.key for b in bars][:3] == ["true", "mostly-true", "half-true"]
    assert {b.rating.key: b.count for b in bars if b.count} == {"false": 1}


def test_the_sources_records_come_from_source_records_with_claimant_and_relay_counts(session, report_world):
    world = report_world
    report = reports.article_report(session, world.article.id, include_drafts=False)
    records = {s.source.name: (s.claimant_total, s.relay_total) for s in report.sources}
    assert records == {"Vladimir Putin": (1, 0), "Talk Show Host Example": (0, 1), "Russian media": (0, 1)}


def test_the_sources_scores_are_the_ones_the_source_pages_show(session, report_world):
    world = report_world
    putin = find_or_create_source(session, "Vladimir Putin", SourceKind.PERSON)
    putin.prior_alpha, putin.prior_beta = 3.0, 7.0  # an editorial prior: the score moves off the uniform one
    session.flush()
    report = reports.article_report(session, world.article.id, include_drafts=False)
    rows = session.scalars(select(Source).where(Source.id.in_([s.source.id for s in report.sources]))).all()
    expected = {sid: (st.score.mean, st.score.low, st.score.high, st.score.n)
                for sid, st in standings(session, rows).items()}
    shown = {s.source.id: (s.score.mean, s.score.low, s.score.high, s.score.counted) for s in report.sources}
    assert shown.keys() == expected.keys() and len(shown) == 3
    for sid, values in shown.items():
        assert values == pytest.approx(expected[sid]), sid
    # Putin's editorial prior and his one false verdict both count: neither the uniform prior's 0.5 nor 3 / 10.
    assert shown[putin.id][3] == 1 and shown[putin.id][0] < 0.3


def test_the_report_lists_articles_with_published_verdicts_for_readers_and_all_for_staff(session, report_world):
    world = report_world
    empty = Article(title="Nothing checked", text="Plain.", content_hash=f"empty-{world.article.id}", dropped=[])
    session.add(empty)
    session.flush()
    public = {a.id: a for a in reports.list_articles(session, include_drafts=False)}
    staff = {a.id: a for a in reports.list_articles(session, include_drafts=True)}
    assert world.article.id in public and empty.id not in public
    assert (public[world.article.id].published, public[world.article.id].in_review,
            public[world.article.id].items) == (1, 1, 3)
    assert empty.id in staff


def count_statements(session, action) -> tuple[object, int]:
    """Run ``action`` on a cold session and count the SQL statements it sends."""
    session.expire_all()
    with recorded_statements(session.get_bind()) as statements:
        result = action()
    return result, len(statements)


def test_loading_a_report_takes_a_fixed_number_of_queries_whatever_the_number_of_items(session, report_world):
    world = report_world
    load = lambda: reports.article_report(session, world.article.id, include_drafts=True)  # noqa: E731
    small, before = count_statements(session, load)
    for n in range(6):
        extra = item_service.create_item(session, claim_text=f"Extra claim {n}.", actor=None, article=world.article,
                                         chain=[LinkInput(find_or_create_source(session, f"Extra Speaker{n}"), "said")])
        propose(session, extra, world.checker, "false")
        publish(session, extra, world.reviewer)
    large, after = count_statements(session, load)
    assert (len(small.cards), len(large.cards)) == (3, 9)
    assert after == before and before <= 25


def test_the_reports_list_comes_a_page_at_a_time_newest_first_in_a_fixed_number_of_queries(session):
    world = build_world(session)
    drafts = [Article(title=f"Unchecked {n}", text="Plain.", content_hash=f"page-{world.article.id}-{n}", dropped=[])
              for n in range(5)]
    session.add_all(drafts)
    session.flush()
    newest = sorted([world.article.id, *(a.id for a in drafts)], reverse=True)
    first, statements = count_statements(session, lambda: reports.list_articles(session, include_drafts=True, limit=4))
    assert [a.id for a in first] == newest[:4]
    second = reports.list_articles(session, include_drafts=True, before_id=first[-1].id, limit=4)
    assert [a.id for a in second][:2] == newest[4:6]
    # Readers page through articles with a public verdict only; the counts are the page's own.
    public = reports.list_articles(session, include_drafts=False, before_id=newest[0] + 1, limit=4)
    assert [a.id for a in public] == [world.article.id]
    assert (public[0].published, public[0].in_review, public[0].items) == (1, 1, 3)
    for n in range(3):
        item_service.create_item(session, claim_text=f"Page claim {n}.", actor=None, article=drafts[-1])
    session.flush()
    again, statements_after = count_statements(
        session, lambda: reports.list_articles(session, include_drafts=True, limit=4))
    assert again[0].items == 3 and statements_after == statements <= 4


def test_cards_read_as_rows_equal_the_cards_built_from_the_orm_item(session, report_world):
    """The pages read cards as rows; the verdict form's ClaimReview check builds them from the loaded
    ORM item. Both go through the same rules and must agree on everything, a reopened verdict and its
    correction log too."""
    from factcheck.queries.verdicts import build_card, rating_views, verdict_card
    from factcheck.models import Correction
    from sqlalchemy import select

    world = report_world
    item_service.reopen_item(session, world.published.id, world.editor, tier="correction",
                             note="The date was wrong.")
    session.flush()
    ratings = rating_views(session)
    for item in (world.published, world.draft):
        session.expire_all()
        orm_item = session.get(CheckItem, item.id)
        corrections = session.scalars(select(Correction).where(Correction.item_id == item.id)
                                      .order_by(Correction.id)).all()
        for staff in (True, False):
            card = verdict_card(session, item.id, include_drafts=staff)
            if card is None:
                assert not staff and item is world.draft  # readers never see a draft
                continue
            assert card == build_card(orm_item, card.state, ratings, corrections, staff=staff)
            assert card.evidence and card.chain and card.votes or card.is_draft
    reopened = verdict_card(session, world.published.id, include_drafts=False)
    assert reopened is not None and reopened.is_under_review and reopened.pending


def test_the_feed_reads_no_details_and_its_claimreview_and_api_fields_are_those_of_full_cards(session, report_world):
    from factcheck.interchange.claimreview import publishable_claimreview
    from factcheck.queries import verdicts

    settings = {"ORGANISATION_NAME": "A desk", "ORGANISATION_URL": "https://desk.example.org/"}
    scale = verdicts.claimreview_scale(session)
    session.flush()
    with recorded_statements(session.get_bind()) as statements:
        page = verdicts.published_cards(session, after=0, limit=1000)
    read = " ".join(statements).lower()
    assert "chain_links" not in read and "evidence" not in read and "votes" not in read and "corrections" not in read
    assert report_world.published.id in [c.id for c in page.cards]
    for card in page.cards:
        full = verdicts.verdict_card(session, card.id, include_drafts=False)
        assert full is not None
        if card.id == report_world.published.id:
            # the world's item has a chain and a hedge: only the full card reads them
            assert full.chain and not card.chain and full.hedges and not card.hedges
        url = f"https://desk.example.org/verdicts/{card.id}"
        assert (publishable_claimreview(card, url=url, settings=settings, scale=scale)
                == publishable_claimreview(full, url=url, settings=settings, scale=scale))
        assert (card.claim, card.claimant, card.rating, card.summary, card.published_at, card.article) == \
               (full.claim, full.claimant, full.rating, full.summary, full.published_at, full.article)


def _listed(session, article_id: int, *, include_drafts: bool):  # type: ignore[no-untyped-def]
    return next(a for a in reports.list_articles(session, include_drafts=include_drafts) if a.id == article_id)


def test_staffs_list_and_report_agree_on_published_after_a_reopened_verdict_is_dismissed(session, report_world):
    world = report_world
    item_service.reopen_item(session, world.published.id, world.editor, tier="correction", note="Wrong date.")
    item_service.dismiss_item(session, world.published.id, world.editor, "duplicate of an earlier item")
    for staff in (True, False):
        report = reports.article_report(session, world.article.id, include_drafts=staff)
        assert _listed(session, world.article.id, include_drafts=staff).published == len(report.published)


def test_staffs_list_and_report_agree_after_a_reopened_verdict_is_proposed_again(session, report_world):
    world = report_world
    item_service.reopen_item(session, world.published.id, world.editor, tier="rating_change", note="New data.")
    item_service.propose_verdict(session, world.published.id, world.checker, rating_key="mostly-false",
                                 summary="Mostly false.", rationale="New data.", policy=Policy())
    report = reports.article_report(session, world.article.id, include_drafts=True)
    listed = _listed(session, world.article.id, include_drafts=True)
    assert (listed.published, listed.in_review) == (len(report.published), len(report.drafts))
    readers = reports.article_report(session, world.article.id, include_drafts=False)
    assert _listed(session, world.article.id, include_drafts=False).published == len(readers.published)
