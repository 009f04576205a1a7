"""Settings, read from the environment; tests pass a mapping instead."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from factcheck.domain.workflow import Policy, ReviewMode

#: Secret keys that must never protect a real deployment.
KNOWN_BAD_SECRETS = frozenset({"", "dev", "change-me", "changeme", "secret", "development"})


def instance_path() -> Path:
    """The folder for the SQLite database and local files: FACTCHECK_INSTANCE_PATH or ./instance."""
    return Path(os.environ.get("FACTCHECK_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def default_database_url() -> str:
    """FACTCHECK_DATABASE_URL, or the SQLite file under the instance folder."""
    url = os.environ.get("FACTCHECK_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{instance_path() / 'factcheck.sqlite3'}"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def from_environment() -> dict[str, Any]:
    """All settings with their environment overrides."""
    return {
        "DATABASE_URL": default_database_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "MIN_EVIDENCE": _int("FACTCHECK_MIN_EVIDENCE", 2),
        "MIN_EVIDENCE_SOURCES": _int("FACTCHECK_MIN_EVIDENCE_SOURCES", 2),
        "REVIEW_MODE": os.environ.get("FACTCHECK_REVIEW_MODE", ReviewMode.SINGLE.value),
        "PANEL_SIZE": _int("FACTCHECK_PANEL_SIZE", 3),
        "REVIEW_LEASE_MINUTES": _int("FACTCHECK_REVIEW_LEASE_MINUTES", 15),
        "REVIEW_MAX_LEASES": _int("FACTCHECK_REVIEW_MAX_LEASES", 3),
        "ORGANISATION_NAME": os.environ.get("FACTCHECK_ORGANISATION_NAME", "factcheck desk"),
        "ORGANISATION_URL": os.environ.get("FACTCHECK_ORGANISATION_URL", ""),  # empty: the site a request reached
        "MAX_CONTENT_LENGTH": _int("FACTCHECK_MAX_UPLOAD_BYTES", 12 * 1024 * 1024),
        "PASSWORD_HASH_METHOD": os.environ.get("FACTCHECK_PASSWORD_HASH_METHOD", "scrypt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("FACTCHECK_SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("FACTCHECK_SECURE_COOKIES", "") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_THROTTLE_LIMIT": _int("FACTCHECK_LOGIN_THROTTLE_LIMIT", 20),
        "LOGIN_THROTTLE_SECONDS": _int("FACTCHECK_LOGIN_THROTTLE_SECONDS", 900),
        "INGEST_THROTTLE_LIMIT": _int("FACTCHECK_INGEST_THROTTLE_LIMIT", 60),
        "INGEST_THROTTLE_SECONDS": _int("FACTCHECK_INGEST_THROTTLE_SECONDS", 3600),
    }


def policy_from(config: Mapping[str, Any]) -> Policy:
    """The desk's workflow policy from settings."""
    return Policy(
        min_evidence=int(config.get("MIN_EVIDENCE", 2)),
        min_evidence_sources=int(config.get("MIN_EVIDENCE_SOURCES", 2)),
        review_mode=ReviewMode(config.get("REVIEW_MODE", ReviewMode.SINGLE.value)),
        panel_size=int(config.get("PANEL_SIZE", 3)),
    )


def is_weak_secret(secret: str | None) -> bool:
    """True when SECRET_KEY is unset, a known default or too short to protect sessions."""
    return secret is None or secret.strip().lower() in KNOWN_BAD_SECRETS or len(secret) < 16
