"""ClaimReview import: JSON-LD shapes, tables, the label normaliser and FACTCK.BR's real messiness."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.interchange.claimreview_import import default_normaliser, read_claimreview
from factcheck.models import AuditEvent, CheckItem, Verdict
from factcheck.standings import standing
from factcheck.services.imports import import_claimreview_records
from factcheck.services.sources import find_source
from tests.conftest import SHARED_DATA, shared_rows


def review(claim: str, label: str | None, *, value=None, best=None, url="https://checker.example.org/r/1",
           author: str | None = "A Senator Example") -> dict:
    rating = {"@type": "Rating"}
    if label is not None:
        rating["alternateName"] = label
    if value is not None:
        rating.update(ratingValue=value, bestRating=best, worstRating=1)
    obj = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim, "url": url,
           "author": {"@type": "Organization", "name": "Checker Example"}, "datePublished": "2024-03-01",
           "reviewRating": rating}
    if author:
        obj["itemReviewed"] = {"@type": "Claim", "author": {"@type": "Person", "name": author}}
    return obj


def run(session, path: Path):
    return import_claimreview_records(session, read_claimreview(path), actor=None, normaliser=default_normaliser())


@pytest.mark.parametrize("shape", ["object", "list", "feed", "graph"])
def test_every_json_ld_shape_is_read(session, tmp_path: Path, shape: str) -> None:
    obj = review("Wind turbines cause cancer.", "False")
    document = {"object": obj, "list": [obj], "feed": {"claimReviews": [obj]},
                "graph": {"@context": "https://schema.org", "@graph": [obj]}}[shape]
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    report = run(session, path)
    assert (report.imported, report.rejected) == (1, [])
    item = session.scalars(select(CheckItem).where(CheckItem.claim_text == "Wind turbines cause cancer.")).one()
    assert item.status.value == "published" and item.claimant.name == "A Senator Example"
    assert item.current_verdict.final_rating.key == "false"
    assert standing(session, item.claimant).counts["claimant"] == {"false": 1}


def test_rejected_records_are_listed_with_their_position_and_reason(session, tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([
        review("A fine claim.", "Mostly True", url="https://c.example.org/1"),
        {"@type": "NewsArticle", "headline": "not a review"},
        review("", "False", url="https://c.example.org/3"),
        review("A satirical claim.", "Satire", url="https://c.example.org/4"),
        review("An unscaled claim.", None, value=9, best=5, url="https://c.example.org/5"),
    ]), encoding="utf-8")
    report = run(session, path)
    assert report.imported == 1
    assert [(r.line, r.reason.split(" ")[0]) for r in report.rejected] == [
        (2, "@type"), (3, "claimReviewed"), (4, "the"), (5, "rating")]


def test_a_numeric_rating_without_label_is_placed_on_its_scale(session, tmp_path: Path) -> None:
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(review("Numbers only.", None, value=1, best=5)), encoding="utf-8")
    run(session, path)
    item = session.scalars(select(CheckItem).where(CheckItem.claim_text == "Numbers only.")).one()
    assert item.current_verdict.final_rating.key == "false"


def test_invalid_json_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"@type": "ClaimReview", ', encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_claimreview(path)


def test_a_table_without_a_claim_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("url,rating\nhttps://x.example.org,False\n", encoding="utf-8")
    with pytest.raises(ValueError, match="claimReviewed"):
        read_claimreview(path)


def test_importing_the_same_file_twice_adds_nothing(session, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("claimReviewed,url,alternateName\nThe moon is cheese.,https://c.example.org/m,Falso\n",
                    encoding="utf-8")
    assert run(session, path).imported == 1
    again = run(session, path)
    assert (again.imported, again.skipped) == (0, 1)
    assert session.scalar(select(func.count()).select_from(CheckItem)
                          .where(CheckItem.claim_text == "The moon is cheese.")) == 1


def test_a_file_overlapping_an_earlier_import_adds_only_its_new_records_claimants_and_all(session,
                                                                                          tmp_path: Path) -> None:
    """Records already imported are skipped before their claimants are looked for (none was made for them)."""
    first = tmp_path / "day1.json"
    first.write_text(json.dumps([review("The dam was built in 1950.", "False", url="https://c.example.org/dam",
                                        author="A Mayor Example")]), encoding="utf-8")
    assert run(session, first).imported == 1
    again = run(session, first)
    assert (again.imported, again.skipped, again.rejected) == (0, 1, [])
    second = tmp_path / "day2.json"
    second.write_text(json.dumps([
        review("The dam was built in 1950.", "False", url="https://c.example.org/dam", author="A Mayor Example"),
        review("The school has 900 pupils.", "True", url="https://c.example.org/school", author="A Teacher Example"),
    ]), encoding="utf-8")
    report = run(session, second)
    assert (report.imported, report.skipped) == (1, 1)
    item = session.scalars(select(CheckItem).where(CheckItem.claim_text == "The school has 900 pupils.")).one()
    assert item.claimant.name == "A Teacher Example"


def test_a_table_breaks_rows_at_line_feeds_only_and_keeps_a_quoted_fields_lines(session, tmp_path: Path) -> None:
    """A claim holding U+2028 (a line separator to ``str.splitlines``) is one row of a TSV; a quoted CSV field keeps
    its line break; the rows after them are counted on the lines they begin on."""
    tsv = tmp_path / "reviews.tsv"
    tsv.write_text("claimReviewed\turl\talternateName\n"
                   "The dam\u2028was built in 1950.\thttps://c.example.org/dam\tFalso\n"
                   "\thttps://c.example.org/empty\tFalso\n", encoding="utf-8")
    report = run(session, tsv)
    assert report.imported == 1 and [(r.line, r.reason) for r in report.rejected] == [(3, "claimReviewed is empty")]
    csv_path = tmp_path / "reviews.csv"
    csv_path.write_text('claimReviewed,url,alternateName,reviewBody\n'
                        'The school has 900 pupils.,https://c.example.org/school,Falso,"line one\nline two"\n'
                        ',https://c.example.org/none,Falso,x\n', encoding="utf-8")
    records = list(read_claimreview(csv_path))
    assert records[0].body == "line one line two" and (records[1].line, records[1].reason) == (4, "claimReviewed is empty")


# --- FACTCK.BR (real ClaimReview fields in Portuguese) ----------------------------------------


@shared_rows
def factckbr_rows(session):
    """All of FACTCK.BR imported once and shared (each test in a rolled-back savepoint): the import's
    report and the file's records."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real datasets not available at {SHARED_DATA}")
    path = SHARED_DATA / "factckbr" / "FACTCKBR.tsv"
    return run(session, path), read_claimreview(path)


