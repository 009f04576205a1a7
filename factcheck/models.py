"""The data model: SQLAlchemy 2.x typed declarative classes.

Alembic (``migrations/``) is the only schema authority; these classes must match it, and a test
fails when they drift. Enums are stored as readable lowercase strings with one named CHECK per column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, query_expression, relationship

from factcheck.domain.accounts import MailState, TokenScope
from factcheck.domain.notifications import DeliveryMode, MailStep, NotificationKind
from factcheck.domain.webhooks import DeliveryState, EventKind
from factcheck.domain.outlets import source_prior
from factcheck.domain.workflow import (
    AuditAction,
    AuditEntity,
    Capacity,
    CorrectionTier,
    Decision,
    Origin,
    RelationType,
    Role,
    SourceKind,
    Stance,
    Status,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The largest id every supported database stores: ids are ``integer`` columns, 32 bits on PostgreSQL. A bigger
#: number names no row, and asking the database about it would be an error rather than an empty answer.
MAX_ID = 2**31 - 1


def utcnow() -> dt.datetime:
    """The current time in UTC, as stored in every ``*_at`` column."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], dt.datetime | None]:
        """``process_result_value`` of what the database returns, in one function. SQLite's text
        (``YYYY-MM-DD HH:MM:SS.ffffff``, in UTC without the zone) is read with the zone in one call of
        ``datetime.fromisoformat``: SQLite's parser and then ``replace(tzinfo=…)`` took eight times as long,
        and a page reads hundreds of timestamps. Text of another shape goes to SQLite's parser as before."""
        convert = self.impl_instance.result_processor(dialect, coltype)
        parse, utc = dt.datetime.fromisoformat, dt.UTC

        def process(value: Any) -> dt.datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                try:
                    value = parse(value + "+00:00")
                except ValueError:
                    value = convert(value) if convert is not None else value
            elif convert is not None:
                value = convert(value)
            if value.tzinfo is None:  # a date alone, or a driver's naive value
                value = value.replace(tzinfo=utc)
            return value

        return process


def str_enum(enum: type[StrEnum], column: str, length: int | None = None) -> Enum:
    """A string column holding an enum's values, with a CHECK named after the column.

    ``length`` keeps a wider column than the longest value (room for values added later).
    """
    return Enum(
        enum,
        name=column,
        native_enum=False,
        create_constraint=True,
        length=length or max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base with the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


# --- people ---------------------------------------------------------------------------------------


class User(Base):
    """Somebody who signs in: a checker, reviewer, editor or admin (or several)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case; the sign-in name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: What other people see in histories and queues.
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None]
    #: When the password was last set (by its owner, a reset or an admin).
    password_changed_at: Mapped[dt.datetime | None]
    #: The TOTP secret (base32) once a second factor is confirmed; None without one.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted, so the same code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_enabled_at: Mapped[dt.datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    #: Unread notifications, when the query that loaded the user asked for them (``with_expression``:
    #: the signed-in user is loaded with the count, so the navigation costs no statement of its own).
    unread_notifications: Mapped[int | None] = query_expression()

    @property
    def roles(self) -> frozenset[Role]:
        """The user's roles."""
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, role: Role) -> bool:
        """True when the user holds ``role``."""
        return role in self.roles

    @property
    def has_second_factor(self) -> bool:
        """True once the user has confirmed a TOTP authenticator."""
        return self.totp_secret is not None

    # Flask-Login protocol, kept here so the web layer needs no wrapper class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


# --- sources --------------------------------------------------------------------------------------


def _initial_standing(context: Any) -> float:
    """A new source's stored score: its prior's mean (it has no record yet)."""
    row = context.get_current_parameters()
    return source_prior(row.get("prior_alpha"), row.get("prior_beta"), row.get("domain")).mean


