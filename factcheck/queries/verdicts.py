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
from typing import Any

from sqlalchemy import Select, bindparam, func, null, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.merges import MAX_MERGE_DEPTH, merge_end
from factcheck.domain.workflow import CorrectionTier, Decision, SourceKind, Status
from factcheck.models import (
    MAX_ID, Article, ChainLink, CheckItem, Correction, Evidence, Rating, Source, User, Verdict, Vote,
)
from factcheck.db import rows_of
from factcheck.queries import row_limit
from factcheck.standings import for_transaction, held_rating_scale


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
        """The sentence readers see: "Corrected on <date>: <note>" or "Rating changed from X to Y" ("Rating of X
        under correction" until the new verdict is published)."""
        if self.tier is CorrectionTier.RATING_CHANGE:
            before = self.from_rating.label if self.from_rating else "unrated"
            if self.to_rating is None:
                return f"Rating of {before} under correction"
            return f"Rating changed from {before} to {self.to_rating.label}"
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
#
# Cards are read as rows, not ORM objects: a page of cards (the feed's 100, an article's report)
# would otherwise build and identity-map the whole object graph of every item, which cost several
# times the SQL itself. The statements are the same for any number of cards: the items (with their
# claimant, article and outlet), then the chains, verdicts, votes, evidence and corrections of all
# of them at once (a statement per 500 items, as the ORM's "select in" loading did).

#: Ids per IN list of the batch statements.
_BATCH = 500

_Claimant = aliased(Source)
_Outlet = aliased(Source)
_ITEM_COLUMNS = (
    CheckItem.id, CheckItem.status, CheckItem.claim_text, CheckItem.restatement, CheckItem.span_start,
    CheckItem.span_end, CheckItem.hedges, CheckItem.dates,
    _Claimant.id, _Claimant.name, _Claimant.kind, _Claimant.same_as, _Claimant.domain,
    Article.id, Article.title, Article.url, Article.published_on,
    _Outlet.id, _Outlet.name, _Outlet.kind, _Outlet.same_as, _Outlet.domain,
)


# The batch statements, built once (building a statement costs more than running it on a page's
# rows); ``ids`` is one chunk of item ids.
_IDS: Any = bindparam("ids", expanding=True)
_Author = aliased(User)
_CHAIN_ROWS = (
    select(ChainLink.item_id, ChainLink.verb, Source.id, Source.name, Source.kind, Source.same_as, Source.domain)
    .join(Source, Source.id == ChainLink.source_id)
    .where(ChainLink.item_id.in_(_IDS)).order_by(ChainLink.item_id, ChainLink.position)
)
_VERDICT_ROWS = (
    select(Verdict.item_id, Verdict.id, Verdict.rating_id, Verdict.final_rating_id, Verdict.summary,
           Verdict.rationale, _Author.display_name, Verdict.created_at, Verdict.published_at,
           Verdict.rated_by, Verdict.review_url, Verdict.reviewed_on, Verdict.shown)
    .outerjoin(_Author, _Author.id == Verdict.author_id)
    .where(Verdict.item_id.in_(_IDS)).order_by(Verdict.id)
)
_VOTE_ROWS = (
    select(Vote.verdict_id, User.display_name, Vote.decision, Vote.rating_id, Vote.created_at)
    .join(User, User.id == Vote.reviewer_id).join(Verdict, Verdict.id == Vote.verdict_id)
    .where(Verdict.item_id.in_(_IDS)).order_by(Vote.id)
)
_EVIDENCE_ROWS = (
    select(Evidence.item_id, Evidence.id, Evidence.title, Evidence.url, Evidence.passage, Evidence.stance,
           Evidence.is_anonymous, Evidence.is_off_record, Evidence.is_publishable,
           Source.id, Source.name, Source.kind, Source.same_as, Source.domain)
    .outerjoin(Source, Source.id == Evidence.source_id)
    .where(Evidence.item_id.in_(_IDS)).order_by(Evidence.id)
)


