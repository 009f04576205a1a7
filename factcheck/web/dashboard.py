"""The editors' dashboard: states, throughput, time to publish and the oldest waiting verdicts."""

from __future__ import annotations

from flask import Blueprint, render_template
from markupsafe import Markup

from factcheck.domain.permissions import Capability
from factcheck.queries.dashboard import Day, Week, dashboard, duration_text
from factcheck.web import db_session
from factcheck.web.access import permitted
from factcheck.web.charts import bar_chart
from factcheck.web.readercache import for_desk

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
@permitted(Capability.SEE_DASHBOARD)
@for_desk
def index():
    """The desk at a glance, for editors and admins."""
    board = dashboard(db_session())
    return render_template("dashboard/index.html", board=board, duration_text=duration_text,
                           weeks_chart=weeks_chart(board.weeks), days_chart=days_chart(board.readers.days))


def weeks_chart(weeks: list[Week]) -> Markup:
    """Publications per week: a bar a week, its first day under it."""
    title = "Items published per week: " + ", ".join(f"week of {w.starts_on.isoformat()} {w.published}" for w in weeks)
    return bar_chart([w.published for w in weeks], [(w.starts_on.strftime("%d %b"),) for w in weeks], title=title,
                     title_id="weeks-title", column=40, bar_width=30, height=120, fill="#1a7f37")


def days_chart(days: list[Day]) -> Markup:
    """Readers' submissions per day: a bar a day, the day under it, and its month under the first day and each 1st."""
    title = "Readers' submissions per day: " + ", ".join(f"{d.day.isoformat()} {d.submissions}" for d in days)
    labels = [(d.day.strftime("%d"), d.day.strftime("%b") if n == 0 or d.day.day == 1 else None)
              for n, d in enumerate(days)]
    return bar_chart([d.submissions for d in days], labels, title=title, title_id="days-title", column=28,
                     bar_width=20, height=80, fill="#0969da")
