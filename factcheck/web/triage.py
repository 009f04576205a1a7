"""Triage: items waiting in ``claim``, highest priority first; take one or dismiss it."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from factcheck.queries.items import triage_page
from factcheck.web import db_session
from factcheck.web.forms.items import ItemDismissForm, ItemTakeForm
from factcheck.web.params import cursor_arg

bp = Blueprint("triage", __name__, url_prefix="/triage")

PAGE_SIZE = 50


@bp.get("")
@login_required
def index():
    """The triage queue, paged by keyset (``?after=<cursor>``)."""
    page = triage_page(db_session(), cursor=cursor_arg("after"), limit=PAGE_SIZE)
    return render_template("triage/index.html", page=page, take_form=ItemTakeForm(formdata=None),
                           dismiss_form=ItemDismissForm(formdata=None))
