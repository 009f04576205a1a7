"""The API's request and response shapes as pydantic models.

The same classes validate requests (through spectree) and make the OpenAPI document, so the
document cannot drift from what the endpoints accept and answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from factcheck.domain.search import SearchKind
from factcheck.domain.workflow import Decision, SourceKind, Stance, Status
from factcheck.web.params import EARLIEST, LATEST, MAX_ID

Id = Field(ge=0, le=MAX_ID)
PAGE_LIMIT = 200


class Model(BaseModel):
    """Every shape: unknown fields in a request body are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """A NUL character cannot be stored (PostgreSQL refuses it in text): refused in plain words."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


# --- errors and pages -----------------------------------------------------------------------------------


class Problem(Model):
    """One thing wrong with a request."""

    loc: list[str | int]
    msg: str


class Error(Model):
    """Every error: the status, a message written for a person, and what was wrong when known."""

    error: str
    status: int
    details: list[Problem] | None = None
    duplicate_of: int | None = Field(default=None, description="The article already stored with this text.")


class PageQuery(Model):
    """Keyset paging: the id to continue after (from the previous page's ``next``) and the page size."""

    model_config = ConfigDict(extra="ignore")

    after: int | None = Field(default=None, ge=0, le=MAX_ID)
    limit: int = Field(default=50, ge=1, le=PAGE_LIMIT)


# --- shared parts ---------------------------------------------------------------------------------------


class RatingOut(Model):
    key: str
    label: str


class SourceRefOut(Model):
    id: int
    name: str
    kind: str


class Span(Model):
    start: int
    end: int


# --- items ----------------------------------------------------------------------------------------------


class ItemQuery(PageQuery):
    """Filters of the item list."""

    status: Status | None = None
    claimant: int | None = Field(default=None, ge=0, le=MAX_ID, description="A source's id.")
    article: int | None = Field(default=None, ge=0, le=MAX_ID, description="An article's id.")
    rating: str | None = Field(default=None, max_length=40, description="A rating's key, e.g. false.")
    updated_since: dt.datetime | None = Field(default=None, description="ISO 8601; without a zone, UTC.")

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        """The moment in UTC; one no row can have (before 1970, after 9000) is refused in plain words."""
        if value is None:
            return None
        try:
            moment = (value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        except OverflowError:
            moment = None
        if moment is None or not EARLIEST <= moment <= LATEST:
            raise ValueError("must be a moment between 1970 and 9000")
        return moment


class ItemSummary(Model):
    id: int
    url: str
    status: Status
    claim_text: str
    restatement: str | None
    claimant: SourceRefOut | None
    article_id: int | None
    priority: float
    rating: RatingOut | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ItemList(Model):
    items: list[ItemSummary]
    next: str | None


class ChainLinkOut(Model):
    source: SourceRefOut
    verb: str


class RelationOut(Model):
    type: str
    other_id: int
    outgoing: bool


class EvidenceOut(Model):
    id: int
    title: str
    url: str | None
    passage: str | None
    stance: str
    source: SourceRefOut | None
    is_anonymous: bool
    is_off_record: bool
    is_publishable: bool
    counts: bool = Field(description="Whether the piece counts under the evidence independence rule.")
    added_at: dt.datetime


class VoteOut(Model):
    reviewer: str
    decision: str
    rating: RatingOut | None
    comment: str | None
    is_deciding: bool
    created_at: dt.datetime


class VerdictOut(Model):
    id: int
    rating: RatingOut
    final_rating: RatingOut | None
    summary: str
    rationale: str
    author: str | None
    created_at: dt.datetime
    published_at: dt.datetime | None
    votes: list[VoteOut]
    review_key: str | None = Field(default=None, description="While the verdict is under review: what names it as "
                                                             "you read it, for your vote (`VoteIn.review_key`).")


class HistoryEvent(Model):
    action: str
    from_status: str | None
    to_status: str | None
    actor: str | None
    at: dt.datetime


class ActionOut(Model):
    action: str
    allowed: bool
    reason: str | None


class HedgeSpanOut(Model):
    label: str
    start: int = Field(description="Offset of the hedge's first character in the article's text.")
    end: int


class ItemDetail(ItemSummary):
    span: Span | None
    hedges: list[str]
    hedge_spans: list[HedgeSpanOut] = Field(description="Where the extractor found each hedge in the article.")
    dates: list[Any]
    assignee: str | None
    chain: list[ChainLinkOut]
    relations: list[RelationOut]
    evidence: list[EvidenceOut]
    verdict: VerdictOut | None
    history: list[HistoryEvent]
    actions: list[ActionOut] = Field(description="What the token's owner may do now, and why not.")


# --- writes on items ------------------------------------------------------------------------------------


class TakeIn(Model):
    version: int | None = Field(default=None, ge=1, le=MAX_ID,
                                description="The item's version you read; a newer one is refused (409).")


class EvidenceIn(Model):
    version: int = Field(ge=1, le=MAX_ID, description="The item's version you read.")
    title: str = Field(min_length=1, max_length=500)
    stance: Stance
    url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")
    passage: str | None = Field(default=None, max_length=20000)
    source: str | None = Field(default=None, max_length=200, description="Found by name or alias, else created.")
    source_kind: SourceKind = SourceKind.OUTLET
    is_anonymous: bool = False
    is_off_record: bool = False
    is_publishable: bool = False


class ProposeIn(Model):
    version: int | None = Field(default=None, ge=1, le=MAX_ID)
    rating: str = Field(min_length=1, max_length=40, description="A rating's key from GET /api/v1/ratings.")
    summary: str = Field(min_length=1, max_length=500)
    rationale: str = Field(min_length=1, max_length=50000, description="Markdown.")


class VoteIn(Model):
    decision: Decision
    review_key: str = Field(min_length=1, max_length=64,
                            description="The verdict's `review_key` as you read it (`GET /items/{item_id}`): a vote on a "
                                        "verdict that has changed since (a new proposal, another restatement or "
                                        "evidence) is refused with 409.")
    rating: str | None = Field(default=None, max_length=40, description="Approve as another rating.")
    comment: str | None = Field(default=None, max_length=5000, description="Required to return a verdict.")


class ActionResult(Model):
    item: ItemSummary


class EvidenceCreated(Model):
    evidence_id: int
    item: ItemSummary


class RatingsOut(Model):
    ratings: list[RatingOut]


# --- articles -------------------------------------------------------------------------------------------


class ArticleQuery(Model):
    model_config = ConfigDict(extra="ignore")

    before: int | None = Field(default=None, ge=0, le=MAX_ID, description="Newest first: the id to continue before.")
    limit: int = Field(default=50, ge=1, le=PAGE_LIMIT)


class ArticleSummary(Model):
    id: int
    url: str
    title: str
    outlet: str | None
    published_on: dt.date | None
    created_at: dt.datetime
    counts: dict[str, int] = Field(description="Check items by status.")


class ArticleList(Model):
    articles: list[ArticleSummary]
    next: str | None


class ArticleItemOut(Model):
    id: int
    claim_text: str
    status: Status
    claimant: str | None
    span: Span | None
    rating: str | None


class ArticleDetail(Model):
    id: int
    url: str
    title: str
    source_url: str | None
    outlet: str | None
    published_on: dt.date | None
    created_at: dt.datetime
    text: str
    items: list[ArticleItemOut]


class ArticleIn(Model):
    """An article to read: plain text or HTML (one of them), and what is known about it."""

    text: str | None = Field(default=None, max_length=2_000_000)
    html: str | None = Field(default=None, max_length=4_000_000)
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")
    outlet: str | None = Field(default=None, max_length=200)
    published_on: dt.date | None = None

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if bool((self.text or "").strip()) == bool((self.html or "").strip()):
            raise ValueError("Send the article as either “text” or “html”, not both and not neither.")
        return self


class ArticleCreated(Model):
    article: ArticleSummary
    items: int


class JobOutcome(Model):
    name: str
    state: str
    article_id: int | None
    items: int
    error: str | None


class JobOut(Model):
    id: str
    url: str
    state: str
    stalled: bool = Field(description="Unfinished, no run of it waiting in the queue, and no progress for ten "
                                      "minutes: its worker stopped. Its page offers to retry what is left.")
    articles: list[JobOutcome]


class JobAccepted(Model):
    job: JobOut


# --- sources --------------------------------------------------------------------------------------------


class SourceQuery(PageQuery):
    kind: SourceKind | None = None


class ScoreOut(Model):
    mean: float
    low: float
    high: float
    claimant_n: int
    relay_n: int


class PriorOut(Model):
    alpha: float
    beta: float
    mean: float
    origin: Literal["editorial", "domain", "uniform"] | str
    note: str | None


class SourceSummary(Model):
    id: int
    url: str
    name: str
    kind: str
    domain: str | None
    score: ScoreOut
    published: int = Field(description="Published verdicts in the record.")


class SourceList(Model):
    sources: list[SourceSummary]
    next: str | None


class SourceDetail(SourceSummary):
    aliases: list[str]
    same_as: str | None
    prior: PriorOut
    records: dict[str, dict[str, int]] = Field(description="Capacity (claimant, relay) → rating key → count.")
    merged_into: int | None


# --- verdicts -------------------------------------------------------------------------------------------


class VerdictQuery(PageQuery):
    pass


class PublishedVerdict(Model):
    item_id: int
    url: str
    claim: str
    claimant: SourceRefOut | None
    rating: RatingOut | None
    summary: str | None
    published_at: dt.datetime | None
    claimreview: dict[str, Any] | None = Field(
        description="The ClaimReview JSON-LD, or null when a rule withholds it (e.g. a rating without a number).")


class VerdictList(Model):
    verdicts: list[PublishedVerdict]
    next: str | None


# --- search ---------------------------------------------------------------------------------------------


class SearchQuery(Model):
    """One box over items, articles and sources, as on the /search page."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(default="", max_length=500, description="Words, \"phrases\", prefix*, OR, -word; any text is safe.")
    kind: list[SearchKind] | None = Field(default=None, description="item, article or source (repeatable); all when absent.")
    status: Status | None = Field(default=None, description="Items only.")
    rating: str | None = Field(default=None, max_length=60, description="A rating key of the desk's scale; items only.")
    claimant: str | None = Field(default=None, max_length=200, description="Part of a claimant's name or alias; items only.")
    outlet: str | None = Field(default=None, max_length=200, description="Part of an outlet's name or alias.")
    since: dt.date | None = Field(default=None, ge=dt.date(1970, 1, 1), le=dt.date(9000, 1, 1))
    until: dt.date | None = Field(default=None, ge=dt.date(1970, 1, 1), le=dt.date(9000, 1, 1))
    after: str | None = Field(default=None, max_length=200, description="The previous page's cursor.")
    limit: int = Field(default=20, ge=1, le=100)


class SearchHitOut(Model):
    kind: SearchKind
    id: int
    url: str = Field(description="The hit's page in the app.")
    score: float = Field(description="Lower is better; comparable within one search only.")
    title: str
    snippet: str = Field(description="Plain text around the matched words.")
    status: Status | None
    rating: str | None
    claimant: str | None
    outlet: str | None
    article_id: int | None
    article_title: str | None
    day: dt.date | None


class SearchResults(Model):
    query: str
    words: list[str] = Field(description="The words searched for, as read from the query.")
    hits: list[SearchHitOut]
    next: str | None


# --- reader submissions -----------------------------------------------------------------------------------


class SubmissionIn(Model):
    """A reader's claim passed on by a bot or a tipline, as the public /submit form takes it."""

    claim: str = Field(min_length=1, max_length=2000, description="The claim in the reader's words.")
    seen_at_url: str | None = Field(default=None, max_length=2000, description="Where the reader saw it (http or https).")
    email: str | None = Field(default=None, max_length=254,
                              description="The reader's address for the one answer mail; never shown, erased after the answer.")


class SubmissionOut(Model):
    submission_id: int
    item_id: int
    is_new_item: bool = Field(description="True when the claim made a new item in triage.")
    readers: int = Field(description="How many readers have asked for this item.")
    answered_by: str | None = Field(description="The published verdict's public page when the desk has checked this already.")
