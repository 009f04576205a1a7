"""The WSGI entry point for gunicorn: ``gunicorn 'factcheck.wsgi:app'``."""

from factcheck.app import create_app

app = create_app()
