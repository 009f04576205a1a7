"""A batch ingest keeps what the full-text index told it (counts and lists of items) under the texts' stamp."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from factcheck.facts import KEPT_TERMS, _postings, rank_many, stored_counts, texts_stamp
from factcheck.models import AuditEvent, CheckItem
from factcheck.services import ingest as ingest_service
from factcheck.services.ingest import ingest_article
from factcheck.services.items import create_item, edit_item
from tests.factories import gen_user
from tests.helpers import recorded_statements

ARTICLES = [
    "Harbour news\n\nThe port director said that the harbour handled 4,000 ships in 2023 and cut fees by 12 percent. "
    "The regional governor said the new crane cost 40 million euros.",
    "Port weekly\n\nThe harbour authority said that the port handled 4,000 ships in 2023. "
    "Pilots said the new crane cost more than 40 million euros and was delivered late.",
    "Coast report\n\nThe governor said the harbour cut fees by 12 percent in 2023. "
    "The ministry said the crane was delivered late and cost 40 million euros.",
]


#: The statements that ask the index for lists of items, and the stored counts, on each database.
LISTS = ("group_concat(check_items_fts.rowid)", "ARRAY(SELECT c.id FROM check_items AS c")
COUNTS = ("check_items_fts_counts AS c ON", "(SELECT c.documents FROM check_items_fts_counts AS c")
#: The statement that reads candidates' texts.
TEXTS = "SELECT id, claim_text, restatement FROM check_items WHERE id"


@pytest.fixture
def kept_session(session):
    KEPT_TERMS.clear()
    yield session
    KEPT_TERMS.clear()


def _url(session) -> str:
    return str(session.get_bind().engine.url)


def test_what_a_batch_keeps_equals_what_the_database_says_after_each_article(kept_session):
    session = kept_session
    for article in ARTICLES:
        ingest_article(session, article, actor=None)
        stamp = texts_stamp(session)
        assert stamp is not None
        kept_lists = KEPT_TERMS.lists(_url(session), stamp, list(KEPT_TERMS._lists.keys()))
        kept_counts = KEPT_TERMS.counts(_url(session), stamp, list(KEPT_TERMS._counts.keys()))
        # Kept for the texts as they are now: the fold of each article moved them on (else they were forgotten).
        assert stored_counts(session, list(kept_counts)) == kept_counts
        tokens = {token: token for token in kept_lists}
        whole = _postings(session, session.get_bind().dialect.name, list(tokens), tokens, "", {})
        assert {token: list(ids) for token, ids in kept_lists.items()} == {
            token: sorted(whole.get(token, [])) for token in tokens}
        kept_texts = KEPT_TERMS.texts(_url(session), stamp, list(KEPT_TERMS._texts))
        assert kept_texts == {item_id: claim if not restatement else f"{claim} {restatement}" for item_id, claim, restatement
                              in session.execute(select(CheckItem.id, CheckItem.claim_text, CheckItem.restatement)
                                                 .where(CheckItem.id.in_(list(kept_texts))))}
    assert kept_lists and kept_counts, "the batch keeps lists and counts for its next article"
    assert len(kept_texts) == session.scalar(select(func.count()).select_from(CheckItem)), "every item's text is kept"
    last = session.scalars(select(CheckItem).order_by(CheckItem.id.desc())).first()
    assert any(last.id in ids for ids in kept_lists.values()), "the last article's items were added to the lists"


def test_the_next_article_of_a_batch_asks_the_index_only_about_words_not_seen(kept_session):
    session = kept_session
    # The first article's words are in no earlier item, so their lists are not asked for (nor kept); the
    # second one's are, as the first one's items have them.
    ingest_article(session, ARTICLES[0], actor=None)
    ingest_article(session, ARTICLES[0].replace("Harbour news", "Harbour news, updated"), actor=None)
    with recorded_statements(session.get_bind()) as statements:
        # The same sentences a third time (a new article: its text differs), so every word's list is kept.
        ingest_article(session, ARTICLES[0].replace("Harbour news", "Harbour news, corrected"), actor=None)
    lists = [s for s in statements if any(part in s for part in LISTS)]
    counts = [s for s in statements if any(part in s for part in COUNTS)]
    texts = [s for s in statements if TEXTS in s]
    assert lists == [] and counts == [] and texts == [], statements  # the candidates' texts are kept too


def test_a_batch_ingest_stores_the_same_priorities_and_history_with_kept_terms_as_without(kept_session,
                                                                                           monkeypatch):
    session = kept_session

    first = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1

    def ingest_all() -> list[list[tuple]]:
        if session.get_bind().dialect.name == "postgresql":  # the same ids both times (a rollback keeps them used)
            session.execute(text("SELECT setval(pg_get_serial_sequence('check_items', 'id'), :start, false)"),
                            {"start": first})
        savepoint = session.begin_nested()
        for article in ARTICLES:
            ingest_article(session, article, actor=None)
        stored = [(item.id, item.claim_text, item.priority) for item in session.scalars(
            select(CheckItem).where(CheckItem.id >= first).order_by(CheckItem.id))]
        history = [(event.item_id, event.action.value, event.payload) for event in session.scalars(
            select(AuditEvent).where(AuditEvent.item_id >= first).order_by(AuditEvent.id))]
        savepoint.rollback()
        return [stored, history]

    kept = ingest_all()
    assert len(kept[0]) >= 6 and all(priority for _, _, priority in kept[0])
    KEPT_TERMS.clear()
    monkeypatch.setattr(ingest_service, "texts_stamp", lambda _session: None)  # nothing kept
    assert ingest_all() == kept


def test_a_change_of_texts_made_elsewhere_forgets_what_was_kept(kept_session):
    session = kept_session
    ingest_article(session, ARTICLES[0], actor=None)
    ingest_article(session, ARTICLES[0].replace("Harbour news", "Harbour news, updated"), actor=None)
    claim = session.scalars(select(CheckItem.claim_text).order_by(CheckItem.id)).first()
    assert KEPT_TERMS.lists(_url(session), texts_stamp(session), list(KEPT_TERMS._lists.keys()))
    # Another writer adds an item with the same claim: its fold gives the texts a new stamp without
    # moving on what this batch kept.
    create_item(session, claim_text=claim, actor=None)
    session.flush()
    stamp = texts_stamp(session)
    before_id = session.scalar(select(func.max(CheckItem.id))) + 1
    kept = rank_many(session, [claim], before_id=before_id, stamp=stamp)
    KEPT_TERMS.clear()
    assert kept == rank_many(session, [claim], before_id=before_id)
    assert before_id - 1 in [match.item_id for match in kept[0]], "the other writer's item is found"


def test_a_restatement_edited_in_between_is_the_candidates_text_read_again(kept_session):
    session = kept_session
    ingest_article(session, ARTICLES[0], actor=None)
    ingest_article(session, ARTICLES[1], actor=None)
    stamp = texts_stamp(session)
    earlier = session.scalars(select(CheckItem).order_by(CheckItem.id)).first()
    assert KEPT_TERMS.texts(_url(session), stamp, [earlier.id]) == {earlier.id: earlier.claim_text}
    # Another service gives the earlier item a restatement with words of its own: its fold renews the stamp.
    edit_item(session, earlier.id, gen_user(session), version=earlier.version,
              restatement="Seaport tariffs dropped sharply")
    session.flush()
    query = "Seaport tariffs dropped sharply, the port director said."
    before_id = session.scalar(select(func.max(CheckItem.id))) + 1
    kept = rank_many(session, [query], before_id=before_id, stamp=texts_stamp(session))
    assert earlier.id in [match.item_id for match in kept[0]], "found by the words of its new restatement"
    KEPT_TERMS.clear()
    assert kept == rank_many(session, [query], before_id=before_id)