@dataclass(frozen=True, slots=True)
class _VerdictData:
    """What a card shows of one verdict row (its votes as shown)."""

    id: int
    rating_id: int
    final_rating_id: int | None
    summary: str
    rationale: str
    author: str | None
    created_at: dt.datetime
    published_at: dt.datetime | None
    rated_by: str | None
    review_url: str | None
    reviewed_on: dt.date | None
    votes: tuple[VoteView, ...]
    #: What readers saw of the item with this verdict, kept when the item was reopened (``Verdict.shown``).
    shown: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class _EvidenceData:
    """One piece of evidence as stored, before the reader's view of it is taken."""

    id: int
    title: str
    url: str | None
    passage: str | None
    stance: str
    source: SourceRef | None
    is_anonymous: bool
    is_off_record: bool
    is_publishable: bool

    def view(self, *, staff: bool) -> EvidenceView:
        """The evidence as ``staff`` (everything) or a reader (no name of an anonymous source) may see it."""
        if not staff and (self.is_anonymous or self.is_off_record):
            return EvidenceView(self.id, ANONYMOUS_SOURCE, None, self.passage if self.is_publishable else None,
                                self.stance, None, self.is_anonymous, self.is_off_record, True)
        return EvidenceView(self.id, self.title, self.url, self.passage, self.stance, self.source,
                            self.is_anonymous, self.is_off_record)


@dataclass(frozen=True, slots=True)
class _ItemData:
    """Everything a card is built from, read as rows (or taken from a loaded ORM item)."""

    id: int
    status: Status
    claim_text: str
    restatement: str | None
    span: tuple[int, int] | None
    claimant: SourceRef | None
    chain: tuple[LinkView, ...]
    hedges: tuple[str, ...]
    dates: tuple[str, ...]
    article: ArticleRef | None
    verdicts: tuple[_VerdictData, ...]
    evidence: tuple[_EvidenceData, ...]

    @property
    def published(self) -> list[_VerdictData]:
        return [v for v in self.verdicts if v.published_at is not None]

    @property
    def public(self) -> _VerdictData | None:
        """The verdict readers see: the latest one ever published, whatever the item's status now."""
        published = self.published
        return published[-1] if published else None

    @property
    def current(self) -> _VerdictData | None:
        return self.verdicts[-1] if self.verdicts else None


def _source_ref(id_: int | None, name: str, kind: SourceKind, same_as: str | None,
                domain: str | None) -> SourceRef | None:
    return SourceRef(id_, name, kind, same_as, domain) if id_ is not None else None


def _item_data_of(item: CheckItem, ratings: dict[int, RatingView]) -> _ItemData:
    """The data of a loaded ORM item (the verdict form's ClaimReview check)."""
    article = item.article
    return _ItemData(
        id=item.id, status=item.status, claim_text=item.claim_text, restatement=item.restatement,
        span=(item.span_start, item.span_end) if item.span_start is not None and item.span_end is not None else None,
        claimant=SourceRef.of(item.claimant) if item.claimant is not None else None,
        chain=tuple(LinkView(SourceRef.of(link.source), link.verb) for link in item.chain),
        hedges=tuple(str(h) for h in item.hedges or ()),
        dates=tuple(str(d) for d in item.dates or ()),
        article=None if article is None else ArticleRef(
            article.id, article.title, article.url,
            SourceRef.of(article.outlet) if article.outlet is not None else None, article.published_on),
        verdicts=tuple(
            _VerdictData(v.id, v.rating_id, v.final_rating_id, v.summary, v.rationale,
                         v.author.display_name if v.author else None, v.created_at, v.published_at,
                         v.rated_by, v.review_url, v.reviewed_on,
                         tuple(VoteView(vote.reviewer.display_name, vote.decision,
                                        ratings.get(vote.rating_id) if vote.rating_id else None, vote.created_at)
                               for vote in v.votes), v.shown)
            for v in item.verdicts),
        evidence=tuple(
            _EvidenceData(e.id, e.title, e.url, e.passage, e.stance.value,
                          SourceRef.of(e.source) if e.source is not None else None,
                          e.is_anonymous, e.is_off_record, e.is_publishable)
            for e in item.evidence),
    )