class Source(Base):
    """A person, outlet, organisation, government body or unnamed collective that makes claims."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "kind"))
    name: Mapped[str] = mapped_column(String(200))
    #: Outlets' web domain, lower-case, without "www." (used for the Lin et al. prior).
    domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    #: A URL identifying the source (Wikipedia, official site): ClaimReview ``sameAs``.
    same_as: Mapped[str | None] = mapped_column(String(500))
    #: An editorial prior as Beta pseudo-counts; None means "use the default prior".
    prior_alpha: Mapped[float | None] = mapped_column(Float)
    prior_beta: Mapped[float | None] = mapped_column(Float)
    prior_note: Mapped[str | None] = mapped_column(Text)
    #: Set when this source was merged into another; merged sources are kept for history.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: The mean of the source's score and the published verdicts in its record, stored beside the
    #: record (``source_records``) so the source list pages through an index instead of scoring
    #: every source; ``services.sources.refresh_standings`` keeps them whenever the record or the
    #: prior changes. Never an edit: writing them leaves ``version`` alone.
    standing_mean: Mapped[float] = mapped_column(Float, default=_initial_standing, server_default="0.5")
    record_total: Mapped[int] = mapped_column(default=0, server_default="0")

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceAlias.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "(prior_alpha IS NULL AND prior_beta IS NULL) OR (prior_alpha > 0 AND prior_beta > 0)",
            name="prior_positive",
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        Index("ix_sources_name", "name"),
        Index("ix_sources_standing", "standing_mean", "record_total", "id"),
        Index("ix_sources_record_total", "record_total", "id"),
    )

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.kind} {self.name!r}>"


class SourceAlias(Base):
    """Another name for a source ("Zelensky", "President Volodymyr Zelenskyy", a LIAR slug)."""

    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The normalised form used for matching; one source per key.
    key: Mapped[str] = mapped_column(String(200), unique=True)

    source: Mapped[Source] = relationship(back_populates="aliases")


class SourceRecord(Base):
    """A source's count of published verdicts with one rating, as claimant or as relay.

    Kept incrementally when verdicts are published or reopened, so a score is never recomputed
    from all items on a request.
    """

    __tablename__ = "source_records"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[Capacity] = mapped_column(str_enum(Capacity, "capacity", length=8), primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("count >= 0", name="count_not_negative"),
    )


# --- the rating scale -----------------------------------------------------------------------------


class Rating(Base):
    """One rating on the desk's scale; admins may edit the scale."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(60))
    #: 1.0 true … 0.0 false; NULL counts for nothing in a track record.
    truth_value: Mapped[float | None] = mapped_column(Float)
    colour: Mapped[str] = mapped_column(String(7))
    #: ClaimReview ratingValue; NULL when the rating has no place on the numeric scale.
    claimreview_value: Mapped[int | None]
    position: Mapped[int]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    __table_args__ = (
        CheckConstraint("truth_value IS NULL OR (truth_value >= 0 AND truth_value <= 1)", name="truth_value_range"),
    )

    def __repr__(self) -> str:
        return f"<Rating {self.key}>"


# --- articles and check items ---------------------------------------------------------------------


