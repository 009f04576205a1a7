"""Read models for the check-item page, triage, "my work" and the source picker."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, inspect, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.domain import permissions as perm
from factcheck.domain import workflow as wf
from factcheck.domain.names import name_key
from factcheck.domain.workflow import Action, Policy, RelationType, Role, Status
from factcheck.facts import evidence_assessment, panel_outcome, queue_order, review_facts
from factcheck.models import (
    Article,
    AuditEvent,
    ChainLink,
    CheckItem,
    Evidence,
    ItemRelation,
    Rating,
    Source,
    SourceAlias,
    User,
    Verdict,
    Vote,
)
from factcheck.queries import (
    COUNT_CAP,
    after_work_position,
    capped_rows,
    capped_total,
    cursor_parameters,
    decode_cursor,
    encode_cursor,
    row_limit,
)
from factcheck.db import rows_of
from factcheck.standings import rating_scale


@dataclass(frozen=True, slots=True)
class ActionState:
    """Whether the viewer may take an action now, and if not, why in plain words."""

    action: str
    label: str
    allowed: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class RelationView:
    """A relation seen from the item page, in either direction."""

    type: str
    other_id: int
    other_claim: str
    outgoing: bool


@dataclass(frozen=True, slots=True)
class Person:
    """Somebody named in an item's history."""

    display_name: str


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One line of an item's history, read as a row (its actor by name)."""

    id: int
    action: Any
    from_status: str | None
    to_status: str | None
    actor: Person | None
    created_at: dt.datetime
    payload: dict[str, Any] | None
    entity_id: int | None


@dataclass(frozen=True, slots=True)
class ItemPage:
    """Everything the check-item page shows."""

    item: CheckItem
    relations: list[RelationView]
    history: list[HistoryEvent]
    ratings: list[Rating]
    actions: dict[str, ActionState]
    #: The independence rule applied to the evidence: which pieces count and why.
    evidence: wf.EvidenceAssessment
    #: The panel's outcome so far on the verdict under review (None outside review).
    outcome: wf.Tally | None = None

    @property
    def evidence_sources(self) -> int:
        """How many independent sources the evidence comes from."""
        return self.evidence.independent_sources

    @property
    def evidence_counts(self) -> dict[int | None, wf.EvidenceCount]:
        """Each piece's standing under the independence rule, by evidence id."""
        return {p.facts.evidence_id: p for p in self.evidence.pieces}

    @property
    def repeats(self) -> set[int]:
        """Ids of the items this one is recorded as repeating (from its relations: no statement)."""
        return {r.other_id for r in self.relations if r.outgoing and r.type == RelationType.REPEATS.value}

    @property
    def allowed(self) -> set[str]:
        """The actions the viewer may take now."""
        return {name for name, state in self.actions.items() if state.allowed}

    @property
    def refusals(self) -> list[ActionState]:
        """Actions that apply to this status but are refused to the viewer, with the reason."""
        return [state for state in self.actions.values() if not state.allowed and state.reason]


@dataclass(frozen=True, slots=True)
class _ItemPageStatements:
    """The item page's statements, built once (building them cost more than running them); ``item_id`` is
    the parameter of all but ``people``'s."""

    #: The item with its claimant, article (and outlet) and chain.
    item: Any
    #: Its evidence with each piece's source, and its verdicts with their votes, in the relationships' order.
    evidence: Any
    verdicts: Any
    #: Its relations out and in, its history, and the people it names (``user_ids``).
    relations: Any
    history: Any
    people: Any


