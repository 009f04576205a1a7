"""The check-item page and every change made from it; "my work"; the source picker.

Each POST view: check the role → read the form → call one service (sources named in a form are
found or created first, in the same unit of work) → map refusals → commit → redirect. A form
that fails keeps what was typed; a save against an older version shows the conflict page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from factcheck.config import policy_from
from factcheck.domain import workflow as wf
from factcheck.domain.permissions import Capability, may_assign, may_edit
from factcheck.domain.workflow import Action
from factcheck.interchange.claimreview import claimreview_problems_for_item
from factcheck.models import CheckItem, Evidence, Rating, Source
from factcheck.queries.desk import assignable_checkers, item_notes, returned_now
from factcheck.queries.intake import intake_for
from factcheck.queries import decode_cursor
from factcheck.queries.items import MY_WORK_PAGE, WORK_GROUPS, item_page, my_work, search_sources
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services import notes as note_service
from factcheck.services import sources as source_service
from factcheck.services.errors import ServiceError
from factcheck.services.relations import add_relation
from factcheck.services.sources import find_or_create_source
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.errors import log_refusal
from factcheck.web.navigation import safe_next
from factcheck.web.params import cursor_arg
from factcheck.web.readercache import for_desk_per_user
from factcheck.web.refusals import status_for
from factcheck.web.rowurls import id_url
from factcheck.web.forms.items import (
    RESTATEMENT_HINT_LENGTH,
    DecidingVoteForm,
    EvidenceForm,
    ItemAssignForm,
    ItemChainForm,
    ItemDismissForm,
    ItemEditForm,
    ItemReopenForm,
    ItemRestoreForm,
    ItemTakeForm,
    NoteForm,
    RelationAddForm,
    VerdictProposeForm,
    choices,
    submitted,
)
from factcheck.web.forms.queue import VerdictVoteForm
from factcheck.web.verdicts import verdict_url

bp = Blueprint("items", __name__)

#: Blank rows offered under the chain so a link can be added without JavaScript.
BLANK_CHAIN_ROWS = 2


def _policy() -> wf.Policy:
    return policy_from(current_app.config)


# --- the page -------------------------------------------------------------------------------------


class LazyForm:
    """A form of the item page built the first time the page's template reads it.

    The page holds thirteen forms, but a viewer is offered only the actions they may take now (a
    reviewer opening a verdict sees none of the holder's edit forms); building every WTForm on each
    view cost more than rendering the ones shown. The template reads a form only inside the same
    condition that shows its action, so a form that is not shown is never built.
    """

    __slots__ = ("_make", "_form")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._form: Any = None

    @property
    def form(self) -> Any:
        """The form, built on first use."""
        if self._make is not None:
            self._form, self._make = self._make(), None
        return self._form

    def __getattr__(self, name: str) -> Any:
        return getattr(self.form, name)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.form)


def _default_forms(page: Any) -> dict[str, Any]:
    """Every form of the item page, filled from the item, each built only when the template reads it."""
    item = page.item
    version = {"version": item.version}

    def chain_form() -> ItemChainForm:
        chain = [{"source": link.source.name, "kind": link.source.kind.value, "verb": link.verb} for link in item.chain]
        chain += [{"source": "", "kind": "person", "verb": ""}] * BLANK_CHAIN_ROWS
        return ItemChainForm(formdata=None, data={**version, "links": chain})

    def propose_form() -> VerdictProposeForm:
        verdict = item.current_verdict
        form = VerdictProposeForm(formdata=None, data={
            **version,
            # a returned verdict's text is offered again so the author revises rather than retypes
            "rating": verdict.rating.key if verdict else "",
            "summary": verdict.summary if verdict else "",
            "rationale": verdict.rationale if verdict else ""})
        form.rating.choices = choices([("", "Choose a rating…")] + rating_choices(page.ratings))
        return form

    def vote_form() -> VerdictVoteForm:
        form = VerdictVoteForm(formdata=None)
        form.rating.choices = choices([("", "as proposed")] + rating_choices(page.ratings))
        return form

    def decide_form() -> DecidingVoteForm:
        form = DecidingVoteForm(formdata=None)
        form.rating.choices = choices([("", "Choose a rating…")] + rating_choices(page.ratings))
        return form

    makers: dict[str, Callable[[], Any]] = {
        "take_form": lambda: ItemTakeForm(formdata=None, data=version),
        "dismiss_form": lambda: ItemDismissForm(formdata=None, data=version),
        "restore_form": lambda: ItemRestoreForm(formdata=None, data=version),
        "edit_form": lambda: ItemEditForm(formdata=None, data={
            **version, "restatement": item.restatement or "", "hedges": "\n".join(item.hedges or []),
            # a computed priority shows empty: typing a number sets it by hand, emptying hands it back
            "priority": round(item.priority, 2) if item.priority_is_manual else None}),
        "chain_form": chain_form,
        "relation_form": lambda: RelationAddForm(formdata=None),
        "evidence_form": lambda: EvidenceForm(formdata=None, data=version),
        "propose_form": propose_form,
        "reopen_form": lambda: ItemReopenForm(formdata=None, data=version),
        "vote_form": vote_form,
        "decide_form": decide_form,
        "assign_form": lambda: ItemAssignForm(formdata=None, data=version),
        "note_form": lambda: NoteForm(formdata=None),
    }
    return {name: LazyForm(make) for name, make in makers.items()}


def render_item(item_id: int, status: int = 200, error: str | None = None, **forms: Any) -> tuple[str, int]:
    """The item page, with any forms given kept as submitted (errors and typed input)."""
    page = item_page(db_session(), item_id, current_user, _policy())
    if page is None:
        abort(404, description=f"There is no check item #{item_id}.")
    all_forms = _default_forms(page)
    pairs = rating_choices(page.ratings)
    for name, kept in forms.items():  # a submitted form keeps its input, with the scale's choices
        if hasattr(kept, "rating"):
            kept.rating.choices = choices([("", "as proposed" if name == "vote_form" else "Choose a rating…")] + pairs)
    all_forms.update(forms)
    all_forms["kept"] = set(forms)
    session = db_session()
    assign = may_assign(page.item, current_user, check_assignee=False)
    return render_template("items/detail.html", page=page, item=page.item, intake=intake_for(session, page.item, repeats=page.repeats),
                           error=error, restatement_hint_length=RESTATEMENT_HINT_LENGTH, policy=_policy(),
                           claimreview_problems=_claimreview_problems(page.item),
                           notes=item_notes(session, item_id), returned=returned_now(page.item, page.history),
                           can_assign=assign.allowed,
                           checkers=assignable_checkers(session) if assign.allowed else [], **all_forms), status


def rating_choices(ratings: Iterable[Rating]) -> list[tuple[str, str]]:
    """``(key, label)`` of each rating; one without a ClaimReview number says so before it is chosen."""
    return [(r.key, r.label if r.claimreview_value is not None else f"{r.label} (published without ClaimReview markup)")
            for r in ratings]


def _claimreview_problems(item: CheckItem) -> list[str] | None:
    """Google's ClaimReview rules applied to the item's verdict, shown beside the verdict form."""
    if item.status not in (wf.Status.EVIDENCE, wf.Status.VERDICT, wf.Status.PUBLISHED):
        return None
    return claimreview_problems_for_item(db_session(), item, current_app.config, url=verdict_url(item.id))


@bp.get("/items/<int:item_id>")
@login_required
@for_desk_per_user
def detail(item_id: int):
    """The check item: claim, restatement, chain, evidence, verdicts, history and the actions allowed now."""
    return render_item(item_id)


#: The item page's forms post to these addresses; a refused form shows the page again under one of
#: them, so a reload or a bookmark asks for it with GET.
_FORM_ADDRESSES = "take, assign, notes, dismiss, restore, propose, reopen, decide, edit, chain, relations, evidence"


@bp.get(f"/items/<int:item_id>/<any({_FORM_ADDRESSES}):form>")
@login_required
def form_address(item_id: int, form: str):
    """A form's address opened as a page (a reload after a refused form): the item page, not a 405."""
    return redirect(url_for("items.detail", item_id=item_id))


@bp.get("/my-work")
@login_required
@for_desk_per_user
def mine():
    """What the signed-in person holds: returned to me, assigned to me, waiting for review, published this week.

    Each group lists its first ``MY_WORK_PAGE`` rows and links to the next ones
    (``?group=assigned&after=<cursor>``: that group alone, from the cursor on).
    """
    group = request.args.get("group") or None
    if group is not None and group not in WORK_GROUPS:
        abort(400, description="The parameter “group” must be one of: " + ", ".join(WORK_GROUPS) + ".")
    position = decode_cursor(cursor_arg("after")) if group is not None else None
    after = (position[1], position[2]) if position is not None else None
    work = my_work(db_session(), current_user, group=group, after=after)
    return render_template("items/mine.html", work=work, item_url=id_url("items.detail"), page_size=MY_WORK_PAGE)


@bp.get("/items/sources/search")
@login_required
def source_search():
    """The source picker's suggestions as JSON: ``[{"id", "name", "kind"}]`` (at most 10)."""
    q = (request.args.get("q") or "")[:200]
    return jsonify([{"id": h.id, "name": h.name, "kind": h.kind} for h in search_sources(db_session(), q)])


# --- mapping outcomes -------------------------------------------------------------------------------


def _invalid(item_id: int, **forms: Any) -> tuple[str, int]:
    """A form that did not validate: the page again, the input kept, 422."""
    db_session().rollback()
    return render_item(item_id, 422, "Please correct the marked fields.", **forms)


def _refused(item_id: int, exc: Exception, **forms: Any) -> tuple[str, int]:
    """A service refusal: 403/404 go to the error page; others show on the item page with the input kept."""
    db_session().rollback()
    if isinstance(exc, wf.StaleEdit):
        return _conflict(item_id, exc, **forms)
    status = status_for(exc)
    if status in (403, 404):
        raise exc  # the error handler logs it
    log_refusal(exc, status)
    return render_item(item_id, status, str(exc), **forms)


def _conflict(item_id: int, exc: wf.StaleEdit, **forms: Any) -> tuple[str, int]:
    """409: somebody else saved first. Their change is shown; the submitted input is kept to resubmit."""
    log_refusal(exc, 409)
    page = item_page(db_session(), item_id, current_user, _policy())
    if page is None:
        abort(404)
    for form in forms.values():
        if hasattr(form, "version"):
            # resubmitting from the conflict page is a deliberate save over the newer version
            form.version.data, form.version.raw_data = page.item.version, [str(page.item.version)]
    ratings = choices([("", "Choose a rating…")] + rating_choices(page.ratings))
    for form in forms.values():
        if hasattr(form, "rating"):
            form.rating.choices = ratings
    recent = [e for e in page.history if e.action not in ("lease", "release")][-5:]
    return render_template("items/conflict.html", page=page, item=page.item, message=str(exc),
                           recent=recent, forms=forms, restatement_hint_length=RESTATEMENT_HINT_LENGTH), 409


def _done(item_id: int, message: str, target: str | None = None) -> ResponseReturnValue:
    commit()
    flash(message, "success")
    return redirect(target or url_for("items.detail", item_id=item_id))


# --- transitions ------------------------------------------------------------------------------------


@bp.post("/items/<int:item_id>/take")
@permitted(Action.TAKE)
def take(item_id: int):
    """Take an item from triage: it moves to evidence, held by you."""
    form = ItemTakeForm()
    if not form.validate_on_submit():
        return _invalid(item_id, take_form=form)
    try:
        item_service.take_item(db_session(), item_id, current_user, version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, take_form=form)
    return _done(item_id, f"You hold item #{item_id} now.",
                 safe_next(form.next.data, url_for("items.detail", item_id=item_id)))


@bp.post("/items/<int:item_id>/assign")
@permitted(Capability.ASSIGN)
def assign(item_id: int):
    """An editor gives the item to a checker; from triage it moves to evidence. The checker is told."""
    form = ItemAssignForm()
    if not form.validate_on_submit():
        return _invalid(item_id, assign_form=form)
    try:
        item = item_service.assign_item(db_session(), item_id, current_user, form.assignee.data,
                                        version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, assign_form=form)
    name = item.assignee.display_name if item.assignee else "the checker"
    return _done(item_id, f"Item #{item_id} is assigned to {name}.",
                 safe_next(form.next.data, url_for("items.detail", item_id=item_id)))


@bp.post("/items/<int:item_id>/notes")
@permitted(Capability.WRITE_NOTES)
def add_note(item_id: int):
    """Add a note to the item's internal thread; the people it mentions are told."""
    form = NoteForm()
    if not form.validate_on_submit():
        return _invalid(item_id, note_form=form)
    try:
        added = note_service.add_note(db_session(), item_id, current_user, form.body.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, note_form=form)
    told = ", ".join(p.display_name for p in added.mentions.people)
    message = "Note added." + (f" Told: {told}." if told else "")
    if added.mentions.ambiguous:
        message += (" Nobody was told about " + ", ".join(f"“@{n}”" for n in added.mentions.ambiguous)
                    + ": several people have that name; mention them by e-mail address instead.")
    return _done(item_id, message, url_for("items.detail", item_id=item_id) + "#notes")


@bp.post("/items/<int:item_id>/dismiss")
@permitted(Action.DISMISS)
def dismiss(item_id: int):
    """Dismiss an item with a reason (opinion, not checkable, duplicate of #N)."""
    form = ItemDismissForm()
    if not form.validate_on_submit():
        return _invalid(item_id, dismiss_form=form)
    try:
        item_service.dismiss_item(db_session(), item_id, current_user, form.reason.data, version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, dismiss_form=form)
    return _done(item_id, f"Item #{item_id} dismissed. An editor can restore it to triage from its page.",
                 safe_next(form.next.data, url_for("items.detail", item_id=item_id)))


@bp.post("/items/<int:item_id>/restore")
@permitted(Action.RESTORE)
def restore(item_id: int):
    """An editor brings a dismissed item back to triage."""
    form = ItemRestoreForm()
    if not form.validate_on_submit():
        return _invalid(item_id, restore_form=form)
    try:
        item_service.restore_item(db_session(), item_id, current_user, version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, restore_form=form)
    return _done(item_id, f"Item #{item_id} is back in triage.")


@bp.post("/items/<int:item_id>/propose")
@permitted(Action.PROPOSE)
def propose(item_id: int):
    """The holder proposes a verdict; it goes to the reviewer queue."""
    form = VerdictProposeForm()
    form.rating.choices = choices(rating_choices(_ratings()))
    if not form.validate_on_submit():
        return _invalid(item_id, propose_form=form)
    try:
        item_service.propose_verdict(db_session(), item_id, current_user, rating_key=form.rating.data,
                                     summary=form.summary.data, rationale=form.rationale.data,
                                     policy=_policy(), version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, propose_form=form)
    return _done(item_id, "Verdict proposed. It waits in the reviewer queue.")


@bp.post("/items/<int:item_id>/reopen")
@permitted(Action.REOPEN)
def reopen(item_id: int):
    """An editor reopens a published verdict for a correction."""
    form = ItemReopenForm()
    if not form.validate_on_submit():
        return _invalid(item_id, reopen_form=form)
    try:
        item_service.reopen_item(db_session(), item_id, current_user, tier=form.tier.data, note=form.note.data,
                                 version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, reopen_form=form)
    return _done(item_id, "Reopened for a correction; the item is back in evidence.")


@bp.post("/items/<int:item_id>/decide")
@permitted(Capability.DECIDE)
def decide(item_id: int):
    """An editor's deciding vote on a panel that voted without a majority: it publishes the rating."""
    form = DecidingVoteForm()
    form.rating.choices = choices(rating_choices(_ratings()))
    if not form.validate_on_submit():
        return _invalid(item_id, decide_form=form)
    try:
        item_service.decide_verdict(db_session(), item_id, current_user, rating_key=form.rating.data,
                                    comment=form.comment.data, policy=_policy())
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, decide_form=form)
    return _done(item_id, "Deciding vote cast: the verdict is published.")


