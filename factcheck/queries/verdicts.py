"""Read models for verdicts: one card per check item, its correction log, and the public feed.

A card is what a reader (or, with drafts, a member of staff) may see of one item. The article
report, the verdict page, the JSON/CSV exports and the ClaimReview markup are all built from
cards, so they can never disagree about what is published. The rules for readers live here, once:

- An item's **public verdict** is its latest verdict with ``published_at`` set, whatever the
  item's status now: a verdict reopened for a correction stays public, marked as under review,
  until the corrected one is published.
- **Anonymous and off-the-record evidence** is shown to readers as "An anonymous source": no
  name, link or title, and its passage only when the desk marked it publishable.
- **Imported verdicts** (``rated_by`` set) are shown with the fact-checker who rated them and are
  left out of the desk's ClaimReview feed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from factcheck.domain.workflow import CorrectionTier, Decision, SourceKind, Status
from factcheck.models import Article, ChainLink, CheckItem, Correction, Evidence, Rating, Source, Verdict, Vote


class CardState(StrEnum):
    """What a card shows of its item's verdict (a string, so exports write its value)."""

    PUBLISHED = "published"  # the public verdict
    DRAFT = "draft"  # a proposed verdict under review: staff only
    UNCHECKED = "unchecked"  # no verdict to show yet (claim or evidence, never published)
    DISMISSED = "dismissed"  # dismissed by the desk: staff only


PUBLISHED = CardState.PUBLISHED
DRAFT = CardState.DRAFT
UNCHECKED = CardState.UNCHECKED
DISMISSED = CardState.DISMISSED

#: The largest id the database can hold (PostgreSQL ``integer``): a bigger number names no row,
#: and asking the database about it would be an error rather than an empty answer.
MAX_ID = 2**31 - 1

#: What readers see in place of an anonymous or off-the-record source.
ANONYMOUS_SOURCE = "An anonymous source"


@dataclass(frozen=True, slots=True)
class RatingView:
    """One rating of the scale, as shown."""

    id: int
    key: str
    label: str
    colour: str
    claimreview_value: int | None
    position: int

    @classmethod
    def of(cls, rating: Rating) -> RatingView:
        """The view of a rating row."""
        return cls(rating.id, rating.key, rating.label, rating.colour, rating.claimreview_value, rating.position)


