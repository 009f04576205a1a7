"""Each setting's default lives in one table, and every way of reading settings falls back on it."""

from __future__ import annotations

import pytest

from factcheck.config import DEFAULTS, from_environment, policy_from, setting
from factcheck.domain.workflow import Policy, ReviewMode

#: The defaults the README documents, setting by setting.
DOCUMENTED = {
    "MIN_EVIDENCE": 2,
    "MIN_EVIDENCE_SOURCES": 2,
    "REVIEW_MODE": "single",
    "PANEL_SIZE": 3,
    "REVIEW_LEASE_MINUTES": 15,
    "REVIEW_MAX_LEASES": 3,
    "ORGANISATION_NAME": "factcheck desk",
    "ORGANISATION_URL": "",
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "LOGIN_THROTTLE_LIMIT": 20,
    "LOGIN_THROTTLE_SECONDS": 900,
    "INGEST_THROTTLE_LIMIT": 60,
    "INGEST_THROTTLE_SECONDS": 3600,
    "INLINE_INGEST_CHARS": 50_000,
    "REDIS_URL": "",
    "JOBS_PATH": "",
    "WEBHOOK_ALLOW_PRIVATE": False,
    "WEBHOOK_TIMEOUT_SECONDS": 10,
    "WEBHOOK_MAX_ATTEMPTS": 8,
    "BASE_URL": "",
    "SUBMIT_THROTTLE_LIMIT": 10,
    "SUBMIT_THROTTLE_SECONDS": 3600,
    "SUBMIT_MIN_SECONDS": 3,
    "READER_ADDRESS_DAYS": 90,
    "READER_UNANSWERED_DAYS": 365,
    "PROXY_HOPS": 0,
}


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FACTCHECK_* variable set, as on a fresh server."""
    import os

    for name in list(os.environ):
        if name.startswith("FACTCHECK_") or name == "SECRET_KEY":
            monkeypatch.delenv(name)


def test_the_table_holds_the_documented_defaults() -> None:
    assert {name: DEFAULTS[name] for name in DOCUMENTED} == DOCUMENTED


def test_a_setting_left_out_of_the_environment_gets_its_default(bare_environment: None) -> None:
    settings = from_environment()
    for name in DEFAULTS:
        assert settings[name] == DEFAULTS[name], name


def test_a_setting_left_out_of_a_mapping_gets_the_same_default() -> None:
    for name, value in DOCUMENTED.items():
        assert setting({}, name) == value
    assert setting({"REVIEW_LEASE_MINUTES": 30}, "REVIEW_LEASE_MINUTES") == 30


def test_the_policy_of_an_empty_mapping_is_the_documented_one() -> None:
    assert policy_from({}) == Policy(min_evidence=2, min_evidence_sources=2, review_mode=ReviewMode.SINGLE,
                                     panel_size=3)
    assert policy_from({"PANEL_SIZE": 5}) == Policy(panel_size=5)


def test_both_paths_agree_when_nothing_is_set(bare_environment: None) -> None:
    assert policy_from(from_environment()) == policy_from({})
    assert from_environment()["REVIEW_LEASE_MINUTES"] == setting({}, "REVIEW_LEASE_MINUTES")


def test_the_environment_overrides_a_default(bare_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_PANEL_SIZE", "5")
    monkeypatch.setenv("FACTCHECK_REVIEW_MAX_LEASES", "1")
    monkeypatch.setenv("FACTCHECK_REVIEW_MODE", "panel")
    settings = from_environment()
    assert settings["REVIEW_MAX_LEASES"] == 1
    assert policy_from(settings) == Policy(review_mode=ReviewMode.PANEL, panel_size=5)


def test_a_setting_the_table_does_not_know_is_an_error() -> None:
    with pytest.raises(KeyError):
        setting({}, "NO_SUCH_SETTING")