@functools.cache
def _item_page_statements() -> _ItemPageStatements:
    """The item page's statements (``_ItemPageStatements``)."""
    item_id: Any = bindparam("item_id")
    # The people named on the page are shown by name only: their roles (loaded with every user by
    # default, a statement each time) are left to load should anything ask for them.
    roles = lazyload(User.role_rows)
    # Many-to-one links are joined into the query of their parent collection, so the whole page loads
    # in about ten statements however many evidence pieces, votes and events it has.
    item = select(CheckItem).where(CheckItem.id == item_id).options(
        joinedload(CheckItem.claimant),
        joinedload(CheckItem.article).joinedload(Article.outlet),
        joinedload(CheckItem.chain).joinedload(ChainLink.source),
    )
    # The two collections are read by statements of their own, built here once: a "selectin" load would
    # build its statement anew on every page (half of the item's loading time). Their order is the
    # relationships'. The verdicts' and votes' ratings are not joined: the whole scale is read first (the
    # page needs it anyway), and a rating is then found in the session without a statement.
    evidence = (select(Evidence).where(Evidence.item_id == item_id).options(joinedload(Evidence.source))
                .order_by(Evidence.id))
    verdicts = (select(Verdict).where(Verdict.item_id == item_id).options(joinedload(Verdict.votes))
                .order_by(Verdict.id))
    people = select(User).where(User.id.in_(bindparam("user_ids", expanding=True))).options(roles)
    other = aliased(CheckItem)
    # Both directions in one statement: (outgoing?, relation id) orders them, outgoing first.
    outgoing = (select(ItemRelation.type, other.id, other.claim_text, literal(1).label("outgoing"),
                       ItemRelation.id.label("relation_id"))
                .join(other, other.id == ItemRelation.target_id).where(ItemRelation.item_id == item_id))
    incoming = (select(ItemRelation.type, other.id, other.claim_text, literal(0).label("outgoing"),
                       ItemRelation.id.label("relation_id"))
                .join(other, other.id == ItemRelation.item_id).where(ItemRelation.target_id == item_id))
    both = union_all(outgoing, incoming).subquery()
    relations = select(both).order_by(both.c.outgoing.desc(), both.c.relation_id)
    history = (select(AuditEvent.id, AuditEvent.action, AuditEvent.from_status, AuditEvent.to_status,
                      User.display_name, AuditEvent.created_at, AuditEvent.payload, AuditEvent.entity_id)
               .outerjoin(User, User.id == AuditEvent.actor_id)
               .where(AuditEvent.item_id == item_id).order_by(AuditEvent.id))
    return _ItemPageStatements(item, evidence, verdicts, relations, history, people)


def item_page(session: Session, item_id: int, viewer: User, policy: Policy) -> ItemPage | None:
    """The item with its chain, evidence, verdicts, votes, relations and history; None when unknown."""
    statements = _item_page_statements()
    scale = rating_scale(session)  # every rating: the verdicts' are found among them
    item = session.scalars(statements.item, {"item_id": item_id}).unique().one_or_none()
    if item is None:
        return None
    # Read now, set as the item's loaded collections (an item the session held before gets them as they
    # are now, as its other columns were just read).
    parameters = {"item_id": item.id}
    set_committed_value(item, "evidence", session.scalars(statements.evidence, parameters).unique().all())
    set_committed_value(item, "verdicts", session.scalars(statements.verdicts, parameters).unique().all())
    # The people the page names (holder, evidence's adders, verdicts' authors, reviewers) in one
    # statement; their links then find them in the session. One the session holds expired (after a
    # refused form rolled back) is read in that statement too, not refreshed on its own.
    wanted = {item.assignee_id, *(e.added_by_id for e in item.evidence),
              *(v.author_id for v in item.verdicts), *(vote.reviewer_id for v in item.verdicts for vote in v.votes)}
    held = session.identity_map
    missing = [i for i in wanted if i is not None and ((person := held.get(session.identity_key(User, i))) is None
                                                       or inspect(person).expired)]
    people = session.execute(statements.people, {"user_ids": missing}).scalars().all() if missing else []
    _link_loaded(item)  # while ``people`` and ``scale`` hold them (the session's identity map holds weakly)
    del people
    relations = [RelationView(str(t.value if hasattr(t, "value") else t), i, c, bool(out))
                 for t, i, c, out, _ in rows_of(session, statements.relations, parameters)]
    history = [HistoryEvent(r[0], r[1], r[2], r[3], Person(r[4]) if r[4] is not None else None, r[5], r[6], r[7])
               for r in rows_of(session, statements.history, parameters)]
    ratings = [r for r in scale if r.is_active]
    assessment = evidence_assessment(item)
    verdict = item.current_verdict
    outcome = panel_outcome(policy, verdict) if item.status is Status.VERDICT and verdict is not None else None
    return ItemPage(item, relations, history, ratings, action_states(item, viewer, policy, assessment, outcome),
                    assessment, outcome)


def _link_loaded(item: CheckItem) -> None:
    """Set the item's links to people and ratings from the objects already in the session (no statement):
    a many-to-one link to a row the session holds is found there by its key."""
    _ = item.assignee
    for piece in item.evidence:
        _ = piece.added_by
    for verdict in item.verdicts:
        _ = verdict.author, verdict.rating, verdict.final_rating
        for vote in verdict.votes:
            _ = vote.reviewer, vote.rating