@dataclass(frozen=True, slots=True)
class RatingChip:
    """A rating as its chip shows it (``rating_chip`` in templates/_macros.html): a label in a colour."""

    label: str
    colour: str

    @classmethod
    def of(cls, label: str | None, colour: str | None) -> RatingChip | None:
        """The chip of a rating read as two columns; None when there is no rating."""
        return cls(label, colour or "") if label else None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source named on a card."""

    id: int
    name: str
    kind: SourceKind
    same_as: str | None = None
    domain: str | None = None

    @classmethod
    def of(cls, source: Source) -> SourceRef:
        """The view of a source row."""
        return cls(source.id, source.name, source.kind, source.same_as, source.domain)


@dataclass(frozen=True, slots=True)
class LinkView:
    """One link of the attribution chain: who, and the reporting verb."""

    source: SourceRef
    verb: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """A piece of evidence with its source and stance.

    ``is_withheld``: the evidence rests on an anonymous or off-the-record source and the viewer is
    a reader, so its title, link and source are replaced (and its passage kept only when the desk
    marked it publishable).
    """

    id: int
    title: str
    url: str | None
    passage: str | None
    stance: str
    source: SourceRef | None
    is_anonymous: bool
    is_off_record: bool
    is_withheld: bool = False

    @classmethod
    def of(cls, evidence: Evidence, *, staff: bool) -> EvidenceView:
        """The evidence as ``staff`` (everything) or a reader (no name of an anonymous source) may see it."""
        if not staff and (evidence.is_anonymous or evidence.is_off_record):
            return cls(evidence.id, ANONYMOUS_SOURCE, None, evidence.passage if evidence.is_publishable else None,
                       evidence.stance.value, None, evidence.is_anonymous, evidence.is_off_record, True)
        return cls(evidence.id, evidence.title, evidence.url, evidence.passage, evidence.stance.value,
                   SourceRef.of(evidence.source) if evidence.source is not None else None,
                   evidence.is_anonymous, evidence.is_off_record)


@dataclass(frozen=True, slots=True)
class VoteView:
    """A reviewer's vote on the verdict shown."""

    reviewer: str
    decision: Decision
    rating: RatingView | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """One entry of an item's correction log.

    ``from_rating`` is the final rating of the verdict that was reopened; ``to_rating`` and
    ``republished_at`` belong to the next verdict published after it (None while the correction
    is still being worked on).
    """

    id: int
    item_id: int
    tier: CorrectionTier
    note: str
    created_at: dt.datetime
    from_rating: RatingView | None
    to_rating: RatingView | None
    republished_at: dt.datetime | None

    @property
    def date(self) -> dt.date:
        """The day readers saw the change: the republication, or the reopening while it is pending."""
        return (self.republished_at or self.created_at).date()

    @property
    def is_prominent(self) -> bool:
        """Corrections and rating changes are announced at the top once republished; clarifications are not."""
        return self.tier is not CorrectionTier.CLARIFICATION and self.republished_at is not None

    @property
    def headline(self) -> str:
        """The sentence readers see: "Corrected on <date>: <note>" or "Rating changed from X to Y"."""
        if self.tier is CorrectionTier.RATING_CHANGE:
            before = self.from_rating.label if self.from_rating else "unrated"
            after = self.to_rating.label if self.to_rating else "pending"
            return f"Rating changed from {before} to {after}"
        if self.tier is CorrectionTier.CORRECTION:
            return f"Corrected on {self.date.isoformat()}: {self.note}"
        return f"Clarified on {self.date.isoformat()}: {self.note}"


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The article a claim appeared in."""

    id: int
    title: str
    url: str | None
    outlet: SourceRef | None
    published_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ItemCard:
    """One check item as a reader (or staff) may see it, with the verdict to show."""

    id: int
    status: Status
    state: CardState
    claim_text: str
    restatement: str | None
    span: tuple[int, int] | None
    claimant: SourceRef | None
    chain: tuple[LinkView, ...]
    hedges: tuple[str, ...]
    dates: tuple[str, ...]
    article: ArticleRef | None
    rating: RatingView | None = None
    summary: str | None = None
    rationale: str | None = None
    author: str | None = None
    proposed_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    first_published_at: dt.datetime | None = None
    evidence: tuple[EvidenceView, ...] = ()
    votes: tuple[VoteView, ...] = ()
    corrections: tuple[CorrectionView, ...] = field(default=())
    #: Imported verdicts: the fact-checker who rated the claim, their review's address and date.
    rated_by: str | None = None
    review_url: str | None = None
    reviewed_on: dt.date | None = None
    #: For a draft: when the verdict readers still see was published (None if there is none).
    public_since: dt.datetime | None = None

    @property
    def claim(self) -> str:
        """The checkable restatement when there is one, else the claim as written."""
        return self.restatement or self.claim_text

    @property
    def has_verdict(self) -> bool:
        """True when the card shows a verdict (published, or a draft for staff)."""
        return self.state in (PUBLISHED, DRAFT)

    @property
    def is_draft(self) -> bool:
        """True for a proposed verdict that is not public yet."""
        return self.state == DRAFT

    @property
    def is_imported(self) -> bool:
        """True when the verdict shown was rated by another fact-checker and imported from an archive."""
        return self.has_verdict and self.rated_by is not None

    @property
    def is_under_review(self) -> bool:
        """True when the published verdict shown was reopened and its correction is not published yet."""
        return self.state == PUBLISHED and self.status is not Status.PUBLISHED

    @property
    def pending(self) -> list[CorrectionView]:
        """Reopenings not republished yet (the public note of the correction under way)."""
        return [c for c in self.corrections if c.republished_at is None]

    @property
    def notices(self) -> list[CorrectionView]:
        """Corrections announced at the top of the item's report and page (newest first)."""
        return [c for c in reversed(self.corrections) if c.is_prominent]

    @property
    def reviewers(self) -> list[str]:
        """Who approved the verdict shown."""
        return [v.reviewer for v in self.votes if v.decision is Decision.APPROVE]


# --- loading ------------------------------------------------------------------------------------


