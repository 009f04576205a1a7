"""Triage: items waiting in ``claim``, highest priority first; take one, assign it to a checker, or dismiss it."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from factcheck.domain.permissions import Capability
from factcheck.queries.desk import assignable_checkers
from factcheck.queries.items import triage_page
from factcheck.web import db_session
from factcheck.web.access import may
from factcheck.web.forms.items import ItemAssignForm, ItemDismissForm, ItemTakeForm
from factcheck.web.params import cursor_arg
from factcheck.web.rowurls import id_url

bp = Blueprint("triage", __name__, url_prefix="/triage")

PAGE_SIZE = 50


@bp.get("")
@login_required
def index():
    """The triage queue, paged by keyset (``?after=<cursor>``)."""
    page = triage_page(db_session(), cursor=cursor_arg("after"), limit=PAGE_SIZE)
    checkers = assignable_checkers(db_session()) if may(Capability.ASSIGN) and page.rows else []
    return render_template("triage/index.html", page=page, take_form=ItemTakeForm(formdata=None),
                           dismiss_form=ItemDismissForm(formdata=None), assign_form=ItemAssignForm(formdata=None),
                           checkers=checkers, item_url=id_url("items.detail"), take_url=id_url("items.take"),
                           assign_url=id_url("items.assign"), dismiss_url=id_url("items.dismiss"))
