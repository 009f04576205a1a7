"""The reviewer queue: reviewers only."""

from tests.e2e.authz import Route, only

REVIEWERS = ("reviewer",)

ROUTES = [
    Route("GET", "/queue", "queue.index", only(REVIEWERS)),
    Route("POST", "/queue/next", "queue.review_next", only(REVIEWERS, allowed=302)),
    Route("GET", "/queue/review/{verdict_item_id}", "queue.review", only(REVIEWERS)),
    Route("POST", "/queue/{verdict_item_id}/vote", "queue.vote", only(REVIEWERS, allowed=422)),
    Route("GET", "/queue/{verdict_item_id}/vote", "queue.vote", only(REVIEWERS, allowed=302)),
    Route("POST", "/queue/{verdict_item_id}/release", "queue.release", only(REVIEWERS, allowed=302)),
]
