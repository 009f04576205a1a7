"""Read models for verdict reports: the list of articles and one article's report.

The report is built from ``queries.verdicts`` cards, so readers see public verdicts only (with
anonymous sources withheld) and staff (``include_drafts``) also see proposed verdicts under review.
An article none of whose items has a public verdict has no report for readers at all. The same
``ArticleReport`` feeds the HTML page, the JSON and CSV downloads and ``factcheck report``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain import credibility as cred
from factcheck.domain.outlets import source_prior
from factcheck.domain.workflow import Capacity, Status
from factcheck.models import Article, CheckItem, Rating, Source, SourceRecord, Verdict
from factcheck.queries.verdicts import (
    DRAFT,
    MAX_ID,
    PUBLISHED,
    ArticleRef,
    CorrectionView,
    ItemCard,
    RatingView,
    SourceRef,
    card_rows,
    load_cards,
    rating_views,
    rows_of,
)
from factcheck.standings import CAPACITIES

#: Columns of the CSV download, one row per item shown (documented in docs/reports.md).
CSV_COLUMNS = (
    "article_id", "item_id", "state", "claim", "claim_as_written", "span_start", "span_end",
    "claimant", "chain", "hedges", "rating_key", "rating_label", "claimreview_value", "summary",
    "rationale", "evidence", "reviewers", "author", "first_published_at", "published_at", "corrections",
    "rated_by", "review_url", "reviewed_on", "under_review",
)


@dataclass(frozen=True, slots=True)
class ArticleListing:
    """One article in the list of reports, with its verdict counts."""

    id: int
    title: str
    outlet: str | None
    published_on: dt.date | None
    items: int
    published: int
    in_review: int


def list_articles(session: Session, *, include_drafts: bool, before_id: int | None = None,
                  limit: int = 50) -> list[ArticleListing]:
    """Newest articles first, a page at a time (``before_id``), with their counts of items with a public
    verdict; readers see only articles with one. The page is chosen first and only its items are
    counted, so the cost stays that of one page however many articles and items the desk holds."""
    has_public = (select(CheckItem.id).join(Verdict, Verdict.item_id == CheckItem.id)
                  .where(CheckItem.article_id == Article.id, Verdict.published_at.is_not(None)).exists())
    page = (select(Article.id, Article.title, Source.name, Article.published_on)
            .outerjoin(Source, Source.id == Article.outlet_id).order_by(Article.id.desc()).limit(limit))
    if before_id is not None:
        page = page.where(Article.id < before_id)
    if not include_drafts:
        page = page.where(has_public)
    rows = session.execute(page).all()
    ids = [r[0] for r in rows]
    items: dict[int | None, tuple[int, int]] = {}
    published: dict[int | None, int] = {}
    if ids:
        items = {r[0]: (int(r[1]), int(r[2] or 0)) for r in session.execute(
            select(CheckItem.article_id, func.count(), func.sum(case((CheckItem.status == Status.VERDICT, 1), else_=0)))
            .where(CheckItem.article_id.in_(ids)).group_by(CheckItem.article_id))}
        # Counted as the report counts its cards (``queries.verdicts._state``): for staff, an item under review again
        # shows its draft and a dismissed one shows as dismissed, so neither counts as published.
        counted = select(CheckItem.article_id, func.count(func.distinct(Verdict.item_id))) \
            .join(Verdict, Verdict.item_id == CheckItem.id) \
            .where(CheckItem.article_id.in_(ids), Verdict.published_at.is_not(None))
        if include_drafts:
            counted = counted.where(CheckItem.status.not_in((Status.VERDICT, Status.DISMISSED)))
        published = {r[0]: int(r[1]) for r in session.execute(counted.group_by(CheckItem.article_id))}
    return [ArticleListing(r[0], r[1], r[2], r[3], items.get(r[0], (0, 0))[0], published.get(r[0], 0),
                           items.get(r[0], (0, 0))[1]) for r in rows]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the article's text: plain, or the span of one item (highlighted in its verdict's colour)."""

    text: str
    card: ItemCard | None = None
    number: int | None = None


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One rating of a source's record: how many published verdicts as claimant and as relay."""

    rating: RatingView
    claimant: int
    relay: int


@dataclass(frozen=True, slots=True)
class ScoreView:
    """A source's credibility score with its interval and the verdicts behind it."""

    mean: float
    low: float
    high: float
    counted: int