def _ratings() -> list[Rating]:
    from factcheck.queries.items import active_ratings

    return active_ratings(db_session())


# --- edits ------------------------------------------------------------------------------------------


@bp.post("/items/<int:item_id>/edit")
@permitted(Capability.EDIT)
def edit(item_id: int):
    """Save the restatement, hedges and priority."""
    form = ItemEditForm()
    if not form.validate_on_submit():
        return _invalid(item_id, edit_form=form)
    try:
        # A field the request did not carry stays as it is: only what was sent is "set to empty".
        item_service.edit_item(
            db_session(), item_id, current_user, version=form.version.data,
            restatement=(form.restatement.data or "") if submitted(form.restatement) else None,
            hedges=form.hedge_list if submitted(form.hedges) else None,
            priority=form.priority.data,
            automatic_priority=submitted(form.priority) and form.priority.data is None)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, edit_form=form)
    return _done(item_id, "Saved.")


@bp.post("/items/<int:item_id>/chain")
@permitted(Capability.EDIT)
def chain(item_id: int):
    """Replace the attribution chain; sources are found by name, or created with the kind chosen."""
    form = ItemChainForm()
    if not form.validate_on_submit():
        return _invalid(item_id, chain_form=form)
    session = db_session()
    try:
        # Check first, so a refused edit does not leave new sources behind in the rollback's wake.
        may_edit(item_service.get_item(session, item_id), current_user).enforce()
        links = [item_service.LinkInput(find_or_create_source(session, link["source"], link["kind"],
                                                              actor=current_user), link["verb"] or "said")
                 for link in form.filled_links()]
        item_service.set_chain(session, item_id, current_user, links, version=form.version.data)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, chain_form=form)
    return _done(item_id, "Chain saved. Its first link is the claimant.")


