"""The start page sends signed-in users on to the article list; the icon a browser asks for is nothing, for anyone."""

from tests.e2e.authz import Route, everyone, public

ROUTES = [
    Route("GET", "/", "main.index", everyone(302)),
    Route("GET", "/favicon.ico", "main.favicon", public(204)),
]