@dataclass(frozen=True, slots=True)
class SourceRecordView:
    """A source named in the report with its track record."""

    source: SourceRef
    lines: tuple[RecordLine, ...]
    score: ScoreView | None

    @property
    def claimant_total(self) -> int:
        """Published verdicts on claims the source originated."""
        return sum(line.claimant for line in self.lines)

    @property
    def relay_total(self) -> int:
        """Published verdicts on claims the source passed on."""
        return sum(line.relay for line in self.lines)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the verdict distribution chart."""

    rating: RatingView
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class ArticleReport:
    """Everything an article's report shows."""

    article: ArticleRef
    text: str
    cards: list[ItemCard]
    segments: list[Segment]
    distribution: list[Bar]
    sources: list[SourceRecordView]
    corrections: list[CorrectionView]
    not_shown: int
    include_drafts: bool

    @property
    def published(self) -> list[ItemCard]:
        """Cards with a published verdict."""
        return [c for c in self.cards if c.state == PUBLISHED]

    @property
    def under_review(self) -> list[ItemCard]:
        """Published verdicts reopened for a correction that is not published yet."""
        return [c for c in self.cards if c.is_under_review]

    @property
    def drafts(self) -> list[ItemCard]:
        """Cards with a verdict under review (staff only)."""
        return [c for c in self.cards if c.state == DRAFT]

    @property
    def notices(self) -> list[tuple[ItemCard, CorrectionView]]:
        """Corrections and rating changes announced at the top of the report."""
        return [(card, c) for card in self.cards for c in card.notices]

    @property
    def numbers(self) -> dict[int, int]:
        """Each card's number in reading order (the same number marks its span in the text)."""
        return {card.id: n for n, card in enumerate(self.cards, start=1)}


def segments_of(text: str, cards: list[ItemCard]) -> list[Segment]:
    """Split ``text`` into plain runs and item spans; overlapping or out-of-range spans are clipped, never nested."""
    numbers = {card.id: n for n, card in enumerate(cards, start=1)}
    spans = sorted(((c.span[0], c.span[1], c) for c in cards if c.span), key=lambda s: (s[0], s[1], s[2].id))
    segments: list[Segment] = []
    cursor = 0
    for start, end, card in spans:
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue  # wholly inside an earlier span, or outside the text: the card still lists it
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], card, numbers[card.id]))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def distribution(cards: list[ItemCard], ratings: dict[int, RatingView]) -> list[Bar]:
    """Published verdicts per rating, in scale order (ratings with none are kept so scales compare)."""
    counts = Counter(c.rating.id for c in cards if c.state == PUBLISHED and c.rating)
    total = sum(counts.values())
    return [Bar(r, counts[r.id], counts[r.id] / total if total else 0.0) for r in ratings.values()]


_RECORD_IDS: Any = bindparam("ids", expanding=True)
#: The sources' records with each rating's truth value, and the sources' priors (built once).
_SOURCE_RECORDS = (
    select(SourceRecord.source_id, SourceRecord.rating_id, SourceRecord.capacity, SourceRecord.count,
           Rating.truth_value)
    .join(Rating, Rating.id == SourceRecord.rating_id)
    .where(SourceRecord.source_id.in_(_RECORD_IDS), SourceRecord.count > 0)
)
_SOURCE_PRIORS = select(Source.id, Source.prior_alpha, Source.prior_beta, Source.domain).where(
    Source.id.in_(_RECORD_IDS))


def source_records(session: Session, refs: list[SourceRef], ratings: dict[int, RatingView]) -> list[SourceRecordView]:
    """The record of each source and its credibility score, from SourceRecord: two statements.

    The score is the one the source pages show (``standings``: the source's prior updated by
    ``domain.credibility.score`` with the same records), computed from the rows read for the record.
    """
    if not refs:
        return []
    ids = [r.id for r in refs]
    counts: dict[int, dict[int, dict[str, int]]] = {sid: {} for sid in ids}
    pairs: dict[int, dict[str, list[tuple[float | None, int]]]] = {
        sid: {c.value: [] for c in CAPACITIES} for sid in ids}
    for source_id, rating_id, capacity, count, truth in rows_of(session, _SOURCE_RECORDS, {"ids": ids}):
        counts[source_id].setdefault(rating_id, {})[capacity] = count
        pairs[source_id][capacity].append((truth, count))
    scores = {}
    for source_id, alpha, beta, domain in rows_of(session, _SOURCE_PRIORS, {"ids": ids}):
        by_capacity = pairs[source_id]
        score = cred.score(source_prior(alpha, beta, domain), by_capacity[Capacity.CLAIMANT.value],
                           by_capacity[Capacity.RELAY.value])
        scores[source_id] = ScoreView(score.mean, score.low, score.high, score.n)
    views = []
    for ref in refs:
        lines = tuple(
            RecordLine(ratings[rid], by_capacity.get("claimant", 0), by_capacity.get("relay", 0))
            for rid, by_capacity in sorted(counts[ref.id].items(), key=lambda kv: ratings[kv[0]].position)
        )
        views.append(SourceRecordView(ref, lines, scores.get(ref.id)))
    return views


