"""Each API list page reads with a fixed number of SQL statements, however many rows it shows."""

from __future__ import annotations

import pytest

from factcheck.domain.workflow import Status
from factcheck.services.ingest import ingest_article
from tests.e2e.api.conftest import bearer
from tests.factories import gen_item_in, gen_source, gen_user
from factcheck.domain.workflow import Role

LISTS = ["/api/v1/items?limit=200", "/api/v1/articles?limit=200", "/api/v1/sources?limit=200",
         "/api/v1/verdicts?limit=200"]


def _more_rows(session, n: int) -> None:
    checker, reviewer = gen_user(session, Role.CHECKER), gen_user(session, Role.REVIEWER)
    for k in range(n):
        gen_item_in(session, Status.PUBLISHED, checker=checker, reviewer=reviewer)
        gen_source(session, f"Outlet number {k}")
        ingest_article(session, f"Headline {k}\n\nThe minister said taxes rose by {k} percent last year.", actor=None)
    session.flush()


@pytest.mark.parametrize("url", LISTS)
def test_an_api_list_needs_the_same_statements_for_few_and_many_rows(client, world, tokens, session, database, url):
    from tests.helpers import recorded_statements

    headers = bearer(tokens[("checker", "read")])
    client.get("/api/v1/ratings", headers=headers)  # the token's first use writes its last use; later ones do not
    with recorded_statements(database.engine) as few:
        first = client.get(url, headers=headers)
    _more_rows(session, 4)
    with recorded_statements(database.engine) as many:
        second = client.get(url, headers=headers)
    assert first.status_code == second.status_code == 200
    key = url.split("/")[3].split("?")[0]
    assert len(second.get_json()[key]) >= len(first.get_json()[key]) + 4
    assert len(many) == len(few), "\n".join(many)
