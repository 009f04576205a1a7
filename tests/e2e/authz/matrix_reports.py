"""Verdict reports, verdict pages, the ClaimReview feed and the editors' dashboard.

Published verdicts, and the reports of articles with one, are public. The world's article has no
published verdict yet, so readers get 404 for its report; everyone signed in sees it. A verdict under
review is a draft: readers get 404, everyone signed in sees it under a draft banner. The dashboard is
for editors and admins.
"""

from tests.e2e.authz import Route, everyone, only, public

ROUTES = [
    Route("GET", "/reports", "reports.index", public()),
    Route("GET", "/reports/articles/{article_id}", "reports.article", everyone(anonymous=404)),
    Route("GET", "/reports/articles/{article_id}.json", "reports.article_json", everyone(anonymous=404)),
    Route("GET", "/reports/articles/{article_id}.csv", "reports.article_csv", everyone(anonymous=404)),
    Route("GET", "/verdicts/{published_item_id}", "verdicts.show", public()),
    Route("GET", "/verdicts/{verdict_item_id}", "verdicts.show", everyone(anonymous=404)),
    Route("GET", "/claimreview.json", "verdicts.feed", public()),
    Route("GET", "/dashboard", "dashboard.index", only(("editor", "admin"))),
]