def action_states(item: CheckItem, viewer: User, policy: Policy, assessment: wf.EvidenceAssessment,
                  outcome: wf.Tally | None = None) -> dict[str, ActionState]:
    """Each action that applies to the item's status, with whether ``viewer`` may take it now.

    The answers are the domain's (``factcheck.domain.permissions``), the same the services enforce.
    Actions that do not apply to the status at all (taking a published item) are left out, so the
    page offers only buttons that can work and explains the rest.
    """
    states: dict[str, ActionState] = {}

    def add(name: str, label: str, applies: bool, permission: perm.Permission) -> None:
        if applies:
            states[name] = ActionState(name, label, permission.allowed, permission.reason)

    def applies(action: Action) -> bool:
        return item.status in wf.transition_for(action).sources

    add("take", "Take", applies(Action.TAKE), perm.may_take(item, viewer))
    add("dismiss", "Dismiss", applies(Action.DISMISS), perm.may_dismiss(item, viewer))
    add("restore", "Restore to triage", applies(Action.RESTORE), perm.may_restore(item, viewer))
    add("edit", "Edit", item.status in wf.EDITABLE_STATUSES, perm.may_edit(item, viewer))
    add("evidence", "Add evidence", item.status is Status.EVIDENCE, perm.may_add_evidence(item, viewer))
    add("propose", "Propose verdict", applies(Action.PROPOSE), perm.may_propose(item, viewer, policy, assessment))
    if item.status is Status.VERDICT and outcome is not None:
        author_id, voters, _ = review_facts(item, policy)
        if outcome.no_majority:
            add("decide", "Cast the deciding vote", True, perm.may_decide(item, viewer, author_id, voters, outcome))
        else:
            add("vote", "Review", True, perm.may_vote(item, viewer, author_id, voters, outcome))
    add("reopen", "Reopen for a correction", applies(Action.REOPEN), perm.may_reopen(item, viewer))
    return states


# --- lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One line of triage or "my work"."""

    id: int
    claim_text: str
    status: Status
    priority: float
    checkworthiness: float
    status_changed_at: dt.datetime
    claimant: str | None
    article_id: int | None
    article_title: str | None
    hedges: list
    version: int
    evidence_count: int = 0
    #: Readers who asked for this claim through the public inbox.
    reader_requests: int = 0


@dataclass(frozen=True, slots=True)
class ItemList:
    """A page of items and the cursor of the next page."""

    rows: list[ItemRow]
    next_cursor: str | None
    total: int
    #: True when there are more than COUNT_CAP: ``total`` is then the cap, shown as "200+".
    is_capped: bool = False


def _row_query(*, hedges: bool = True) -> Select[Any]:
    """An item row's columns; without ``hedges`` that column is NULL (its JSON is decoded for every row read,
    and only triage shows it)."""
    claimant = aliased(Source)
    return (select(CheckItem.id, CheckItem.claim_text, CheckItem.status, CheckItem.priority,
                   CheckItem.checkworthiness, CheckItem.status_changed_at, claimant.name, CheckItem.article_id,
                   Article.title, CheckItem.hedges if hedges else null().label("hedges"), CheckItem.version)
            .outerjoin(claimant, claimant.id == CheckItem.claimant_id)
            .outerjoin(Article, Article.id == CheckItem.article_id))


@functools.cache
def _triage_statements(after: bool) -> tuple[Select[Any], Select[Any]]:
    """Triage's rows (from the cursor with ``after``) and its capped count, built once with bound values:
    building them cost more than running them."""
    query = _row_query().add_columns(CheckItem.reader_requests).where(CheckItem.status == Status.CLAIM)
    if after:
        query = query.where(after_work_position())
    rows = query.order_by(*queue_order()).limit(row_limit())
    waiting = capped_rows(select(CheckItem.id).where(CheckItem.status == Status.CLAIM), COUNT_CAP)
    return rows, select(func.count()).select_from(waiting)


def triage_page(session: Session, *, cursor: str | None = None, limit: int = 50) -> ItemList:
    """Items waiting in ``claim``: highest priority first, then the longest waiting (keyset pages)."""
    position = decode_cursor(cursor)
    rows_statement, count_statement = _triage_statements(position is not None)
    parameters: dict[str, Any] = {"limit": limit + 1}
    if position is not None:
        parameters.update(cursor_parameters(position))
    rows = rows_of(session, rows_statement, parameters).all()
    total, is_capped = capped_total(rows_of(session, count_statement).scalar() or 0, COUNT_CAP)
    items = [ItemRow(r[0], r[1], Status(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], list(r[9] or []), r[10],
                     reader_requests=r[11]) for r in rows]
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(last.priority, last.status_changed_at, last.id)
    return ItemList(items, next_cursor, total, is_capped)


