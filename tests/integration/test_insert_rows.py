"""Many rows written with one statement on either database (``services.audit.insert_rows``)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DataError, IntegrityError

from factcheck.domain.workflow import AuditAction, AuditEntity, SourceKind
from factcheck.models import AuditEvent, CheckItem, Source, SourceAlias
from factcheck.services.audit import event_row, insert_rows, record_events, table


def _executions(session):
    """Each statement the session's connection runs, with the number of parameter sets it was given
    (several: the driver's executemany, which psycopg runs once per row)."""
    runs: list[tuple[str, int]] = []

    def listener(_conn, _cursor, statement, parameters, _context, executemany):  # type: ignore[no-untyped-def]
        runs.append((statement, len(parameters) if executemany else 1))

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", listener)
    return runs, lambda: event.remove(engine, "before_cursor_execute", listener)


def test_many_history_lines_are_one_statement_run_once_in_the_order_given(session):
    session.flush()
    rows = [event_row(action=AuditAction.PRIORITY if n % 2 else AuditAction.CREATE, entity=AuditEntity.SOURCE,
                      entity_id=n, actor=None, to_status="claim" if n == 3 else None,
                      payload={"n": n, "words": ["a", "b"], "nested": {"x": None}}) for n in range(40)]
    runs, stop = _executions(session)
    try:
        record_events(session, rows)
    finally:
        stop()
    inserts = [(statement, sets) for statement, sets in runs if statement.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    if session.get_bind().dialect.name == "postgresql":
        assert inserts[0][1] == 1  # one run on the server, not one per row
    stored = session.scalars(select(AuditEvent).where(AuditEvent.entity == AuditEntity.SOURCE)
                             .order_by(AuditEvent.id)).all()[-40:]
    assert [(e.entity_id, e.action, e.to_status, e.payload) for e in stored] == [
        (n, AuditAction.PRIORITY if n % 2 else AuditAction.CREATE, "claim" if n == 3 else None,
         {"n": n, "words": ["a", "b"], "nested": {"x": None}}) for n in range(40)]
    assert all(e.created_at is not None and e.item_id is None and e.actor_id is None for e in stored)


def test_a_value_too_long_for_its_column_is_refused_not_cut(session):
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite does not bound text by its declared length (and cuts nothing either)")
    source = Source(kind=SourceKind.PERSON, name="A spokesperson")
    session.add(source)
    session.flush()
    too_long = "x" * 201  # source_aliases.name holds 200
    with pytest.raises((DataError, IntegrityError)):
        with session.begin_nested():
            insert_rows(session, table(SourceAlias), [
                {"source_id": source.id, "name": "a spokesperson", "key": "a spokesperson"},
                {"source_id": source.id, "name": too_long, "key": "another key"}])
    assert session.scalars(select(SourceAlias).where(SourceAlias.source_id == source.id)).all() == []


def test_a_unique_key_met_twice_fails_the_whole_statement(session):
    source = Source(kind=SourceKind.PERSON, name="An analyst")
    session.add(source)
    session.flush()
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            insert_rows(session, table(SourceAlias), [
                {"source_id": source.id, "name": "an analyst", "key": "an analyst"},
                {"source_id": source.id, "name": "An Analyst", "key": "an analyst"}])
    assert session.scalars(select(SourceAlias).where(SourceAlias.source_id == source.id)).all() == []


def test_rows_must_name_the_same_columns(session):
    with pytest.raises(ValueError, match="same columns"):
        insert_rows(session, table(SourceAlias), [{"source_id": 1, "name": "a", "key": "a"},
                                                  {"source_id": 1, "name": "b"}])


def test_a_json_value_that_is_a_list_is_one_value(session):
    """Lists in a JSON column (an item's hedges, their spans, its dates) are each row's value, of any length,
    not rows of an array of arrays."""
    rows = [{"claim_text": f"Claim {n}", "hedges": hedges, "hedge_spans": spans, "dates": dates}
            for n, (hedges, spans, dates) in enumerate([
                (["reportedly", "allegedly"], [{"label": "reportedly", "start": 0, "end": 10}], ["2024-01-02"]),
                ([], [], []),
                (["sources say"], [], [["nested", 1]]),
            ])]
    insert_rows(session, table(CheckItem), rows)
    stored = session.scalars(select(CheckItem).where(CheckItem.claim_text.like("Claim %")).order_by(CheckItem.id)).all()
    assert [(i.claim_text, i.hedges, i.hedge_spans, i.dates) for i in stored] == [
        (r["claim_text"], r["hedges"], r["hedge_spans"], r["dates"]) for r in rows]
