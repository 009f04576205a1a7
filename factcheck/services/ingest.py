"""Ingest: an article's text becomes an article, its check items, their sources and relations.

One call, one transaction: the caller commits, so a failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factcheck.domain.extract import extract
from factcheck.domain.names import domain_key
from factcheck.domain.workflow import AuditAction, AuditEntity, Origin, RelationType, SourceKind
from factcheck.facts import best_match_similarities
from factcheck.models import Article, CheckItem, ItemRelation, User
from factcheck.services.audit import record_event
from factcheck.services.errors import Duplicate, InvalidInput
from factcheck.services.items import LinkInput, new_item, record_created
from factcheck.services.sources import compute_priority, find_or_create_source, find_or_create_sources, store_priorities
from factcheck.standings import standings

MAX_ARTICLE_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What an ingest stored."""

    article: Article
    items: list[CheckItem]
    dropped: int


def normalise_article_text(text: str) -> str:
    """The form articles are stored and hashed in: Unix newlines, no trailing space, no NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same article is ingested once."""
    return hashlib.sha256(normalise_article_text(text).encode("utf-8")).hexdigest()


def find_article_by_text(session: Session, text: str) -> Article | None:
    """The article already stored with this text, if any."""
    return session.scalars(select(Article).where(Article.content_hash == content_hash(text))).first()


def _without_overlaps(assertions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assertions in text order, leaving out any whose span overlaps a fuller one kept before it.

    The extractor never returns overlapping spans; this keeps it so for stored articles, whose
    page highlights every item's span once.
    """
    kept: list[dict[str, Any]] = []
    for assertion in sorted(assertions, key=lambda a: (a["start"], -a["end"])):
        if not kept or assertion["start"] >= kept[-1]["end"]:
            kept.append(assertion)
    return kept


def _claim_content_hash(session: Session) -> None:
    """Write the new article row first, so the unique content hash decides between two identical ingests.

    The check above cannot see an ingest of the same text that has not committed yet. On PostgreSQL
    the second INSERT waits for the first transaction and then fails on the unique index; that is
    the same duplicate, reported as one. (SQLite's writers queue, so the check above sees it.)
    The session must be rolled back after this refusal, as after any failed flush.
    """
    try:
        session.flush()
    except IntegrityError as exc:
        if "content_hash" not in str(exc.orig):
            raise
        raise Duplicate("Somebody added this article at the same moment, so it is in factcheck once, as "
                        "theirs. Nothing was changed.") from None


def _default_title(text: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "Untitled article")
    return first[:500]


def ingest_article(
    session: Session,
    text: str,
    *,
    actor: User | None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published_on: dt.date | None = None,
) -> IngestResult:
    """Store the article with every assertion the extractor finds as a check item in ``claim``."""
    text = normalise_article_text(text or "")
    if not text.strip():
        raise InvalidInput("The article is empty: paste its text or upload a .txt or .html file.")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InvalidInput(f"The article is longer than {MAX_ARTICLE_CHARS:,} characters; split it up.")
    url = (url or "").strip() or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("The article's URL must start with http:// or https://.")
    # Extraction reads nothing stored, so it runs before the first statement: on SQLite that
    # statement takes the write lock, and a long article must not hold it while it is read.
    extraction = extract(text).to_dict()
    assertions = _without_overlaps(extraction["assertions"])
    digest = content_hash(text)
    existing = session.scalars(select(Article).where(Article.content_hash == digest)).first()
    if existing is not None:
        raise Duplicate(f"This article is already in factcheck as article #{existing.id} "
                        f"(“{existing.title}”). Nothing was changed.")
    article = Article(
        title=((title or "").strip() or _default_title(text))[:500],
        url=url,
        published_on=published_on,
        text=text,
        content_hash=digest,
        dropped=[{"start": d["start"], "end": d["end"], "reason": d["reason"]} for d in extraction["dropped"]],
        created_by_id=actor.id if actor else None,
    )
    session.add(article)
    _claim_content_hash(session)
    record_event(session, action=AuditAction.CREATE, entity=AuditEntity.ARTICLE, entity_id=article.id, actor=actor,
                 payload={"title": article.title, "assertions": len(assertions)})
    if outlet and outlet.strip():
        article.outlet = find_or_create_source(session, outlet, SourceKind.OUTLET,
                                               domain=domain_key(url) if url else None, actor=actor)
    # The article's sources are found or made at once, before the items, so that no lookup flushes
    # an item half-built (a speaker named in ten sentences is one source).
    sources = find_or_create_sources(session, [(link["name"], link["kind"]) for assertion in assertions
                                               for link in assertion["chain"]], actor=actor)
    by_id: dict[str, CheckItem] = {}
    for assertion in assertions:
        by_id[assertion["id"]] = new_item(
            claim_text=assertion["text"],
            article=article,
            span=(assertion["start"], assertion["end"]),
            chain=[LinkInput(sources[link["name"], SourceKind(link["kind"]).value], link["role"])
                   for link in assertion["chain"]],
            hedges=assertion["hedges"],
            dates=assertion["dates"],
            checkworthiness=float(assertion["checkworthiness"]),
            origin=Origin.EXTRACTED,
        )
    items = list(by_id.values())
    session.add_all(items)
    session.flush()
    record_created(session, items, actor)
    repeating: set[int] = set()
    for assertion in assertions:
        for relation in assertion["relations"]:
            target = by_id.get(relation["target"])
            if target is not None and target is not by_id[assertion["id"]]:
                session.add(ItemRelation(item=by_id[assertion["id"]], target=target,
                                         type=RelationType(relation["type"]),
                                         created_by_id=actor.id if actor else None))
                if relation["type"] == RelationType.REPEATS:
                    repeating.add(id(by_id[assertion["id"]]))
    session.flush()
    # Priority needs the claimant's record and earlier matches, so it is set once the items exist
    # (the full-text index counts them): all of the article's at once, with one UPDATE. A recorded
    # repeat counts as a perfect match (as compute_priority reads it for a single item).
    claimants = {item.claimant.id: item.claimant for item in items if item.claimant is not None}
    means = {source_id: s.score.mean for source_id, s in standings(session, claimants.values()).items()}
    matches = best_match_similarities(session, items)
    matches.update({item.id: 1.0 for item in items if id(item) in repeating})
    store_priorities(session, [(item, compute_priority(session, item, claimant_means=means, matches=matches))
                               for item in items], "computed when the article came in")
    return IngestResult(article, items, len(extraction["dropped"]))
