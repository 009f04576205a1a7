"""Background jobs: their pages are for whoever may add articles (an unknown job is 404 to them)."""

from tests.e2e.authz import Route, only

ADDERS = ("checker", "editor")

ROUTES = [
    Route("GET", "/jobs/not-a-job", "jobs.show", only(ADDERS, allowed=404)),
    Route("POST", "/jobs/not-a-job/retry", "jobs.retry", only(ADDERS, allowed=404)),
]
