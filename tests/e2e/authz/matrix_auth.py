"""Signing in and out."""

from tests.e2e.authz import Route, everyone

ROUTES = [
    Route("GET", "/auth/login", "auth.login", {"anonymous": 200, **{r: 302 for r in ("checker", "reviewer", "editor", "admin")}}),
    # An empty sign-in form is a bad request; signed-in users are sent on to the start page.
    Route("POST", "/auth/login", "auth.login", {"anonymous": 400, **{r: 302 for r in ("checker", "reviewer", "editor", "admin")}}),
    Route("POST", "/auth/logout", "auth.logout", everyone(302)),
]
