"""Evidence: adding and editing what a fact-checker found."""

from __future__ import annotations

from enum import Enum
from typing import Final

from sqlalchemy.orm import Session

from factcheck.domain.links import link_problem
from factcheck.domain import workflow as wf
from factcheck.domain.permissions import may_add_evidence, may_edit
from factcheck.domain.workflow import AuditAction, AuditEntity, Stance
from factcheck.models import Evidence, Source, User, utcnow
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.items import flush_or_conflict, get_item


def _stance(value: Stance | str) -> Stance:
    try:
        return Stance(value)
    except ValueError:
        raise InvalidInput("Choose whether the evidence supports or refutes the claim, or gives context.") from None


def _fields(url: str | None, title: str, passage: str | None) -> tuple[str | None, str, str | None]:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Evidence needs a title saying what it is.")
    url = (url or "").strip() or None
    if url is not None and (problem := link_problem(url)) is not None:
        raise InvalidInput(f"The evidence link {problem}.")
    return url, title, (passage or "").strip() or None


def _snapshot(evidence: Evidence) -> dict[str, object]:
    return {
        "url": evidence.url, "title": evidence.title, "passage": evidence.passage,
        "source_id": evidence.source_id, "stance": evidence.stance.value,
        "is_anonymous": evidence.is_anonymous, "is_off_record": evidence.is_off_record,
        "is_publishable": evidence.is_publishable,
    }


def add_evidence(
    session: Session,
    item_id: int,
    actor: User,
    *,
    version: int,
    title: str,
    stance: Stance | str,
    url: str | None = None,
    passage: str | None = None,
    source: Source | None = None,
    is_anonymous: bool = False,
    is_off_record: bool = False,
    is_publishable: bool = False,
) -> Evidence:
    """Attach a piece of evidence to an item the actor may edit.

    ``version`` is the item's version the form was rendered with; adding evidence changes the
    item, so the same form sent twice (a double click, a resent page) finds the item changed.
    When this person's identical piece is already there, that piece is returned and nothing is
    added; anything else is the usual conflict.
    """
    item = get_item(session, item_id, for_update=True)
    may_add_evidence(item, actor).enforce()
    url, title, passage = _fields(url, title, passage)
    stance = _stance(stance)
    if version != item.version:
        twin = _identical(item.evidence, actor, url=url, title=title, passage=passage, source=source, stance=stance,
                          is_anonymous=is_anonymous, is_off_record=is_off_record, is_publishable=is_publishable)
        if twin is not None:
            return twin
        wf.check_version(version, item.version)
    evidence = Evidence(item=item, url=url, title=title, passage=passage, source=source, stance=stance,
                        is_anonymous=is_anonymous, is_off_record=is_off_record, is_publishable=is_publishable,
                        added_by_id=actor.id)
    session.add(evidence)
    item.updated_at = utcnow()  # a new piece is a change of the item: its version moves on
    flush_or_conflict(session)
    record_event(session, action=AuditAction.ADD_EVIDENCE, entity=AuditEntity.EVIDENCE, entity_id=evidence.id, item_id=item.id,
                 actor=actor, payload=_snapshot(evidence))
    return evidence


def _identical(pieces: list[Evidence], actor: User, **fields: object) -> Evidence | None:
    """The actor's piece with exactly these fields, if there is one (the newest)."""
    for piece in reversed(pieces):
        if piece.added_by_id == actor.id and all(getattr(piece, k) == v for k, v in fields.items()):
            return piece
    return None


class Keep(Enum):
    """The type of ``KEEP``: one member, so ``value is KEEP`` narrows the other types away."""

    KEEP = "keep"


#: Marks "leave this field as it is" for ``edit_evidence``.
KEEP: Final = Keep.KEEP


def edit_evidence(
    session: Session,
    evidence_id: int,
    actor: User,
    *,
    version: int,
    title: str | Keep = KEEP,
    stance: Stance | str | Keep = KEEP,
    url: str | None | Keep = KEEP,
    passage: str | None | Keep = KEEP,
    source: Source | None | Keep = KEEP,
    is_anonymous: bool | Keep = KEEP,
    is_off_record: bool | Keep = KEEP,
    is_publishable: bool | Keep = KEEP,
) -> Evidence:
    """Change a piece of evidence; fields not given stay as they are; an older version is refused.

    The item is locked first, as every change of it locks it: a proposal at the same moment waits for this edit
    (and then judges the evidence as edited) or this edit waits for the proposal (and is then refused: the item
    is in verdict). A change moves the item's version on, as a new piece does.
    """
    found = session.get(Evidence, evidence_id)
    if found is None:
        raise NotFound(f"There is no evidence #{evidence_id}.")
    item = get_item(session, found.item_id, for_update=True)
    evidence = session.get(Evidence, evidence_id, with_for_update=True, populate_existing=True)
    if evidence is None:  # (removed meanwhile)
        raise NotFound(f"There is no evidence #{evidence_id}.")
    wf.check_version(version, evidence.version, "piece of evidence")
    may_edit(item, actor).enforce()
    before = _snapshot(evidence)
    new_url, new_title, new_passage = _fields(
        evidence.url if url is KEEP else url,
        evidence.title if title is KEEP else title,
        evidence.passage if passage is KEEP else passage,
    )
    evidence.url, evidence.title, evidence.passage = new_url, new_title, new_passage
    if stance is not KEEP:
        evidence.stance = _stance(stance)
    if source is not KEEP:
        evidence.source = source
    for name, value in (("is_anonymous", is_anonymous), ("is_off_record", is_off_record),
                        ("is_publishable", is_publishable)):
        if value is not KEEP:
            setattr(evidence, name, bool(value))
    after = _snapshot(evidence)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        item.updated_at = utcnow()  # a changed piece is a change of the item: its version moves on
    flush_or_conflict(session, "piece of evidence")
    if changes:
        record_event(session, action=AuditAction.EDIT_EVIDENCE, entity=AuditEntity.EVIDENCE, entity_id=evidence.id,
                     item_id=evidence.item_id, actor=actor, payload=changes)
    return evidence
