"""Source pages: the list, one source's record and score, merging, the editorial prior; and the
intake panel's one-click "repeats #N"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup

from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import RelationType, StaleEdit, WorkflowError
from factcheck.models import Source
from factcheck.queries.sources import SORTS, merge_preview, source_detail, source_list
from factcheck.services import sources as source_service
from factcheck.services.errors import ServiceError
from factcheck.services.relations import add_relation
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.errors import log_refusal
from factcheck.web.forms.sources import ItemRepeatForm, SourceMergeForm, SourcePriorForm
from factcheck.web.params import int_arg
from factcheck.web.readercache import for_desk
from factcheck.web.refusals import status_for
from factcheck.web.rows import rating_chip, status_chip
from factcheck.web.rowurls import id_url

bp = Blueprint("sources", __name__)


#: More pages than any desk's sources fill, fifty to a page.
MAX_PAGE = 100_000


def _page_number() -> int:
    return int_arg("page", low=1, high=MAX_PAGE) or 1


@bp.get("/sources")
@login_required
@for_desk
def index() -> ResponseReturnValue:
    """The sources, sorted by score (best or worst first), volume or name, fifty to a page."""
    sort = request.args.get("sort", "score")
    if sort not in SORTS:
        sort = "score"
    page = source_list(db_session(), sort=sort, page=_page_number(), query=request.args.get("q", "")[:200])
    return render_template("sources/index.html", page=page, sorts=SORTS,
                           source_url=id_url("sources.detail", "source_id"))


def _load(source_id: int) -> Source:
    return source_service.get_source(db_session(), source_id)


def _render_detail(source: Source, *, merge_form: SourceMergeForm | None = None,
                   prior_form: SourcePriorForm | None = None, status: int = 200) -> tuple[str, int]:
    detail = source_detail(db_session(), source)
    if prior_form is None:
        prior = detail.source
        prior_form = SourcePriorForm(formdata=None, version=str(prior.version), note=prior.prior_note)
        if prior.prior_alpha is not None and prior.prior_beta is not None:
            total = prior.prior_alpha + prior.prior_beta
            prior_form.mean.data = round(prior.prior_alpha / total, 4)
            prior_form.strength.data = round(total, 4)
    # Each chip the page shows rendered once (the latest 100 items share a few ratings and statuses).
    chips: dict[Any, Markup] = {line.rating: rating_chip(line.rating) for line in detail.standing.lines}
    for row in detail.items:
        if row.rating is not None:
            if row.rating not in chips:
                chips[row.rating] = rating_chip(row.rating)
        elif row.status not in chips:
            chips[row.status] = status_chip(row.status)
    return render_template("sources/detail.html", detail=detail, merge_form=merge_form or SourceMergeForm(formdata=None),
                           prior_form=prior_form, item_url=id_url("items.detail"), chips=chips), status


@bp.get("/sources/<int:source_id>")
@login_required
@for_desk
def detail(source_id: int) -> ResponseReturnValue:
    """One source: aliases, kind, prior, record per rating, score with interval, items."""
    return _render_detail(_load(source_id))


@bp.post("/sources/<int:source_id>/merge")
@permitted(Capability.CURATE_SOURCES)
def merge(source_id: int) -> ResponseReturnValue:
    """Merge this source into another one (editors), in two steps: the first shows what will move
    (names, chain links, items, evidence, articles, recounted verdicts) and changes nothing; the
    confirmation page sends the same merge back with ``confirm=yes``. A merge is not undone."""
    source = _load(source_id)
    form = SourceMergeForm()
    if not form.validate_on_submit():
        return _render_detail(source, merge_form=form, status=422)
    try:
        if form.confirm.data != "yes":
            merged, kept = source_service.check_merge(db_session(), source_id, form.into.data, current_user)
            preview = merge_preview(db_session(), merged, kept)
            return render_template("sources/merge_confirm.html", preview=preview,
                                   form=SourceMergeForm(formdata=None, into=f"#{kept.id}", confirm="yes"))
        kept = source_service.merge_sources(db_session(), source_id, form.into.data, current_user)
    except (WorkflowError, ServiceError) as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        form.into.errors = [str(exc)]
        return _render_detail(_load(source_id), merge_form=form, status=status_for(exc))
    commit()
    flash(f"Merged into {kept.name}: one source from now on.", "success")
    return redirect(url_for("sources.detail", source_id=kept.id))


@bp.post("/sources/<int:source_id>/prior")
@permitted(Capability.CURATE_SOURCES)
def prior(source_id: int) -> ResponseReturnValue:
    """Set or clear the source's editorial prior (editors); a stale form gets a conflict with its input kept."""
    source = _load(source_id)
    form = SourcePriorForm()
    if not form.validate_on_submit():
        return _render_detail(source, prior_form=form, status=422)
    try:
        source_service.set_prior(db_session(), source_id, current_user, **form.split_data)
    except StaleEdit as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        form.version.data = str(exc.current_version or "")
        form.mean.errors = [str(exc)]
        return _render_detail(_load(source_id), prior_form=form, status=409)
    except (WorkflowError, ServiceError) as exc:
        db_session().rollback()
        log_refusal(exc, status_for(exc))
        form.mean.errors = [str(exc)]
        return _render_detail(_load(source_id), prior_form=form, status=status_for(exc))
    commit()
    flash("The prior was saved.", "success")
    return redirect(url_for("sources.detail", source_id=source_id))


@bp.post("/items/<int:item_id>/repeats")
@permitted(Capability.RECORD_REPEAT)
def record_repeat(item_id: int) -> ResponseReturnValue:
    """Record that the item repeats an earlier one (the intake panel's button)."""
    form = ItemRepeatForm()
    if not form.validate_on_submit():
        message = "; ".join(e for errors in form.errors.values() for e in errors)
        abort(422 if "csrf_token" not in form.errors else 400, description=message or "Say which item it repeats.")
    add_relation(db_session(), item_id, current_user, relation_type=RelationType.REPEATS,
                 target_id=form.target_id.data)
    commit()
    flash(f"Recorded: #{item_id} repeats #{form.target_id.data}.", "success")
    return redirect(url_for("items.detail", item_id=item_id))
