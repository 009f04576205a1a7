"""The notifications list pages through every notification: none of those the unread count counts is out of reach."""

from __future__ import annotations

import re

from factcheck.domain.notifications import NotificationKind
from factcheck.services.notifications import notify
from tests.e2e.conftest import signed_in


def test_every_notification_can_be_reached_a_hundred_a_page(client, world, session):
    checker, editor = world.users["checker"], world.users["editor"]
    rows = []
    for n in range(101):
        rows += notify(session, [checker.id], NotificationKind.MENTIONED, item_id=world.ids["item_id"], actor=editor,
                       message=f"mention number {n}")
    session.flush()
    signed_in(client, world, "checker")
    first = client.get("/notifications").get_data(as_text=True)
    shown = re.findall(r'id="notification-(\d+)"', first)
    assert len(shown) == 100 and f'id="notification-{rows[0].id}"' not in first
    older = re.search(r'href="(/notifications\?before=\d+)" rel="next">Older notifications', first)
    assert older, "no way to the older notifications"
    second = client.get(older.group(1)).get_data(as_text=True)
    rest = re.findall(r'id="notification-(\d+)"', second)
    assert f'id="notification-{rows[0].id}"' in second and not set(rest) & set(shown)
    assert "Older notifications" not in second and 'href="/notifications">Newest' in second
    assert client.get("/notifications?before=zero").status_code == 400
