"""Read models for the article list and the article page (with its highlighted text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from factcheck.domain.workflow import Status
from factcheck.models import Article, CheckItem, Rating, Source, Verdict
from factcheck.queries import row_limit
from factcheck.db import rows_of
from factcheck.queries.verdicts import RatingChip


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the article list."""

    id: int
    title: str
    outlet: str | None
    published_on: dt.date | None
    created_at: dt.datetime
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All check items of the article."""
        return sum(self.counts.values())


_LATEST = (select(Article.id, Article.title, Source.name, Article.published_on, Article.created_at)
           .outerjoin(Source, Source.id == Article.outlet_id).order_by(Article.id.desc()).limit(row_limit()))
#: The newest articles, and those before an id; each listed article's items per status (built once).
_LISTS = {False: _LATEST, True: _LATEST.where(Article.id < bindparam("before_id"))}
_COUNTS = (select(CheckItem.article_id, CheckItem.status, func.count())
           .where(CheckItem.article_id.in_(bindparam("ids", expanding=True)))
           .group_by(CheckItem.article_id, CheckItem.status))


def list_articles(session: Session, *, before_id: int | None = None, limit: int = 50) -> list[ArticleRow]:
    """Newest articles first, each with its items counted by status (two queries in all)."""
    rows = rows_of(session, _LISTS[before_id is not None], {"limit": limit, "before_id": before_id}).all()
    counts: dict[int, dict[str, int]] = {r[0]: {} for r in rows}
    if rows:
        for article_id, status, n in rows_of(session, _COUNTS, {"ids": list(counts)}):
            if article_id is not None:
                counts[article_id][Status(status).value] = n
    return [ArticleRow(r[0], r[1], r[2], r[3], r[4], counts[r[0]]) for r in rows]


@dataclass(frozen=True, slots=True)
class ArticleItem:
    """A check item as listed beside its article's text."""

    number: int
    id: int
    claim_text: str
    status: Status
    claimant: str | None
    span: tuple[int, int] | None
    rating_label: str | None
    rating_colour: str | None
    #: Why the span is not highlighted in the text, when it is not.
    unshown: str | None = None

    @property
    def rating(self) -> RatingChip | None:
        """The published verdict's rating as a chip, or None."""
        return RatingChip.of(self.rating_label, self.rating_colour)


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """Everything the article page shows."""

    article: Article
    outlet: str | None
    items: list[ArticleItem]
    text_html: Markup
    dropped_count: int
    counts: dict[str, int] = field(default_factory=dict)


_CLAIMANT = aliased(Source)
#: The article page's statements (built once: building them cost more than running them): the outlet's
#: name, the article's items in text order, and the ratings of those of them published.
_OUTLET_NAME = select(Source.name).where(Source.id == bindparam("outlet_id"))
_ARTICLE_ITEMS = (
    select(CheckItem.id, CheckItem.claim_text, CheckItem.status, _CLAIMANT.name, CheckItem.span_start,
           CheckItem.span_end)
    .outerjoin(_CLAIMANT, _CLAIMANT.id == CheckItem.claimant_id)
    .where(CheckItem.article_id == bindparam("article_id"))
    .order_by(CheckItem.span_start.is_(None), CheckItem.span_start, CheckItem.id)
)
_PUBLISHED_COLOURS = (
    select(Verdict.item_id, Rating.label, Rating.colour).join(Rating, Rating.id == Verdict.final_rating_id)
    .where(Verdict.item_id.in_(bindparam("ids", expanding=True)), Verdict.published_at.is_not(None),
           Verdict.closed_at.is_(None)).order_by(Verdict.id)
)