@dataclass(frozen=True, slots=True)
class WorkRow(ItemRow):
    """One line of "my work": an item row, and what the group needs (the return's comment, the publication)."""

    returned_comment: str | None = None
    returned_by: str | None = None
    published_at: dt.datetime | None = None


#: The groups of "my work", in the page's order.
WORK_GROUPS = ("returned", "assigned", "waiting", "published")


@dataclass(frozen=True, slots=True)
class MyWork:
    """The signed-in person's work, in the groups the page shows, a page of each."""

    assigned: list[WorkRow]
    returned: list[WorkRow]
    waiting: list[WorkRow]
    published: list[WorkRow]
    #: Each group's cursor of its next page (``?group=…&after=…``); a group without one is listed to its end.
    next_cursors: dict[str, str] = field(default_factory=dict)
    #: The one group asked for (its next page), or None for the first page of every group.
    group: str | None = None

    @property
    def total(self) -> int:
        """Every row of every group shown."""
        return len(self.assigned) + len(self.returned) + len(self.waiting) + len(self.published)

    @property
    def more(self) -> bool:
        """True when some group has rows after those shown."""
        return bool(self.next_cursors)


#: "Published this week": verdicts published within this many days.
PUBLISHED_RECENTLY_DAYS = 7


#: How many rows a group of "my work" lists on a page (then a "more" link to its next rows).
MY_WORK_PAGE = 50


def _latest_verdict_id() -> Any:
    return (select(func.max(Verdict.id)).where(Verdict.item_id == CheckItem.id)
            .correlate(CheckItem).scalar_subquery())


def _returned_condition() -> Any:
    """The item's latest verdict was returned and waits for its author: closed, not published, a return vote."""
    returned = aliased(Verdict)
    return (select(returned.id).join(Vote, Vote.verdict_id == returned.id)
            .where(returned.id == _latest_verdict_id(), returned.closed_at.is_not(None),
                   returned.published_at.is_(None), Vote.decision == wf.Decision.RETURN)
            .correlate(CheckItem).exists())


@functools.cache
def _my_work_statement(groups: tuple[str, ...], paged: bool) -> Select[Any]:
    """The statement of "my work" for ``groups`` (built once per combination: building it cost more
    than running it); ``user_id`` and ``since`` (the start of "published this week") are its parameters,
    and with ``paged`` the group's position ``after_at``, ``after_id``.

    The rows are chosen first, by id alone: for each group, the next ``MY_WORK_PAGE`` + 1 of the
    user's items (one more than shown tells whether the group goes on), each a range of
    ``ix_check_items_assignee_status`` read in order (oldest first; "published this week" newest
    first, backwards), so a checker who holds thousands of items costs as little as one who holds a
    few. A verdict is published when its item's status changes (``status_changed_at`` is never
    earlier than its ``published_at``), so "published this week" is first a range of that index too,
    then tested on the latest verdict. Only the chosen rows get their columns and correlated subqueries.
    """
    user_id: Any = bindparam("user_id")
    since: Any = bindparam("since", type_=CheckItem.status_changed_at.type)
    after_at: Any = bindparam("after_at", type_=CheckItem.status_changed_at.type)
    after_id: Any = bindparam("after_id")
    changed, item_id = CheckItem.status_changed_at, CheckItem.id
    latest_published = (select(Verdict.published_at).where(Verdict.item_id == CheckItem.id)
                        .order_by(Verdict.id.desc()).limit(1).correlate(CheckItem).scalar_subquery())
    oldest_first = (changed.asc(), item_id.asc())
    newest_first = (changed.desc(), item_id.desc())
    later = or_(changed > after_at, and_(changed == after_at, item_id > after_id))
    earlier = or_(changed < after_at, and_(changed == after_at, item_id < after_id))
    chosen_by = {
        "returned": (Status.EVIDENCE, (_returned_condition(),), oldest_first, later),
        "assigned": (Status.EVIDENCE, (~_returned_condition(),), oldest_first, later),
        "waiting": (Status.VERDICT, (), oldest_first, later),
        "published": (Status.PUBLISHED, (changed >= since, latest_published >= since), newest_first, earlier),
    }

    def page_of(group: str) -> Select[Any]:
        status, conditions, order, after = chosen_by[group]
        chosen = (select(item_id, literal(group).label("work_group"))
                  .where(CheckItem.assignee_id == user_id, CheckItem.status == status, *conditions,
                         *((after,) if paged else ()))
                  .order_by(*order).limit(MY_WORK_PAGE + 1).subquery())
        return select(chosen.c.id, chosen.c.work_group)

    pages = [page_of(group) for group in groups]
    chosen = (union_all(*pages) if len(pages) > 1 else pages[0]).subquery()
    group = chosen.c.work_group
    evidence_count = (select(func.count(Evidence.id)).where(Evidence.item_id == CheckItem.id)
                      .correlate(CheckItem).scalar_subquery())
    # What only one group shows is read for that group's rows alone (a CASE skips the subqueries
    # of the others): the publication for "published this week", the return for "returned to me".
    published_at = case((group == "published", latest_published), else_=null())
    reviewer = aliased(User)
    last_return = (select(Vote.id).where(Vote.verdict_id == _latest_verdict_id(), Vote.decision == wf.Decision.RETURN)
                   .order_by(Vote.id.desc()).limit(1).correlate(CheckItem).scalar_subquery())
    return_comment = select(Vote.comment).where(Vote.id == last_return).scalar_subquery()
    return_by = (select(reviewer.display_name).join(Vote, Vote.reviewer_id == reviewer.id)
                 .where(Vote.id == last_return).scalar_subquery())
    return (
        _row_query(hedges=False).add_columns(evidence_count, published_at,
                                 case((group == "returned", return_comment), else_=null()),
                                 case((group == "returned", return_by), else_=null()), group)
        .join(chosen, chosen.c.id == CheckItem.id)
        .order_by(group, *oldest_first)
    )