def _card_query_options() -> tuple:
    # Everything a card needs, loaded in a fixed number of queries per batch (no N+1).
    return (
        selectinload(CheckItem.claimant),
        selectinload(CheckItem.chain).selectinload(ChainLink.source),
        selectinload(CheckItem.evidence).selectinload(Evidence.source),
        selectinload(CheckItem.verdicts).options(
            joinedload(Verdict.author),
            selectinload(Verdict.votes).joinedload(Vote.reviewer),
        ),
        selectinload(CheckItem.article).selectinload(Article.outlet),
    )


def rating_views(session: Session) -> dict[int, RatingView]:
    """Every rating of the scale (inactive ones too: old verdicts use them) by id."""
    return {r.id: RatingView.of(r) for r in session.scalars(select(Rating).order_by(Rating.position, Rating.id))}


def claimreview_scale(session: Session) -> tuple[int | None, int | None]:
    """The scale's (worst, best) ClaimReview numbers: the lowest and highest value any rating has."""
    worst, best = session.execute(
        select(func.min(Rating.claimreview_value), func.max(Rating.claimreview_value))
    ).one()
    return worst, best


def _published_verdicts(item: CheckItem) -> list[Verdict]:
    return [v for v in item.verdicts if v.published_at is not None]


def public_verdict(item: CheckItem) -> Verdict | None:
    """The verdict readers see: the latest one ever published, whatever the item's status now."""
    published = _published_verdicts(item)
    return published[-1] if published else None


def _corrections(item: CheckItem, rows: Sequence[Correction], ratings: dict[int, RatingView]) -> tuple:
    published = _published_verdicts(item)
    views = []
    for row in rows:
        reopened = next((v for v in item.verdicts if v.id == row.verdict_id), None)
        after = next((v for v in published if v.id > row.verdict_id), None)
        views.append(CorrectionView(
            id=row.id,
            item_id=row.item_id,
            tier=row.tier,
            note=row.note,
            created_at=row.created_at,
            from_rating=ratings.get(reopened.final_rating_id) if reopened and reopened.final_rating_id else None,
            to_rating=ratings.get(after.final_rating_id) if after and after.final_rating_id else None,
            republished_at=after.published_at if after else None,
        ))
    return tuple(views)


def _state(item: CheckItem, include_drafts: bool) -> CardState | None:
    """What the card shows, or None when the item is not shown at all.

    Readers see the public verdict of any item that has one. Staff see a verdict under review as
    a draft, a dismissed item as dismissed, and otherwise what readers see (or "unchecked").
    """
    public = public_verdict(item) is not None
    if not include_drafts:
        return PUBLISHED if public else None
    if item.status is Status.PUBLISHED:
        return PUBLISHED
    if item.status is Status.VERDICT:
        return DRAFT
    if item.status is Status.DISMISSED:
        return DISMISSED
    return PUBLISHED if public else UNCHECKED


def _article_ref(article: Article | None) -> ArticleRef | None:
    if article is None:
        return None
    outlet = SourceRef.of(article.outlet) if article.outlet is not None else None
    return ArticleRef(article.id, article.title, article.url, outlet, article.published_on)


def build_card(item: CheckItem, state: CardState, ratings: dict[int, RatingView],
               corrections: Sequence[Correction] = (), *, staff: bool = False) -> ItemCard:
    """The card of a loaded item in ``state``; the verdict is shown only when published or a draft.

    A published card shows the item's public verdict, a draft its latest verdict. Only ``staff``
    see the names, links and passages of anonymous and off-the-record evidence.
    """
    card = ItemCard(
        id=item.id,
        status=item.status,
        state=state,
        claim_text=item.claim_text,
        restatement=item.restatement,
        span=(item.span_start, item.span_end) if item.span_start is not None and item.span_end is not None else None,
        claimant=SourceRef.of(item.claimant) if item.claimant is not None else None,
        chain=tuple(LinkView(SourceRef.of(link.source), link.verb) for link in item.chain),
        hedges=tuple(str(h) for h in item.hedges or ()),
        dates=tuple(str(d) for d in item.dates or ()),
        article=_article_ref(item.article),
        corrections=_corrections(item, corrections, ratings),
    )
    public = public_verdict(item)
    verdict = public if state == PUBLISHED else item.current_verdict
    if state not in (PUBLISHED, DRAFT) or verdict is None:
        return card
    # The reviewers' final rating once there is one (panel mode may differ from the proposal).
    rating_id = verdict.final_rating_id or verdict.rating_id
    published = _published_verdicts(item)
    return replace(
        card,
        rating=ratings[rating_id],
        summary=verdict.summary,
        rationale=verdict.rationale,
        author=verdict.author.display_name if verdict.author else None,
        proposed_at=verdict.created_at,
        published_at=verdict.published_at,
        first_published_at=published[0].published_at if published else None,
        evidence=tuple(EvidenceView.of(e, staff=staff) for e in item.evidence),
        votes=tuple(
            VoteView(v.reviewer.display_name, v.decision, ratings.get(v.rating_id) if v.rating_id else None,
                     v.created_at)
            for v in verdict.votes
        ),
        rated_by=verdict.rated_by,
        review_url=verdict.review_url,
        reviewed_on=verdict.reviewed_on,
        public_since=public.published_at if public is not None and verdict is not public else None,
    )