def article_page(session: Session, article_id: int,
                 item_url: Callable[[int], str] = lambda i: f"/items/{i}") -> ArticlePage | None:
    """The article with its items in text order and the highlighted text; None when unknown."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    outlet = rows_of(session, _OUTLET_NAME, {"outlet_id": article.outlet_id}).scalar() if article.outlet_id else None
    rows = rows_of(session, _ARTICLE_ITEMS, {"article_id": article.id}).all()
    # Only published items take their verdict's colour: one query for this article's items only.
    published_ids = [r[0] for r in rows if Status(r[2]) is Status.PUBLISHED]
    colours: dict[int, tuple[str, str]] = {}
    if published_ids:
        for item_id, rating_label, rating_colour in rows_of(session, _PUBLISHED_COLOURS, {"ids": published_ids}):
            colours[item_id] = (rating_label, rating_colour)
    items = []
    for number, r in enumerate(rows, start=1):
        span = (r[4], r[5]) if r[4] is not None and r[5] is not None else None
        shown = colours.get(r[0])
        label, colour = shown if shown is not None else (None, None)
        items.append(ArticleItem(number, r[0], r[1], Status(r[2]), r[3], span, label, colour))
    text_html, unshown = highlight(article.text, items, article.dropped or [], item_url)
    items = [ArticleItem(i.number, i.id, i.claim_text, i.status, i.claimant, i.span, i.rating_label,
                         i.rating_colour, unshown.get(i.id)) for i in items]
    counts: dict[str, int] = {}
    for i in items:
        counts[i.status.value] = counts.get(i.status.value, 0) + 1
    return ArticlePage(article, outlet, items, text_html, len(article.dropped or []), counts)


def highlight(text: str, items: list[ArticleItem], dropped: list[dict],
              item_url: Callable[[int], str] = lambda i: f"/items/{i}") -> tuple[Markup, dict[int, str]]:
    """The article's text as HTML: every item's span a numbered link, dropped boilerplate greyed.

    The text is escaped piece by piece and only our own tags are added, so nothing from the
    article can become markup. Spans are not supposed to overlap; if one does (or lies outside
    the text) it is left unhighlighted and the reason is returned for the item list, rather
    than producing broken nesting.
    """
    length = len(text)
    accepted: list[tuple[int, int, ArticleItem]] = []
    unshown: dict[int, str] = {}
    for item in sorted((i for i in items if i.span), key=lambda i: (i.span[0], i.span[1], i.id)):  # type: ignore[index]  # filtered to items with a span
        start, end = item.span  # type: ignore[misc]  # filtered to items with a span
        if start < 0 or end > length or start >= end:
            unshown[item.id] = "its span lies outside the article's text"
            continue
        if accepted and start < accepted[-1][1]:
            unshown[item.id] = f"its span overlaps item {accepted[-1][2].number}"
            continue
        accepted.append((start, end, item))
    grey = [(max(0, int(d.get("start", 0))), min(length, int(d.get("end", 0))), str(d.get("reason", "boilerplate")))
            for d in dropped if isinstance(d, dict)]
    grey = [g for g in grey if g[0] < g[1]]
    cuts = {0, length}
    for start, end, _ in accepted:
        cuts.update((start, end))
    for start, end, _ in grey:
        cuts.update((start, end))
    points = sorted(cuts)
    out: list[str] = []
    span_index = 0
    for a, b in zip(points, points[1:], strict=False):
        piece = str(escape(text[a:b]))
        while span_index < len(accepted) and accepted[span_index][1] <= a:
            span_index += 1
        in_span = accepted[span_index] if span_index < len(accepted) and accepted[span_index][0] <= a else None
        reason = next((g[2] for g in grey if g[0] <= a and b <= g[1]), None)
        if reason is not None:
            piece = f'<span class="dropped" title="Dropped: {escape(reason)}">{piece}</span>'
        if in_span is not None:
            start, _end, item = in_span
            badge = f'<sup class="hl-num">{item.number}</sup>' if a == start else ""
            colour = (f' style="--rating-colour: {escape(item.rating_colour)}"'
                      if item.rating_colour and _is_colour(item.rating_colour) else "")
            css = "hl hl-rated" if colour else f"hl hl-{item.status.value}"
            piece = (f'<a class="{css}" href="{escape(item_url(item.id))}" id="span-{item.id}" data-item="{item.id}"'
                     f'{colour}>{badge}{piece}</a>')
        out.append(piece)
    return Markup("".join(out)), unshown


def _is_colour(value: str) -> bool:
    """Only #rgb/#rrggbb values reach a style attribute."""
    return len(value) in (4, 7) and value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:])
