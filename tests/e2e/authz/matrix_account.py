"""Accounts: the second sign-in step, the account page, password resets, second factors; the admin's
account controls, sign-in events and outbox."""

from tests.e2e.authz import Route, everyone, only, public

SIGNED_IN = ("checker", "reviewer", "editor", "admin")
ADMINS = ("admin",)

ROUTES = [
    # Without a password step waiting for its code, the second step sends visitors back to sign in;
    # signed-in users are sent on to the start page.
    Route("GET", "/auth/code", "auth.second_factor", public(302)),
    Route("POST", "/auth/code", "auth.second_factor", public(302)),
    # Anybody may ask for a reset link (the form posted empty is a bad request); a made-up link is gone.
    Route("GET", "/auth/reset", "auth.reset_request", public(200)),
    Route("POST", "/auth/reset", "auth.reset_request", public(400)),
    Route("GET", "/auth/reset/not-a-real-link", "auth.reset", public(410)),
    Route("POST", "/auth/reset/not-a-real-link", "auth.reset", public(410)),
    Route("GET", "/account", "account.index", everyone(200)),
    # Posts with a CSRF token and nothing else: the password form is incomplete; "sign out everywhere"
    # needs nothing more and signs out.
    Route("POST", "/account/password", "account.password", everyone(422)),
    Route("POST", "/account/sessions/end", "account.end_everywhere", everyone(302)),
    # API tokens: an empty form names no token (422); a revoke without a name is a bad request.
    Route("POST", "/account/tokens", "account.create_token", everyone(422)),
    Route("POST", "/account/tokens/revoke", "account.revoke_token", everyone(400)),
    Route("GET", "/account/reauth", "account.reauth", everyone(200)),
    Route("POST", "/account/reauth", "account.reauth", everyone(400)),
    Route("GET", "/account/two-factor", "account.twofactor", everyone(200)),
    # No secret posted: back to a fresh enrolment page.
    Route("POST", "/account/two-factor", "account.enrol", everyone(302)),
    # {user_id} is the world's checker: an admin disables, enables it, and removes its (absent) second factor.
    Route("POST", "/admin/users/{user_id}/disable", "admin.disable", only(ADMINS, allowed=302)),
    Route("POST", "/admin/users/{user_id}/enable", "admin.enable", only(ADMINS, allowed=302)),
    Route("POST", "/admin/users/{user_id}/reset-2fa", "admin.reset_twofactor", only(ADMINS, allowed=302)),
    Route("GET", "/admin/events", "admin.events", only(ADMINS)),
    Route("GET", "/admin/outbox", "admin.mails", only(ADMINS)),
]
