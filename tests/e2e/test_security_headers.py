"""Every response carries the security headers; errors are pages, not tracebacks."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy.exc import OperationalError

from factcheck.web import SECURITY_HEADERS
from tests.helpers import csrf_token


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in csp
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Not found" in response.get_data(as_text=True)


def test_a_request_over_the_size_cap_gets_a_friendly_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/auth/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_a_locked_database_is_reported_as_a_503_page(app, client, monkeypatch):
    from factcheck.services import users

    def locked(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(users, "verify_password", locked)
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "whatever1",
                                                "csrf_token": csrf_token(page)})
    assert response.status_code == 503
    assert "busy or unreachable" in response.get_data(as_text=True)


def test_the_wsgi_entry_point_refuses_to_start_without_a_secret_key(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import factcheck.wsgi"], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "FACTCHECK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert out.returncode != 0 and "SECRET_KEY is not set" in out.stderr


def test_the_wsgi_entry_point_keeps_what_it_loaded_out_of_the_collectors_passes(tmp_path):
    # Run as gunicorn --preload does: the module imported once, before any request. A full pass of the
    # cyclic collector then walks only what later requests leave, not the loaded app and its modules.
    script = "import gc, factcheck.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "a-long-enough-secret-for-this-test-only-0123",
                              "FACTCHECK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                              "FACTCHECK_INSTANCE_PATH": str(tmp_path / "instance")})
    frozen, tracked = (int(n) for n in out.stdout.split())
    assert frozen > 50_000  # the app, its templates' code, Flask, SQLAlchemy, …
    assert tracked < frozen / 10  # … and next to nothing left for the collector to walk
