"""Triage: items waiting in ``claim``, highest priority first; take one, assign it to a checker, or dismiss it."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Action
from factcheck.queries.desk import assignable_checkers
from factcheck.queries.items import triage_page
from factcheck.web import db_session
from factcheck.web.access import may
from factcheck.web.forms.items import ItemTakeForm
from factcheck.web.params import cursor_arg
from factcheck.web.readercache import for_desk
from factcheck.web.rowurls import id_url

bp = Blueprint("triage", __name__, url_prefix="/triage")

PAGE_SIZE = 50


@bp.get("")
@login_required
@for_desk
def index():
    """The triage queue, paged by keyset (``?after=<cursor>``)."""
    page = triage_page(db_session(), cursor=cursor_arg("after"), limit=PAGE_SIZE)
    if not page.rows:
        return render_template("triage/index.html", page=page)
    checkers = assignable_checkers(db_session()) if may(Capability.ASSIGN) else []
    # The rows are written by ``web.rows.triage_rows``: each row's forms carry the page's one CSRF token.
    row_links = dict(item_url=id_url("items.detail"), assign_url=id_url("items.assign"), checkers=checkers,
                     take_url=id_url("items.take") if may(Action.TAKE) else None,
                     dismiss_url=id_url("items.dismiss") if may(Action.DISMISS) else None,
                     csrf_field=ItemTakeForm(formdata=None).csrf_token(id=False), back_to=request.full_path)
    return render_template("triage/index.html", page=page, row_links=row_links)
