"""``factcheck extract``: JSON or text on standard output, plain errors with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from factcheck.cli.extract import extract_command

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_577d28931b450a74.txt"


def test_one_path_prints_one_json_object_in_the_design_schema():
    result = CliRunner().invoke(extract_command, [str(SEED)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"assertions", "dropped"}
    assert data["assertions"][0]["id"] == "a1"


def test_several_paths_print_one_compact_json_line_each_with_its_path(tmp_path: Path):
    other = tmp_path / "other.txt"
    other.write_text("The ministry said 40 people were evacuated.", encoding="utf-8")
    result = CliRunner().invoke(extract_command, [str(SEED), str(other)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [json.loads(line)["path"] for line in lines] == [str(SEED), str(other)]


def test_a_dash_reads_the_article_from_standard_input():
    result = CliRunner().invoke(extract_command, ["-"], input="Reuters reported that the port was closed.")
    assert result.exit_code == 0
    assert json.loads(result.output)["assertions"][0]["claimant"] == {"name": "Reuters", "kind": "outlet"}


def test_the_text_format_lists_chains_hedges_relations_and_dropped_lines():
    result = CliRunner().invoke(extract_command, [str(SEED), "--format", "text"])
    assert result.exit_code == 0
    assert "Vladimir Putin (told) \u25b8 Tucker Carlson (stated) \u25b8 Russian media (reported)" in result.output
    assert "hedges: off the record" in result.output
    assert "relations: denies a" in result.output
    assert "Dropped:" in result.output and "boilerplate: Read also" in result.output


def test_html_files_are_reduced_to_their_text(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><script>x()</script><p>Bloomberg reported that talks resumed.</p></body></html>")
    result = CliRunner().invoke(extract_command, [str(page)])
    assert json.loads(result.output)["assertions"][0]["text"] == "Bloomberg reported that talks resumed."


def test_an_empty_file_is_a_plain_error_with_exit_status_2(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(extract_command, [str(empty)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "empty" in result.output
    assert "Traceback" not in result.output


def test_a_binary_or_missing_file_is_a_plain_error(tmp_path: Path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert CliRunner().invoke(extract_command, [str(binary)]).exit_code == 2
    missing = CliRunner().invoke(extract_command, [str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "Cannot read" in missing.output


def test_a_file_over_ten_megabytes_is_refused(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a " * (5 * 1024 * 1024 + 1))
    result = CliRunner().invoke(extract_command, [str(big)])
    assert result.exit_code == 2 and "10 MB" in result.output