@bp.post("/items/<int:item_id>/relations")
@permitted(Capability.EDIT)
def relate(item_id: int):
    """Record that this item denies, supports or repeats another."""
    form = RelationAddForm()
    if not form.validate_on_submit():
        return _invalid(item_id, relation_form=form)
    try:
        add_relation(db_session(), item_id, current_user, relation_type=form.type.data, target_id=form.target_id)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, relation_form=form)
    return _done(item_id, f"Recorded: this item {form.type.data} #{form.target_id}.")


class SourceChoiceNeeded(Exception):
    """The typed source name would create a new source, and known sources have near names: ask first."""


def _evidence_source(form: EvidenceForm, current: Source | None = None) -> Source | None:
    """The source the form names: the piece's current one when its name is unchanged, else the one found.

    A name that would create a new source while known sources have near names ("Kremlin" beside
    "Kremlin press office") is not saved: the form comes back asking "Did you mean …?", and the answer
    (a source, whose names then include the typed one, or "new") is sent with the form again.
    """
    session = db_session()
    name = " ".join((form.source.data or "").split())
    if not name:
        return None
    if current is not None and name == current.name:
        return current
    choice = (form.source_choice.data or "").strip()
    if choice == "new":
        return find_or_create_source(session, name, form.source_kind.data, actor=current_user, create_new=True)
    if choice.isdigit():
        chosen = source_service.final_source(session, source_service.get_source(session, int(choice)))
        source_service.add_alias(session, chosen, name)
        return chosen
    if source_service.known_source(session, name, form.source_kind.data) is None:
        near = source_service.near_sources(session, name)
        if near:
            form.near_sources = near  # read by the form's template
            form.source_choice.errors = [f"No source is called “{name}” yet. Choose one of these near names, "
                                         "or create a new source."]
            raise SourceChoiceNeeded(name)
    return find_or_create_source(session, name, form.source_kind.data, actor=current_user)


