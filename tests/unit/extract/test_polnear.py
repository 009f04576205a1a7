"""Behaviour on real news (PolNeAR dev); skipped when ../shared/data is absent."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / ".." / "shared" / "data" / "polnear-dev"

pytestmark = pytest.mark.skipif(not (DATA / "text").is_dir(), reason="PolNeAR dev data (../shared/data) is absent")


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(REPO))
    from bench import extract_quality

    return extract_quality


def test_every_polnear_article_extracts_with_exact_spans():
    from factcheck.domain.extract import extract

    for path in sorted((DATA / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for assertion in extract(text).assertions:
            assert text[assertion.start:assertion.end] == assertion.text


def test_no_two_assertions_of_any_polnear_article_overlap(shared_data: Path):
    from factcheck.domain.extract import extract

    overlapping = []
    for path in sorted((shared_data / "polnear-dev" / "text").glob("*.txt")):
        assertions = extract(path.read_text(encoding="utf-8")).assertions
        for earlier, later in zip(assertions, assertions[1:]):
            if later.start < earlier.end:
                overlapping.append(f"{path.name}: {earlier.id} {earlier.text[:60]!r} / {later.id} {later.text[:60]!r}")
    assert not overlapping, "\n".join(overlapping)


def test_the_extractor_meets_its_quality_targets_on_polnear_dev(bench, capsys):
    assert bench.main(["--data", str(DATA), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["polnear"]
    assert report["f1"] >= 0.70
    assert report["source_accuracy"] >= 0.85
    assert report["precision"] >= 0.80


def test_the_quality_benchmark_exits_cleanly_without_data(bench, tmp_path, capsys):
    assert bench.main(["--data", str(tmp_path / "missing")]) == 0
    assert "No PolNeAR data" in capsys.readouterr().out
