"""Readers' submissions are in the backup, as every table is: a restore keeps the requests, their counts
and the addresses still waiting for their answer; an erased address is gone from later backups too."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from factcheck.models import CheckItem, ReaderSubmission
from factcheck.services.answers import purge_addresses
from factcheck.services.submissions import submit_claim
from tests.integration.test_backup_roundtrip import export_text, restore, target  # noqa: F401  (a fixture)

CLAIM = "The mayor banned bicycles from every bridge in town."


def _rows(backup: str, table: str) -> list[dict]:
    return [line["row"] for line in map(json.loads, backup.splitlines()) if line.get("table") == table]


def test_submissions_round_trip_through_the_backup_with_their_counts(session, target):  # noqa: F811
    first = submit_claim(session, claim_text=CLAIM, seen_at_url="https://social.example.org/p/1",
                         email="reader@example.org")
    submit_claim(session, claim_text="Did the mayor ban bicycles from every bridge in town?")
    session.flush()
    backup = export_text(session.connection())
    [item_row] = [r for r in _rows(backup, "check_items") if r["id"] == first.item.id]
    assert item_row["reader_requests"] == 2 and item_row["origin"] == "reader"
    assert [r["email"] for r in _rows(backup, "reader_submissions")] == ["reader@example.org", None]
    restore(target, backup)
    with target.sessionmaker() as restored:
        assert restored.get(CheckItem, first.item.id).reader_requests == 2
        assert restored.scalars(select(ReaderSubmission.email).order_by(ReaderSubmission.id)).all() == [
            "reader@example.org", None]


def test_an_erased_address_is_in_no_later_backup(session):
    done = submit_claim(session, claim_text=CLAIM, email="reader@example.org",
                        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    assert purge_addresses(session) == 1  # never answered, older than a year
    backup = export_text(session.connection())
    assert "reader@example.org" not in backup
    [row] = _rows(backup, "reader_submissions")
    assert row["id"] == done.submission.id and row["email"] is None and row["email_erased_at"]
