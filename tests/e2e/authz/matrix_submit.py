"""The public claim inbox: anybody, signed in or not, may open the form and send a claim.

A POST with nothing but a CSRF token is a form error (422) for everybody; the per-address limit
(429) is tested in tests/e2e/test_submit.py. The thank-you page sends a visitor without a
submission back to the form. What readers asked about an item is for the desk (signed in), never
with their addresses.
"""

from tests.e2e.authz import Route, everyone, public

ROUTES = [
    Route("GET", "/submit", "submit.new", public()),
    Route("POST", "/submit", "submit.new", public(422)),
    Route("GET", "/submit/done", "submit.done", public(302)),
    Route("GET", "/items/{claim_item_id}/readers", "submit.readers", everyone()),
]
