"""Webhooks: admins only."""

from tests.e2e.authz import Route, only

ADMINS = ("admin",)

ROUTES = [
    Route("GET", "/admin/webhooks", "webhooks.index", only(ADMINS)),
    # No data: the form asks for a URL and events.
    Route("POST", "/admin/webhooks", "webhooks.create", only(ADMINS, allowed=422)),
    # No such hook in the world: an admin gets 404, others never learn whether it exists.
    Route("POST", "/admin/webhooks/999999/pause", "webhooks.pause", only(ADMINS, allowed=404)),
    Route("POST", "/admin/webhooks/999999/resume", "webhooks.resume", only(ADMINS, allowed=404)),
    Route("POST", "/admin/webhooks/999999/delete", "webhooks.delete", only(ADMINS, allowed=404)),
    Route("GET", "/admin/webhooks/deliveries", "webhooks.deliveries", only(ADMINS)),
    Route("POST", "/admin/webhooks/deliveries/999999/retry", "webhooks.retry", only(ADMINS, allowed=404)),
]
