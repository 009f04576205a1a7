"""Internal notes on a check item: a thread for the desk, with @mentions that notify.

Notes are Markdown, rendered by the web's one sanitising Markdown filter; they are in the item's
history (the audit trail) and in the backup, and never on a public page or in the ClaimReview feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.notifications import Mentions, NotificationKind, Person, find_mentions
from factcheck.domain.permissions import Capability, roles_for
from factcheck.domain.workflow import AuditAction, AuditEntity, RoleRequired
from factcheck.models import Note, User, utcnow
from factcheck.services.audit import record_event
from factcheck.services.errors import InvalidInput
from factcheck.services.items import get_item
from factcheck.services.notifications import notify

#: The longest note, in characters.
MAX_NOTE_LENGTH = 10_000


@dataclass(frozen=True)
class AddedNote:
    """A note written, and who it mentioned."""

    note: Note
    mentions: Mentions


def desk_people(session: Session) -> list[Person]:
    """Everyone a note can mention: the desk's active accounts."""
    rows = session.execute(select(User.id, User.email, User.display_name).where(User.is_active.is_(True))
                           .order_by(User.id)).all()
    return [Person(r[0], r[1], r[2]) for r in rows]


def add_note(session: Session, item_id: int, actor: User, body: str | None) -> AddedNote:
    """Add a note to the item's thread; everyone it mentions (``@email`` or ``@Display Name``) is told."""
    if not actor.roles & roles_for(Capability.WRITE_NOTES):
        raise RoleRequired("Only members of the desk can write notes.")
    text = (body or "").strip()
    if not text:
        raise InvalidInput("Write the note first: it is empty.")
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"A note is at most {MAX_NOTE_LENGTH:,} characters long; this one has {len(text):,}.")
    item = get_item(session, item_id)
    note = Note(item_id=item.id, author_id=actor.id, body=text, created_at=utcnow())
    session.add(note)
    session.flush()
    mentions = find_mentions(text, desk_people(session))
    record_event(session, action=AuditAction.NOTE, entity=AuditEntity.NOTE, entity_id=note.id, item_id=item.id,
                 actor=actor, payload={"body": text, "mentions": [p.id for p in mentions.people]})
    notify(session, [p.id for p in mentions.people], NotificationKind.MENTIONED, item_id=item.id, actor=actor,
           message=f"{actor.display_name} mentioned you in a note on item #{item.id}", detail=text)
    session.flush()
    return AddedNote(note, mentions)
