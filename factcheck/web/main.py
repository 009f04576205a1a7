"""The start page."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import login_required

bp = Blueprint("main", __name__)


@bp.get("/favicon.ico")
def favicon():
    """No icon (the pages say so in their head); a browser opening a JSON or CSV answer asks anyway, and gets
    nothing rather than a "not found" in its console."""
    return "", 204, {"Cache-Control": "public, max-age=86400"}


@bp.route("/")
@login_required
def index():
    """Send signed-in users to the article list, the desk's starting point."""
    return redirect(url_for("articles.index"))
