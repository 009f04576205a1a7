"""Notifications: what people are told, how they want to hear it, and who a note mentions.

Plain Python: the services write the rows, the web and the mail read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class NotificationKind(StrEnum):
    """What a notification tells its reader."""

    ASSIGNED = "assigned"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"
    VOTE_NEEDED = "vote_needed"
    MENTIONED = "mentioned"
    CORRECTED = "corrected"
    JOB_DONE = "job_done"

    @property
    def title(self) -> str:  # type: ignore[override]  # shadows str.title on purpose: templates read kind.title
        """A label for people (the settings page)."""
        return KIND_TITLES[self]


KIND_TITLES: dict[NotificationKind, str] = {
    NotificationKind.ASSIGNED: "An item is assigned to you",
    NotificationKind.RETURNED: "Your verdict is returned to you",
    NotificationKind.APPROVED: "Your verdict is approved",
    NotificationKind.PUBLISHED: "Your verdict is published",
    NotificationKind.VOTE_NEEDED: "A panel needs your vote",
    NotificationKind.MENTIONED: "You are mentioned in a note",
    NotificationKind.CORRECTED: "A verdict you wrote is corrected",
    NotificationKind.JOB_DONE: "An upload you started has been read",
}


class DeliveryMode(StrEnum):
    """How a person wants one kind of notification: each by mail, in a daily digest, or only in the app."""

    MAIL = "mail"
    DIGEST = "digest"
    OFF = "off"

    @property
    def title(self) -> str:  # type: ignore[override]  # shadows str.title on purpose: templates read mode.title
        """A label for people."""
        return {"mail": "Mail at once", "digest": "Daily digest", "off": "Only here, no mail"}[self.value]


#: Every kind is mailed at once until its reader says otherwise.
DEFAULT_MODE = DeliveryMode.MAIL


class MailStep(StrEnum):
    """Where a notification stands on its way to the reader's mailbox."""

    #: Written with the change; its mail is not decided yet.
    NEW = "new"
    #: Mailed on its own.
    MAILED = "mailed"
    #: Waiting for the reader's next daily digest.
    DIGEST = "digest"
    #: Sent in a digest.
    DIGESTED = "digested"
    #: The reader wants this kind only in the app.
    SKIPPED = "skipped"


def step_for(mode: DeliveryMode) -> MailStep:
    """What happens to a new notification under the reader's setting."""
    return {DeliveryMode.MAIL: MailStep.MAILED, DeliveryMode.DIGEST: MailStep.DIGEST,
            DeliveryMode.OFF: MailStep.SKIPPED}[mode]


# --- mentions -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a note may mention."""

    id: int
    email: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Mentions:
    """Who a note mentions, and the names that fit several people (nobody is told for those)."""

    people: tuple[Person, ...]
    ambiguous: tuple[str, ...]


_EMAIL = re.compile(r"@([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
#: An @ that starts a mention: at the start or after a character that cannot end an address.
_AT = re.compile(r"(?:(?<=^)|(?<=[\s(\[{,;:!?\"'>]))@")


def _ends_a_word(text: str, end: int) -> bool:
    return end >= len(text) or not (text[end].isalnum() or text[end] in "_-")


def find_mentions(text: str, people: Iterable[Person]) -> Mentions:
    """The people ``text`` mentions as ``@email`` or ``@Display Name`` (case does not matter).

    A display name is matched whole, the longest first ("@Desk Editor Two" before "@Desk Editor").
    A name several people share mentions nobody: it is returned in ``ambiguous`` so the writer can
    use the address instead. A mention inside an e-mail address ("someone@example.org") is none.
    """
    everyone = list(people)
    by_email = {p.email.lower(): p for p in everyone}
    by_name: dict[str, list[Person]] = {}
    for person in everyone:
        by_name.setdefault(" ".join(person.display_name.split()).lower(), []).append(person)
    names = sorted((n for n in by_name if n), key=len, reverse=True)
    found: dict[int, Person] = {}
    ambiguous: list[str] = []
    for at in _AT.finditer(text):
        start = at.end()
        email = _EMAIL.match(text, at.start())
        addressed = by_email.get(email.group(1).rstrip(".").lower()) if email else None
        if addressed is not None:
            found.setdefault(addressed.id, addressed)
            continue
        rest = " ".join(text[start:start + 200].split()).lower()
        for name in names:
            if rest.startswith(name) and _ends_a_word(rest, len(name)):
                matches = by_name[name]
                if len(matches) == 1:
                    found.setdefault(matches[0].id, matches[0])
                elif name not in ambiguous:
                    ambiguous.append(name)
                break
    return Mentions(tuple(found.values()), tuple(ambiguous))
