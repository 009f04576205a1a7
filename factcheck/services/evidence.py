"""Evidence: adding and editing what a fact-checker found."""

from __future__ import annotations

from sqlalchemy.orm import Session

from factcheck.domain import workflow as wf
from factcheck.domain.workflow import Stance
from factcheck.models import Evidence, Source, User
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput, NotFound
from factcheck.services.items import check_can_edit, get_item


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
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("An evidence link must start with http:// or https://.")
    return url, title, (passage or "").strip() or None


def _snapshot(evidence: Evidence) -> dict[str, object]:
    return {
        "url": evidence.url, "title": evidence.title, "passage": evidence.passage,
        "source_id": evidence.source_id, "stance": evidence.stance.value,
        "is_anonymous": evidence.is_anonymous, "is_off_record": evidence.is_off_record,
    }


def add_evidence(
    session: Session,
    item_id: int,
    actor: User,
    *,
    title: str,
    stance: Stance | str,
    url: str | None = None,
    passage: str | None = None,
    source: Source | None = None,
    is_anonymous: bool = False,
    is_off_record: bool = False,
) -> Evidence:
    """Attach a piece of evidence to an item the actor may edit."""
    item = get_item(session, item_id, for_update=True)
    check_can_edit(item, actor)
    if item.status is not wf.Status.EVIDENCE:
        raise wf.NotEditable("Take the item first: evidence is gathered while an item is in evidence.")
    url, title, passage = _fields(url, title, passage)
    evidence = Evidence(item=item, url=url, title=title, passage=passage, source=source, stance=_stance(stance),
                        is_anonymous=is_anonymous, is_off_record=is_off_record, added_by_id=actor.id)
    session.add(evidence)
    session.flush()
    record_event(session, action="add_evidence", entity="evidence", entity_id=evidence.id, item_id=item.id,
                 actor=actor, payload=_snapshot(evidence))
    return evidence


def edit_evidence(
    session: Session,
    evidence_id: int,
    actor: User,
    *,
    version: int | None,
    title: str,
    stance: Stance | str,
    url: str | None = None,
    passage: str | None = None,
    source: Source | None = None,
    is_anonymous: bool = False,
    is_off_record: bool = False,
) -> Evidence:
    """Change a piece of evidence; an edit made against an older version is refused."""
    evidence = session.get(Evidence, evidence_id, with_for_update=True)
    if evidence is None:
        raise NotFound(f"There is no evidence #{evidence_id}.")
    wf.check_version(version, evidence.version, "piece of evidence")
    check_can_edit(evidence.item, actor)
    before = _snapshot(evidence)
    evidence.url, evidence.title, evidence.passage = _fields(url, title, passage)
    evidence.stance = _stance(stance)
    evidence.source = source
    evidence.is_anonymous = is_anonymous
    evidence.is_off_record = is_off_record
    session.flush()
    after = _snapshot(evidence)
    record_event(session, action="edit_evidence", entity="evidence", entity_id=evidence.id,
                 item_id=evidence.item_id, actor=actor,
                 payload={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return evidence
