"""Delivering the outbox right after a request that wrote a mail, in a thread of this process.

A plain function call (``services.mail.deliver_due``) in a unit of work of its own: a job
queue can run the same call instead. Without ``SMTP_URL`` (or with ``MAIL_SEND_IN_PROCESS``
off) nothing starts, and ``factcheck mail send`` delivers.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from factcheck.config import setting
from factcheck.db import session_scope
from factcheck.services.mail import deliver_due


def _deliver(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_due(lambda: session_scope(app.extensions["factcheck.db"].sessionmaker),
                        str(setting(app.config, "SMTP_URL")), str(setting(app.config, "MAIL_FROM")),
                        max_attempts=int(setting(app.config, "MAIL_MAX_ATTEMPTS")))
        except Exception:  # a thread has nobody to tell: the mail stays pending for the next run
            app.logger.exception("event=error message=\"mail delivery failed\"")


def send_soon() -> threading.Thread | None:
    """Start delivering the outbox in the background (call after the commit that wrote the mail)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy is untyped here
    if not setting(app.config, "SMTP_URL") or not setting(app.config, "MAIL_SEND_IN_PROCESS"):
        return None
    thread = threading.Thread(target=_deliver, args=(app,), name="factcheck-mail", daemon=True)
    thread.start()
    return thread
