"""The dashboard over HTTP: editors and admins only."""

from __future__ import annotations

import pytest

from factcheck.domain.workflow import Role, Status
from tests.factories import gen_item_in, gen_user
from tests.helpers import sign_in


@pytest.mark.parametrize(("role", "status"), [(Role.EDITOR, 200), (Role.ADMIN, 200),
                                               (Role.CHECKER, 403), (Role.REVIEWER, 403)])
def test_only_editors_and_admins_see_the_dashboard(session, client, role, status):
    sign_in(client, gen_user(session, role).email)
    assert client.get("/dashboard").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_dashboard_shows_counts_the_waiting_verdict_and_a_weekly_chart(session, client):
    waiting = gen_item_in(session, Status.VERDICT)
    gen_item_in(session, Status.PUBLISHED)
    sign_in(client, gen_user(session, Role.EDITOR).email)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "published this week" in html and "median, claim to published" in html
    assert f">{waiting.id}</a>" in html and "The sea level rose by 20 cm since 1900." in html
    chart = html.split('aria-labelledby="weeks-title"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<rect") == 12


def test_the_readers_chart_names_what_it_counts_and_its_months(client, world):
    from tests.e2e.conftest import signed_in

    signed_in(client, world, "editor")
    page = client.get("/dashboard").get_data(as_text=True)
    heading = page.split('id="days-heading">')[1].split("</h3>")[0]
    assert heading.startswith("Sent per day, ") and " to " in heading
    chart = page.split('aria-labelledby="days-title"')[1].split("</svg>")[0]
    first_month = heading.split(", ")[1].split(" ")[1]  # "18 Nov to 01 Dec" → "Nov"
    assert f">{first_month}</text>" in chart
