"""``factcheck match``: two TSV files in, ranked matches out, no database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from factcheck.cli import main

CLAIMS = (
    "id\tclaim\tsource\n"
    "c1\tJoe Biden posed for a photograph with a Grand Wizard of the Ku Klux Klan.\tsnopes\n"
    "c2\tThe sea level rose by 20 cm since 1900.\tsnopes\n"
    'c3\tA "law to separate families" was passed by Democrats.\tsnopes\n'
    "c4\tJoe Biden said the economy grew faster under Democratic presidents.\tsnopes\n"
)
QUERIES = (
    "id\ttext\n"
    "q1\tBiden with Grand wizard Of KKK. Yup that's the Democratic Party. pic.twitter.com/i5N4AN9Vb8\n"
    "q2\tSince 1900 the #SeaLevel has risen by 20 cm, say scientists\n"
    "q3\tBananas are the most popular fruit in Norway.\n"
)


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def run(*args: str):
    return CliRunner().invoke(main, ["match", *args])


def test_match_prints_the_top_claims_of_every_query_as_tab_separated_rows(tmp_path: Path) -> None:
    result = run(write(tmp_path, "q.tsv", QUERIES), "--against", write(tmp_path, "c.tsv", CLAIMS))
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert all(len(row) == 4 for row in rows)
    by_query: dict[str, list[list[str]]] = {}
    for row in rows:
        by_query.setdefault(row[0], []).append(row)
    assert by_query["q1"][0][1] == "c1" and by_query["q2"][0][1] == "c2"
    # A query sharing no word with any claim has no rows.
    assert "q3" not in by_query
    for matches in by_query.values():
        assert [int(r[2]) for r in matches] == list(range(1, len(matches) + 1))
        scores = [float(r[3]) for r in matches]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_top_limits_the_matches_per_query(tmp_path: Path) -> None:
    claims = write(tmp_path, "c.tsv", CLAIMS)
    queries = write(tmp_path, "q.tsv", "id\ttext\nq1\tJoe Biden Democratic Klan sea 1900 law\n")
    assert len(run(queries, "--against", claims).output.splitlines()) == 4
    assert [line.split("\t")[2] for line in run(queries, "--against", claims, "--top", "2").output.splitlines()] \
        == ["1", "2"]


def test_quotes_in_a_claim_are_read_as_written(tmp_path: Path) -> None:
    queries = write(tmp_path, "q.tsv", 'id\ttext\nq1\t"law to separate families" passed\n')
    result = run(queries, "--against", write(tmp_path, "c.tsv", CLAIMS), "--top", "1")
    assert result.output.split("\t")[:3] == ["q1", "c3", "1"]


def test_unreadable_input_is_refused_with_a_plain_message(tmp_path: Path) -> None:
    claims = write(tmp_path, "c.tsv", CLAIMS)
    missing = run(str(tmp_path / "none.tsv"), "--against", claims)
    assert missing.exit_code == 2 and "none.tsv" in missing.output and "Traceback" not in missing.output
    no_tab = run(write(tmp_path, "bad.tsv", "id\ttext\nq1 without a tab\n"), "--against", claims)
    assert no_tab.exit_code == 2 and "line 2: expected an id, a tab and a text" in no_tab.output
    twice = run(write(tmp_path, "twice.tsv", "id\ttext\nq1\ta\nq1\tb\n"), "--against", claims)
    assert twice.exit_code == 2 and "the id q1 appears twice" in twice.output
    empty = run(write(tmp_path, "empty.tsv", "id\ttext\n"), "--against", claims)
    assert empty.exit_code == 2 and "no rows" in empty.output
    binary = tmp_path / "latin1.tsv"
    binary.write_bytes("id\ttext\nq1\tS\xe3o Paulo\n".encode("latin-1"))
    assert "not UTF-8" in run(str(binary), "--against", claims).output
    assert run(write(tmp_path, "q.tsv", QUERIES), "--against", claims, "--top", "0").exit_code == 2