def my_work(session: Session, user: User, now: dt.datetime | None = None, *, group: str | None = None,
            after: tuple[dt.datetime, int] | None = None) -> MyWork:
    """What ``user`` holds, grouped: returned to me, assigned to me, waiting for review, published this week.

    The first ``MY_WORK_PAGE`` rows of every group (oldest first; this week's publications newest
    first), or with ``group`` that group's rows after ``after`` (``(status_changed_at, id)`` of the
    last row shown; None: from its start). One statement whatever the number of items.
    """
    if group is not None and group not in WORK_GROUPS:
        raise ValueError(f"no group {group!r} in my work")
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=PUBLISHED_RECENTLY_DAYS)
    groups = WORK_GROUPS if group is None else (group,)
    paged = group is not None and after is not None
    parameters: dict[str, Any] = {"user_id": user.id, "since": since}
    if paged and after is not None:
        parameters.update(after_at=after[0], after_id=after[1])
    # Plain rows of a Core statement: run on the session's connection (its transaction), without the
    # ORM's layer around a statement that loads no objects.
    rows = rows_of(session, _my_work_statement(groups, paged), parameters).all()
    shown: dict[str, list[WorkRow]] = {g: [] for g in WORK_GROUPS}
    for r in rows:
        shown[r[15]].append(WorkRow(r[0], r[1], Status(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], list(r[9] or []),
                                    r[10], r[11], returned_comment=r[13], returned_by=r[14], published_at=r[12]))
    shown["published"].reverse()  # newest first
    next_cursors = {}
    for name, listed in shown.items():
        if len(listed) > MY_WORK_PAGE:
            del listed[MY_WORK_PAGE:]
            last = listed[-1]
            next_cursors[name] = encode_cursor(0.0, last.status_changed_at, last.id)
    return MyWork(shown["assigned"], shown["returned"], shown["waiting"], shown["published"], next_cursors, group)


# --- the source picker --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceHit:
    """A source offered by the picker."""

    id: int
    name: str
    kind: str


def search_sources(session: Session, q: str, limit: int = 10) -> list[SourceHit]:
    """Sources whose name or alias starts with (or contains a word starting with) ``q``."""
    key = name_key(q or "")
    if not key:
        return []
    pattern = key.replace("\\", "").replace("%", "").replace("_", "")
    rows = session.execute(
        select(Source.id, Source.name, Source.kind)
        .join(SourceAlias, SourceAlias.source_id == Source.id)
        .where(Source.merged_into_id.is_(None),
               or_(SourceAlias.key.like(f"{pattern}%"), SourceAlias.key.like(f"% {pattern}%")))
        .group_by(Source.id, Source.name, Source.kind)
        .order_by(func.length(Source.name), Source.name).limit(limit)
    ).all()
    return [SourceHit(r[0], r[1], r[2].value if hasattr(r[2], "value") else str(r[2])) for r in rows]


def viewer_is_reviewer(viewer: User) -> bool:
    """True when the viewer may vote on verdicts."""
    return Role.REVIEWER in viewer.roles


def active_ratings(session: Session) -> list[Rating]:
    """The desk's scale, in order (for rating choices): the ratings still given."""
    return [rating for rating in rating_scale(session) if rating.is_active]

