"""Stored term counts (``check_items_fts_counts``) equal what the full-text index counts, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from factcheck import migrate
from factcheck.domain.matching import index_tokens
from factcheck.domain.ranking import analyse
from factcheck.facts import _fts_query, index_frequencies, stored_counts
from factcheck.models import CheckItem
from factcheck.services.term_counts import fold_pending_term_counts
from tests.factories import written_item

#: Accents, letters no accent folding reaches, thousands, hyphens, a word longer than forty letters, and
#: words one prefix of another (nation, national, nationalists).
TEXTS = [
    "The café in São Tomé released 1,000 reports on the Ørsted wind farm.",
    "Straße names: the well-known U.S. releases of 2020 (released again).",
    "Pneumonoultramicroscopicsilicovolcanoconiosisandmore is longer than forty letters.",
    "Nationalists said the nation's national release was a national disgrace.",
]
#: Tokens no text above writes, or writes only inside longer words.
EXTRA_TOKENS = ["nation*", "nationa*", "rele*", "relea*", "wind", "windy", "pneu*", "cafe", "caf", "orsted", "2020",
                "1000", "000", "well*", "known", "zzzz*", "pneumonoultramicroscopicsilicovolcanoconi*"]


def _index_count(session: Session, token: str) -> int:
    query = _fts_query(token, session.get_bind().dialect.name)
    if session.get_bind().dialect.name == "sqlite":
        return int(session.scalar(text("SELECT count(*) FROM check_items_fts WHERE check_items_fts MATCH :q"),
                                  {"q": query}) or 0)
    return int(session.scalar(text("SELECT count(*) FROM check_items WHERE fts_vector @@ CAST(:q AS tsquery)"),
                              {"q": query}) or 0)


def _tokens(session: Session) -> list[str]:
    """The tokens to compare: every stored one, every one the texts make for matching, and the extras."""
    stored = set(session.scalars(text("SELECT token FROM check_items_fts_counts WHERE documents <> 0")))
    made = {token for t in TEXTS for token in index_tokens(analyse(t), list(analyse(t).weights)).values()}
    return sorted(stored | made | set(EXTRA_TOKENS))


def _assert_counts_equal_the_index(session: Session) -> None:
    tokens = [t for t in _tokens(session) if len(t.rstrip("*")) <= 40 and t.rstrip("*").isascii()
              and t.rstrip("*").isalnum()]
    counted = stored_counts(session, tokens)
    assert counted is not None, "nothing should be pending after a fold"
    assert {t: counted[t] for t in tokens} == {t: _index_count(session, t) for t in tokens}


def test_counts_follow_inserts_changes_and_deletions(session) -> None:
    fold_pending_term_counts(session)
    items = [session.get_one(CheckItem, written_item(session, claim)) for claim in TEXTS]
    assert stored_counts(session, ["nation*"]) is None, "new texts wait to be counted"
    fold_pending_term_counts(session)
    _assert_counts_equal_the_index(session)
    assert stored_counts(session, ["nation*", "national", "orsted"]) == {
        "nation*": _index_count(session, "nation*"), "national": _index_count(session, "national"), "orsted": 0}

    items[0].restatement = "A national wind farm was released in Orsted."
    session.flush()
    assert stored_counts(session, ["orsted"]) is None
    fold_pending_term_counts(session)
    _assert_counts_equal_the_index(session)

    items[1].claim_text = "Nothing well-known remains of it."
    session.flush()
    extra = written_item(session, "A national nation of nationalists")
    fold_pending_term_counts(session)
    _assert_counts_equal_the_index(session)
    session.execute(delete(CheckItem).where(CheckItem.id == extra))
    fold_pending_term_counts(session)
    _assert_counts_equal_the_index(session)


def test_tokens_the_table_does_not_keep_and_pending_texts_are_counted_in_the_index(session) -> None:
    fold_pending_term_counts(session)
    for claim in TEXTS:
        written_item(session, claim)
    queries = [analyse(t) for t in TEXTS]
    terms = sorted({term for q in queries for term in q.weights})
    documents = session.scalar(select(CheckItem.id).order_by(CheckItem.id.desc()).limit(1))
    while_pending = index_frequencies(session, queries, documents)(terms)
    fold_pending_term_counts(session)
    assert stored_counts(session, ["nation*"]) is not None
    folded = index_frequencies(session, queries, documents)(terms)
    assert folded == while_pending
    # a word longer than forty letters and one with a letter no accent folding reaches: asked of the index
    assert folded[next(t for t in terms if t.startswith("pneumono"))] >= 1
    assert folded[next(t for t in terms if t.startswith("ørst"))] >= 1


def test_the_migration_counts_the_items_already_stored(empty_db) -> None:
    migrate.upgrade(empty_db.url, "a3f9c1e7b254")
    with Session(empty_db.engine) as session:
        for claim in TEXTS:
            written_item(session, claim)
        session.commit()
    migrate.upgrade(empty_db.url)
    with Session(empty_db.engine) as session:
        _assert_counts_equal_the_index(session)
        assert stored_counts(session, ["nation*"]) == {"nation*": 1}
    migrate.downgrade(empty_db.url, "a3f9c1e7b254")
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM check_items")).scalar() == len(TEXTS)


def test_on_postgresql_a_transaction_that_cannot_fold_counts_in_the_index(session, database) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL folds under an advisory lock; SQLite's writers queue")
    from factcheck.services.term_counts import FOLD_LOCK

    with database.engine.connect() as other:  # another ingest folding at the same moment
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": FOLD_LOCK})
        try:
            written_item(session, TEXTS[3])
            folded = fold_pending_term_counts(session)
            assert (folded.added, folded.changes) == (0, {})
            assert stored_counts(session, ["nation*"]) is None, "its own texts still wait"
            query = analyse(TEXTS[3])
            documents = session.scalar(select(CheckItem.id).order_by(CheckItem.id.desc()).limit(1))
            while_locked = index_frequencies(session, [query], documents)(list(query.weights))
        finally:
            other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": FOLD_LOCK})
    assert fold_pending_term_counts(session).added >= 1
    assert stored_counts(session, ["nation*"]) is not None
    assert index_frequencies(session, [query], documents)(list(query.weights)) == while_locked
