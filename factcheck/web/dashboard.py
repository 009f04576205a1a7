"""The editors' dashboard: states, throughput, time to publish and the oldest waiting verdicts."""

from __future__ import annotations

from flask import Blueprint, render_template

from factcheck.domain.permissions import Capability
from factcheck.queries.dashboard import dashboard, duration_text
from factcheck.web import db_session
from factcheck.web.access import permitted

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
@permitted(Capability.SEE_DASHBOARD)
def index():
    """The desk at a glance, for editors and admins."""
    return render_template("dashboard/index.html", board=dashboard(db_session()), duration_text=duration_text)
