"""The check-item page and its changes. {item_id} is in evidence, held by the world's checker.

Empty POSTs: a permitted role passes the role check and gets its form error (422): every form that
changes an item needs the version it was opened with, so an empty POST changes nothing.
"""

from tests.e2e.authz import Route, everyone, only

EDITORS = ("checker", "editor")

ROUTES = [
    Route("GET", "/items/{item_id}", "items.detail", everyone()),
    Route("GET", "/my-work", "items.mine", everyone()),
    Route("GET", "/items/sources/search?q=harbour", "items.source_search", everyone()),
    Route("POST", "/items/{claim_item_id}/take", "items.take", only(("checker",), allowed=422)),
    Route("POST", "/items/{item_id}/dismiss", "items.dismiss", only(EDITORS, allowed=422)),
    Route("POST", "/items/{item_id}/restore", "items.restore", only(("editor",), allowed=422)),
    Route("POST", "/items/{item_id}/propose", "items.propose", only(("checker",), allowed=422)),
    Route("POST", "/items/{published_item_id}/reopen", "items.reopen", only(("editor",), allowed=422)),
    Route("POST", "/items/{item_id}/edit", "items.edit", only(EDITORS, allowed=422)),
    Route("POST", "/items/{item_id}/chain", "items.chain", only(EDITORS, allowed=422)),
    Route("POST", "/items/{verdict_item_id}/decide", "items.decide", only(("editor",), allowed=422)),
    Route("POST", "/items/{item_id}/relations", "items.relate", only(EDITORS, allowed=422)),
    Route("POST", "/items/{item_id}/evidence", "items.add_evidence", only(EDITORS, allowed=422)),
    Route("POST", "/items/{item_id}/assign", "items.assign", only(("editor",), allowed=422)),
    Route("POST", "/items/{item_id}/notes", "items.add_note", everyone(422)),
    Route("GET", "/items/evidence/{evidence_id}/edit", "items.edit_evidence", only(EDITORS)),
    # A form's address opened as a page (a reload after a refused form) leads back to the item page.
    Route("GET", "/items/{item_id}/evidence", "items.form_address", everyone(302)),
    Route("POST", "/items/evidence/{evidence_id}/edit", "items.edit_evidence", only(EDITORS, allowed=422)),
]
