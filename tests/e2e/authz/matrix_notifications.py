"""Notifications: every signed-in person has their own list and settings.

{notification_id} is the world's checker's (their verdict was published): marking it read is theirs
alone; anyone else is told there is no such notification of theirs (404). Empty POSTs carry only
the CSRF token: the settings form then lacks its choices (422).
"""

from tests.e2e.authz import Route, everyone

ROUTES = [
    Route("GET", "/notifications", "notifications.index", everyone()),
    Route("POST", "/notifications/{notification_id}/read", "notifications.read",
          {"anonymous": 302, "checker": 302, "reviewer": 404, "editor": 404, "admin": 404}),
    Route("POST", "/notifications/read-all", "notifications.read_all", everyone(302)),
    Route("GET", "/notifications/settings", "notifications.settings", everyone()),
    Route("POST", "/notifications/settings", "notifications.settings", everyone(422)),
]
