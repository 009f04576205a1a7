"""Accounts and roles: admins only."""

from tests.e2e.authz import Route, only

ADMINS = ("admin",)

ROUTES = [
    Route("GET", "/admin/users", "admin.users", only(ADMINS)),
    Route("POST", "/admin/users", "admin.create", only(ADMINS, allowed=422)),
    Route("POST", "/admin/users/{user_id}/roles", "admin.roles", only(ADMINS, allowed=422)),
]
