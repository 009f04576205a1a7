"""Source pages: everyone signed in reads them; editors merge and set priors; checkers and editors
record that a claim repeats another."""

from tests.e2e.authz import Route, everyone, only

EDITORS = ("editor",)
CHECKERS_AND_EDITORS = ("checker", "editor")

ROUTES = [
    Route("GET", "/sources", "sources.index", everyone()),
    Route("GET", "/sources/{source_id}", "sources.detail", everyone()),
    # No data: the merge form says which source to merge into.
    Route("POST", "/sources/{source_id}/merge", "sources.merge", only(EDITORS, allowed=422)),
    # No data means "clear the editorial prior", which is allowed: back to the source page.
    Route("POST", "/sources/{source_id}/prior", "sources.prior", only(EDITORS, allowed=302)),
    Route("POST", "/items/{item_id}/repeats", "sources.record_repeat", only(CHECKERS_AND_EDITORS, allowed=422)),
]