@pytest.fixture
def factckbr(shared_data: Path, factckbr_rows):
    return factckbr_rows


def test_factckbr_falso_and_falso_lower_case_are_the_same_verdict(session, factckbr) -> None:
    report, records = factckbr
    labels = Counter(r.label for r in records if hasattr(r, "label"))
    assert labels["Falso"] > 500 and labels["falso"] > 300
    ratings = dict(session.execute(
        select(CheckItem.external_ref, Verdict.final_rating_id).join(Verdict, Verdict.item_id == CheckItem.id)
        .where(CheckItem.origin == "claimreview")).all())
    by_label: dict[str, set[int]] = {}
    for record in records:
        if hasattr(record, "label") and record.external_ref in ratings:
            by_label.setdefault(record.label, set()).add(ratings[record.external_ref])
    assert by_label["Falso"] == by_label["falso"] and len(by_label["Falso"]) == 1


def test_factckbr_publishers_scales_are_read_per_publisher(session, factckbr) -> None:
    _, records = factckbr
    normaliser = default_normaliser()
    # Agência Pública's 2/8 is "Impossível provar" (unverifiable), Aos Fatos' 6/5 is "verdadeiro",
    # and Lupa's constant 4/6 says nothing: its label decides.
    assert normaliser.normalise(None, 2, 8, publisher="https:apublica.org").key == "unverifiable"
    assert normaliser.normalise(None, 6, 5, publisher="https:www.aosfatos.org").key == "true"
    lupa = [r for r in records if hasattr(r, "publisher") and "lupa" in (r.publisher or "")]
    keys = Counter(normaliser.normalise(r.label, r.value, r.best, publisher=r.publisher).key for r in lupa)
    assert {(r.value, r.best) for r in lupa} == {(4.0, 6.0)}
    assert keys["false"] > 400 and keys["true"] > 30 and keys["mostly-true"] == 4


def test_factckbr_rejected_rows_are_listed_with_line_and_reason(session, factckbr) -> None:
    report, _ = factckbr
    reasons = {r.line: r.reason for r in report.rejected}
    assert report.imported > 1250 and 0 < len(report.rejected) < 40
    assert any("outros" in reason for reason in reasons.values())
    assert any(reason == "no rating label and no usable rating value" for reason in reasons.values())
    assert all(line >= 2 for line in reasons)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")) \
        == report.imported
    assert find_source(session, "Lupa") is None  # the fact-checker is the publisher, not a claimant
