"""Background jobs' pages: how far a job got, and retrying the articles that failed."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask.typing import ResponseReturnValue

from factcheck import jobs
from factcheck.domain.permissions import Capability
from factcheck.web.access import permitted
from factcheck.web.forms import BaseForm

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job(job_id: str) -> jobs.Job:
    """The job, when it is the viewer's own (another's is as unknown to them: its retry would act in its owner's
    name)."""
    job = jobs.find_job(current_app, job_id)
    if job is None or job.owner_id != current_user.id:
        abort(404, description="There is no such job of yours, or it finished too long ago to be kept.")
    return job


@bp.get("/<job_id>")
@permitted(Capability.ADD_ARTICLE)
def show(job_id: str) -> ResponseReturnValue:
    """The job's progress: each article's outcome, the items found so far, errors in plain words."""
    job = _job(job_id)
    response = current_app.make_response(render_template("jobs/show.html", job=job, form=BaseForm(),
                                                         JobState=jobs.JobState))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<job_id>/retry")
@permitted(Capability.ADD_ARTICLE)
def retry(job_id: str) -> ResponseReturnValue:
    """Queue the articles that failed again (those stored already are not read again)."""
    job = _job(job_id)
    if not BaseForm().validate_on_submit():
        abort(400, description="The form expired; open the job's page again and retry from there.")
    if jobs.retry(current_app, job.id) is None:
        flash("Nothing to retry: the job is still running or every article was stored.", "warning")
    else:
        flash(f"Retrying {len(job.left)} article(s).", "info")
    return redirect(url_for("jobs.show", job_id=job.id))
