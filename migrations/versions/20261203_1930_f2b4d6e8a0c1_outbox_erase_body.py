"""A mail whose body holds a secret forgets it once sent: ``outbox_mails.erase_body``

A password-reset mail carries the link that sets a new password. It stayed in the outbox after it was sent, and
in every backup of the database, so whoever could read either could use it within its 30 minutes. Such a mail is
now marked, and its body is replaced by a note once it has been sent or has failed for good. Mails already sent
are cleared here too (their links are spent or expired: nothing is lost), and reset mails still waiting are marked.

Revision ID: f2b4d6e8a0c1
Revises: e8a1c3f5b7d9
Create Date: 2026-12-03 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2b4d6e8a0c1"
down_revision: str | None = "e8a1c3f5b7d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What an erased body reads (``services.mail.ERASED_BODY``).
ERASED_BODY = "(This mail held a password-reset link. It was removed once the mail was sent.)"


def upgrade() -> None:
    with op.batch_alter_table("outbox_mails") as batch_op:
        batch_op.add_column(sa.Column("erase_body", sa.Boolean(), server_default="0", nullable=False))
    op.execute(sa.text("UPDATE outbox_mails SET body = :erased WHERE state <> 'pending' AND body LIKE '%/auth/reset/%'")
               .bindparams(erased=ERASED_BODY))
    op.execute(sa.text("UPDATE outbox_mails SET erase_body = :yes WHERE state = 'pending' AND body LIKE '%/auth/reset/%'")
               .bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_mails") as batch_op:
        batch_op.drop_column("erase_body")
