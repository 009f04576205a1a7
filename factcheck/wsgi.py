"""The WSGI entry point for gunicorn: ``gunicorn 'factcheck.wsgi:app'``."""

import os

from factcheck.app import create_app, settle_for_serving
from factcheck.config import is_weak_secret

if is_weak_secret(os.environ.get("SECRET_KEY")):
    raise SystemExit(
        "SECRET_KEY is not set (or is a well-known default). Set it to a long random value, for example:\n"
        "  export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
    )

app = create_app()
settle_for_serving()
