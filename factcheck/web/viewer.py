"""What of a page's frame is the viewer's own: the navigation's notifications link with their unread count, and
their name, roles and sign-out form. ``base.html`` writes them through ``readercache.viewer_part``; a desk page
kept for others (``readercache.for_desk``) has them written in for each request. Written in Python: a kept
page's request does little else, and a template rendered alone runs every context processor."""

from __future__ import annotations

from collections.abc import Callable

from flask import request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from factcheck.web.templating import unread_notifications


def notifications() -> Markup:
    """The navigation's link to the viewer's notifications, with the unread count."""
    unread = unread_notifications()
    current = ' aria-current="page"' if request.blueprint == "notifications" else ""
    count = (f' <span class="count" data-unread>{unread}<span class="visually-hidden"> unread</span></span>'
             if unread else "")
    return Markup(f'<li><a href="{escape(url_for("notifications.index"))}"{current}>Notifications{count}</a></li>')


def user() -> Markup:
    """Who is signed in, with their roles, and the form to sign out."""
    roles = ", ".join(sorted(str(role) for role in current_user.roles))
    return Markup(
        f'<form class="nav-user" method="post" action="{escape(url_for("auth.logout"))}">'
        f'<span title="{escape(current_user.email)}">signed in: '
        f'<a href="{escape(url_for("account.index"))}">{escape(current_user.display_name)}</a> '
        f'<small>({escape(roles)})</small></span> '
        f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}"> '
        '<button type="submit" class="link-button">Sign out</button></form>')


#: The viewer's parts by name, in the order a kept page's are written in.
PARTS: dict[str, Callable[[], Markup]] = {"notifications": notifications, "user": user}
