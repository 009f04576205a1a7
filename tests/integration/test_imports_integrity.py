"""Importers: an imported verdict keeps the fact-checker who rated it, and a row that cannot be stored
is rejected with its reason while the others are imported, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from factcheck.cli import imports as import_cli
from factcheck.cli import main
from factcheck.db import Database
from factcheck.interchange.backup import export_backup, export_lines, import_backup
from factcheck.interchange.claimreview_import import default_normaliser, read_claimreview
from factcheck.interchange.liar import read_liar
from factcheck.models import AuditEvent, CheckItem, Verdict
from factcheck.services.imports import import_claimreview_records, import_liar_rows
from tests.conftest import make_test_app, migrated_sqlite_url
from tests.integration.test_claimreview_import import factckbr_rows  # noqa: F401  (a fixture)
from tests.integration.test_reports_queries import build_world

GOOD = ["1.json", "false", "Says the moon is made of cheese.", "space", "chain-email", "", "", "none",
        "0", "1", "0", "0", "1", "an email"]


def liar_row(ref: str, **cells: str) -> list[str]:
    """GOOD with another id and some columns replaced (by index: "c8" is the first credit count)."""
    row = [ref, *GOOD[1:]]
    for key, value in cells.items():
        row[int(key[1:])] = value
    return row


def write_liar(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def review(claim: str = "Wind turbines cause cancer.", **fields) -> dict:
    obj = {"@type": "ClaimReview", "claimReviewed": claim, "url": "https://checker.example.org/r/1",
           "author": {"@type": "Organization", "name": "Checker Example"}, "datePublished": "2024-03-01",
           "reviewRating": {"@type": "Rating", "alternateName": "False"},
           "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Senator Example"}}}
    obj.update(fields)
    return obj


def import_reviews(session, path: Path):
    return import_claimreview_records(session, read_claimreview(path), actor=None, normaliser=default_normaliser())


def verdict_of(session, **where) -> Verdict:
    return session.scalars(select(Verdict).join(CheckItem).filter_by(**where)).one()


# --- 4. who rated an imported verdict ----------------------------------------------------------


def test_a_liar_verdict_is_stored_as_rated_by_politifact(session, tmp_path):
    import_liar_rows(session, read_liar(write_liar(tmp_path / "liar.tsv", [GOOD])), actor=None)
    verdict = verdict_of(session, external_ref="liar:1.json")
    assert (verdict.rated_by, verdict.review_url, verdict.reviewed_on) == ("PolitiFact", None, None)


def test_a_liar_file_with_a_byte_order_mark_is_read_as_its_ids_say_and_imported_once(session, tmp_path):
    path = tmp_path / "liar.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + "\t".join(GOOD).encode("utf-8") + b"\n")
    assert import_liar_rows(session, read_liar(path), actor=None).imported == 1
    assert verdict_of(session, external_ref="liar:1.json").rated_by == "PolitiFact"
    again = import_liar_rows(session, read_liar(path), actor=None)
    assert (again.imported, again.skipped) == (0, 1)


def test_a_verdict_on_a_retired_rating_is_a_rejected_row_as_the_desks_own_would_be(session, tmp_path):
    from factcheck.models import Rating

    session.execute(update(Rating).where(Rating.key == "false").values(is_active=False))
    report = import_liar_rows(session, read_liar(write_liar(tmp_path / "liar.tsv", [GOOD, liar_row("2.json", c1="true")])),
                              actor=None)
    assert report.imported == 1 and [(r.line, "false" in r.reason) for r in report.rejected] == [(1, True)]
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([review()]), encoding="utf-8")
    reviews = import_reviews(session, path)
    assert reviews.imported == 0 and "no rating “false” in use" in reviews.rejected[0].reason


def test_a_claimreview_verdict_keeps_its_publisher_address_and_date(session, tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([review()]), encoding="utf-8")
    assert import_reviews(session, path).imported == 1
    verdict = verdict_of(session, origin="claimreview")
    assert (verdict.rated_by, verdict.review_url, verdict.reviewed_on) == (
        "Checker Example", "https://checker.example.org/r/1", dt.date(2024, 3, 1))


def test_factckbr_verdicts_are_rated_by_their_brazilian_publishers(session, shared_data: Path,
                                                                   factckbr_rows):  # noqa: F811
    report, _ = factckbr_rows
    assert report.imported > 1250
    rows = session.execute(select(Verdict.rated_by, Verdict.review_url, Verdict.reviewed_on)
                           .join(CheckItem).where(CheckItem.origin == "claimreview")).all()
    assert {r.rated_by for r in rows} == {"Aos Fatos", "Agência Pública", "Agência Lupa"}
    assert all(r.review_url.startswith("https://") and r.reviewed_on is not None for r in rows)


def test_the_backup_carries_the_imported_verdicts_fact_checker_address_and_date(session, tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([review()]), encoding="utf-8")
    import_reviews(session, path)
    rows = [json.loads(line)["row"] for line in export_lines(session.connection())
            if json.loads(line).get("table") == "verdicts"]
    assert [(r["rated_by"], r["review_url"], r["reviewed_on"]) for r in rows] == [
        ("Checker Example", "https://checker.example.org/r/1", "2024-03-01")]


def test_the_imported_verdict_columns_survive_a_round_trip_byte_for_byte(tmp_path):
    databases = []
    for name in ("source", "restored"):
        url = migrated_sqlite_url(tmp_path / f"{name}.sqlite3")
        databases.append(Database(url))
    source, restored = databases
    try:
        with source.sessionmaker() as session:
            build_world(session)
            path = tmp_path / "reviews.json"
            path.write_text(json.dumps([review()]), encoding="utf-8")
            import_reviews(session, path)
            import_liar_rows(session, read_liar(write_liar(tmp_path / "liar.tsv", [GOOD])), actor=None)
            session.commit()
        first = io.StringIO()
        with source.engine.connect() as conn:
            export_backup(conn, first)
        with restored.engine.begin() as conn:
            import_backup(conn, io.StringIO(first.getvalue()))
        second = io.StringIO()
        with restored.engine.connect() as conn:
            export_backup(conn, second)
        assert second.getvalue() == first.getvalue()
        with restored.sessionmaker() as session:
            kept = session.execute(select(Verdict.rated_by, Verdict.review_url, Verdict.reviewed_on)
                                   .where(Verdict.rated_by.is_not(None)).order_by(Verdict.id)).all()
        assert kept == [("Checker Example", "https://checker.example.org/r/1", dt.date(2024, 3, 1)),
                        ("PolitiFact", None, None)]
    finally:
        for db in databases:
            db.dispose()


# --- rows that cannot be stored are rejected, the others imported -------------------------------


BAD_LIAR_ROWS = {
    "a credit count of 1e400": (liar_row("2.json", c8="1e400"), "credit-history count"),
    "a credit count of 10**30": (liar_row("3.json", c9=str(10**30)), "credit-history count"),
    "a credit count that is not whole": (liar_row("4.json", c10="2.5"), "credit-history count"),
    "an id longer than its column": (liar_row("x" * 300), "id is longer than"),
    "a speaker longer than a name": (liar_row("5.json", c4="s" * 300), "speaker is longer than"),
    "a statement longer than any field": (liar_row("6.json", c2="word " * 40_000), "cannot be read"),
    "a NUL character": (liar_row("7.json", c2="Says\x00 nothing."), "NUL character"),
    # Letters to str.isalnum that a name's key folds away (U+037A, U+FE70): no source can be found by it.
    "a speaker of letters without a key": (liar_row("8.json", c4="\u037a\ufe70"), "speaker is empty"),
}


@pytest.mark.parametrize("case", list(BAD_LIAR_ROWS))
def test_a_liar_row_that_cannot_be_stored_is_rejected_and_the_others_imported(session, tmp_path, case):
    bad, reason = BAD_LIAR_ROWS[case]
    path = write_liar(tmp_path / "liar.tsv", [GOOD, bad, liar_row("8.json")])
    report = import_liar_rows(session, read_liar(path), actor=None)
    assert (report.imported, [r.line for r in report.rejected]) == (2, [2])
    assert reason in report.rejected[0].reason
    assert set(session.scalars(select(CheckItem.external_ref).where(CheckItem.origin == "liar"))) == {
        "liar:1.json", "liar:8.json"}


BAD_REVIEWS = {
    "a rating value of 1e400 beside a known label": (
        '{"@type": "ClaimReview", "claimReviewed": "Bad one.", "url": "https://c.example.org/2", '
        '"reviewRating": {"alternateName": "False", "ratingValue": 1e400, "bestRating": 5}}', "not a finite number"),
    "a rating value with hundreds of digits": (
        '{"@type": "ClaimReview", "claimReviewed": "Bad one.", "url": "https://c.example.org/2", '
        '"reviewRating": {"alternateName": "False", "ratingValue": ' + "9" * 5000 + "}}", "not a finite number"),
    "a NaN rating": (
        '{"@type": "ClaimReview", "claimReviewed": "Bad one.", "reviewRating": {"ratingValue": NaN, "bestRating": 5}}',
        "not a finite number"),
    "a claimant longer than a name": (
        json.dumps(review("Bad one.", itemReviewed={"author": {"name": "n" * 300}})), "claimant's name is longer"),
    "a publisher longer than a name": (json.dumps(review("Bad one.", author={"name": "p" * 300})),
                                       "publisher's name is longer"),
    "a review address longer than its column": (
        json.dumps(review("Bad one.", url="https://c.example.org/" + "u" * 3000)), "url is longer"),
    "a claim longer than a claim may be": (json.dumps(review("word " * 5000)), "claimReviewed is longer"),
    "a list where an object is expected": ('["not", "a", "review"]', "not a JSON object"),
    "a string where an object is expected": ('"just a string"', "not a JSON object"),
    "a NUL character": (json.dumps(review("Bad\u0000 one.")), "NUL character"),
    "broken Unicode": ('{"@type": "ClaimReview", "claimReviewed": "Bad \\ud800 one.", '
                       '"reviewRating": {"alternateName": "False"}}', "surrogate"),
}


@pytest.mark.parametrize("case", list(BAD_REVIEWS))
def test_a_claimreview_that_cannot_be_stored_is_rejected_and_the_others_imported(session, tmp_path, case):
    bad, reason = BAD_REVIEWS[case]
    path = tmp_path / "reviews.json"
    good = [json.dumps(review(url="https://c.example.org/1")), json.dumps(review("Another claim.",
                                                                            url="https://c.example.org/3"))]
    path.write_text(f"[{good[0]}, {bad}, {good[1]}]", encoding="utf-8")
    report = import_reviews(session, path)
    assert (report.imported, [r.line for r in report.rejected]) == (2, [2])
    assert reason in report.rejected[0].reason


@pytest.mark.parametrize("claims", [
    [{"text": "Bad one.", "claimReview": "not a list"}],
    [{"text": "Bad one.", "claimReview": ["not an object"]}],
    ["not an object"],
])
def test_a_fact_check_tools_claim_of_the_wrong_shape_is_rejected(session, tmp_path, claims):
    good = {"text": "Vaccines contain microchips.", "claimant": "A Poster Example",
            "claimReview": [{"publisher": {"name": "Checker Example"}, "url": "https://c.example.org/v",
                             "textualRating": "False", "reviewDate": "2024-05-01"}]}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": [good, *claims]}), encoding="utf-8")
    report = import_reviews(session, path)
    assert report.imported == 1 and [r.line for r in report.rejected] == [2]
    assert verdict_of(session, origin="claimreview").rated_by == "Checker Example"


def test_json_nested_too_deeply_is_refused_with_a_plain_reason(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValueError, match="nested too deeply"):
        read_claimreview(path)


# --- the commands: a summary for rejected rows, one plain line for an unreadable file ------------


@pytest.fixture
def command_app(database, session_factory, monkeypatch):
    """The import commands run on the test's database and connection (so on PostgreSQL too)."""
    app = make_test_app(database, session_factory)
    monkeypatch.setattr(import_cli, "make_app", lambda: app)
    return app


