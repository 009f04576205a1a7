"""Triage: everyone signed in sees it; the buttons follow the roles (see matrix_items)."""

from tests.e2e.authz import Route, everyone

ROUTES = [
    Route("GET", "/triage", "triage.index", everyone()),
]
