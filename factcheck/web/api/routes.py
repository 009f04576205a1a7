"""The API's endpoints: thin views over the queries (reads) and the services (writes).

Writes go through the same services and refusals as the web forms: a refusal answers with the
status ``web.refusals`` gives it and the same plain message, as JSON.
"""

# No "from __future__ import annotations": spectree reads the views' annotations (query=, json=) at import.

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, jsonify, render_template, url_for
from flask_login import current_user
from pydantic import BaseModel
from spectree import Response as Responses

from factcheck import jobs
from factcheck.config import policy_from, setting
from factcheck.domain import workflow as wf
from factcheck.facts import verdict_review_key
from factcheck.domain.credibility import beta_mean
from factcheck.domain.permissions import Capability, may_edit
from factcheck.domain.search import ALL_KINDS, SearchKind
from factcheck.domain.workflow import Action
from factcheck.interchange.claimreview import PageClaimReviews, publishable_claimreview
from factcheck.interchange.htmltext import html_to_text
from factcheck.jobs import ArticleUpload
from factcheck.models import CheckItem, Rating, Source
from factcheck.queries.api import ItemFilters, ItemListRow, item_list, published_rating, source_list_page
from factcheck.queries.articles import article_page, list_articles
from factcheck.queries.items import active_ratings, item_page
from factcheck.queries.search import SearchFilters, SearchPage, search
from factcheck.queries.verdicts import ItemCard, claimreview_scale, published_cards, verdict_card
from factcheck.services import evidence as evidence_service
from factcheck.services import items as item_service
from factcheck.services import throttle
from factcheck.services.errors import Duplicate, ServiceError
from factcheck.services.ingest import find_article_by_text, ingest_article
from factcheck.services.queue import review_verdict
from factcheck.services.sources import find_or_create_source
from factcheck.services.submissions import submit_claim
from factcheck.standings import Standing, standings
from factcheck.web import commit, db_session
from factcheck.web.api import COMMON_ERRORS, READ_ONLY, api_access, bp, json_error, spec
from factcheck.web.api import schemas as s
from factcheck.web.errors import log_refusal
from factcheck.web.refusals import status_for
from factcheck.web.rowurls import id_url
from factcheck.web.verdicts import claimreview_settings, verdict_url

#: The document's security requirement of every endpoint that needs a token (read or write).
READ: list[dict[str, list[str]]] = [{"bearer": []}]


def _responses(ok: str, model: type, *errors: str) -> Responses:
    codes = {code: s.Error for code in (*COMMON_ERRORS, *errors)}
    return Responses(**{ok: model}, **codes)


def _next(endpoint: str, **args: Any) -> str:
    return url_for(endpoint, **{k: v for k, v in args.items() if v is not None}, _external=True)


def _refused(exc: Exception):
    """A service's refusal as JSON, nothing of the request kept."""
    db_session().rollback()
    status = status_for(exc)
    log_refusal(exc, status)
    return json_error(status, str(exc))


