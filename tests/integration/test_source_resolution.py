"""Finding an article's sources at once gives what finding them one by one gives, in a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.domain.workflow import AuditEntity, SourceKind
from factcheck.models import AuditEvent, Source, SourceAlias
from factcheck.services.sources import find_or_create_source, find_or_create_sources, find_sources
from tests.factories import gen_source
from tests.helpers import recorded_statements

#: Names as an article's chains give them: spelling variants, surnames (one shared by two known
#: people), a source merged into another, whitespace, a name met twice, and a new person first
#: named in full and then by surname.
NAMES = [
    ("Zelensky", SourceKind.PERSON),
    ("President Volodymyr  Zelenskyy", SourceKind.PERSON),
    ("Smith", SourceKind.PERSON),
    ("Alice Smith", SourceKind.PERSON),
    ("Old Ministry Name", SourceKind.ORGANISATION),
    ("Kira Novak", SourceKind.PERSON),
    ("Novak", SourceKind.PERSON),
    ("K. Novak", SourceKind.PERSON),
    ("the ministry", SourceKind.UNNAMED),
    ("Zelensky", SourceKind.PERSON),
    ("Brand New Agency", SourceKind.ORGANISATION),
    ("Novak", SourceKind.UNNAMED),
    ("Mary Jones", SourceKind.PERSON),
]


def _known_sources(session) -> None:
    gen_source(session, "Volodymyr Zelenskyy")
    gen_source(session, "Alice Smith")
    gen_source(session, "Robert Smith")
    gen_source(session, "Robert Jones")
    old = gen_source(session, "Old Ministry Name", SourceKind.ORGANISATION)
    new = gen_source(session, "Ministry of Health", SourceKind.ORGANISATION)
    old.merged_into_id = new.id
    session.flush()


def _outcome(session, found: dict, known: set[int]) -> dict:
    """What each name resolved to, every alias and every source event, with new sources by name (ids differ)."""
    session.flush()

    def ref(source: Source) -> str:
        return f"#{source.id}" if source.id in known else f"new {source.name} ({source.kind.value})"

    return {
        "found": {name: ref(source) for name, source in found.items()},
        "aliases": sorted((ref(a.source), a.name, a.key) for a in session.scalars(select(SourceAlias))),
        "events": [(e.action.value, e.payload) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.entity == AuditEntity.SOURCE).order_by(AuditEvent.id))],
    }


def test_names_found_at_once_resolve_as_they_do_one_by_one(session):
    _known_sources(session)
    known = set(session.scalars(select(Source.id)))
    one_by_one = session.begin_nested()
    found = {(name, kind.value): find_or_create_source(session, name, kind) for name, kind in NAMES}
    expected = _outcome(session, found, known)
    one_by_one.rollback()
    at_once = _outcome(session, find_or_create_sources(session, NAMES), known)
    assert at_once == expected
    assert expected["found"]["Zelensky", "person"] == expected["found"]["President Volodymyr  Zelenskyy", "person"]
    assert expected["found"]["Smith", "person"].startswith("new")  # two known Smiths: neither is meant
    assert expected["found"]["Novak", "person"] == "new Kira Novak (person)"
    assert expected["found"]["Mary Jones", "person"] == "new Mary Jones (person)"  # not Robert Jones
    assert expected["found"]["Old Ministry Name", "organisation"] != f"#{min(known)}"


def test_finding_many_names_costs_the_same_statements_as_finding_a_few(session):
    _known_sources(session)
    # Both find the one merged source (a name of a source merged into another is followed to it, one lookup
    # for each merged source met: both meet one).
    few_names = [*NAMES[:3], ("Old Ministry Name", SourceKind.ORGANISATION)]
    many_names = NAMES + [(f"Speaker{n} Family{n}", SourceKind.PERSON) for n in range(40)]
    savepoint = session.begin_nested()
    session.connection()  # the SAVEPOINT sent now, not counted as the first statement of the few names
    # Both start from nothing loaded (a rollback expires what the session holds, so the many names would
    # read again what the few found in memory).
    session.expire_all()
    with recorded_statements(session.get_bind()) as few:
        find_or_create_sources(session, few_names)
        session.flush()
    savepoint.rollback()
    session.expire_all()
    with recorded_statements(session.get_bind()) as many:
        found = find_or_create_sources(session, many_names)
        session.flush()
    assert len({source.id for source in found.values()}) >= 40
    assert len(many) == len(few), (few, many)


#: Names whose keys end in every way a key can: one word, several, titles, folded accents, a doubled letter.
LAST_WORDS = ["Putin", "Vladimir Putin", "President Volodymyr Zelenskyy", "João da Silva", "Seán O'Brien",
              "Dr. Anna-Lena Müller", "Kim Jong Un", "Bloomberg's sources"]


def test_the_last_word_of_a_name_key_is_the_one_the_index_of_last_words_holds(session):
    from factcheck.services.sources import LAST_WORD

    find_or_create_sources(session, [(name, SourceKind.PERSON) for name in LAST_WORDS])
    last_word = LAST_WORD[session.get_bind().dialect.name]
    rows = session.execute(select(SourceAlias.key, last_word)).all()
    assert len(rows) >= len(LAST_WORDS) - 1  # ("Putin" may be found as Vladimir Putin's)
    assert all(word == key.split(" ")[-1] for key, word in rows), rows


def test_the_people_a_surname_may_mean_are_read_through_the_index_of_last_words(session):
    from sqlalchemy import event

    gen_source(session, "Vladimir Putin")
    gen_source(session, "Sergei Lavrov")
    session.flush()
    asked = []

    def capture(_conn, _cursor, statement, parameters, *_args):  # type: ignore[no-untyped-def]
        if "replace(source_aliases.key" in statement:
            asked.append((statement, parameters))

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        found = find_or_create_sources(session, [("Putin", SourceKind.PERSON)])  # an article's names at once
        one = find_sources(session, "Lavrov")  # one name, as the source picker resolves it
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert found["Putin", SourceKind.PERSON.value].name == "Vladimir Putin"
    assert [source.name for source in one] == ["Sergei Lavrov"]
    assert len(asked) == 2, asked  # the people the surname may mean, in one statement each time
    cursor = session.connection().connection.cursor()
    if session.get_bind().dialect.name == "postgresql":
        cursor.execute("SET LOCAL enable_seqscan = off")  # (a small table is read whole otherwise)
    for statement, parameters in asked:
        if session.get_bind().dialect.name == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        else:
            cursor.execute(f"EXPLAIN {statement}", parameters)
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "ix_source_aliases_last_word" in plan, plan