def _verdict_data(row: Any, votes: tuple[VoteView, ...]) -> _VerdictData:
    """A verdict of ``_VERDICT_ROWS`` (without its item id) with its votes."""
    return _VerdictData(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10],
                        votes, row[11])


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + _BATCH] for i in range(0, len(ids), _BATCH)]



#: The same columns without the hedges and dates (JSON decoded for every row), for cards that show neither.
_BRIEF_ITEM_COLUMNS = tuple(null().label(c.key) if c is CheckItem.hedges or c is CheckItem.dates else c
                            for c in _ITEM_COLUMNS)


def card_rows(items_query: Select, *, brief: bool = False) -> Select:
    """The statement of the rows cards are built from, for the items ``items_query`` (a select of
    CheckItem) selects, in its order: build it once and pass it to :func:`load_cards` with its
    parameters (building it cost more than running it). ``brief`` leaves out the hedges and dates
    (the cards carry none), for lists that show neither, such as the ClaimReview feed."""
    columns = _BRIEF_ITEM_COLUMNS if brief else _ITEM_COLUMNS
    return (items_query.with_only_columns(*columns, maintain_column_froms=True)
            .outerjoin(_Claimant, _Claimant.id == CheckItem.claimant_id)
            .outerjoin(Article, Article.id == CheckItem.article_id)
            .outerjoin(_Outlet, _Outlet.id == Article.outlet_id))


def _load_items(session: Session, rows_statement: Select, params: dict[str, Any],
                ratings: dict[int, RatingView], *, details: bool = True) -> list[_ItemData]:
    """The data of the items of ``rows_statement`` (made by :func:`card_rows`), in its order.

    Without ``details`` only the items and their verdicts are read: no chains, votes or evidence.
    """
    rows: Sequence[Any] = rows_of(session, rows_statement, params).all()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    chains: dict[int, list[LinkView]] = defaultdict(list)
    verdicts: dict[int, list[Sequence[Any]]] = defaultdict(list)
    votes: dict[int, list[VoteView]] = defaultdict(list)
    evidence: dict[int, list[_EvidenceData]] = defaultdict(list)
    r: Any  # one row of a batch statement (its columns are read by position)
    for chunk in _chunks(ids):
        for r in rows_of(session, _VERDICT_ROWS, {"ids": chunk}):
            verdicts[r[0]].append(r[1:])
        if not details:
            continue
        for r in rows_of(session, _CHAIN_ROWS, {"ids": chunk}):
            chains[r[0]].append(LinkView(SourceRef(r[2], r[3], r[4], r[5], r[6]), r[1]))
        for r in rows_of(session, _VOTE_ROWS, {"ids": chunk}):
            votes[r[0]].append(VoteView(r[1], r[2], ratings.get(r[3]) if r[3] else None, r[4]))
        for r in rows_of(session, _EVIDENCE_ROWS, {"ids": chunk}):
            evidence[r[0]].append(_EvidenceData(r[1], r[2], r[3], r[4], r[5].value, _source_ref(*r[9:14]),
                                                r[6], r[7], r[8]))
    items = []
    for r in rows:
        (item_id, status, claim_text, restatement, span_start, span_end, hedges, dates) = r[:8]
        items.append(_ItemData(
            id=item_id, status=status, claim_text=claim_text, restatement=restatement,
            span=(span_start, span_end) if span_start is not None and span_end is not None else None,
            claimant=_source_ref(*r[8:13]),
            chain=tuple(chains[item_id]),
            hedges=tuple(str(h) for h in hedges or ()),
            dates=tuple(str(d) for d in dates or ()),
            article=(ArticleRef(r[13], r[14], r[15], _source_ref(*r[17:22]), r[16]) if r[13] is not None else None),
            verdicts=tuple(_verdict_data(v, tuple(votes[v[0]])) for v in verdicts[item_id]),
            evidence=tuple(evidence[item_id]),
        ))
    return _kept_sources_followed(session, items)


