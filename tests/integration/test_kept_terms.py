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


#: A restatement none of the articles' words is in (the earlier items stop matching once it is theirs).
UNRELATED = ("Zanzibar quokka marmalade xylophone fjord gazebo kumquat nebula obelisk pagoda quasar rhubarb "
             "sarsaparilla tamarind umbrella vortex walrus yodel zeppelin")


def test_texts_another_transaction_commits_while_an_article_is_matched_count_in_its_priorities(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL computes an article's priorities before writing its items, under the fold's lock, from the
    index or from what the process kept. Another transaction may still commit texts meanwhile (a checker's
    restatements: they wait to be counted, as the lock is held). The ingest's fold then takes them, and the
    priorities are computed again with them: every stored priority, and the last history line of each, is
    what an ingest computes with nothing kept after everything is written."""
    from factcheck import migrate
    from factcheck.db import Database, session_scope
    from factcheck.domain.workflow import AuditAction, RelationType
    from factcheck.facts import _closest
    from factcheck.models import ItemRelation, User
    from factcheck.services.sources import compute_priority
    from tests.conftest import PG_URL, scratch_schema

    if not PG_URL:
        pytest.skip("needs PostgreSQL (FACTCHECK_TEST_DATABASE_URL): SQLite's writers queue, so no other "
                    "transaction commits while an ingest writes")
    with scratch_schema("kept_race") as url:
        migrate.upgrade(url)
        writer, other = Database(url), Database(url)
        KEPT_TERMS.clear()
        try:
            with session_scope(writer.sessionmaker) as session:
                user_id = gen_user(session).id
            earlier: list[int] = []
            for title in ("Harbour news", "Harbour news, updated"):
                with session_scope(writer.sessionmaker) as session:
                    earlier += ingest_article(session, ARTICLES[0].replace("Harbour news", title), actor=None).item_ids
            original = ingest_service.texts_stamp

            def stamp_then_others_commit(session):  # type: ignore[no-untyped-def]
                stamp = original(session)
                monkeypatch.setattr(ingest_service, "texts_stamp", original)  # once
                with session_scope(other.sessionmaker) as edits:
                    actor = edits.get(User, user_id)
                    for item_id in earlier:
                        edit_item(edits, item_id, actor, version=edits.get(CheckItem, item_id).version,
                                  restatement=UNRELATED)
                return stamp

            monkeypatch.setattr(ingest_service, "texts_stamp", stamp_then_others_commit)
            with session_scope(writer.sessionmaker) as session:
                ids = ingest_article(session, ARTICLES[0].replace("Harbour news", "Harbour news, corrected"),
                                     actor=None).item_ids
            assert ingest_service.texts_stamp is original, "the other transaction committed during the ingest"
            with session_scope(writer.sessionmaker) as session:
                items = [session.get(CheckItem, item_id) for item_id in ids]
                assert all(item.restatement == UNRELATED for item in map(session.get, [CheckItem] * len(earlier),
                                                                          earlier))
                ranked = rank_many(session, [item.claim_text for item in items], before_id=min(ids), limit=1)
                repeating = set(session.scalars(select(ItemRelation.item_id).where(
                    ItemRelation.item_id.in_(ids), ItemRelation.type == RelationType.REPEATS)))
                for item, matches in zip(items, ranked):
                    similarity = 1.0 if item.id in repeating else _closest(matches)
                    fresh = compute_priority(session, item, matches={item.id: similarity})
                    assert round(item.priority, 6) == round(fresh, 6), (item.id, item.priority, fresh)
                    lines = session.scalars(select(AuditEvent).where(
                        AuditEvent.item_id == item.id, AuditEvent.action == AuditAction.PRIORITY)
                        .order_by(AuditEvent.id)).all()
                    assert len(lines) <= 1 and (lines[-1].payload["priority"][1] if lines else item.checkworthiness) \
                        == pytest.approx(item.priority)
        finally:
            KEPT_TERMS.clear()
            writer.dispose()
            other.dispose()
