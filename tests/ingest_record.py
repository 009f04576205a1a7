"""What an ingest of real articles stored, in a form two runs can be compared by (and its recording).

``tests/integration/test_ingest_expectations.py`` ingests PolNeAR dev articles, dumps what was
stored with ``dump`` and compares it with ``tests/data/ingest_expectations.json.gz``, which was written
by the ingest before it wrote an article's rows in batches (commit 4ede110: sources found one name
at a time, items and chains inserted by the ORM, one UPDATE and one history line per priority). The extractor's output was recorded with it and is
replayed (``replaying``), so that changes to the extraction rules do not change what is compared:
the test is about storing, not about reading. No article text is stored in the file: claims are
cut from the articles (../shared/data) by their spans, and compared by digest.

Write the file again (only after a deliberate change to what ingest stores):
``python -m tests.ingest_record postgresql+psycopg://…`` (SQLite is always recorded).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from factcheck.domain.extract import Assertion, Dropped, Extraction, Link, Relation
from factcheck.facts import rank_items
from factcheck.models import Article, AuditEvent, ChainLink, CheckItem, ItemRelation, Source, SourceAlias

EXPECTATIONS = Path(__file__).resolve().parent / "data" / "ingest_expectations.json.gz"
POLNEAR_TEXTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear-dev" / "text"
#: How many PolNeAR dev articles (in order of name) are ingested: enough for claims of later
#: articles to match earlier ones and raise their priority.
ARTICLES = 20


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def article_names(folder: Path = POLNEAR_TEXTS) -> list[str]:
    """The first ``ARTICLES`` PolNeAR dev articles by name."""
    return sorted(path.stem for path in folder.glob("*.txt"))[:ARTICLES]


def recorded_extraction(extraction: Extraction) -> dict[str, Any]:
    """The extractor's output without its texts (each is the article's text at its span)."""
    return {
        "assertions": [{"id": a.id, "start": a.start, "end": a.end,
                        "chain": [[link.name, link.kind, link.role] for link in a.chain],
                        "hedges": list(a.hedges), "dates": list(a.dates),
                        "relations": [[r.type, r.target] for r in a.relations],
                        "checkworthiness": a.checkworthiness} for a in extraction.assertions],
        "dropped": [[d.start, d.end, d.reason] for d in extraction.dropped],
    }


def replayed_extraction(recorded: dict[str, Any], text_: str) -> Extraction:
    """The recorded output again, its texts cut from ``text_`` (the normalised article)."""
    return Extraction(
        assertions=tuple(Assertion(a["id"], text_[a["start"]:a["end"]], a["start"], a["end"],
                                   chain=tuple(Link(*link) for link in a["chain"]), hedges=tuple(a["hedges"]),
                                   dates=tuple(a["dates"]), relations=tuple(Relation(*r) for r in a["relations"]),
                                   checkworthiness=a["checkworthiness"]) for a in recorded["assertions"]),
        dropped=tuple(Dropped(text_[start:end], start, end, reason) for start, end, reason in recorded["dropped"]),
    )


@contextmanager
def replaying(module: Any, recorded: list[dict[str, Any]]) -> Iterator[None]:
    """``module.extract`` returns the recorded extractions, in order, one per call."""
    real = module.extract
    pending = iter(recorded)
    module.extract = lambda text_: replayed_extraction(next(pending), text_)
    try:
        yield
    finally:
        module.extract = real


def dump(session: Session) -> dict[str, Any]:
    """Everything ingest stores, with ids replaced by what they stand for (ids differ between runs)."""
    session.flush()
    articles = {a.id: n for n, a in enumerate(session.scalars(select(Article).order_by(Article.id)))}
    items = session.scalars(select(CheckItem).order_by(CheckItem.id)).all()
    item_ref = {i.id: [articles[i.article_id], i.span_start] for i in items}
    sources = session.scalars(select(Source).order_by(Source.id)).all()
    source_ref = {s.id: f"{s.name} ({s.kind.value})" for s in sources}
    aliases: dict[int, list[str]] = {}
    for alias in session.scalars(select(SourceAlias).order_by(SourceAlias.id)):
        aliases.setdefault(alias.source_id, []).append(alias.key)
    chains: dict[int, list[list[Any]]] = {}
    for link in session.scalars(select(ChainLink).order_by(ChainLink.item_id, ChainLink.position)):
        chains.setdefault(link.item_id, []).append([link.position, source_ref[link.source_id], link.verb])

    def entity_ref(event: AuditEvent) -> Any:
        if event.entity_id is None:
            return None
        table = {"article": articles, "item": item_ref, "source": source_ref}[event.entity.value]
        return table[event.entity_id]

    return {
        "articles": [[_digest(a.title), _digest(a.text), a.dropped, source_ref.get(a.outlet_id or 0)]
                     for a in session.scalars(select(Article).order_by(Article.id))],
        "sources": [[source_ref[s.id], s.domain, s.merged_into_id, aliases.get(s.id, [])] for s in sources],
        "items": [[item_ref[i.id], i.span_end, _digest(i.claim_text), source_ref.get(i.claimant_id or 0),
                   i.status.value, i.priority, i.priority_is_manual, i.checkworthiness, i.hedges, i.dates,
                   i.origin.value, i.version, chains.get(i.id, [])] for i in items],
        "relations": [[item_ref[r.item_id], item_ref[r.target_id], r.type.value]
                      for r in session.scalars(select(ItemRelation).order_by(ItemRelation.id))],
        "events": [[e.action.value, e.entity.value, entity_ref(e), item_ref.get(e.item_id or 0), e.from_status,
                    e.to_status, e.actor_id, _without_text(e.payload)]
                   for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))],
        "matches": [[item_ref[i.id], [[item_ref[m.item_id], m.score.similarity, round(m.score.rank, 9)]
                                      for m in rank_items(session, i.claim_text, exclude_id=i.id)]]
                    for i in items],
    }


def _without_text(payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload with an article's title (its text) as a digest."""
    return {k: _digest(v) if k == "title" else v for k, v in payload.items()}


