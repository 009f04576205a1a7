"""Search: everyone at the desk (any role); anonymous visitors sign in."""

from tests.e2e.authz import Route, everyone

ROUTES = [
    Route("GET", "/search", "search.index", everyone()),
    Route("GET", "/search?q=harbour&kind=item&status=claim", "search.index", everyone()),
]
