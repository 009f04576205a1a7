"""Two digest runs at the same moment (a scheduled run and one started by hand), on PostgreSQL: each
notification is mailed once. (SQLite's writers queue, so the second run finds them digested.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from factcheck.domain.notifications import DeliveryMode, NotificationKind
from factcheck.domain.workflow import Role, Status
from factcheck.models import OutboxMail
from factcheck.services import notifications as notification_service
from tests.conftest import PG_URL
from tests.factories import gen_item_in, gen_user
from tests.pg_schema import private_schema_database

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL")]

SITE = ("https://desk.example.org", "Desk")


@pytest.mark.parametrize("waiting", ["digest", "new"])
def test_two_digest_runs_at_once_mail_each_notification_once(waiting: str) -> None:
    """``waiting``: the notification is kept for the digest already, or still new (written by a command)."""
    with private_schema_database() as db:
        with Session(db.engine) as session:
            reader, writer = gen_user(session, Role.CHECKER), gen_user(session, Role.EDITOR)
            notification_service.save_settings(session, reader, {"mentioned": DeliveryMode.DIGEST.value})
            notification_service.notify(session, [reader.id], NotificationKind.MENTIONED,
                                        item_id=gen_item_in(session, Status.CLAIM).id, actor=writer,
                                        message="mentioned you")
            if waiting == "digest":
                notification_service.dispatch(session, *SITE)
            else:
                session.info.pop(notification_service.PENDING_KEY, None)  # as a command leaves it: nobody dispatched
            session.commit()
        first, second = Session(db.engine), Session(db.engine)
        try:
            assert notification_service.send_digests(first, *SITE) == 1  # not committed yet
            # The second run never waits for the first (it would otherwise mail it again once the first commits).
            second.execute(text("SET LOCAL lock_timeout = '5s'"))
            assert notification_service.send_digests(second, *SITE) == 0
            second.commit()
            first.commit()
        finally:
            first.close()
            second.close()
        with Session(db.engine) as session:
            digests = session.scalars(select(OutboxMail.subject).where(OutboxMail.subject.contains("digest"))).all()
            assert len(digests) == 1