def _iso(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


M = TypeVar("M", bound=BaseModel)


def _built(model: type[M], **fields: Any) -> M:
    """``model`` with ``fields`` as they are, not validated: for a list's rows, read from the database
    in the types the model declares (a request's values are always validated). The model still
    writes the JSON (pydantic's serialiser) and the OpenAPI document, so both stay as declared;
    ``tests/e2e/api/test_api_schema.py`` validates every list's answer against its model."""
    return model.model_construct(**fields)


# --- shapes -------------------------------------------------------------------------------------------


def _rating(rating: Rating | None) -> s.RatingOut | None:
    return s.RatingOut(key=rating.key, label=rating.label) if rating is not None else None


def _source_ref(source: Source | None) -> s.SourceRefOut | None:
    return s.SourceRefOut(id=source.id, name=source.name, kind=source.kind.value) if source is not None else None


def _item_summary(item: CheckItem, rating: Rating | None) -> s.ItemSummary:
    return s.ItemSummary(
        id=item.id, url=url_for("api.item", item_id=item.id, _external=True), status=item.status,
        claim_text=item.claim_text, restatement=item.restatement, claimant=_source_ref(item.claimant),
        article_id=item.article_id, priority=item.priority, rating=_rating(rating), version=item.version,
        created_at=_iso(item.created_at), updated_at=_iso(item.updated_at))


def _item_row_summary(row: ItemListRow, url: Callable[[int], str]) -> s.ItemSummary:
    """An item of the list as its model, built without validating again what was read from the
    database (the model still makes the document and writes the JSON: ``_built``)."""
    claimant = (_built(s.SourceRefOut, id=row.claimant_id, name=row.claimant_name, kind=row.claimant_kind.value)
                if row.claimant_id is not None and row.claimant_kind is not None else None)
    rating = _built(s.RatingOut, key=row.rating_key, label=row.rating_label) if row.rating_key is not None else None
    return _built(s.ItemSummary, id=row.id, url=url(row.id), status=row.status, claim_text=row.claim_text,
                  restatement=row.restatement, claimant=claimant, article_id=row.article_id,
                  priority=float(row.priority), rating=rating, version=row.version,
                  created_at=_iso(row.created_at), updated_at=_iso(row.updated_at))


# --- items --------------------------------------------------------------------------------------------


@bp.get("/items")
@api_access()
@spec.validate(query=s.ItemQuery, resp=_responses("HTTP_200", s.ItemList, "HTTP_422"), security=READ,
               tags=["items"])
def items(query: s.ItemQuery):
    """Check items by id, with filters: status, claimant (a source's id), article, rating key, updated since."""
    since = query.updated_since  # in UTC (schemas.ItemQuery)
    filters = ItemFilters(status=query.status, claimant_id=query.claimant, article_id=query.article,
                          rating=query.rating, updated_since=since)
    page = item_list(db_session(), filters, after=query.after, limit=query.limit)
    next_url = None
    if page.next_after is not None:
        next_url = _next("api.items", after=page.next_after, limit=query.limit,
                         status=query.status.value if query.status else None, claimant=query.claimant,
                         article=query.article, rating=query.rating,
                         updated_since=since.isoformat() if since else None)
    url = id_url("api.item", _external=True)
    return _built(s.ItemList, items=[_item_row_summary(r, url) for r in page.rows], next=next_url)


@bp.get("/items/<int:item_id>")
@api_access()
@spec.validate(resp=_responses("HTTP_200", s.ItemDetail), security=READ, tags=["items"])
def item(item_id: int):
    """One check item: claim, span, chain, hedges, relations, evidence, verdict, history, and what you may do."""
    page = item_page(db_session(), item_id, current_user, policy_from(current_app.config))
    if page is None:
        return json_error(404, f"There is no check item #{item_id}.")
    it = page.item
    counts = page.evidence_counts
    verdict = it.current_verdict
    verdict_out = None
    if verdict is not None:
        verdict_out = s.VerdictOut(
            id=verdict.id, rating=s.RatingOut(key=verdict.rating.key, label=verdict.rating.label),
            final_rating=_rating(verdict.final_rating), summary=verdict.summary, rationale=verdict.rationale,
            author=verdict.author.display_name if verdict.author else None, created_at=_iso(verdict.created_at),
            published_at=_iso(verdict.published_at) if verdict.published_at else None,
            votes=[s.VoteOut(reviewer=v.reviewer.display_name, decision=v.decision.value, rating=_rating(v.rating),
                             comment=v.comment, is_deciding=v.is_deciding, created_at=_iso(v.created_at))
                   for v in verdict.votes],
            review_key=verdict_review_key(it, verdict) if it.status is wf.Status.VERDICT else None)
    summary = _item_summary(it, published_rating(it))
    return s.ItemDetail(
        **summary.model_dump(),
        span=s.Span(start=it.span_start, end=it.span_end)
        if it.span_start is not None and it.span_end is not None else None,
        hedges=[str(h) for h in it.hedges or []], dates=list(it.dates or []),
        hedge_spans=[s.HedgeSpanOut(label=str(h["label"]), start=int(h["start"]), end=int(h["end"]))
                     for h in it.hedge_spans or []],
        assignee=it.assignee.display_name if it.assignee else None,
        chain=[s.ChainLinkOut(source=s.SourceRefOut(id=link.source.id, name=link.source.name,
                                                    kind=link.source.kind.value), verb=link.verb)
               for link in it.chain],
        relations=[s.RelationOut(type=r.type, other_id=r.other_id, outgoing=r.outgoing) for r in page.relations],
        evidence=[s.EvidenceOut(
            id=e.id, title=e.title, url=e.url, passage=e.passage, stance=e.stance.value, source=_source_ref(e.source),
            is_anonymous=e.is_anonymous, is_off_record=e.is_off_record, is_publishable=e.is_publishable,
            counts=bool(counts.get(e.id) and counts[e.id].counts), added_at=_iso(e.added_at)) for e in it.evidence],
        verdict=verdict_out,
        history=[s.HistoryEvent(action=str(e.action), from_status=e.from_status, to_status=e.to_status,
                                actor=e.actor.display_name if e.actor else None, at=_iso(e.created_at))
                 for e in page.history],
        actions=[s.ActionOut(action=a.action, allowed=a.allowed, reason=a.reason) if g.api_token.can_write or not a.allowed
                 else s.ActionOut(action=a.action, allowed=False, reason=READ_ONLY) for a in page.actions.values()],
    )


def _item_result(item_id: int, status: int = 200):
    item = db_session().get(CheckItem, item_id)
    assert item is not None  # the service just changed it
    return s.ActionResult(item=_item_summary(item, published_rating(item))), status


@bp.post("/items/<int:item_id>/take")
@api_access(Action.TAKE, write=True)
@spec.validate(json=s.TakeIn, resp=_responses("HTTP_200", s.ActionResult, "HTTP_403", "HTTP_409", "HTTP_415", "HTTP_422"),
               security=READ, tags=["workflow"])
def take(item_id: int, json: s.TakeIn):
    """Take an item from triage: it moves to evidence, held by you."""
    try:
        item_service.take_item(db_session(), item_id, current_user, version=json.version)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(exc)
    commit()
    return _item_result(item_id)


@bp.post("/items/<int:item_id>/evidence")
@api_access(Capability.EDIT, write=True)
@spec.validate(json=s.EvidenceIn, resp=_responses("HTTP_201", s.EvidenceCreated, "HTTP_403", "HTTP_409", "HTTP_415", "HTTP_422"),
               security=READ, tags=["workflow"])
def add_evidence(item_id: int, json: s.EvidenceIn):
    """Add a piece of evidence; a source named is found by name or alias, or created with ``source_kind``."""
    session = db_session()
    try:
        may_edit(item_service.get_item(session, item_id), current_user).enforce()
        name = " ".join((json.source or "").split())
        source = find_or_create_source(session, name, json.source_kind.value, actor=current_user) if name else None
        evidence = evidence_service.add_evidence(
            session, item_id, current_user, version=json.version, title=json.title, stance=json.stance,
            url=json.url, passage=json.passage, source=source, is_anonymous=json.is_anonymous,
            is_off_record=json.is_off_record, is_publishable=json.is_publishable)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(exc)
    evidence_id = evidence.id
    commit()
    item = session.get(CheckItem, item_id)
    assert item is not None
    return s.EvidenceCreated(evidence_id=evidence_id, item=_item_summary(item, published_rating(item))), 201


@bp.post("/items/<int:item_id>/propose")
@api_access(Action.PROPOSE, write=True)
@spec.validate(json=s.ProposeIn, resp=_responses("HTTP_200", s.ActionResult, "HTTP_403", "HTTP_409", "HTTP_415", "HTTP_422"),
               security=READ, tags=["workflow"])
def propose(item_id: int, json: s.ProposeIn):
    """The holder proposes a verdict (a rating key, a summary, a rationale); it goes to the reviewers."""
    try:
        item_service.propose_verdict(db_session(), item_id, current_user, rating_key=json.rating,
                                     summary=json.summary, rationale=json.rationale,
                                     policy=policy_from(current_app.config), version=json.version)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(exc)
    commit()
    return _item_result(item_id)


@bp.post("/items/<int:item_id>/vote")
@api_access(Capability.REVIEW, write=True)
@spec.validate(json=s.VoteIn, resp=_responses("HTTP_200", s.ActionResult, "HTTP_403", "HTTP_409", "HTTP_415", "HTTP_422"),
               security=READ, tags=["workflow"])
def vote(item_id: int, json: s.VoteIn):
    """A reviewer approves (as proposed, or as another rating) or returns the verdict with a comment."""
    if json.decision is wf.Decision.RETURN and not (json.comment or "").strip():
        return json_error(422, "Write a comment telling the author what to fix before returning the verdict.")
    try:
        review_verdict(db_session(), item_id, current_user, decision=json.decision,
                       policy=policy_from(current_app.config), rating_key=json.rating or None, comment=json.comment,
                       seen=json.review_key)
    except (wf.WorkflowError, ServiceError) as exc:
        return _refused(exc)
    commit()
    return _item_result(item_id)


@bp.get("/ratings")
@api_access()
@spec.validate(resp=_responses("HTTP_200", s.RatingsOut), security=READ, tags=["items"])
def ratings():
    """The desk's rating scale: the keys a verdict or a vote may use."""
    return s.RatingsOut(ratings=[s.RatingOut(key=r.key, label=r.label) for r in active_ratings(db_session())])


# --- articles -----------------------------------------------------------------------------------------


@bp.get("/articles")
@api_access()
@spec.validate(query=s.ArticleQuery, resp=_responses("HTTP_200", s.ArticleList, "HTTP_422"), security=READ,
               tags=["articles"])
def articles(query: s.ArticleQuery):
    """Articles, newest first, each with its check items counted by status."""
    rows = list_articles(db_session(), before_id=query.before, limit=query.limit + 1)
    shown = rows[:query.limit]
    next_url = _next("api.articles", before=shown[-1].id, limit=query.limit) if len(rows) > query.limit else None
    url = id_url("api.article", "article_id", _external=True)
    return _built(s.ArticleList, articles=[
        _built(s.ArticleSummary, id=r.id, url=url(r.id), title=r.title, outlet=r.outlet, published_on=r.published_on,
               created_at=_iso(r.created_at), counts=r.counts)
        for r in shown], next=next_url)


@bp.get("/articles/<int:article_id>")
@api_access()
@spec.validate(resp=_responses("HTTP_200", s.ArticleDetail), security=READ, tags=["articles"])
def article(article_id: int):
    """One article: its text and its check items in text order, with their spans."""
    page = article_page(db_session(), article_id, lambda i: url_for("api.item", item_id=i))
    if page is None:
        return json_error(404, f"There is no article #{article_id}.")
    a = page.article
    return s.ArticleDetail(
        id=a.id, url=url_for("api.article", article_id=a.id, _external=True), title=a.title, source_url=a.url,
        outlet=page.outlet, published_on=a.published_on, created_at=_iso(a.created_at), text=a.text,
        items=[s.ArticleItemOut(id=i.id, claim_text=i.claim_text, status=i.status, claimant=i.claimant,
                                span=s.Span(start=i.span[0], end=i.span[1]) if i.span else None,
                                rating=i.rating_label) for i in page.items])


def _job_out(job: jobs.Job) -> s.JobOut:
    return s.JobOut(id=job.id, url=url_for("api.job", job_id=job.id, _external=True), state=job.state.value,
                    stalled=job.stalled, articles=[s.JobOutcome(name=a.name, state=a.state.value, article_id=a.article_id, items=a.items,
                                           error=a.error) for a in job.articles])


@bp.post("/articles")
@api_access(Capability.ADD_ARTICLE, write=True)
@spec.validate(json=s.ArticleIn,
               resp=Responses(HTTP_201=s.ArticleCreated, HTTP_202=s.JobAccepted,
                              **{c: s.Error for c in (*COMMON_ERRORS, "HTTP_403", "HTTP_409", "HTTP_415", "HTTP_422",
                                                      "HTTP_503")}),
               security=READ, tags=["articles"])
def add_article(json: s.ArticleIn):
    """Add an article (text or HTML): its assertions become check items in triage.

    A long one is read by a background job: the answer is 202 with the job's address.
    """
    limit = int(current_app.config.get("INGEST_THROTTLE_LIMIT", 60))
    window = int(current_app.config.get("INGEST_THROTTLE_SECONDS", 3600))
    key = f"ingest:{current_user.id}"
    allowed = throttle.hit(db_session(), key, limit, window)
    commit()  # failed and duplicate attempts count too, as on the form
    if not allowed:
        wait = throttle.retry_after(db_session(), key, window)
        response = json_error(429, f"You have added {limit} articles in the last {window // 60} minutes, the most "
                                   "this desk allows.")
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        text = json.text if json.text and json.text.strip() else html_to_text(json.html or "")
    except ValueError as exc:
        return json_error(422, str(exc))
    if len(text) > int(setting(current_app.config, "INLINE_INGEST_CHARS")):
        try:
            job = jobs.start_ingest(current_app, [ArticleUpload("api", text.encode("utf-8"))], owner_id=current_user.id,
                                    title=json.title, url=json.url, outlet=json.outlet, published_on=json.published_on)
        except jobs.QueueUnavailable as exc:
            return json_error(exc.status_code, str(exc))
        return s.JobAccepted(job=_job_out(job)), 202, {"Location": url_for("api.job", job_id=job.id, _external=True)}
    try:
        result = ingest_article(db_session(), text, actor=current_user, title=json.title, url=json.url,
                                outlet=json.outlet, published_on=json.published_on)
    except Duplicate as exc:
        db_session().rollback()
        existing = find_article_by_text(db_session(), text)
        log_refusal(exc, 409)
        return json_error(409, str(exc), duplicate_of=existing.id if existing else None)
    except ServiceError as exc:
        return _refused(exc)
    except ValueError as exc:  # text that cannot be read as an article (htmltext.ArticleInputError)
        db_session().rollback()
        log_refusal(exc, 422)
        return json_error(422, str(exc))
    a = result.article
    summary = s.ArticleSummary(id=a.id, url=url_for("api.article", article_id=a.id, _external=True), title=a.title,
                               outlet=a.outlet.name if a.outlet else None, published_on=a.published_on,
                               created_at=_iso(a.created_at), counts={wf.Status.CLAIM.value: len(result.item_ids)}
                               if result.item_ids else {})
    commit()
    return s.ArticleCreated(article=summary, items=len(result.item_ids)), 201, {"Location": summary.url}


@bp.get("/jobs/<job_id>")
@api_access(Capability.ADD_ARTICLE)
@spec.validate(resp=_responses("HTTP_200", s.JobOut, "HTTP_403"), security=READ, tags=["articles"])
def job(job_id: str):
    """How far a background ingest got: each article's state, its id once stored, and errors."""
    found = jobs.find_job(current_app, job_id[:100])
    if found is None or found.owner_id != current_user.id:  # another's job is as unknown
        return json_error(404, "There is no such job of yours, or it finished too long ago to be kept.")
    return _job_out(found)


# --- sources ------------------------------------------------------------------------------------------


def _source_summary(standing: Standing, url: Callable[[int], str] | None = None) -> dict[str, Any]:
    source, score = standing.source, standing.score
    return dict(id=source.id, url=url(source.id) if url else url_for("api.source", source_id=source.id, _external=True),
                name=source.name, kind=source.kind.value, domain=source.domain,
                score=_built(s.ScoreOut, mean=float(score.mean), low=float(score.low), high=float(score.high),
                             claimant_n=score.claimant_n, relay_n=score.relay_n),
                published=standing.published)


@bp.get("/sources")
@api_access()
@spec.validate(query=s.SourceQuery, resp=_responses("HTTP_200", s.SourceList, "HTTP_422"), security=READ,
               tags=["sources"])
def sources(query: s.SourceQuery):
    """Sources (not merged away) by id, each with its score, credible interval and published count."""
    page = source_list_page(db_session(), after=query.after, limit=query.limit,
                            kind=query.kind.value if query.kind else None)
    next_url = (_next("api.sources", after=page.next_after, limit=query.limit,
                      kind=query.kind.value if query.kind else None) if page.next_after is not None else None)
    url = id_url("api.source", "source_id", _external=True)
    return _built(s.SourceList, sources=[_built(s.SourceSummary, **_source_summary(st, url)) for st in page.rows],
                  next=next_url)


@bp.get("/sources/<int:source_id>")
@api_access()
@spec.validate(resp=_responses("HTTP_200", s.SourceDetail), security=READ, tags=["sources"])
def source(source_id: int):
    """One source: aliases, its track record per capacity and rating, score and interval, prior and its origin."""
    session = db_session()
    row = session.get(Source, source_id)
    if row is None:
        return json_error(404, f"There is no source #{source_id}.")
    standing = standings(session, [row])[row.id]
    prior = standing.score.prior
    return s.SourceDetail(
        **_source_summary(standing), aliases=[a.name for a in row.aliases], same_as=row.same_as,
        prior=s.PriorOut(alpha=prior.alpha, beta=prior.beta, mean=beta_mean(prior.alpha, prior.beta),
                         origin=prior.origin, note=row.prior_note),
        records={capacity: dict(counts) for capacity, counts in standing.counts.items()},
        merged_into=row.merged_into_id)


# --- verdicts -----------------------------------------------------------------------------------------


def _published(card: ItemCard, scale: tuple[int | None, int | None], url: Callable[[int], str] = verdict_url,
               markup: PageClaimReviews | None = None) -> s.PublishedVerdict:
    address = url(card.id)
    doc = (markup.publishable(card, address) if markup is not None else
           publishable_claimreview(card, url=address, settings=claimreview_settings(), scale=scale))
    claimant = card.claimant
    return _built(
        s.PublishedVerdict, item_id=card.id, url=address, claim=card.claim,
        claimant=_built(s.SourceRefOut, id=claimant.id, name=claimant.name, kind=claimant.kind.value)
        if claimant else None,
        rating=_built(s.RatingOut, key=card.rating.key, label=card.rating.label) if card.rating else None,
        summary=card.summary, published_at=_iso(card.published_at) if card.published_at else None,
        claimreview=dict(doc) if doc else None)


@bp.get("/verdicts")
@spec.validate(query=s.VerdictQuery, resp=_responses("HTTP_200", s.VerdictList, "HTTP_422"), tags=["verdicts"])
def verdicts(query: s.VerdictQuery):
    """Published verdicts by item id, each with its ClaimReview. Public: no token needed."""
    session = db_session()
    page = published_cards(session, after=query.after or 0, limit=query.limit)
    scale = claimreview_scale(session)
    next_url = _next("api.verdicts", after=page.next_after, limit=query.limit) if page.next_after else None
    url = id_url("verdicts.show", _external=True)  # the verdict pages' route, built once for the page
    markup = PageClaimReviews(claimreview_settings(), scale)  # the organisation and each rating checked once
    return _built(s.VerdictList, verdicts=[_published(c, scale, url, markup) for c in page.cards], next=next_url)


@bp.get("/verdicts/<int:item_id>")
@spec.validate(resp=_responses("HTTP_200", s.PublishedVerdict), tags=["verdicts"])
def verdict(item_id: int):
    """One published verdict (by its item's id) with its ClaimReview. Public: no token needed."""
    session = db_session()
    card = verdict_card(session, item_id, include_drafts=False)
    if card is None:
        return json_error(404, "There is no published verdict with this number.")
    return _published(card, claimreview_scale(session))


# --- reader submissions ----------------------------------------------------------------------------


@bp.post("/submissions")
@api_access(write=True)
@spec.validate(json=s.SubmissionIn,
               resp=_responses("HTTP_201", s.SubmissionOut, "HTTP_403", "HTTP_415", "HTTP_422"),
               security=READ, tags=["submissions"])
def add_submission(json: s.SubmissionIn):
    """A reader's claim from a bot or a tipline: recorded as the public inbox records it (matched against
    published verdicts and open items first; a new claim becomes an item in triage with origin "reader")."""
    try:
        result = submit_claim(db_session(), claim_text=json.claim, seen_at_url=json.seen_at_url, email=json.email)
    except ServiceError as exc:
        return _refused(exc)
    answered = verdict_url(result.answered_by_id) if result.answered_by_id is not None else None
    out = s.SubmissionOut(submission_id=result.submission.id, item_id=result.item.id,
                          is_new_item=result.is_new_item, readers=result.item.reader_requests,
                          answered_by=answered)
    commit()
    return out, 201


# --- search ---------------------------------------------------------------------------------------

_HIT_PAGES = {SearchKind.ITEM: ("items.detail", "item_id"), SearchKind.ARTICLE: ("articles.detail", "article_id"),
              SearchKind.SOURCE: ("sources.detail", "source_id")}


def _hit_url(kind: SearchKind, hit_id: int) -> str:
    endpoint, arg = _HIT_PAGES[kind]
    values: dict[str, Any] = {arg: hit_id}
    return url_for(endpoint, _external=True, **values)


@bp.get("/search")
@api_access(Capability.SEARCH)
@spec.validate(query=s.SearchQuery, resp=_responses("HTTP_200", s.SearchResults, "HTTP_422"), security=READ,
               tags=["search"])
def search_all(query: s.SearchQuery):
    """Items, articles and sources that match the words, best first (the /search page's query and filters)."""
    session = db_session()
    if query.rating is not None and query.rating not in {r.key for r in active_ratings(session)}:
        return json_error(422, "There is no such rating on the desk's scale.")
    filters = SearchFilters(
        kinds=frozenset(query.kind or ()) or ALL_KINDS, status=query.status, rating=query.rating,
        claimant=(query.claimant or "").strip() or None, outlet=(query.outlet or "").strip() or None,
        since=query.since, until=query.until)
    page = search(session, query.q, filters=filters, after=query.after, limit=query.limit) if query.q.strip() \
        else SearchPage(query=query.q)
    hits = [s.SearchHitOut(
        kind=h.kind, id=h.id, url=_hit_url(h.kind, h.id),
        score=h.score, title=h.title, snippet=h.snippet_text, status=h.status, rating=h.rating,
        claimant=h.claimant, outlet=h.outlet, article_id=h.article_id, article_title=h.article_title, day=h.day)
        for h in page.hits]
    next_url = None
    if page.next_cursor is not None:
        next_url = _next("api.search_all", q=query.q, kind=[k.value for k in query.kind] if query.kind else None,
                         status=query.status.value if query.status else None, rating=query.rating,
                         claimant=query.claimant, outlet=query.outlet,
                         since=query.since.isoformat() if query.since else None,
                         until=query.until.isoformat() if query.until else None,
                         after=page.next_cursor, limit=query.limit)
    return s.SearchResults(query=query.q, words=page.words, hits=hits, next=next_url)


# --- the reference page -------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document, generated by spectree from the models that validate the requests."""
    return jsonify(spec.spec)


@bp.get("/docs")
def docs():
    """The API reference, rendered from the OpenAPI document (the same one /api/v1/openapi.json serves)."""
    return render_template("api/docs.html", doc=spec.spec, token=g.get("api_token"))