class Article(Base):
    """An article fed to the desk; its assertions become check items."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the normalised text: the same article is ingested once.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Spans the extractor dropped as boilerplate: [{"start", "end", "reason"}].
    dropped: Mapped[list[Any]] = mapped_column(default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    outlet: Mapped[Source | None] = relationship()
    items: Mapped[list[CheckItem]] = relationship(back_populates="article", order_by="CheckItem.span_start")


class CheckItem(Base):
    """One assertion to check, moving through claim → evidence → verdict → published."""

    __tablename__ = "check_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    #: The exact character span of ``claim_text`` in the article's text.
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    #: The assertion as written.
    claim_text: Mapped[str] = mapped_column(Text)
    #: A checkable restatement written by the fact-checker.
    restatement: Mapped[str | None] = mapped_column(Text)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    hedges: Mapped[list[Any]] = mapped_column(default=list)
    #: Where the extractor found each hedge: ``{"label", "start", "end"}``, offsets into the article's
    #: text, one per label of ``hedges`` at most (empty for items typed in or stored before spans were).
    hedge_spans: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    dates: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[Status] = mapped_column(str_enum(Status, "status"), default=Status.CLAIM)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: 0 (least urgent) … 1 (most urgent), on one scale everywhere.
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    #: True once a person set the priority: recomputation leaves it alone until a person changes it.
    priority_is_manual: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: How alike the closest earlier item of another article is (0 … 1, 0 below the priority's threshold), as the
    #: priority reads it: kept once computed, forgotten when the restatement changes; None until computed.
    match_similarity: Mapped[float | None] = mapped_column(Float)
    checkworthiness: Mapped[float] = mapped_column(Float, default=0.0)
    #: How the item came in.
    origin: Mapped[Origin] = mapped_column(str_enum(Origin, "origin", length=20), default=Origin.MANUAL)
    #: How many readers asked for this claim through the public inbox ("asked by 3 readers").
    reader_requests: Mapped[int] = mapped_column(default=0, server_default="0")
    #: An identifier in the archive it was imported from (e.g. LIAR "2635.json").
    external_ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Review-next lease: who is reviewing it and until when.
    lease_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lease_expires_at: Mapped[dt.datetime | None]
    #: When the item entered its current status (queues sort by it).
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Optimistic lock: bumped on every UPDATE; a stale writer gets a conflict.
    version: Mapped[int] = mapped_column(default=1)

    article: Mapped[Article | None] = relationship(back_populates="items")
    claimant: Mapped[Source | None] = relationship(foreign_keys=[claimant_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    chain: Mapped[list[ChainLink]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ChainLink.position"
    )
    evidence: Mapped[list[Evidence]] = relationship(back_populates="item", order_by="Evidence.id")
    verdicts: Mapped[list[Verdict]] = relationship(back_populates="item", order_by="Verdict.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "(span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_end > span_start)",
            name="span_valid",
        ),
        CheckConstraint("status <> 'claim' OR assignee_id IS NULL", name="claim_unassigned"),
        CheckConstraint("reader_requests >= 0", name="reader_requests_not_negative"),
        # Pages that list or count items by another key than the work order walk one of these.
        Index("ix_check_items_status_changed", "status", "status_changed_at", "id"),
        Index("ix_check_items_assignee_status", "assignee_id", "status", "status_changed_at", "id"),
        Index("ix_check_items_article_status", "article_id", "status"),
        # The dashboard's most requested claims: only the few items readers asked for are read.
        Index("ix_check_items_reader_requests", "reader_requests"),
    )

    @property
    def current_verdict(self) -> Verdict | None:
        """The latest proposed verdict, if any."""
        return self.verdicts[-1] if self.verdicts else None

    def __repr__(self) -> str:
        return f"<CheckItem {self.id} {self.status}>"


class StatusCount(Base):
    """How many check items are in a status, kept by database triggers on ``check_items``.

    The items of a status are the sum of its rows. On SQLite each status has one row, changed in
    place by the triggers (one writer at a time). On PostgreSQL a writing statement adds rows of
    its changes (+n, −n) instead, so concurrent transactions never wait on one another's counts,
    and the rows are folded into one per status by one transaction at a time (migration
    f3c9a7d2e1b4). Read with ``queries.dashboard.counts_by_status``; never written by the app.
    """

    __tablename__ = "check_items_status_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    items: Mapped[int]


#: Triage and the reviewer queue list a status in the work order (highest priority first, then the
#: longest waiting): this index holds it exactly, so a page stops after its rows on both databases.
Index("ix_check_items_work_order", CheckItem.status, CheckItem.priority.desc(), CheckItem.status_changed_at,
      CheckItem.id)


class ChainLink(Base):
    """One link of an item's attribution chain, from the originator (0) to the publisher."""

    __tablename__ = "chain_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"))
    position: Mapped[int]
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    #: The reporting verb: told, stated, said, reported, wrote, denied …
    verb: Mapped[str] = mapped_column(String(40))

    item: Mapped[CheckItem] = relationship(back_populates="chain")
    source: Mapped[Source] = relationship()

    __table_args__ = (UniqueConstraint("item_id", "position"),)


class ItemRelation(Base):
    """A check item that denies, supports or repeats another."""

    __tablename__ = "item_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    type: Mapped[RelationType] = mapped_column(str_enum(RelationType, "type"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    item: Mapped[CheckItem] = relationship(foreign_keys=[item_id])
    target: Mapped[CheckItem] = relationship(foreign_keys=[target_id])

    __table_args__ = (
        UniqueConstraint("item_id", "target_id", "type"),
        CheckConstraint("item_id <> target_id", name="not_self"),
    )