def ingest_all(session: Session, texts: list[str], ingest: Callable[..., Any]) -> None:
    """Ingest ``texts`` in order, each as ``factcheck ingest`` does (the caller's transaction holds them all)."""
    for text_ in texts:
        ingest(session, text_, actor=None)
        session.flush()


def _record(url: str, texts: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from factcheck import migrate
    from factcheck.db import Database
    from factcheck.domain.extract import extract
    from factcheck.services import ingest as ingest_service, reading

    if not url.startswith("sqlite"):
        database = Database(url)
        with database.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        database.dispose()
    migrate.upgrade(url)
    database = Database(url)
    extractions = [recorded_extraction(extract(ingest_service.normalise_article_text(t))) for t in texts]
    with database.sessionmaker() as session:
        with replaying(reading, extractions):
            ingest_all(session, texts, ingest_service.ingest_article)
        stored = dump(session)
        session.rollback()
    database.dispose()
    return extractions, stored


def main() -> None:
    """Record the expectations on SQLite and on the PostgreSQL database given (emptied first)."""
    names = article_names()
    texts = [(POLNEAR_TEXTS / f"{name}.txt").read_text(encoding="utf-8") for name in names]
    with tempfile.TemporaryDirectory() as folder:
        extractions, on_sqlite = _record(f"sqlite:///{folder}/record.sqlite3", texts)
    recorded: dict[str, Any] = {"articles": names, "extractions": extractions, "sqlite": on_sqlite}
    if len(sys.argv) > 1:
        recorded["postgresql"] = _record(sys.argv[1], texts)[1]
    EXPECTATIONS.parent.mkdir(exist_ok=True)
    EXPECTATIONS.write_bytes(gzip.compress(json.dumps(recorded, separators=(",", ":"), ensure_ascii=False).encode(), mtime=0))


def expectations() -> dict[str, Any]:
    """The recorded articles, extractions and dumps (see ``main``)."""
    return json.loads(gzip.decompress(EXPECTATIONS.read_bytes()))


if __name__ == "__main__":
    main()
