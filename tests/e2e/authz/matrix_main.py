"""The start page sends signed-in users on to the article list."""

from tests.e2e.authz import Route, everyone

ROUTES = [
    Route("GET", "/", "main.index", everyone(302)),
]