def article_exists(session: Session, article_id: int) -> bool:
    """True when there is an article with this id (any number, however large, may be asked about)."""
    return 0 < article_id <= MAX_ID and session.get(Article, article_id) is not None


_ReportOutlet = aliased(Source)
#: The article with its outlet, and how many items it has (built once).
_ARTICLE = (
    select(Article.id, Article.title, Article.url, Article.published_on, Article.text,
           _ReportOutlet.id, _ReportOutlet.name, _ReportOutlet.kind, _ReportOutlet.same_as, _ReportOutlet.domain)
    .outerjoin(_ReportOutlet, _ReportOutlet.id == Article.outlet_id)
    .where(Article.id == bindparam("article_id"))
)
_ARTICLE_TOTAL = select(func.count(CheckItem.id)).where(CheckItem.article_id == bindparam("article_id"))
#: An article's items in reading order (built once).
_ARTICLE_ITEMS = card_rows(select(CheckItem).where(CheckItem.article_id == bindparam("article_id"))
                           .order_by(CheckItem.span_start.is_(None), CheckItem.span_start, CheckItem.id))


def article_report(session: Session, article_id: int, *, include_drafts: bool) -> ArticleReport | None:
    """The report of one article, or None when there is no such article or the viewer may not see it.

    Readers (not ``include_drafts``) get None for an article none of whose items has a public
    verdict: an unchecked article is not published, and its text is not either.
    """
    row = rows_of(session, _ARTICLE, {"article_id": article_id}).first() if 0 < article_id <= MAX_ID else None
    if row is None:
        return None
    ratings = rating_views(session)
    cards = load_cards(session, _ARTICLE_ITEMS, {"article_id": article_id}, include_drafts=include_drafts,
                       ratings=ratings)
    if not include_drafts and not cards:
        return None  # readers' cards are the public verdicts: none, no public report
    total = rows_of(session, _ARTICLE_TOTAL, {"article_id": article_id}).scalar() or 0
    outlet = SourceRef(*row[5:10]) if row[5] is not None else None
    article = ArticleRef(row[0], row[1], row[2], outlet, row[3])
    text = row[4]
    refs: dict[int, SourceRef] = {}
    for card in cards:
        for ref in ([card.claimant] if card.claimant else []) + [link.source for link in card.chain]:
            refs.setdefault(ref.id, ref)
    corrections = sorted((c for card in cards for c in card.corrections), key=lambda c: (c.created_at, c.id))
    return ArticleReport(
        article=article,
        text=text,
        cards=cards,
        segments=segments_of(text, cards),
        distribution=distribution(cards, ratings),
        sources=source_records(session, list(refs.values()), ratings),
        corrections=corrections,
        not_shown=total - len(cards),
        include_drafts=include_drafts,
    )


# --- the report as data (JSON and CSV) ----------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rating(rating: RatingView | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {"key": rating.key, "label": rating.label, "colour": rating.colour,
            "claimreview_value": rating.claimreview_value}


def _source(ref: SourceRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "name": ref.name, "kind": ref.kind.value, "same_as": ref.same_as}


def _correction(c: CorrectionView) -> dict[str, Any]:
    return {"item_id": c.item_id, "tier": c.tier.value, "note": c.note, "headline": c.headline,
            "reopened_at": _iso(c.created_at), "republished_at": _iso(c.republished_at),
            "from_rating": _rating(c.from_rating), "to_rating": _rating(c.to_rating)}