#: Sources read by id, with where each was merged (a kept card names sources as they were when it was kept).
_SOURCES_BY_ID = select(Source.id, Source.merged_into_id, Source.name, Source.kind, Source.same_as, Source.domain).where(
    Source.id.in_(_IDS))
def _kept_sources_followed(session: Session, items: list[_ItemData]) -> list[_ItemData]:
    """``items`` whose kept cards (``Verdict.shown``, used while a correction is worked on) name each source as it is
    now: one merged since is named as the source it was merged into, as the item itself is. One statement per
    step along the chains of merges, none when no kept card is shown."""
    kept = [shown for item in items if (shown := _kept_card(item)) is not None]
    if not kept:
        return items
    named = {source["id"] for shown in kept for source in _kept_source_dicts(shown)}
    rows: dict[int, Any] = {}
    wanted = set(named)
    for _ in range(MAX_MERGE_DEPTH):  # one step along the chains of merges a statement
        for chunk in _chunks(sorted(wanted)):
            for row in rows_of(session, _SOURCES_BY_ID, {"ids": chunk}):
                rows[row[0]] = row
        wanted = {row[1] for row in rows.values() if row[1] is not None} - rows.keys()
        if not wanted:
            break
    merged_into = {source_id: row[1] for source_id, row in rows.items() if row[1] is not None}
    now: dict[int, dict[str, Any]] = {}
    for source_id in named:
        row = rows.get(merge_end(merged_into, source_id) or source_id)  # (a circle: left as it was kept)
        if row is not None:
            now[source_id] = {"id": row[0], "name": row[2], "kind": SourceKind(row[3]).value, "same_as": row[4],
                              "domain": row[5]}
    for shown in kept:
        for source in _kept_source_dicts(shown):
            source.update(now.get(source["id"], {}))
    return items


