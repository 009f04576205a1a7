"""Ingest stores an article, its items, sources and relations in one transaction."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factcheck.domain.extract import Assertion, Extraction, Link, Relation
from factcheck.domain.workflow import RelationType, SourceKind, Status
from factcheck.models import Article, AuditEvent, CheckItem, ItemRelation, Source
from factcheck.services import ingest as ingest_service
from factcheck.services import reading as reading_service
from factcheck.services.errors import Duplicate, InvalidInput
from factcheck.services.ingest import ingest_article
from factcheck.services.sources import compute_priority, find_source
from factcheck.facts import KEPT_TERMS, Unwritten, best_match_similarity, rank_many
from factcheck.domain.matching import PRIORITY_MATCH
from tests.helpers import recorded_statements

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_577d28931b450a74.txt").read_text(encoding="utf-8")


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar()


def test_the_seed_article_becomes_items_in_claim_with_exact_spans(session):
    result = ingest_article(session, SEED, actor=None, outlet="The New Voice of Ukraine")
    article = result.article
    assert article.outlet.kind is SourceKind.OUTLET
    assert len(result.items) >= 6
    for item in result.items:
        assert item.status is Status.CLAIM
        assert article.text[item.span_start:item.span_end] == item.claim_text
        assert "Read also" not in item.claim_text
    assert article.dropped and all(d["reason"] for d in article.dropped)


def test_the_carlson_claim_keeps_its_three_link_chain_and_the_denial_points_at_it(session):
    result = ingest_article(session, SEED, actor=None)
    carlson = next(i for i in result.items if "off the record" in i.claim_text)
    assert [(link.source.name, link.verb) for link in carlson.chain][:2] == [
        ("Vladimir Putin", "told"), ("Tucker Carlson", "stated")]
    assert carlson.chain[-1].source.name == "Russian media"
    assert carlson.chain[-1].source.kind is SourceKind.UNNAMED
    assert carlson.claimant.name == "Vladimir Putin"
    assert "off the record" in carlson.hedges
    denial = session.scalars(select(ItemRelation).where(ItemRelation.target_id == carlson.id)).one()
    assert denial.type is RelationType.DENIES
    assert "denied this statement" in denial.item.claim_text


def test_putin_is_one_source_across_the_whole_article(session):
    ingest_article(session, SEED, actor=None)
    assert _count(session, Source) == session.execute(
        select(func.count(func.distinct(Source.name)))).scalar()
    putins = session.scalars(select(Source).where(Source.name.like("%Putin%"))).all()
    assert [p.name for p in putins] == ["Vladimir Putin"]


def test_spelling_variants_of_a_name_are_one_source(session):
    ingest_article(session, "President Volodymyr Zelenskyy said that Ukraine would not cede any territory.",
                   actor=None)
    ingest_article(session, "Zelensky said on Tuesday that the army had retaken two villages near the border.",
                   actor=None)
    zelensky = find_source(session, "Zelensky")
    assert zelensky is not None and find_source(session, "Volodymyr Zelenskyy") is zelensky
    assert _count(session, Source) == 1


def test_ingesting_the_same_text_again_says_so_and_changes_nothing(session):
    ingest_article(session, SEED, actor=None)
    before = (_count(session, Article), _count(session, CheckItem), _count(session, AuditEvent))
    with pytest.raises(Duplicate, match="already in factcheck"):
        ingest_article(session, SEED.replace("\n", "\r\n") + "\n\n", actor=None)
    assert (_count(session, Article), _count(session, CheckItem), _count(session, AuditEvent)) == before


@pytest.mark.parametrize(("text", "url", "message"), [
    ("", None, "empty"),
    ("   \n\t ", None, "empty"),
    ("The minister said the plant will close.", "javascript:alert(1)", "http"),
])
def test_unusable_input_is_refused_with_a_plain_message(session, text, url, message):
    with pytest.raises(InvalidInput, match=message):
        ingest_article(session, text, actor=None, url=url)
    assert _count(session, Article) == 0


def test_a_failure_in_the_middle_of_an_ingest_leaves_nothing_behind(session, monkeypatch):
    written = {}

    def failing_history(items, actor):
        # The article, its sources, items and chains are written by now; their history is not.
        written["rows"] = (_count(session, Article), _count(session, CheckItem), _count(session, Source))
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_service, "created_events", failing_history)
    savepoint = session.begin_nested()  # the request's transaction, as the web layer holds it
    with pytest.raises(RuntimeError):
        ingest_article(session, SEED, actor=None)
    savepoint.rollback()
    assert written["rows"][0] == 1 and written["rows"][1] >= 6 and written["rows"][2] > 0
    assert (_count(session, Article), _count(session, CheckItem), _count(session, Source),
            _count(session, AuditEvent)) == (0, 0, 0, 0)


def test_the_seed_article_stores_no_two_items_whose_spans_overlap(session):
    result = ingest_article(session, SEED, actor=None)
    spans = sorted((item.span_start, item.span_end) for item in result.items)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start, spans


def test_overlapping_assertions_are_stored_as_the_fuller_item_only(session, monkeypatch):
    text = "The ministry said the dam held. Engineers denied this statement and called it another lie."
    denial_start = text.index("Engineers")

    def overlapping_extraction(_text):
        engineers = (Link("Engineers", "unnamed", "denied"),)
        return Extraction(assertions=(
            Assertion("a1", text[:30], 0, 30, chain=(Link("ministry", "unnamed", "said"),)),
            Assertion("a2", text[denial_start:text.index(" and")], denial_start, text.index(" and"),
                      chain=engineers, relations=(Relation("denies", "a1"),)),
            Assertion("a3", text[denial_start:], denial_start, len(text), chain=engineers,
                      relations=(Relation("denies", "a1"),)),
        ))

    monkeypatch.setattr(reading_service, "extract", overlapping_extraction)
    result = ingest_article(session, text, actor=None)
    assert [item.claim_text for item in result.items] == [text[:30], text[denial_start:]]
    denial = session.scalars(select(ItemRelation)).one()
    assert (denial.item, denial.target, denial.type) == (result.items[1], result.items[0], RelationType.DENIES)


def _statements_to_ingest(session, text):
    from tests.helpers import recorded_statements

    savepoint = session.begin_nested()
    KEPT_TERMS.clear()  # what a batch keeps only spares statements: counted without it
    with recorded_statements(session.get_bind()) as statements:
        result = ingest_article(session, text, actor=None)
        session.flush()
    savepoint.rollback()
    return len(result.item_ids), statements


def test_an_article_with_many_items_costs_the_same_statements_as_one_with_few(session):
    speakers = ["The port director", "The harbour authority", "The regional governor", "Oxfam", "The pilots' union",
                "The ministry"]
    ingest_article(session, "Earlier report\n\n" + " ".join(
        f"{speaker} said that the port handled {n} thousand ships and cut fees by {n} percent."
        for n, speaker in enumerate(speakers)), actor=None)
    session.flush()

    def article(numbers: list[int]) -> str:
        # A speaker's later statements repeat their first word for word (a "repeats" relation in both articles).
        return "Harbour news\n\n" + " ".join(
            f"{speakers[n % len(speakers)]} said that the port handled {n % len(speakers) + 3} thousand ships "
            f"in {1990 + n % len(speakers)} and that fees fell by {n % len(speakers)} percent. "
            "Sources said this was roughly correct."
            for n in numbers)

    few, few_statements = _statements_to_ingest(session, article([0, 6]))
    many, many_statements = _statements_to_ingest(session, article(list(range(24))))
    assert few >= 2 and many >= 10 * few
    assert all(any(s.startswith("INSERT INTO item_relations") for s in statements)
               for statements in (few_statements, many_statements)), "both articles write relations"
    assert len(many_statements) == len(few_statements), "\n".join(difflib.unified_diff(
        [s.split("\n")[0][:70] for s in few_statements], [s.split("\n")[0][:70] for s in many_statements], lineterm=""))


def _ingest_twice_from(session, start: int, texts: list[str]) -> list:
    """Ingest ``texts`` with item ids from ``start`` (in a savepoint rolled back after): each item's span,
    priority and the history lines of the items, as stored."""
    session.execute(text("SELECT setval(pg_get_serial_sequence('check_items', 'id'), :start, false)"),
                    {"start": start})
    savepoint = session.begin_nested()
    for text_ in texts:
        ingest_article(session, text_, actor=None)
    session.flush()
    items = session.scalars(select(CheckItem).order_by(CheckItem.id)).all()
    articles = sorted({item.article_id for item in items})  # their ids differ between the two runs
    stored = [(articles.index(item.article_id), item.claim_text, item.priority) for item in items]
    history = [(event.action.value, event.payload) for event in session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "item").order_by(AuditEvent.id))]
    savepoint.rollback()
    return [stored, history]


def test_items_matched_before_they_are_written_get_the_priorities_and_history_of_matching_after(session, monkeypatch):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite writes an article's items first and updates their priorities (an UPDATE costs it little)")
    # The second article repeats the first one's claims, so matches raise priorities.
    texts = [SEED, SEED.replace("Putin", "Vladimir Putin") + "\n\nThis article was updated."]
    start = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1
    with recorded_statements(session.get_bind()) as statements:
        before_writing = _ingest_twice_from(session, start, texts)
    assert not [s for s in statements if s.startswith("UPDATE check_items ")], "each item is written once"
    monkeypatch.setattr(ingest_service, "_priorities_before_writing", lambda *args: None)
    with recorded_statements(session.get_bind()) as statements:
        after_writing = _ingest_twice_from(session, start, texts)
    assert [s for s in statements if s.startswith("UPDATE check_items ")]
    earlier = {claim: priority for article, claim, priority in after_writing[0] if article == 0}
    assert any(priority > earlier.get(claim, 1.0) for article, claim, priority in after_writing[0]
               if article == 1), "a repeated claim's match raised its priority"
    assert before_writing == after_writing


def test_a_word_only_the_index_can_count_makes_ingest_match_after_writing(session, monkeypatch):
    calls = []
    real = ingest_service._priorities_before_writing

    def spy(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(ingest_service, "_priorities_before_writing", spy)
    ingest_article(session, "The mayor of Moscow said that Москва would close 40 schools in March.", actor=None)
    result = ingest_article(session, "A deputy said that Москва would close 40 schools in March, as the mayor said.",
                            actor=None)
    if session.get_bind().dialect.name == "postgresql":
        assert calls and calls[-1] is None  # the non-ASCII word is counted in the index, after writing
    else:
        assert not calls
    # What it stored is what computing the priority afresh gives (the second claim matches the first).
    assert [item.priority for item in result.items] == [compute_priority(session, item) for item in result.items]
    assert best_match_similarity(session, result.items[0]) >= PRIORITY_MATCH


def test_an_ingest_while_another_transaction_folds_the_counts_stores_the_same_priorities(session, database):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL folds under an advisory lock; SQLite's writers queue")
    texts = [SEED, SEED.replace("Putin", "Vladimir Putin") + "\n\nThis article was updated."]
    start = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1
    alone = _ingest_twice_from(session, start, texts)
    with database.engine.connect() as other:  # another ingest folding at the same moment
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ingest_service.FOLD_LOCK})
        try:
            with recorded_statements(session.get_bind()) as statements:
                beside_another = _ingest_twice_from(session, start, texts)
        finally:
            other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ingest_service.FOLD_LOCK})
    # Its items were written first and their priorities updated after, counted in the index.
    assert [s for s in statements if s.startswith("UPDATE check_items ")]
    assert beside_another == alone


@pytest.mark.parametrize("bound", [{"before_id": 1}, {"own_counts": {}}])
def test_ranking_unwritten_items_refuses_a_second_earlier_items_bound_or_counts(session, bound):
    ingest_article(session, "The harbour authority said that the port handled 3 thousand ships in 1990.", actor=None)
    unwritten = Unwritten(first_id=10_000, last_id=10_000, counts={}, highest_written=9_999)
    with pytest.raises(TypeError, match="pass neither"):
        rank_many(session, ["The port handled 3 thousand ships in 1990."], unwritten=unwritten, **bound)
    # Given alone, it ranks the stored item as earlier than the unwritten one.
    [found] = rank_many(session, ["The port handled 3 thousand ships in 1990."], unwritten=unwritten)
    assert found and found[0].item_id == session.scalar(select(CheckItem.id))


#: An article whose third claim repeats its first (a "repeats" relation), one of them relayed by unnamed officials.
REPEATING = ("Harbour news\n\n"
             "The harbour authority said that the port handled 3 thousand ships in 1990 and that fees fell by "
             "2 percent. "
             "Officials said the new crane would cost 40 million euros, according to local media. "
             "The harbour authority said again that the port handled 3 thousand ships in 1990 and that fees fell "
             "by 2 percent.")


def test_an_item_repeating_another_of_its_article_gets_the_priority_of_a_perfect_match_in_either_write_order(
        session, monkeypatch):
    assertions = reading_service.extract(REPEATING).to_dict()["assertions"]
    assert [(a["id"], r["type"], r["target"]) for a in assertions for r in a["relations"]] == [
        ("a3", "repeats", "a1")], "the extractor finds the in-article repeat this test is about"
    if session.get_bind().dialect.name == "postgresql":
        start = (session.scalar(select(func.max(CheckItem.id))) or 0) + 1
        with recorded_statements(session.get_bind()) as statements:
            before_writing = _ingest_twice_from(session, start, [REPEATING])
        assert not [s for s in statements if s.startswith("UPDATE check_items ")], "each item is written once"
        monkeypatch.setattr(ingest_service, "_priorities_before_writing", lambda *args: None)
        after_writing = _ingest_twice_from(session, start, [REPEATING])
        assert before_writing == after_writing
        monkeypatch.undo()
    items = ingest_article(session, REPEATING, actor=None).items
    relation = session.scalars(select(ItemRelation)).one()
    assert (relation.item, relation.target, relation.type) == (items[2], items[0], RelationType.REPEATS)
    # No earlier article matches it, so only the repeat raises its priority above its twin's.
    assert best_match_similarity(session, items[2]) == 0.0
    assert items[2].priority > items[0].priority
    # Each stored priority is what computing it afresh from the stored item gives (a recorded repeat included).
    assert [item.priority for item in items] == [compute_priority(session, item) for item in items]
