"""The `world` for end-to-end tests: one user per role and a row for every URL placeholder.

Rows are made through the real services once, then shared: each test starts from the same world
inside a SAVEPOINT that is rolled back (``shared_rows`` in tests/conftest.py), so it leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.domain.workflow import Role, SourceKind, Status
from factcheck.models import Notification, Rating, User
from factcheck.services.ingest import ingest_article
from tests.conftest import shared_rows
from tests.factories import gen_evidence, gen_item_in, gen_source, gen_user
from tests.helpers import new_csrf_token, sign_in

#: A short article with two attributed claims, enough for the article page and its items.
WORLD_ARTICLE = (
    "Officials deny the harbour will close\n\n"
    "The mayor said on Monday that the harbour would close for two years from March.\n\n"
    "The port authority denied that the harbour would close at all.\n\n"
    "Read also: Ten places to eat by the sea\n"
)


@dataclass
class World:
    """Real rows for every placeholder of the authorisation matrix, and one signed-in user per role."""

    users: dict[str, User]
    ids: dict[str, int] = field(default_factory=dict)

    def email(self, role: str) -> str:
        """The sign-in of the world's user with ``role``."""
        return self.users[role].email

    def url(self, template: str) -> str:
        """``template`` with its placeholders filled in."""
        return template.format(**self.ids)


@shared_rows
def world_rows(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """The world's rows, built once: the user id per role, and the id per URL placeholder."""
    users = {role.value: gen_user(session, role) for role in (Role.CHECKER, Role.REVIEWER, Role.EDITOR, Role.ADMIN)}
    checker, reviewer = users["checker"], users["reviewer"]
    claim_item = gen_item_in(session, Status.CLAIM)
    evidence_item = gen_item_in(session, Status.EVIDENCE, checker=checker)
    gen_evidence(session, evidence_item, checker, n=1)
    verdict_item = gen_item_in(session, Status.VERDICT, checker=checker)
    published_item = gen_item_in(session, Status.PUBLISHED, checker=checker, reviewer=reviewer)
    article = ingest_article(session, WORLD_ARTICLE, actor=checker, title="Harbour closure").article
    source = gen_source(session, "A Harbour Official")
    other_source = gen_source(session, "Coastal Gazette", SourceKind.OUTLET)
    rating = session.scalars(select(Rating).where(Rating.key == "false")).one()
    session.flush()
    ids = {
        "item_id": evidence_item.id,
        "claim_item_id": claim_item.id,
        "verdict_item_id": verdict_item.id,
        "published_item_id": published_item.id,
        "article_id": article.id,
        "source_id": source.id,
        "other_source_id": other_source.id,
        "user_id": checker.id,
        "evidence_id": evidence_item.evidence[0].id,
        "rating_id": rating.id,
        # the checker was told their verdict is published
        "notification_id": session.scalars(select(Notification.id).where(Notification.user_id == checker.id)
                                           .order_by(Notification.id)).first(),
    }
    return {role: user.id for role, user in users.items()}, ids


@pytest.fixture
def world(session: Session, world_rows: tuple[dict[str, int], dict[str, int]]) -> World:
    """One user per role; items in claim, evidence (held by the checker), verdict and published; an article."""
    user_ids, ids = world_rows
    users = {role: session.get(User, user_id) for role, user_id in user_ids.items()}
    assert all(users.values()), "the shared world lost its users"
    return World(users, dict(ids))  # type: ignore[arg-type]


def signed_in(client: FlaskClient, world: World, role: str) -> FlaskClient:
    """Sign ``client`` in as the world's user with ``role`` (anonymous: leave it signed out).

    Without the sign-in form, which tests/e2e/test_login*.py and test_auth.py cover; the
    credentials are still checked by the service the form uses.
    """
    if role != "anonymous":
        sign_in(client, world.email(role))
    return client


def page_token(client: FlaskClient) -> str:
    """A valid CSRF token for the client's session (as every form page of the app would embed)."""
    return new_csrf_token(client)
