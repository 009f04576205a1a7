"""Settings, read from the environment; tests pass a mapping instead."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from factcheck.domain.workflow import Policy, ReviewMode

#: Secret keys that must never protect a real deployment.
KNOWN_BAD_SECRETS = frozenset({"", "dev", "change-me", "changeme", "secret", "development"})

_POLICY = Policy()

#: Every setting's default, in one table: ``from_environment()`` reads the environment over it, and
#: ``setting()`` and ``policy_from()`` fall back on it when a mapping leaves a setting out. The
#: workflow policy's defaults are the domain's own (``factcheck.domain.workflow.Policy``).
DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "SECRET_KEY": "",
    "MIN_EVIDENCE": _POLICY.min_evidence,
    "MIN_EVIDENCE_SOURCES": _POLICY.min_evidence_sources,
    "REVIEW_MODE": _POLICY.review_mode.value,
    "PANEL_SIZE": _POLICY.panel_size,
    "REVIEW_LEASE_MINUTES": 15,
    "REVIEW_MAX_LEASES": 3,
    "ORGANISATION_NAME": "factcheck desk",
    "ORGANISATION_URL": "",  # empty: the site a request reached
    # The desk's own address, for absolute links in mails (empty: the site a request reached; the
    # digest command, outside any request, needs it).
    "BASE_URL": "",
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "PASSWORD_HASH_METHOD": "argon2id",
    "SESSION_IDLE_MINUTES": 8 * 60,
    "SESSION_LIFETIME_HOURS": 7 * 24,
    "REAUTH_MINUTES": 10,
    "REQUIRE_2FA": "editor,admin",
    "SMTP_URL": "",
    "MAIL_FROM": "factcheck@localhost",
    "MAIL_MAX_ATTEMPTS": 5,
    "MAIL_SEND_IN_PROCESS": True,
    "LOGIN_THROTTLE_LIMIT": 20,
    "LOGIN_THROTTLE_SECONDS": 900,
    "INGEST_THROTTLE_LIMIT": 60,
    "INGEST_THROTTLE_SECONDS": 3600,
    # Articles longer than this (in characters), and every upload of several files, are added by a
    # background job with a progress page instead of inside the request.
    "INLINE_INGEST_CHARS": 50_000,
    "REDIS_URL": "",  # empty: the job queue is an SQLite file (JOBS_PATH, else beside the database)
    "JOBS_PATH": "",
    "JOBS_NAME": "factcheck",
    # The public claim inbox (/submit): submissions per client address and window, the shortest
    # time a person takes to fill the form, and how long readers' addresses are kept.
    "SUBMIT_THROTTLE_LIMIT": 10,
    "SUBMIT_THROTTLE_SECONDS": 3600,
    "SUBMIT_MIN_SECONDS": 3,
    "READER_ADDRESS_DAYS": 90,
    "READER_UNANSWERED_DAYS": 365,
    # Requests one API token may make per window (429 with Retry-After beyond it).
    "API_RATE_LIMIT": 600,
    # Megabytes of readers' pages each web worker keeps until something is committed (web.readercache); 0: none.
    "READER_CACHE_MB": 16,
    # Proxies in front of the app that set X-Forwarded-For and X-Forwarded-Proto (0: none; their headers are
    # ignored, as anybody can send them): the per-address limits then count the client, not the proxy.
    "PROXY_HOPS": 0,
    "API_RATE_WINDOW_SECONDS": 60,
    # Webhooks: loopback and private-network receivers are refused unless allowed (on-premises desks);
    # link-local addresses (cloud metadata) always are.
    "WEBHOOK_ALLOW_PRIVATE": False,
    "WEBHOOK_TIMEOUT_SECONDS": 10,
    "WEBHOOK_MAX_ATTEMPTS": 8,
})


def instance_path() -> Path:
    """The folder for the SQLite database and local files: FACTCHECK_INSTANCE_PATH or ./instance."""
    return Path(os.environ.get("FACTCHECK_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def default_database_url() -> str:
    """FACTCHECK_DATABASE_URL, or the SQLite file under the instance folder."""
    url = os.environ.get("FACTCHECK_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{instance_path() / 'factcheck.sqlite3'}"


def trusted_hosts(value: str) -> list[str] | None:
    """FACTCHECK_TRUSTED_HOSTS: the host names the site answers to, separated by commas (Flask's TRUSTED_HOSTS: a
    request naming another host in its Host header gets 400); empty: any host."""
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    return hosts or None


class SettingError(ValueError):
    """A setting in the environment that cannot be used; the message names it and says why."""


def _int(name: str, default: int) -> int:
    """The whole number (0 or more) the environment sets ``name`` to, or ``default``; SettingError otherwise."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingError(f"{name} must be a whole number; it is “{value}”.") from None
    if number < 0:
        raise SettingError(f"{name} must be 0 or more; it is {number}.")
    return number


