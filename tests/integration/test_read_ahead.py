"""Article files read ahead in other processes (``interchange.reading``) while ``factcheck ingest`` writes."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from factcheck.cli import main
from factcheck.db import Database
from factcheck.interchange.htmltext import ArticleInputError, decode_article
from factcheck.interchange.reading import read_files, start_method
from factcheck.models import Article, CheckItem
from factcheck.services.reading import ReadArticle, read_article

ARTICLES = {
    "a.txt": "The minister said on Monday that unemployment fell to 4 percent in March.\n\n"
             "The opposition leader claimed that the figure was rigged.\n",
    "b.txt": "",
    "c.html": "<html><body><p>Officials reported that the bridge will reopen in May, the mayor said.</p>"
              "<p>A spokesman denied that the works were late.</p></body></html>",
    "d.txt": "According to the ministry, exports rose by 12 percent last year.\n",
}


@pytest.fixture
def files(tmp_path):
    paths = []
    for name, content in ARTICLES.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("readers", [0, 1, 2])
def test_each_file_comes_in_order_with_its_article_or_what_refused_it(files, readers):
    got = list(read_files(files, readers=readers))
    assert [path for path, _ in got] == files
    for path, read in got:
        if path.name == "b.txt":
            assert isinstance(read, ArticleInputError) and str(read) == "b.txt is empty; there is no article text to read."
        else:
            assert isinstance(read, ReadArticle)
            assert read == read_article(decode_article(path.read_bytes(), path.name))
            assert read.extraction["assertions"]


def test_no_more_files_are_read_than_the_readers_keep_ahead(files):
    taken: list[str] = []

    def paths():
        for n in range(10):
            taken.append(f"file {n}")
            yield files[n % len(files)]

    reading = read_files(paths(), readers=1)
    next(reading)
    # One handed out, one being read, one waiting for the reader: not all ten at once.
    assert len(taken) == 3
    assert len(list(reading)) == 9
    assert len(taken) == 10


def test_a_file_gone_or_unreadable_is_refused_for_itself_in_plain_words(tmp_path, files):
    missing = tmp_path / "gone.txt"
    got = list(read_files([files[0], missing, files[2]], readers=1))
    assert isinstance(got[0][1], ReadArticle) and isinstance(got[2][1], ReadArticle)
    assert isinstance(got[1][1], ArticleInputError) and "gone.txt cannot be read" in str(got[1][1])


def test_a_fault_in_a_reader_is_raised_here_not_passed_over(files, monkeypatch):
    from factcheck.interchange import reading

    def faulty(text):  # type: ignore[no-untyped-def]
        raise RuntimeError("a fault in the extractor")

    monkeypatch.setattr(reading, "read_article", faulty)  # (a forked reader has it too)
    with pytest.raises(RuntimeError, match="a fault in the extractor"):
        list(read_files(files, readers=1 if start_method() == "fork" else 0))


def test_readers_are_forked_only_from_a_process_that_runs_one_thread(files):
    other = threading.Event()
    thread = threading.Thread(target=other.wait)
    thread.start()
    try:
        assert start_method() == "spawn"  # a lock another thread holds would stay held in a fork
        got = list(read_files(files, readers=1))  # readers started afresh read the same
    finally:
        other.set()
        thread.join()
    assert [read for _, read in got if isinstance(read, ReadArticle)] == [
        read_article(decode_article(path.read_bytes(), path.name)) for path in files if path.name != "b.txt"]
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        assert start_method() == "fork"


def _stored(url: str) -> list[tuple[str, list[tuple[int, str, float]]]]:
    db = Database(url)
    with db.sessionmaker() as session:
        articles = session.scalars(select(Article).order_by(Article.id)).all()
        stored = [(a.title, [(i.span_start, i.claim_text, i.priority) for i in session.scalars(
            select(CheckItem).where(CheckItem.article_id == a.id).order_by(CheckItem.span_start))])
            for a in articles]
    db.dispose()
    return stored


def test_ingest_with_a_reader_stores_what_ingest_without_one_stores(tmp_path, monkeypatch, files):
    outputs, stored = [], []
    settled = []
    # A batch settles the collector first (``settle_for_batch``): not this test process's.
    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: settled.append(True))
    for readers in ("0", "1"):
        url = f"sqlite:///{tmp_path / f'readers-{readers}.sqlite3'}"
        monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
        monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / f"instance-{readers}"))
        assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
        result = CliRunner().invoke(main, ["ingest", "--readers", readers, *map(str, files)])
        assert result.exit_code == 1  # the empty file
        assert "1 of 4 files could not be ingested" in result.output
        outputs.append(result.output)
        stored.append(_stored(url))
    assert outputs[0] == outputs[1]
    names = [line.split(":")[0].rsplit("/", 1)[-1] for line in outputs[1].splitlines() if line.startswith(str(tmp_path))]
    assert names == ["a.txt", "b.txt", "c.html", "d.txt"]
    assert stored[0] == stored[1]
    assert len(stored[1]) == 3 and all(items for _, items in stored[1])
    assert settled == [True, True]  # four files are a batch, whether read ahead or not


@pytest.mark.parametrize("readers", ["0", "1"])
def test_claims_a_reader_analysed_for_matching_are_not_analysed_again_by_the_writer(tmp_path, monkeypatch, files,
                                                                                     readers):
    from factcheck.domain import ranking

    monkeypatch.setattr("factcheck.cli.ingest.settle_for_batch", lambda: None)
    url = f"sqlite:///{tmp_path / 'analysed.sqlite3'}"
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    ranking.analyse.cache_clear()  # nothing analysed by earlier tests in this process
    analysed_here: list[str] = []
    real_fold = ranking._fold
    monkeypatch.setattr(ranking, "_fold", lambda text: analysed_here.append(text) or real_fold(text))
    CliRunner().invoke(main, ["ingest", "--readers", readers, *map(str, files)])
    claims = [claim for _, items in _stored(url) for _, claim, _ in items]
    assert len(claims) >= 4
    if readers == "0":  # read in this process: analysed here, once
        assert sorted(text for text in analysed_here if text in claims) == sorted(claims)
    else:  # read in another process, which hands what it made of them over with the article
        assert not set(analysed_here) & set(claims)
