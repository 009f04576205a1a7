"""Template helpers: navigation, enums, dates and safe Markdown."""

from __future__ import annotations

import datetime as dt

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

from factcheck.domain.permissions import Capability
from factcheck.domain.workflow import Action, CorrectionTier, Decision, Status
from factcheck.queries.verdicts import CardState
from factcheck.web.access import may

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_SCHEMES = {"http", "https", "mailto"}


def markdown(text: str | None) -> Markup:
    """Render Markdown with raw HTML disabled, then sanitise (no scripts, no javascript: links)."""
    html = _markdown.render(text or "")
    clean = nh3.clean(html, url_schemes=_ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow")
    return Markup(clean)


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


def unread_notifications() -> int:
    """The signed-in person's unread notifications (the navigation's count); 0 when signed out."""
    from flask_login import current_user

    from factcheck.queries.desk import unread_count
    from factcheck.web import db_session

    if not current_user.is_authenticated:
        return 0
    loaded = current_user.unread_notifications  # loaded with the user (web._load_user)
    return int(loaded) if loaded is not None else unread_count(db_session(), current_user.id)


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters["markdown"] = markdown
    app.jinja_env.filters["timestamp"] = timestamp
    app.jinja_env.filters["age"] = age
    # Templates compare against these enums, never against their values written as strings.
    app.jinja_env.globals.update(unread_notifications=unread_notifications, may=may, Action=Action, Capability=Capability, Status=Status, CorrectionTier=CorrectionTier,
                                 Decision=Decision, CardState=CardState)
