"""The start page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from flask_login import login_required

from factcheck.web import nav_url

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Send signed-in users to the article list, the desk's starting point."""
    target = nav_url("articles.index")
    if target:
        return redirect(target)
    return render_template("main/index.html")
