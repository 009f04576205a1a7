"""Template helpers: navigation, enums, dates and safe Markdown."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import nh3
from flask import Flask, before_render_template, g, request
from flask_wtf import FlaskForm
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from wtforms import Field

from factcheck.domain.claimreview_rules import shorten_claim
from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Action, CorrectionTier, Decision, Status
from factcheck.queries.verdicts import CardState
from factcheck.web.access import may

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_SCHEMES = {"http", "https", "mailto"}


#: Texts up to this long are kept rendered (``_rendered``): a rationale or note is shown again and again
#: unchanged (the item page, reports, verdict pages), and rendering and sanitising it is a quarter of
#: its report card's cost. 1,024 of them at most: 16 MB a worker at worst (every one 8,000 characters),
#: well under a megabyte for rationales of a few hundred.
_KEPT_UP_TO = 8_000


def markdown(text: str | None) -> Markup:
    """Render Markdown with raw HTML disabled, then sanitise (no scripts, no javascript: links)."""
    text = text or ""
    return Markup(_rendered(text) if len(text) <= _KEPT_UP_TO else _render(text))


def _render(text: str) -> str:
    html = _markdown.render(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, url_schemes=_ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow")


#: nh3's tags but images: the pages' Content-Security-Policy never loads another site's, and a report saved
#: as a file (``factcheck report --format html``) has none, so an image there would tell its site who reads it.
_ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img"}


#: The same text always renders the same: a pure function of it, kept for the texts shown most lately.
_rendered = functools.lru_cache(maxsize=1024)(_render)


def hedge_marks(claim_text: str, span_start: int | None, spans: list[dict[str, object]] | None) -> Markup:
    """The claim as written, each hedge the extractor found in it marked: ``<mark class="hedge">``.

    ``spans`` are offsets into the article (``check_items.hedge_spans``), the claim starting at
    ``span_start``; a span outside the claim, overlapping an earlier one or not made of numbers is
    left unmarked, so a stale or odd row never garbles the text.
    """
    text = claim_text or ""
    if span_start is None or not spans:
        return Markup.escape(text)
    found = []
    for span in spans:
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if isinstance(start, int) and isinstance(end, int) and isinstance(label, str) \
                and span_start <= start < end <= span_start + len(text):
            found.append((start - span_start, end - span_start, label))
    pieces, at = [], 0
    for start, end, label in sorted(found):
        if start < at:
            continue
        pieces.append(Markup.escape(text[at:start]))
        pieces.append(Markup('<mark class="hedge" title="Hedge: {}">{}</mark>').format(label, text[start:end]))
        at = end
    pieces.append(Markup.escape(text[at:]))
    return Markup("").join(pieces)


def timestamp(value: dt.datetime | None) -> str:
    """A UTC timestamp for people: 2026-02-14 10:02 UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def age(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago, in the largest sensible unit: 5 min, 3 h, 2 d."""
    if value is None:
        return ""
    seconds = ((now or dt.datetime.now(dt.UTC)) - value).total_seconds()
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def score_text(score: Any) -> Markup:
    """A Beta score as "0.12 [0.03–0.31]" with its α, β and prior in the title (``templates/sources``): written
    here rather than by a macro, as it runs twice for each row of the source list."""
    return Markup(f'<span class="score" title="Beta({score.alpha:.1f}, {score.beta:.1f}), prior '
                  f'{escape(score.prior.origin)}">{score.mean:.2f} [{score.low:.2f}–{score.high:.2f}]</span>')


def score_bar(score: Any, width: int = 160) -> Markup:
    """A Beta score as a bar: the interval is the shaded band (at least 0.5 wide), the mean the dark tick (its
    left edge at 0 or more); 0 is left (false), 1 right (true)."""
    band = (score.high - score.low) * 100
    tick = score.mean * 100 - 0.75
    return Markup(
        f'\n  <svg class="score-bar" role="img" width="{escape(width)}" height="14" viewBox="0 0 100 14" '
        f'preserveAspectRatio="none"\n       aria-label="score {score.mean:.2f}, 90% interval {score.low:.2f} to '
        f'{score.high:.2f}">\n    <rect x="0" y="3" width="100" height="8" fill="#eaeef2"></rect>\n    '
        f'<rect x="{score.low * 100:.2f}" y="3" width="{max(band, 0.5):.2f}" height="8" fill="#8c959f"></rect>\n'
        f'    <rect x="{max(tick, 0):.2f}" y="0" width="1.5" height="14" fill="#24292f"></rect>\n  </svg>')


def unread_notifications() -> int:
    """The signed-in person's unread notifications (the navigation's count); 0 when signed out."""
    from flask_login import current_user

    from factcheck.queries.desk import unread_count
    from factcheck.web import db_session

    if not current_user.is_authenticated:
        return 0
    loaded = current_user.unread_notifications  # loaded with the user (web._load_user)
    return int(loaded) if loaded is not None else unread_count(db_session(), current_user.id)


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


#: The two inks a rating chip may use: white or black (one of them always reaches 4.5:1).
INKS = ("#ffffff", "#000000")


#: What a colour that is not #rgb or #rrggbb is shown as (a neutral grey).
NO_COLOUR = "#767676"


def colour(value: str | None) -> str:
    """``value`` where it is a colour written #rgb or #rrggbb, else a neutral grey: only such values reach a
    style or fill attribute, wherever the rating's colour came from (the scale's migration and a backup's
    restore check them; this holds whatever stores one later)."""
    if value and len(value) in (4, 7) and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:]):
        return value
    return NO_COLOUR


@functools.lru_cache(maxsize=256)  # a page shows a handful of colours, each on many chips
def ink_on(colour: str | None) -> str:
    """White or black, whichever contrasts more with ``colour`` (#rrggbb): ratings keep their colours
    (a desk may set its own), and their labels stay readable (WCAG 1.4.3)."""
    if not colour or len(colour) != 7 or not colour.startswith("#"):
        return INKS[0]
    try:
        background = _luminance(colour)
    except ValueError:
        return INKS[0]
    contrasts = [(max(background, _luminance(ink)) + 0.05) / (min(background, _luminance(ink)) + 0.05) for ink in INKS]
    return INKS[contrasts.index(max(contrasts))]


def _has_field_errors(value: object) -> bool:
    forms = value.values() if isinstance(value, dict) else [value]
    return any(isinstance(form, FlaskForm) and any(
        f.errors for f in form if getattr(f.widget, "input_type", None) != "hidden") for form in forms)


def note_field_errors(sender: object, template: object, context: dict[str, object], **extra: object) -> None:
    """Before a page renders: whether any of its forms has a field with errors (that field takes the focus,
    not a message at the top of the page)."""
    if "_page_has_field_errors" not in g:
        g._page_has_field_errors = any(_has_field_errors(v) for v in context.values())


def page_has_field_errors() -> bool:
    """Whether a form on the page being rendered has a field with errors."""
    return bool(g.get("_page_has_field_errors"))


def focus_first_error() -> bool:
    """True the first time a page asks: its first field with errors (or error summary) gets autofocus."""
    if g.get("_error_focused"):
        return False
    g._error_focused = True
    return True


def field_attrs(f: Field, hint: object = None, autofocus: bool = False,
                extra: dict[str, object] | None = None) -> dict[str, object]:
    """The attributes a form field is rendered with: its hint and error ids in aria-describedby,
    aria-invalid when it has errors, autofocus on the page's first field with errors (a field asking
    for autofocus keeps it only on a page opened by GET, where no error can be)."""
    attrs: dict[str, object] = dict(extra or {})
    ids = ([f"{f.id}-hint"] if hint else []) + ([f"{f.id}-error"] if f.errors else [])
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if f.errors:
        attrs["aria-invalid"] = "true"
        if focus_first_error():
            attrs["autofocus"] = True
    elif autofocus and request.method in ("GET", "HEAD"):
        attrs["autofocus"] = True
    return attrs


def hidden_field_errors(form: FlaskForm) -> list[str]:
    """The errors of ``form``'s hidden fields (its version…), which have no place of their own on the page."""
    return [str(error) for f in form if getattr(f.widget, "input_type", None) == "hidden" and f.name != "csrf_token"
            for error in f.errors]


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters["markdown"] = markdown
    app.jinja_env.filters["hedge_marks"] = hedge_marks
    app.jinja_env.filters["timestamp"] = timestamp
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["ink_on"] = ink_on
    app.jinja_env.filters["colour"] = colour
    from factcheck.web import history, rows  # (they write with this module's filters)
    from factcheck.web.readercache import viewer_part

    app.jinja_env.globals.update(work_rows=rows.work_rows, queue_rows=rows.queue_rows, triage_rows=rows.triage_rows,
                                 source_rows=rows.source_rows, article_rows=rows.article_rows,
                                 source_item_rows=rows.source_item_rows,
                                 status_chip_html=rows.status_chip, rating_chip_html=rows.rating_chip,
                                 history_line_html=history.history_line,
                                 score_text=score_text, score_bar=score_bar, focus_first_error=focus_first_error, field_attrs=field_attrs,
                                 hidden_field_errors=hidden_field_errors, page_has_field_errors=page_has_field_errors)
    before_render_template.connect(note_field_errors, app)
    # Templates compare against these enums, never against their values written as strings.
    app.jinja_env.globals.update(unread_notifications=unread_notifications, may=may, Action=Action, Capability=Capability, Status=Status, CorrectionTier=CorrectionTier,
                                 Decision=Decision, CardState=CardState, claim_reviewed=shorten_claim,
                                 viewer_part=viewer_part)
