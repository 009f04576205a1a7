"""Articles: the list with item counts, adding one (pasted or uploaded), and the highlighted article page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from factcheck import jobs
from factcheck.config import setting
from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Status
from factcheck.interchange.htmltext import decode_article
from factcheck.jobs import ArticleUpload
from factcheck.queries.articles import article_page, list_articles
from factcheck.services import throttle
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.ingest import find_article_by_text, ingest_article
from factcheck.web import commit, db_session
from factcheck.web.access import permitted
from factcheck.web.errors import log_refusal, render_error
from factcheck.web.forms.articles import ArticleCreateForm
from factcheck.web.params import int_arg
from factcheck.web.readercache import for_desk
from factcheck.web.rowurls import id_url

bp = Blueprint("articles", __name__, url_prefix="/articles")

PAGE_SIZE = 50


@bp.get("")
@login_required
@for_desk
def index():
    """Newest articles first, each with its check items counted by status."""
    before = int_arg("before")
    rows = list_articles(db_session(), before_id=before, limit=PAGE_SIZE)
    next_before = rows[-1].id if len(rows) == PAGE_SIZE else None
    return render_template("articles/index.html", rows=rows, statuses=list(Status), next_before=next_before,
                           article_url=id_url("articles.detail", "article_id"))


def _too_long_for_a_request(uploads: list[ArticleUpload], text: str) -> bool:
    """True when reading the article would keep the request waiting: it goes to a background job."""
    limit = int(setting(current_app.config, "INLINE_INGEST_CHARS"))
    return (len(uploads[0].data) if uploads else len(text)) > limit


def _articles(n: int) -> str:
    return "1 article" if n == 1 else f"{n} articles"


def _ingest_throttled() -> tuple[str, int, dict[str, str]] | None:
    """A 429 page once this user has added too many articles in the window, else None.

    Extraction is the heaviest thing a request does; the count is committed at once so that
    failed and duplicate attempts count too, across every process. An upload counts each of its
    files (one request of 300 files is 300 articles to read).
    """
    limit = int(current_app.config.get("INGEST_THROTTLE_LIMIT", 60))
    window = int(current_app.config.get("INGEST_THROTTLE_SECONDS", 3600))
    key = f"ingest:{current_user.id}"
    files = sum(1 for upload in request.files.getlist("upload") if upload.filename)
    allowed = throttle.hit(db_session(), key, limit, window, amount=max(1, files))
    commit()
    if allowed:
        return None
    minutes = max(1, throttle.retry_after(db_session(), key, window) // 60)
    page, status = render_error(429, f"You have added {limit} articles in the last {window // 60} minutes, the "
                                     f"most this desk allows. Try again in {minutes} minutes.")
    return page, status, {"Retry-After": str(minutes * 60)}


@bp.route("/new", methods=["GET", "POST"])
@permitted(Capability.ADD_ARTICLE)
def new():
    """Add an article: its assertions become check items in triage."""
    form = ArticleCreateForm()
    status, duplicate_of, duplicate_message = 200, None, ""
    if request.method == "POST":
        refusal = _ingest_throttled()
        if refusal is not None:
            return refusal
        status = 422
    if form.validate_on_submit():
        text = form.text.data or ""
        uploads = [ArticleUpload(f.filename or "article.txt", f.read()) for f in form.upload.data or []]
        if len(uploads) > 1 or _too_long_for_a_request(uploads, text):
            try:
                job = jobs.start_ingest(
                    current_app, uploads or [ArticleUpload("pasted text", text.encode("utf-8"))],
                    owner_id=current_user.id, title=form.title.data, url=form.url.data, outlet=form.outlet.data,
                    published_on=form.published_on.data)
            except jobs.QueueUnavailable as exc:
                log_refusal(exc, exc.status_code)
                return render_error(exc.status_code, str(exc))
            flash(f"Reading {_articles(len(job.articles))} in the background; this page shows how far it got.", "info")
            return redirect(url_for("jobs.show", job_id=job.id))
        try:
            if uploads:
                text = decode_article(uploads[0].data, uploads[0].name)
            result = ingest_article(db_session(), text, actor=current_user, title=form.title.data,
                                    url=form.url.data, outlet=form.outlet.data, published_on=form.published_on.data)
        except Duplicate as exc:
            db_session().rollback()
            duplicate_of = find_article_by_text(db_session(), text)
            status = 409
            duplicate_message = str(exc)
            if duplicate_of is None:  # (the page's notice says it, with a link, when the article can be read)
                form.text.errors.append(duplicate_message)
        except (ServiceError, ValueError) as exc:
            db_session().rollback()
            field = form.upload if uploads else form.text
            field.errors.append(str(exc))
            status = getattr(exc, "status_code", 422)
            log_refusal(exc, status)
        else:
            commit()
            flash(Markup("Article added with {} check items in triage.").format(len(result.item_ids)), "success")
            return redirect(url_for("articles.detail", article_id=result.article.id))
    return render_template("articles/new.html", form=form, duplicate_of=duplicate_of,
                           duplicate_message=duplicate_message), status


@bp.get("/<int:article_id>")
@login_required
@for_desk
def detail(article_id: int):
    """The article's text with every item's span highlighted and numbered, beside the items."""
    page = article_page(db_session(), article_id, lambda i: url_for("items.detail", item_id=i))
    if page is None:
        abort(404, description=f"There is no article #{article_id}.")
    return render_template("articles/detail.html", page=page, article=page.article)

