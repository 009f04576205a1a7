"""The JSON API. A session cookie is never read under /api: signed in or not, a request without a
token is anonymous there (401 on everything but the published verdicts and the document).

``TOKEN_ROUTES`` is the API's own matrix, run by tests/e2e/api/test_api_authorisation.py: each route
× anonymous and each role with a read and a read-write token. POSTs carry an empty JSON object, so
a permitted token gets its validation error (422) or, for a take, the item (200).
"""

from tests.e2e.authz import ROLES, Route, public

COOKIE_ONLY = {role: 401 for role in ROLES}

ROUTES = [
    Route("GET", "/api/v1/items", "api.items", COOKIE_ONLY),
    Route("GET", "/api/v1/items/{item_id}", "api.item", COOKIE_ONLY),
    Route("POST", "/api/v1/items/{claim_item_id}/take", "api.take", COOKIE_ONLY),
    Route("POST", "/api/v1/items/{item_id}/evidence", "api.add_evidence", COOKIE_ONLY),
    Route("POST", "/api/v1/items/{item_id}/propose", "api.propose", COOKIE_ONLY),
    Route("POST", "/api/v1/items/{verdict_item_id}/vote", "api.vote", COOKIE_ONLY),
    Route("GET", "/api/v1/ratings", "api.ratings", COOKIE_ONLY),
    Route("GET", "/api/v1/articles", "api.articles", COOKIE_ONLY),
    Route("POST", "/api/v1/articles", "api.add_article", COOKIE_ONLY),
    Route("GET", "/api/v1/articles/{article_id}", "api.article", COOKIE_ONLY),
    Route("GET", "/api/v1/jobs/no-such-job", "api.job", COOKIE_ONLY),
    Route("GET", "/api/v1/sources", "api.sources", COOKIE_ONLY),
    Route("GET", "/api/v1/sources/{source_id}", "api.source", COOKIE_ONLY),
    Route("GET", "/api/v1/verdicts", "api.verdicts", public()),
    Route("GET", "/api/v1/verdicts/{published_item_id}", "api.verdict", public()),
    Route("POST", "/api/v1/submissions", "api.add_submission", COOKIE_ONLY),
    Route("GET", "/api/v1/search?q=claim", "api.search_all", COOKIE_ONLY),
    Route("GET", "/api/v1/openapi.json", "api.openapi", public()),
    Route("GET", "/api/v1/docs", "api.docs", public()),
]

#: Who holds a token in the API's matrix: nobody, or a role with a read or a read-write token.
HOLDERS = ("anonymous",) + tuple(f"{role} {scope}" for role in ROLES[1:] for scope in ("read", "write"))
ANY_TOKEN = {holder: 200 for holder in HOLDERS} | {"anonymous": 401}


def writers(roles: tuple[str, ...], allowed: int = 422) -> dict[str, int]:
    """``roles`` with a read-write token get ``allowed``; read tokens and other roles 403; nobody 401."""
    return {"anonymous": 401} | {f"{role} {scope}": (allowed if scope == "write" and role in roles else 403)
                                 for role in ROLES[1:] for scope in ("read", "write")}


TOKEN_ROUTES = [
    Route("GET", "/api/v1/items", "api.items", ANY_TOKEN),
    Route("GET", "/api/v1/items/{item_id}", "api.item", ANY_TOKEN),
    Route("POST", "/api/v1/items/{claim_item_id}/take", "api.take", writers(("checker",), allowed=200)),
    Route("POST", "/api/v1/items/{item_id}/evidence", "api.add_evidence", writers(("checker", "editor"))),
    Route("POST", "/api/v1/items/{item_id}/propose", "api.propose", writers(("checker",))),
    Route("POST", "/api/v1/items/{verdict_item_id}/vote", "api.vote", writers(("reviewer",))),
    Route("GET", "/api/v1/ratings", "api.ratings", ANY_TOKEN),
    Route("GET", "/api/v1/articles", "api.articles", ANY_TOKEN),
    Route("POST", "/api/v1/articles", "api.add_article", writers(("checker", "editor"))),
    Route("GET", "/api/v1/articles/{article_id}", "api.article", ANY_TOKEN),
    Route("GET", "/api/v1/jobs/no-such-job", "api.job",
          {"anonymous": 401} | {f"{role} {scope}": (404 if role in ("checker", "editor") else 403)
                                for role in ROLES[1:] for scope in ("read", "write")}),
    Route("GET", "/api/v1/sources", "api.sources", ANY_TOKEN),
    Route("GET", "/api/v1/sources/{source_id}", "api.source", ANY_TOKEN),
    Route("GET", "/api/v1/verdicts", "api.verdicts", {holder: 200 for holder in HOLDERS}),
    Route("GET", "/api/v1/verdicts/{published_item_id}", "api.verdict", {holder: 200 for holder in HOLDERS}),
    Route("GET", "/api/v1/verdicts/{verdict_item_id}", "api.verdict", {holder: 404 for holder in HOLDERS}),
    Route("POST", "/api/v1/submissions", "api.add_submission", writers(ROLES[1:])),
    Route("GET", "/api/v1/search?q=claim", "api.search_all", ANY_TOKEN),
    Route("GET", "/api/v1/openapi.json", "api.openapi", {holder: 200 for holder in HOLDERS}),
    Route("GET", "/api/v1/docs", "api.docs", {holder: 200 for holder in HOLDERS}),
]
