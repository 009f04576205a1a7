"""Articles: everyone signed in reads; checkers and editors add."""

from tests.e2e.authz import Route, everyone, only

WRITERS = ("checker", "editor")

ROUTES = [
    Route("GET", "/articles", "articles.index", everyone()),
    Route("GET", "/articles/new", "articles.new", only(WRITERS)),
    Route("POST", "/articles/new", "articles.new", only(WRITERS, allowed=422)),
    Route("GET", "/articles/{article_id}", "articles.detail", everyone()),
]
