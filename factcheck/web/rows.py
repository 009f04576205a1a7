"""The body rows of the desk's long lists, written in Python rather than by template loops.

A list page shows up to 50 rows (200 on "my work"); in a Jinja loop each row's attribute lookups,
filters, macro calls and escaping cost more than reading the rows did. These functions write the
same HTML the loops wrote (each list's template says which one it calls): every text escaped,
long ones cut as Jinja's ``truncate`` filter cuts them, times as the ``timestamp`` and ``age``
filters write them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from factcheck.domain.workflow import Status
from factcheck.web.templating import age, colour, ink_on, score_bar, score_text, timestamp

ItemUrl = Callable[[int], str]


def work_rows(rows: Iterable[Any], item_url: ItemUrl, chips: dict[Any, Markup], since_label: str,
              now: dt.datetime | None = None) -> Markup:
    """The rows of a "my work" table (``templates/items/mine.html``)."""
    now = now or dt.datetime.now(dt.UTC)
    label = escape(since_label)
    out = []
    for r in rows:
        href = item_url(r.id)
        article = (f'<br><small class="muted">{escape(_truncate(r.article_title, 80))}</small>'
                   if r.article_title else "")
        comment = ""
        if r.returned_comment:
            by = f" by {escape(r.returned_by)}" if r.returned_by else ""
            comment = (f'<blockquote class="comment"><span class="visually-hidden">Comment{by}: </span>'
                       f"{escape(_truncate(r.returned_comment, 300))}</blockquote>")
        returned = ' <span class="chip chip-returned">returned</span>' if r.returned_comment is not None else ""
        when = r.published_at if r.status == Status.PUBLISHED else r.status_changed_at
        out.append(
            f'<tr><td data-label="#"><a href="{href}">#{r.id}</a></td>'
            f'<td data-label="Claim"><a href="{href}">{escape(_truncate(r.claim_text, 160))}</a>{article}{comment}</td>'
            f'<td data-label="Claimant">{escape(r.claimant or "—")}</td>'
            f'<td data-label="Status">{chips.get(r.status) or status_chip(r.status)}{returned}</td>'
            f'<td data-label="Evidence">{r.evidence_count}</td>'
            f'<td data-label="{label}" class="age" title="{timestamp(when)}">{age(when, now)}</td></tr>')
    return Markup("".join(out))


def queue_rows(rows: Iterable[Any], review_url: ItemUrl, panel: bool, now: dt.datetime | None = None) -> Markup:
    """The rows of the reviewer queue (``templates/queue/index.html``): each verdict waiting, its proposed
    rating as a chip, its votes where a panel reviews."""
    now = now or dt.datetime.now(dt.UTC)
    out = []
    for r in rows:
        href = review_url(r.id)
        leased = " leased" if r.lease_holder else ""
        article = f" · {escape(_truncate(r.article_title, 50))}" if r.article_title else ""
        lease = f'<br><small class="lease">in review by {escape(r.lease_holder)}</small>' if r.lease_holder else ""
        votes = f'<td data-label="Votes">{r.votes}</td>' if panel else ""
        when = r.status_changed_at
        out.append(
            f'<tr class="{escape(r.age_class)}{leased}" data-href="{href}">'
            f'<td data-label="#">#{r.id}</td>'
            f'<td data-label="Claim"><a href="{href}">{escape(_truncate(r.claim_text, 150))}</a>'
            f'<br><small class="muted">{escape(_truncate(r.summary, 90))}{article}</small>{lease}</td>'
            f'<td data-label="Claimant">{escape(r.claimant or "—")}</td>'
            f'<td data-label="Proposed">{rating_chip(r.rating)}</td>'
            f'<td data-label="Author">{escape(r.author or "—")}</td>{votes}'
            f'<td data-label="Waiting"><span class="age {escape(r.age_class)}" title="{timestamp(when)}">'
            f"{age(when, now)}</span></td></tr>")
    return Markup("".join(out))


def triage_rows(rows: Iterable[Any], *, item_url: ItemUrl, take_url: ItemUrl | None, assign_url: ItemUrl,
                dismiss_url: ItemUrl | None, checkers: Sequence[tuple[int, str]], csrf_field: Markup, back_to: str,
                now: dt.datetime | None = None) -> Markup:
    """The rows of triage (``templates/triage/index.html``): each claim with the forms to take it, assign it
    to one of ``checkers`` or dismiss it. ``take_url`` / ``dismiss_url`` are None for somebody who may not."""
    now = now or dt.datetime.now(dt.UTC)
    back = escape(back_to)
    options = "".join(f'<option value="{escape(i)}">{escape(name)}</option>' for i, name in checkers)
    out = []
    for r in rows:
        n = r.id
        href = item_url(n)
        hidden = f'{csrf_field}<input type="hidden" name="version" value="{r.version}">'
        hedges = f'<br><small class="flag">{escape(" · ".join(r.hedges))}</small>' if r.hedges else ""
        readers = (f'<br><small class="readers">asked by {r.reader_requests} reader'
                   f'{"s" if r.reader_requests != 1 else ""}</small>') if r.reader_requests else ""
        article = f'<br><small class="muted">{escape(_truncate(r.article_title, 70))}</small>' if r.article_title else ""
        take = (f'<form method="post" action="{take_url(n)}">{hidden}<input type="hidden" name="next" value="{href}">'
                '<button type="submit" class="primary">Take</button></form>') if take_url is not None else ""
        assign = (f'<details class="assign"><summary>Assign</summary>'
                  f'<form method="post" action="{assign_url(n)}" class="inline-form">'
                  f'{hidden}<input type="hidden" name="next" value="{back}">'
                  f'<label class="visually-hidden" for="assignee-{n}">Assign #{n} to</label>'
                  f'<select name="assignee" id="assignee-{n}" required><option value="">Choose a checker…</option>'
                  f'{options}</select><button type="submit">Assign</button></form></details>') if checkers else ""
        dismiss = (f'<details class="dismiss"><summary>Dismiss</summary>'
                   f'<form method="post" action="{dismiss_url(n)}" class="inline-form">'
                   f'{hidden}<input type="hidden" name="next" value="{back}">'
                   f'<label class="visually-hidden" for="reason-{n}">Reason</label>'
                   f'<input type="text" name="reason" id="reason-{n}" placeholder="opinion, duplicate of #N…" required>'
                   f'<button type="submit" class="danger" data-confirm="Dismiss item #{n}? It leaves triage; only an '
                   'editor can restore it.">Dismiss</button></form></details>') if dismiss_url is not None else ""
        when = r.status_changed_at
        out.append(
            f'<tr data-href="{href}"><td data-label="#"><a href="{href}">#{n}</a></td>'
            f'<td data-label="Claim"><a href="{href}">{escape(_truncate(r.claim_text, 180))}</a>{hedges}{readers}{article}</td>'
            f'<td data-label="Claimant">{escape(r.claimant or "—")}</td>'
            f'<td data-label="Priority" class="num">{r.priority:.2f}</td>'
            f'<td data-label="Waiting" title="{timestamp(when)}">{age(when, now)}</td>'
            f'<td data-label="Action" class="triage-actions">{take}{assign}{dismiss}</td></tr>')
    return Markup("".join(out))


def source_rows(rows: Iterable[Any], source_url: Callable[[int], str]) -> Markup:
    """The rows of the source list (``templates/sources/index.html``): each source with its kind, its
    published record, and its score as text and as a bar."""
    out = []
    for row in rows:
        source, score = row.source, row.score
        domain = f"<small>{escape(source.domain)}</small>" if source.domain else ""
        counts = row.counts
        claimant, relay = sum(counts.get("claimant", {}).values()), sum(counts.get("relay", {}).values())
        published = sum(sum(c.values()) for c in counts.values())
        out.append(
            f'<tr><td><a href="{source_url(source.id)}">{escape(source.name)}</a>{domain}</td>'
            f'<td class="word">{escape(source.kind.value)}</td><td>{published} ({claimant} / {relay})</td>'
            f'<td>{score_text(score)}</td><td>{score_bar(score)}</td><td class="word">{escape(score.prior.origin)}</td></tr>')
    return Markup("".join(out))


def article_rows(rows: Iterable[Any], article_url: Callable[[int], str], statuses: Sequence[Any]) -> Markup:
    """The rows of the article list (``templates/articles/index.html``): each article with its items counted
    by status (a cell a status, empty for none) and in all."""
    values = [escape(s.value) for s in statuses]
    out = []
    for r in rows:
        counts = r.counts
        cells = "".join(f'<td class="num count-{v}">{counts.get(v, 0) or ""}</td>' for v in values)
        out.append(
            f'<tr><td>{r.id}</td><td><a href="{article_url(r.id)}">{escape(_truncate(r.title, 120))}</a>'
            f'<br><small class="muted">added {timestamp(r.created_at)}</small></td>'
            f'<td>{escape(r.outlet or "—")}</td><td>{escape(r.published_on or "—")}</td>'
            f'{cells}<td class="num"><strong>{r.total}</strong></td></tr>')
    return Markup("".join(out))


def source_item_rows(rows: Iterable[Any], item_url: Callable[[int], str], chips: dict[Any, Markup]) -> Markup:
    """The items of a source's page (``templates/sources/detail.html``): each with the source's role in it
    and its rating (who rated it) or its status, as ``chips`` (rendered once by the view) show them."""
    out = []
    for row in rows:
        if row.rating:
            rated = f" <small>rated by {escape(row.rated_by)}</small>" if row.rated_by else ""
            chip = f"{chips[row.rating]}{rated}"
        else:
            chip = chips[row.status]
        out.append(f'<li><a href="{item_url(row.item_id)}">#{row.item_id}</a> '
                   f"“{escape(_truncate(row.claim_text, 160))}” <small>({escape(row.role)})</small> {chip}</li>")
    return Markup("".join(out))


def rating_chip(rating: Any) -> Markup:
    """A rating's chip, in its colour with ink that reads on it (nothing for none): the one place it is
    written (``rating_chip`` in ``_macros.html`` calls this)."""
    if not rating:
        return Markup("")
    shown = colour(rating.colour)
    return Markup(f'<span class="rating" style="--rating-colour: {shown}; '
                  f'--rating-ink: {ink_on(shown)}">{escape(rating.label)}</span>')


def status_chip(status: Any) -> Markup:
    """A status chip: the one place it is written (``status_chip`` in ``_macros.html`` calls this)."""
    value = escape(getattr(status, "value", status))
    return Markup(f'<span class="chip chip-{value}">{value}</span>')


def _truncate(text: str, length: int) -> str:
    """Jinja's ``truncate`` filter with its defaults (cut at a word, "...", 5 characters of leeway)."""
    return do_truncate(_TRUNCATE_ENV, text, length)


#: Only its policies are read by ``do_truncate`` (the leeway).
_TRUNCATE_ENV = Environment()