def load_cards(session: Session, items_query, *, include_drafts: bool,
               ratings: dict[int, RatingView] | None = None) -> list[ItemCard]:
    """Cards for the items ``items_query`` selects (in its order), hiding what the reader may not see.

    ``include_drafts`` is the staff view: drafts, and every detail of the evidence.
    """
    items = session.scalars(items_query.options(*_card_query_options())).unique().all()
    ratings = ratings if ratings is not None else rating_views(session)
    corrections: dict[int, list[Correction]] = defaultdict(list)
    ids = [i.id for i in items]
    if ids:
        for row in session.scalars(select(Correction).where(Correction.item_id.in_(ids)).order_by(Correction.id)):
            corrections[row.item_id].append(row)
    cards = []
    for item in items:
        state = _state(item, include_drafts)
        if state is not None:
            cards.append(build_card(item, state, ratings, corrections[item.id], staff=include_drafts))
    return cards


def verdict_card(session: Session, item_id: int, *, include_drafts: bool) -> ItemCard | None:
    """The card for one verdict page, or None when there is no verdict this reader may see.

    Readers see the item's public verdict (a reopened one too, until its correction is published).
    Staff (``include_drafts``) see a verdict under review as a draft, and the latest verdict of an
    item that was never published (returned, say) as a draft too.
    """
    if not 0 < item_id <= MAX_ID:
        return None
    item = session.scalars(
        select(CheckItem).where(CheckItem.id == item_id).options(*_card_query_options())
    ).first()
    if item is None or item.current_verdict is None:
        return None
    public = public_verdict(item)
    if include_drafts and item.status is Status.VERDICT:
        state = DRAFT
    elif public is not None:
        state = PUBLISHED
    elif include_drafts:
        state = DRAFT
    else:
        return None
    corrections = session.scalars(
        select(Correction).where(Correction.item_id == item.id).order_by(Correction.id)
    ).all()
    return build_card(item, state, rating_views(session), corrections, staff=include_drafts)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of published verdicts for the ClaimReview feed."""

    cards: list[ItemCard]
    next_after: int | None


def published_cards(session: Session, *, after: int = 0, limit: int = 100) -> FeedPage:
    """The desk's own public verdicts in item order, ``limit`` at a time after item id ``after`` (keyset).

    An item is in the feed when its public verdict (the latest published one, even while it is
    reopened for a correction) is the desk's own: imported verdicts (``rated_by`` set) are not.
    """
    if after >= MAX_ID:
        return FeedPage([], None)
    earlier = aliased(Verdict)
    latest_public = (
        select(func.max(earlier.id))
        .where(earlier.item_id == CheckItem.id, earlier.published_at.is_not(None))
        .correlate(CheckItem)
        .scalar_subquery()
    )
    query = (
        select(CheckItem)
        .join(Verdict, Verdict.id == latest_public)
        .where(CheckItem.id > after, Verdict.rated_by.is_(None))
        .order_by(CheckItem.id)
        .limit(limit + 1)
    )
    cards = load_cards(session, query, include_drafts=False)
    more = len(cards) > limit
    cards = cards[:limit]
    return FeedPage(cards, cards[-1].id if more and cards else None)