def _kept_source_dicts(shown: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources a kept card names (its claimant, its chain's, its evidence's), as the dicts it holds."""
    found = [shown["claimant"]] + [link["source"] for link in shown["chain"]] + [e["source"] for e in shown["evidence"]]
    return [source for source in found if source is not None]


_RATINGS = (select(Rating.id, Rating.key, Rating.label, Rating.colour, Rating.claimreview_value, Rating.position)
            .order_by(Rating.position, Rating.id))


def rating_views(session: Session) -> dict[int, RatingView]:
    """Every rating of the scale (inactive ones too: old verdicts use them) by id, read as rows once a
    transaction (``standings.for_transaction``: cards, their markup and ClaimReview's range share it)."""
    return for_transaction(session, "rating views", _read_views)


def _read_views(session: Session) -> dict[int, RatingView]:
    scale = held_rating_scale(session)  # the item page read the ratings as objects already
    if scale is not None:
        return {r.id: RatingView(r.id, r.key, r.label, r.colour, r.claimreview_value, r.position) for r in scale}
    return {r[0]: RatingView(*r) for r in rows_of(session, _RATINGS)}


def claimreview_scale(session: Session) -> tuple[int | None, int | None]:
    """The scale's (worst, best) ClaimReview numbers: the lowest and highest value any rating has."""
    values = [r.claimreview_value for r in rating_views(session).values() if r.claimreview_value is not None]
    return (min(values), max(values)) if values else (None, None)


def _corrections(item: _ItemData, rows: Sequence[Any], ratings: dict[int, RatingView]) -> tuple:
    published = item.published
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


def _state(item: _ItemData, include_drafts: bool) -> CardState | None:
    """What the card shows, or None when the item is not shown at all.

    Readers see the public verdict of any item that has one. Staff see a verdict under review as
    a draft, a dismissed item as dismissed, and otherwise what readers see (or "unchecked").
    """
    public = item.public is not None
    if not include_drafts:
        return PUBLISHED if public else None
    if item.status is Status.PUBLISHED:
        return PUBLISHED
    if item.status is Status.VERDICT:
        return DRAFT
    if item.status is Status.DISMISSED:
        return DISMISSED
    return PUBLISHED if public else UNCHECKED


def build_card(item: CheckItem, state: CardState, ratings: dict[int, RatingView],
               corrections: Sequence[Correction] = (), *, staff: bool = False) -> ItemCard:
    """The card of a loaded item in ``state``; the verdict is shown only when published or a draft.

    A published card shows the item's public verdict, a draft its latest verdict. Only ``staff``
    see the names, links and passages of anonymous and off-the-record evidence.
    """
    return _card(_item_data_of(item, ratings), state, ratings, corrections, staff=staff)


def _kept_card(item: _ItemData) -> dict[str, Any] | None:
    """What was kept of ``item`` when its public verdict was reopened, while a correction is worked on (the item is
    no longer published); else None."""
    public = item.public
    return public.shown or None if public is not None and item.status is not Status.PUBLISHED else None


def _as_published(item: _ItemData) -> _ItemData:
    """The item as readers saw it with its public verdict: while a correction is worked on (the item is no
    longer published), what was kept when it was reopened (``Verdict.shown``), not the desk's edits since;
    otherwise the item as it is."""
    shown = _kept_card(item)
    if shown is None:
        return item
    span = shown["span"]
    return replace(
        item,
        claim_text=shown["claim_text"],
        restatement=shown["restatement"],
        span=(int(span[0]), int(span[1])) if span else None,
        claimant=_kept_source(shown["claimant"]),
        chain=tuple(LinkView(_kept_ref(link["source"]), link["verb"]) for link in shown["chain"]),
        hedges=tuple(shown["hedges"]),
        dates=tuple(shown["dates"]),
        evidence=tuple(_EvidenceData(e["id"], e["title"], e["url"], e["passage"], e["stance"],
                                     _kept_source(e["source"]), e["is_anonymous"], e["is_off_record"],
                                     e["is_publishable"]) for e in shown["evidence"]),
    )


def _kept_source(kept: dict[str, Any] | None) -> SourceRef | None:
    return None if kept is None else _kept_ref(kept)


def _kept_ref(kept: dict[str, Any]) -> SourceRef:
    """A source as ``facts.shown_with_verdict`` kept it."""
    return SourceRef(kept["id"], kept["name"], SourceKind(kept["kind"]), kept["same_as"], kept["domain"])


def _card(item: _ItemData, state: CardState, ratings: dict[int, RatingView],
          corrections: Sequence[Any] = (), *, staff: bool = False) -> ItemCard:
    if state == PUBLISHED:
        item = _as_published(item)
    common = dict(
        id=item.id,
        status=item.status,
        state=state,
        claim_text=item.claim_text,
        restatement=item.restatement,
        span=item.span,
        claimant=item.claimant,
        chain=item.chain,
        hedges=item.hedges,
        dates=item.dates,
        article=item.article,
        corrections=_corrections(item, corrections, ratings) if corrections else (),
    )
    public = item.public
    verdict = public if state == PUBLISHED else item.current
    if state not in (PUBLISHED, DRAFT) or verdict is None:
        return ItemCard(**common)  # type: ignore[arg-type]  # the fields above, by name
    # The reviewers' final rating once there is one (panel mode may differ from the proposal).
    rating_id = verdict.final_rating_id or verdict.rating_id
    published = item.published
    return ItemCard(
        **common,  # type: ignore[arg-type]  # the fields above, by name
        rating=ratings[rating_id],
        summary=verdict.summary,
        rationale=verdict.rationale,
        author=verdict.author,
        proposed_at=verdict.created_at,
        published_at=verdict.published_at,
        first_published_at=published[0].published_at if published else None,
        evidence=tuple(e.view(staff=staff) for e in item.evidence),
        votes=verdict.votes,
        rated_by=verdict.rated_by,
        review_url=verdict.review_url,
        reviewed_on=verdict.reviewed_on,
        public_since=public.published_at if public is not None and verdict is not public else None,
    )


_CORRECTION_ROWS = (
    select(Correction.id, Correction.item_id, Correction.tier, Correction.note, Correction.created_at,
           Correction.verdict_id)
    .where(Correction.item_id.in_(_IDS)).order_by(Correction.id)
)


def load_cards(session: Session, rows_statement: Select, params: dict[str, Any] | None = None, *,
               include_drafts: bool, ratings: dict[int, RatingView] | None = None,
               details: bool = True) -> list[ItemCard]:
    """Cards for the items of ``rows_statement`` (made by :func:`card_rows`, run with ``params``), in
    its order, hiding what the reader may not see.

    ``include_drafts`` is the staff view: drafts, and every detail of the evidence. Without
    ``details`` the cards carry no chain, evidence, votes or corrections (their statements are not
    run): for lists that show none of them, such as the ClaimReview feed.
    """
    ratings = ratings if ratings is not None else rating_views(session)
    items = _load_items(session, rows_statement, params or {}, ratings, details=details)
    corrections: dict[int, list[Any]] = defaultdict(list)
    for chunk in _chunks([i.id for i in items]) if details else ():
        for row in rows_of(session, _CORRECTION_ROWS, {"ids": chunk}):
            corrections[row.item_id].append(row)
    cards = []
    for item in items:
        state = _state(item, include_drafts)
        if state is not None:
            cards.append(_card(item, state, ratings, corrections[item.id], staff=include_drafts))
    return cards


def verdict_card(session: Session, item_id: int, *, include_drafts: bool) -> ItemCard | None:
    """The card for one verdict page, or None when there is no verdict this reader may see.

    Readers see the item's public verdict (a reopened one too, until its correction is published).
    Staff (``include_drafts``) see a verdict under review as a draft, and the latest verdict of an
    item that was never published (returned, say) as a draft too.
    """
    if not 0 < item_id <= MAX_ID:
        return None
    ratings = rating_views(session)
    found = _load_items(session, _ONE_ITEM, {"item_id": item_id}, ratings)
    if not found or found[0].current is None:
        return None
    item = found[0]
    if include_drafts and item.status is Status.VERDICT:
        state = DRAFT
    elif item.public is not None:
        state = PUBLISHED
    elif include_drafts:
        state = DRAFT
    else:
        return None
    corrections = rows_of(session, _CORRECTION_ROWS, {"ids": [item.id]}).all()
    return _card(item, state, ratings, corrections, staff=include_drafts)


_ONE_ITEM = card_rows(select(CheckItem).where(CheckItem.id == bindparam("item_id")))
_earlier = aliased(Verdict)
#: The feed's items: those whose latest published verdict is the desk's own, after ``after`` (no
#: hedges or dates: ClaimReview and the API's verdict list show neither).
_FEED_ITEMS = card_rows(
    select(CheckItem)
    .join(Verdict, Verdict.id == select(func.max(_earlier.id))
          .where(_earlier.item_id == CheckItem.id, _earlier.published_at.is_not(None))
          .correlate(CheckItem).scalar_subquery())
    .where(CheckItem.id > bindparam("after"), Verdict.rated_by.is_(None))
    .order_by(CheckItem.id)
    .limit(row_limit()),
    brief=True,
)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of published verdicts for the ClaimReview feed."""

    cards: list[ItemCard]
    next_after: int | None


def published_cards(session: Session, *, after: int = 0, limit: int = 100) -> FeedPage:
    """The desk's own public verdicts in item order, ``limit`` at a time after item id ``after`` (keyset).

    An item is in the feed when its public verdict (the latest published one, even while it is
    reopened for a correction) is the desk's own: imported verdicts (``rated_by`` set) are not.
    The cards carry what ClaimReview and the API's verdict list show: the claim, claimant, article,
    rating, summary and dates; no chain, evidence, votes, corrections (``load_cards``' ``details``),
    hedges or dates the claim mentions (``card_rows``' ``brief``).
    """
    if after >= MAX_ID:
        return FeedPage([], None)
    cards = load_cards(session, _FEED_ITEMS, {"after": after, "limit": limit + 1}, include_drafts=False,
                       details=False)
    more = len(cards) > limit
    cards = cards[:limit]
    return FeedPage(cards, cards[-1].id if more and cards else None)
