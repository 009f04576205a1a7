"""The check-item page and its changes. {item_id} is in evidence, held by the world's checker.

Empty POSTs: a permitted role gets its form error (422), or the change when nothing is required
(an empty edit or chain is a valid save, a take needs nothing), or the workflow's refusal (409).
"""

from tests.e2e.authz import Route, everyone, only

EDITORS = ("checker", "editor")

ROUTES = [
    Route("GET", "/items/{item_id}", "items.detail", everyone()),
    Route("GET", "/my-work", "items.mine", everyone()),
    Route("GET", "/items/sources/search?q=harbour", "items.source_search", everyone()),
    Route("POST", "/items/{claim_item_id}/take", "items.take", only(("checker",), allowed=302)),
    Route("POST", "/items/{item_id}/dismiss", "items.dismiss", only(EDITORS, allowed=422)),
    # Nothing dismissed to restore: the editor passes the role check and meets the workflow's refusal.
    Route("POST", "/items/{item_id}/restore", "items.restore", only(("editor",), allowed=409)),
    Route("POST", "/items/{item_id}/propose", "items.propose", only(("checker",), allowed=422)),
    Route("POST", "/items/{published_item_id}/reopen", "items.reopen", only(("editor",), allowed=422)),
    Route("POST", "/items/{item_id}/edit", "items.edit", only(EDITORS, allowed=302)),
    Route("POST", "/items/{item_id}/chain", "items.chain", only(EDITORS, allowed=302)),
    Route("POST", "/items/{item_id}/relations", "items.relate", only(EDITORS, allowed=422)),
    Route("POST", "/items/{item_id}/evidence", "items.add_evidence", only(EDITORS, allowed=422)),
    Route("GET", "/items/evidence/{evidence_id}/edit", "items.edit_evidence", only(EDITORS)),
    Route("POST", "/items/evidence/{evidence_id}/edit", "items.edit_evidence", only(EDITORS, allowed=422)),
]