class Evidence(Base):
    """A piece of evidence gathered for a check item."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    #: The quoted passage that bears on the claim.
    passage: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    is_off_record: Mapped[bool] = mapped_column(Boolean, default=False)
    #: For anonymous or off-the-record evidence: the desk cleared its passage for readers.
    #: Readers never see such a source's name or link; without this they see no passage either.
    is_publishable: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    item: Mapped[CheckItem] = relationship(back_populates="evidence")
    source: Mapped[Source | None] = relationship()
    added_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Verdict(Base):
    """A proposed verdict. The latest one per item is current; published ones are frozen."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"))
    summary: Mapped[str] = mapped_column(Text)
    #: Markdown, rendered safely.
    rationale: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The rating the reviewers settled on (majority in panel mode); set on publication.
    final_rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    published_at: Mapped[dt.datetime | None]
    #: Set when the verdict was returned or, after publication, reopened.
    closed_at: Mapped[dt.datetime | None]
    #: Imported archive verdicts: the fact-checker who rated the claim ("PolitiFact"), the URL of
    #: their review and its date. NULL ``rated_by`` means the verdict is the desk's own.
    rated_by: Mapped[str | None] = mapped_column(String(200))
    review_url: Mapped[str | None] = mapped_column(String(2000))
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    #: What readers saw of the item with this verdict (``facts.shown_with_verdict``), kept when the item is
    #: reopened for a correction: until a corrected verdict is published, the public card shows this, not the
    #: desk's work in progress. NULL for a verdict never reopened (or reopened before it was kept).
    shown: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    item: Mapped[CheckItem] = relationship(back_populates="verdicts")
    rating: Mapped[Rating] = relationship(foreign_keys=[rating_id])
    final_rating: Mapped[Rating | None] = relationship(foreign_keys=[final_rating_id])
    author: Mapped[User | None] = relationship()
    votes: Mapped[list[Vote]] = relationship(back_populates="verdict", order_by="Vote.id")

    __table_args__ = (
        CheckConstraint("published_at IS NULL OR final_rating_id IS NOT NULL", name="published_has_rating"),
    )


class Vote(Base):
    """A reviewer's vote on a proposed verdict."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    verdict_id: Mapped[int] = mapped_column(ForeignKey("verdicts.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "decision"))
    #: "Approve as …": another rating than the proposed one.
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    #: An editor's deciding vote on a panel that reached no majority.
    is_deciding: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    verdict: Mapped[Verdict] = relationship(back_populates="votes")
    reviewer: Mapped[User] = relationship()
    rating: Mapped[Rating | None] = relationship()

    __table_args__ = (
        UniqueConstraint("verdict_id", "reviewer_id"),
        CheckConstraint("decision <> 'return' OR comment IS NOT NULL", name="return_has_comment"),
    )


class Correction(Base):
    """A reopened published verdict: its tier and the public note shown in the correction log."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    tier: Mapped[CorrectionTier] = mapped_column(str_enum(CorrectionTier, "tier"))
    note: Mapped[str] = mapped_column(Text)
    #: The published verdict that was reopened.
    verdict_id: Mapped[int] = mapped_column(ForeignKey("verdicts.id"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    verdict: Mapped[Verdict] = relationship()
    editor: Mapped[User | None] = relationship()


# --- readers ------------------------------------------------------------------------------------------


class ReaderSubmission(Base):
    """A claim a reader sent through the public inbox, counted on the check item it asks about.

    The reader's address is kept only to send the one answer, and erased a set time after it
    (``services.answers.purge_addresses``).
    """

    __tablename__ = "reader_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The item the reader asks about: a new one from the reader, or an earlier one making the same claim.
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    #: The claim in the reader's words.
    claim_text: Mapped[str] = mapped_column(Text)
    #: Where the reader saw it.
    seen_at_url: Mapped[str | None] = mapped_column(String(2000))
    #: Where to send the answer; None when none was given, or once it was erased.
    email: Mapped[str | None] = mapped_column(String(254))
    #: Set when the item already had a published verdict, shown to the reader at once.
    answered_on_screen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    #: When the reader had the answer: the verdict's publication (or the submission, answered on screen).
    answered_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    #: The answer mail, when one was written.
    answer_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_mails.id", ondelete="SET NULL"))
    #: When the address was erased.
    email_erased_at: Mapped[dt.datetime | None]

    item: Mapped[CheckItem] = relationship()

    __table_args__ = (
        CheckConstraint("email IS NULL OR email_erased_at IS NULL", name="erased_has_no_email"),
    )


# --- the desk working together: notes and notifications -------------------------------------------


class Note(Base):
    """An internal note on a check item (Markdown). Never shown to readers."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Notification(Base):
    """Something a person is told: in the app until read, and by mail as their settings say."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, "kind", length=20))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("check_items.id", ondelete="CASCADE"), index=True)
    #: Who caused it (None: the desk itself).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: One line for the list and the mail's subject.
    message: Mapped[str] = mapped_column(String(300))
    #: More for the reader: the reviewer's comment, the note, the correction's public note.
    detail: Mapped[str | None] = mapped_column(Text)
    #: The desk's page it is about when that is not an item's (a path: a background job's, ``/jobs/<id>``).
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]
    mail_step: Mapped[MailStep] = mapped_column(str_enum(MailStep, "mail_step", length=10), default=MailStep.NEW)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_mail_step", "mail_step"),
    )