def card_as_dict(card: ItemCard, verdict_url: Callable[[int], str] | None = None) -> dict[str, Any]:
    """One card as JSON-ready data."""
    data: dict[str, Any] = {
        "id": card.id,
        "state": card.state,
        "claim": card.claim,
        "claim_as_written": card.claim_text,
        "restatement": card.restatement,
        "span": list(card.span) if card.span else None,
        "claimant": _source(card.claimant),
        "chain": [{**_source(link.source), "verb": link.verb} for link in card.chain],  # type: ignore[dict-item]  # JSON row
        "hedges": list(card.hedges),
        "dates": list(card.dates),
        "verdict": None,
        "under_review": card.is_under_review,
        "corrections": [_correction(c) for c in card.corrections],
    }
    if card.has_verdict:
        data["verdict"] = {
            "rating": _rating(card.rating),
            "summary": card.summary,
            "rationale": card.rationale,
            "author": card.author,
            "reviewers": card.reviewers,
            "proposed_at": _iso(card.proposed_at),
            "first_published_at": _iso(card.first_published_at),
            "published_at": _iso(card.published_at),
            "rated_by": card.rated_by,
            "review_url": card.review_url,
            "reviewed_on": _iso(card.reviewed_on),
            "evidence": [
                {"id": e.id, "title": e.title, "url": e.url, "passage": e.passage, "stance": e.stance,
                 "source": _source(e.source), "is_anonymous": e.is_anonymous, "is_off_record": e.is_off_record}
                for e in card.evidence
            ],
        }
        if verdict_url is not None:
            data["verdict"]["url"] = verdict_url(card.id)
    return data


def report_as_dict(report: ArticleReport, verdict_url: Callable[[int], str] | None = None) -> dict[str, Any]:
    """The whole report as JSON-ready data (the ``.json`` download and ``factcheck report --format json``)."""
    article = report.article
    return {
        "article": {"id": article.id, "title": article.title, "url": article.url,
                    "outlet": _source(article.outlet), "published_on": _iso(article.published_on)},
        "includes_drafts": report.include_drafts,
        "counts": {
            "shown": len(report.cards),
            "published": len(report.published),
            "drafts": len(report.drafts),
            "not_shown": report.not_shown,
            "by_rating": {bar.rating.key: bar.count for bar in report.distribution if bar.count},
        },
        "items": [card_as_dict(c, verdict_url) for c in report.cards],
        "sources": [
            {**_source(s.source),  # type: ignore[dict-item]  # JSON row
             "record": [{"rating": line.rating.key, "claimant": line.claimant, "relay": line.relay}
                        for line in s.lines],
             "score": ({"mean": round(s.score.mean, 4), "low": round(s.score.low, 4),
                        "high": round(s.score.high, 4), "verdicts_counted": s.score.counted}
                       if s.score else None)}
            for s in report.sources
        ],
        "corrections": [_correction(c) for c in report.corrections],
    }


def report_csv_rows(report: ArticleReport) -> list[dict[str, Any]]:
    """One row per item shown, with the columns of ``CSV_COLUMNS`` (lists joined with " | ")."""
    rows = []
    for card in report.cards:
        rows.append({
            "article_id": report.article.id,
            "item_id": card.id,
            "state": card.state,
            "claim": card.claim,
            "claim_as_written": card.claim_text,
            "span_start": card.span[0] if card.span else "",
            "span_end": card.span[1] if card.span else "",
            "claimant": card.claimant.name if card.claimant else "",
            "chain": " | ".join(f"{link.source.name} ({link.verb})" for link in card.chain),
            "hedges": " | ".join(card.hedges),
            "rating_key": card.rating.key if card.rating else "",
            "rating_label": card.rating.label if card.rating else "",
            "claimreview_value": card.rating.claimreview_value if card.rating and
            card.rating.claimreview_value is not None else "",
            "summary": card.summary or "",
            "rationale": card.rationale or "",
            "evidence": " | ".join(f"{e.stance}: {e.title}" + (f" <{e.url}>" if e.url else "") for e in card.evidence),
            "reviewers": " | ".join(card.reviewers),
            "author": card.author or "",
            "first_published_at": _iso(card.first_published_at) or "",
            "published_at": _iso(card.published_at) or "",
            "corrections": " | ".join(c.headline for c in card.corrections),
            "rated_by": card.rated_by or "",
            "review_url": card.review_url or "",
            "reviewed_on": _iso(card.reviewed_on) or "",
            "under_review": "yes" if card.is_under_review else "",
        })
    return rows


#: Spreadsheets run cells starting with these as formulas; such cells get a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def report_csv(report: ArticleReport) -> str:
    """The CSV download: a header row of ``CSV_COLUMNS``, then one row per item (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in report_csv_rows(report):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()
