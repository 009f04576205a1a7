"""The OpenAPI document: valid OpenAPI 3.1, and the live app keeps to it (schemathesis).

Schemathesis generates requests for every operation from the document and sends them to the app
in-process (WSGI): no answer may be a 5xx, and every answer's status and body must be the ones the
document gives. Bounded and deterministic: a few examples per operation, derandomised, no
database of examples, no network. Runs on SQLite and, with FACTCHECK_TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.e2e.api.conftest import bearer

#: Examples per operation: enough to reach each documented status, small enough to stay fast.
EXAMPLES = 6
#: Path parameters → the world's row to name.
PATH_IDS = {"item_id": "item_id", "article_id": "article_id", "source_id": "source_id"}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def test_the_document_is_valid_openapi_3_1(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert {"/api/v1/items", "/api/v1/items/{item_id}", "/api/v1/articles", "/api/v1/sources",
            "/api/v1/verdicts", "/api/v1/items/{item_id}/take", "/api/v1/items/{item_id}/vote"} <= set(doc["paths"])
    # generated from the request models: the take body is TakeIn's schema
    take = doc["paths"]["/api/v1/items/{item_id}/take"]["post"]
    assert take["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TakeIn")


def _run(strategy, headers: dict[str, str], seen: set[int]) -> None:
    """Send ``EXAMPLES`` cases of one operation and check each answer against the document."""

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call(headers=headers)
        seen.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.slow
def test_every_operation_answers_as_the_document_says(job_app, client, world, tokens):
    app = job_app
    app.config.update(API_RATE_LIMIT=100_000, INGEST_THROTTLE_LIMIT=100_000)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(tokens[("checker", "write")])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    statuses: dict[str, set[int]] = collections.defaultdict(set)
    failures = []
    for operation in operations:
        # Half the cases name the world's rows, so the answers past "not found" are checked too.
        names = {parameter.name for parameter in operation.path_parameters}
        real = {name: world.ids[key] for name, key in PATH_IDS.items() if name in names}
        strategy = operation.as_strategy()
        if real:
            strategy = strategy | operation.as_strategy(path_parameters=real)

        try:
            _run(strategy, headers, statuses[operation.label])
        except Exception as exc:  # collect every operation's failure, not just the first
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    # The run reached real rows, not only "not found": every list and every detail of a world row answered 200.
    for label in ("GET /api/v1/items", "GET /api/v1/items/{item_id}", "GET /api/v1/articles/{article_id}",
                  "GET /api/v1/sources/{source_id}", "GET /api/v1/verdicts", "GET /api/v1/ratings"):
        assert 200 in statuses[label], (label, statuses[label])