@bp.post("/items/<int:item_id>/evidence")
@permitted(Capability.EDIT)
def add_evidence(item_id: int):
    """Add a piece of evidence to the item."""
    form = EvidenceForm()
    if not form.validate_on_submit():
        return _invalid(item_id, evidence_form=form)
    session = db_session()
    try:
        may_edit(item_service.get_item(session, item_id), current_user).enforce()
        evidence_service.add_evidence(
            session, item_id, current_user, version=form.version.data, title=form.title.data,
            stance=form.stance.data, url=form.url.data, passage=form.passage.data, source=_evidence_source(form),
            is_anonymous=form.is_anonymous.data, is_off_record=form.is_off_record.data,
            is_publishable=form.is_publishable.data)
    except SourceChoiceNeeded:
        return _invalid(item_id, evidence_form=form)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(item_id, exc, evidence_form=form)
    return _done(item_id, "Evidence added.", url_for("items.detail", item_id=item_id) + "#evidence")


@bp.route("/items/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
@permitted(Capability.EDIT)
def edit_evidence(evidence_id: int):
    """Edit a piece of evidence (its own page: the item page lists many)."""
    session = db_session()
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        abort(404, description=f"There is no evidence #{evidence_id}.")
    item_id = evidence.item_id
    if request.method == "GET":
        # Filled field by field: the form's "source" is a name, the piece's is a Source row.
        form = EvidenceForm(formdata=None, data={
            "title": evidence.title, "url": evidence.url or "", "passage": evidence.passage or "",
            "source": evidence.source.name if evidence.source else "",
            "source_kind": evidence.source.kind.value if evidence.source else "outlet",
            "stance": evidence.stance.value, "is_anonymous": evidence.is_anonymous,
            "is_off_record": evidence.is_off_record, "is_publishable": evidence.is_publishable,
            "version": evidence.version})
        return render_template("items/evidence_edit.html", form=form, evidence=evidence, item=evidence.item)
    form = EvidenceForm()
    status, message = 422, "Please correct the marked fields."
    if form.validate_on_submit():
        # Text the request did not carry stays as it is; checkboxes are sent only when ticked.
        given = {name: getattr(form, name).data for name in ("url", "passage") if submitted(getattr(form, name))}
        try:
            if submitted(form.source):
                given["source"] = _evidence_source(form, evidence.source)
            evidence_service.edit_evidence(
                session, evidence_id, current_user, version=form.version.data, title=form.title.data,
                stance=form.stance.data, is_anonymous=form.is_anonymous.data,
                is_off_record=form.is_off_record.data, is_publishable=form.is_publishable.data, **given)
        except SourceChoiceNeeded:
            session.rollback()
        except (wf.WorkflowError, ServiceError) as exc:
            session.rollback()
            status, message = status_for(exc), str(exc)
            if status in (403, 404):
                raise
            if isinstance(exc, wf.StaleEdit):
                reloaded = session.get(Evidence, evidence_id, populate_existing=True)
                if reloaded is None:
                    abort(404, description=f"There is no evidence #{evidence_id}.")
                evidence = reloaded
                form.version.data, form.version.raw_data = evidence.version, [str(evidence.version)]
        else:
            return _done(item_id, "Evidence saved.", url_for("items.detail", item_id=item_id) + "#evidence")
    else:
        session.rollback()
    return render_template("items/evidence_edit.html", form=form, evidence=evidence, item=evidence.item,
                           error=message, conflict=status == 409), status
