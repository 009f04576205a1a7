"""The start page."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Send signed-in users to the article list, the desk's starting point."""
    return redirect(url_for("articles.index"))