def from_environment() -> dict[str, Any]:
    """All settings: the environment's values over ``DEFAULTS``."""
    secure_cookies = os.environ.get("FACTCHECK_SECURE_COOKIES", "") == "1"  # off unless served over HTTPS
    return {
        "DATABASE_URL": default_database_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEFAULTS["SECRET_KEY"]),
        "MIN_EVIDENCE": _int("FACTCHECK_MIN_EVIDENCE", DEFAULTS["MIN_EVIDENCE"]),
        "MIN_EVIDENCE_SOURCES": _int("FACTCHECK_MIN_EVIDENCE_SOURCES", DEFAULTS["MIN_EVIDENCE_SOURCES"]),
        "REVIEW_MODE": os.environ.get("FACTCHECK_REVIEW_MODE", DEFAULTS["REVIEW_MODE"]),
        "PANEL_SIZE": _int("FACTCHECK_PANEL_SIZE", DEFAULTS["PANEL_SIZE"]),
        "REVIEW_LEASE_MINUTES": _int("FACTCHECK_REVIEW_LEASE_MINUTES", DEFAULTS["REVIEW_LEASE_MINUTES"]),
        "REVIEW_MAX_LEASES": _int("FACTCHECK_REVIEW_MAX_LEASES", DEFAULTS["REVIEW_MAX_LEASES"]),
        "ORGANISATION_NAME": os.environ.get("FACTCHECK_ORGANISATION_NAME", DEFAULTS["ORGANISATION_NAME"]),
        "ORGANISATION_URL": os.environ.get("FACTCHECK_ORGANISATION_URL", DEFAULTS["ORGANISATION_URL"]),
        "BASE_URL": os.environ.get("FACTCHECK_BASE_URL", DEFAULTS["BASE_URL"]),
        "TRUSTED_HOSTS": trusted_hosts(os.environ.get("FACTCHECK_TRUSTED_HOSTS", "")),
        "MAX_CONTENT_LENGTH": _int("FACTCHECK_MAX_UPLOAD_BYTES", DEFAULTS["MAX_CONTENT_LENGTH"]),
        "PASSWORD_HASH_METHOD": os.environ.get("FACTCHECK_PASSWORD_HASH_METHOD", DEFAULTS["PASSWORD_HASH_METHOD"]),
        "SESSION_IDLE_MINUTES": _int("FACTCHECK_SESSION_IDLE_MINUTES", DEFAULTS["SESSION_IDLE_MINUTES"]),
        "SESSION_LIFETIME_HOURS": _int("FACTCHECK_SESSION_LIFETIME_HOURS", DEFAULTS["SESSION_LIFETIME_HOURS"]),
        "REAUTH_MINUTES": _int("FACTCHECK_REAUTH_MINUTES", DEFAULTS["REAUTH_MINUTES"]),
        "REQUIRE_2FA": os.environ.get("FACTCHECK_REQUIRE_2FA", DEFAULTS["REQUIRE_2FA"]),
        "SMTP_URL": os.environ.get("FACTCHECK_SMTP_URL", DEFAULTS["SMTP_URL"]),
        "MAIL_FROM": os.environ.get("FACTCHECK_MAIL_FROM", DEFAULTS["MAIL_FROM"]),
        "MAIL_MAX_ATTEMPTS": _int("FACTCHECK_MAIL_MAX_ATTEMPTS", DEFAULTS["MAIL_MAX_ATTEMPTS"]),
        "MAIL_SEND_IN_PROCESS": os.environ.get("FACTCHECK_MAIL_SEND_IN_PROCESS", "1") != "0",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_THROTTLE_LIMIT": _int("FACTCHECK_LOGIN_THROTTLE_LIMIT", DEFAULTS["LOGIN_THROTTLE_LIMIT"]),
        "LOGIN_THROTTLE_SECONDS": _int("FACTCHECK_LOGIN_THROTTLE_SECONDS", DEFAULTS["LOGIN_THROTTLE_SECONDS"]),
        "INGEST_THROTTLE_LIMIT": _int("FACTCHECK_INGEST_THROTTLE_LIMIT", DEFAULTS["INGEST_THROTTLE_LIMIT"]),
        "INGEST_THROTTLE_SECONDS": _int("FACTCHECK_INGEST_THROTTLE_SECONDS", DEFAULTS["INGEST_THROTTLE_SECONDS"]),
        "INLINE_INGEST_CHARS": _int("FACTCHECK_INLINE_INGEST_CHARS", DEFAULTS["INLINE_INGEST_CHARS"]),
        "REDIS_URL": os.environ.get("FACTCHECK_REDIS_URL", DEFAULTS["REDIS_URL"]),
        "JOBS_PATH": os.environ.get("FACTCHECK_JOBS_PATH", DEFAULTS["JOBS_PATH"]),
        "JOBS_NAME": DEFAULTS["JOBS_NAME"],
        "SUBMIT_THROTTLE_LIMIT": _int("FACTCHECK_SUBMIT_THROTTLE_LIMIT", DEFAULTS["SUBMIT_THROTTLE_LIMIT"]),
        "SUBMIT_THROTTLE_SECONDS": _int("FACTCHECK_SUBMIT_THROTTLE_SECONDS", DEFAULTS["SUBMIT_THROTTLE_SECONDS"]),
        "SUBMIT_MIN_SECONDS": _int("FACTCHECK_SUBMIT_MIN_SECONDS", DEFAULTS["SUBMIT_MIN_SECONDS"]),
        "READER_ADDRESS_DAYS": _int("FACTCHECK_READER_ADDRESS_DAYS", DEFAULTS["READER_ADDRESS_DAYS"]),
        "READER_UNANSWERED_DAYS": _int("FACTCHECK_READER_UNANSWERED_DAYS", DEFAULTS["READER_UNANSWERED_DAYS"]),
        "API_RATE_LIMIT": _int("FACTCHECK_API_RATE_LIMIT", DEFAULTS["API_RATE_LIMIT"]),
        "READER_CACHE_MB": _int("FACTCHECK_READER_CACHE_MB", DEFAULTS["READER_CACHE_MB"]),
        "PROXY_HOPS": _int("FACTCHECK_PROXY_HOPS", DEFAULTS["PROXY_HOPS"]),
        "API_RATE_WINDOW_SECONDS": _int("FACTCHECK_API_RATE_WINDOW_SECONDS", DEFAULTS["API_RATE_WINDOW_SECONDS"]),
        "WEBHOOK_ALLOW_PRIVATE": os.environ.get("FACTCHECK_WEBHOOK_ALLOW_PRIVATE", "") == "1",
        "WEBHOOK_TIMEOUT_SECONDS": _int("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS", DEFAULTS["WEBHOOK_TIMEOUT_SECONDS"]),
        "WEBHOOK_MAX_ATTEMPTS": _int("FACTCHECK_WEBHOOK_MAX_ATTEMPTS", DEFAULTS["WEBHOOK_MAX_ATTEMPTS"]),
    }


def setting(config: Mapping[str, Any], name: str) -> Any:
    """The setting ``name`` from ``config``, or its default from ``DEFAULTS`` when the mapping leaves it out."""
    return config.get(name, DEFAULTS[name])


def policy_from(config: Mapping[str, Any]) -> Policy:
    """The desk's workflow policy from settings (``DEFAULTS`` for any left out)."""
    return Policy(
        min_evidence=int(setting(config, "MIN_EVIDENCE")),
        min_evidence_sources=int(setting(config, "MIN_EVIDENCE_SOURCES")),
        review_mode=ReviewMode(setting(config, "REVIEW_MODE")),
        panel_size=int(setting(config, "PANEL_SIZE")),
    )


def is_weak_secret(secret: str | None) -> bool:
    """True when SECRET_KEY is unset, a known default or too short to protect sessions."""
    return secret is None or secret.strip().lower() in KNOWN_BAD_SECRETS or len(secret) < 16