def items(session) -> int:
    return session.scalar(select(func.count()).select_from(CheckItem))


def test_the_liar_command_lists_rejected_rows_and_imports_the_rest(session, command_app, tmp_path):
    path = write_liar(tmp_path / "liar.tsv", [GOOD, liar_row("2.json", c8="1e400"), liar_row("x" * 300),
                                              liar_row("6.json", c2="word " * 40_000), liar_row("8.json")])
    result = CliRunner().invoke(main, ["import", "liar", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected liar.tsv:2: a credit-history count is not a whole number" in result.output
    assert "rejected liar.tsv:3: the id is longer than 190 characters" in result.output
    assert "rejected liar.tsv:4: the row cannot be read" in result.output
    assert "2 imported, 0 already there, 3 rejected" in result.output and "Traceback" not in result.output
    assert items(session) == 2


def test_the_claimreview_command_lists_rejected_records_and_imports_the_rest(session, command_app, tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(f"[{json.dumps(review())}, {BAD_REVIEWS['a rating value of 1e400 beside a known label'][0]}, "
                    f"{json.dumps(review(author={'name': 'p' * 300}))}]", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "claimreview", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected reviews.json:2: ratingValue is not a finite number" in result.output
    assert "rejected reviews.json:3: the publisher's name is longer than 200 characters" in result.output
    assert "1 imported, 0 already there, 2 rejected" in result.output
    assert items(session) == 1


def test_a_file_nested_too_deeply_is_one_plain_error_and_nothing_is_imported(session, command_app, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([review()]), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text('{"claimReviews": [' + "[" * 100_000 + "]" * 100_000 + "]}", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "claimreview", str(deep)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {deep}: the JSON is nested too deeply to read; nothing from it was imported.")
    assert items(session) == 0
    both = CliRunner().invoke(main, ["import", "claimreview", str(good), str(deep)])
    assert both.exit_code == 1 and "1 imported" in both.output and items(session) == 1


def test_an_import_leaves_no_audit_event_for_a_rejected_row(session, command_app, tmp_path):
    path = write_liar(tmp_path / "liar.tsv", [GOOD, liar_row("2.json", c8="1e400")])
    CliRunner().invoke(main, ["import", "liar", str(path)])
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")) == 1