class NotificationSetting(Base):
    """How one person wants one kind of notification (no row: ``DEFAULT_MODE``)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, "kind", length=20), primary_key=True)
    mode: Mapped[DeliveryMode] = mapped_column(str_enum(DeliveryMode, "mode", length=10))


# --- audit and housekeeping -----------------------------------------------------------------------


class AuditEvent(Base):
    """An append-only record of a transition, vote or edit. Never updated, never deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The check item concerned, when there is one.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("check_items.id"), index=True)
    #: What kind of thing changed.
    entity: Mapped[AuditEntity] = mapped_column(str_enum(AuditEntity, "entity", length=20))
    entity_id: Mapped[int | None]
    #: The workflow action or edit.
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "action", length=30))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        Index("ix_audit_events_action_created", "action", "created_at"),
    )


class PublicationCount(Base):
    """How many publish events the audit trail holds for a day (UTC), kept by a trigger on ``audit_events``.

    A day's publications are the sum of its rows: one row on SQLite; on PostgreSQL each writing
    statement adds its own and one transaction at a time folds them (migration a7d4e2c9b6f1), as
    for ``StatusCount``. Read by the dashboard's chart; never written by the app.
    """

    __tablename__ = "publication_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    publications: Mapped[int]


class Throttle(Base):
    """A counter per key and time window, shared by all processes (login and ingest limits)."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[dt.datetime]
    count: Mapped[int] = mapped_column(default=0)


# --- accounts: sessions, tokens, mail ----------------------------------------------------------------


class UserSession(Base):
    """One signed-in browser session; the browser holds a random token whose hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token in the browser's session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The absolute end of the session, however active it is.
    expires_at: Mapped[dt.datetime]
    #: Set when the session was ended (sign-out, sign out everywhere, a password or role change, disabling).
    revoked_at: Mapped[dt.datetime | None]
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class RememberToken(Base):
    """A "keep me signed in" token: a selector to find it and the hash of its secret part. Used once."""

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    selector: Mapped[str] = mapped_column(String(32), unique=True)
    #: SHA-256 of the token's secret part.
    validator_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The end of the sign-in it continues: rotating a token never extends it.
    expires_at: Mapped[dt.datetime]
    #: Set when the token was exchanged for a session (a second use means it was copied).
    used_at: Mapped[dt.datetime | None]


class ApiToken(Base):
    """A personal API token: its owner, a name unique for that owner, a scope and an end.

    The token itself is shown once; only its SHA-256 is stored. It stops working when it expires,
    when it is revoked, and with every session of its owner (``services.sessions.end_all_sessions``).
    """

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: SHA-256 of the token sent as ``Authorization: Bearer``.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, "scope"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    #: Set when the token was revoked by hand or with its owner's sessions.
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    @property
    def can_write(self) -> bool:
        """True for a read-write token."""
        return self.scope == TokenScope.WRITE


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "<salt>$<sha256 of salt and code>".
    code_hash: Mapped[str] = mapped_column(String(100))
    used_at: Mapped[dt.datetime | None]


class PasswordReset(Base):
    """A password-reset link sent by mail: single use, valid for a short time; only its hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class OutboxMail(Base):
    """A mail written in the same transaction as the change that causes it, delivered later over SMTP."""

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[MailState] = mapped_column(str_enum(MailState, "state"), default=MailState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: When the next delivery may be tried (later after each failure).
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    #: The body holds a secret (a password-reset link): it is erased once the mail is sent or failed for good.
    erase_body: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


# --- webhooks ---------------------------------------------------------------------------------------------


class Webhook(Base):
    """A URL an admin registered to be told of events, with the secret its deliveries are signed with."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: What the receiver is, for the admin's list.
    description: Mapped[str] = mapped_column(String(200), default="")
    #: The HMAC key (kept as written: signing needs it; shown to the admin once, at registration).
    secret: Mapped[str] = mapped_column(String(100))
    #: The event kinds (``EventKind`` values) the hook is sent.
    events: Mapped[list[Any]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebhookEvent(Base):
    """An event written in the same transaction as the change that caused it (the webhooks' outbox)."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, "kind", length=40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One event for one hook: its attempts, the receiver's last answer, and when it is tried next."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    state: Mapped[DeliveryState] = mapped_column(str_enum(DeliveryState, "state", length=12),
                                                 default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    #: When the next attempt is due (also set while an attempt runs, so another worker leaves it).
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The HTTP status of the last answer, if one came.
    last_status: Mapped[int | None]
    #: What went wrong last, in plain words.
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    webhook: Mapped[Webhook] = relationship()
    event: Mapped[WebhookEvent] = relationship()

    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    )
