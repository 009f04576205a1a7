"""The authorisation matrix: every route × anonymous, checker, reviewer, editor, admin → status.

Each area lists its routes in its own ``matrix_<area>.py`` as ``ROUTES: list[Route]``; the test in
``tests/e2e/test_authorisation_matrix.py`` collects them all and fails for any route in the app's
URL map that no matrix lists. URLs use placeholders filled from the test's world of real rows:
{item_id} (an item in evidence held by the world's checker), {claim_item_id} (in claim),
{verdict_item_id} (in verdict, by the world's checker), {published_item_id}, {article_id},
{source_id}, {other_source_id}, {user_id}, {evidence_id}, {rating_id}, {notification_id} (the checker's).
POSTs carry a valid CSRF token and no other data, so a permitted role gets its form error or redirect
and a refused one gets 403 (anonymous: a redirect to sign-in, 302).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "checker", "reviewer", "editor", "admin")


@dataclass(frozen=True)
class Route:
    """One route and the status each role gets."""

    method: str
    url: str
    endpoint: str
    expected: dict[str, int] = field(default_factory=dict)

    def status_for(self, role: str) -> int:
        """The expected status for ``role``."""
        return self.expected[role]


def everyone(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    """Any signed-in role gets ``status``; anonymous visitors are sent to sign in."""
    return {"anonymous": anonymous, **{r: status for r in ROLES[1:]}}


def only(roles: tuple[str, ...], allowed: int = 200, refused: int = 403, anonymous: int = 302) -> dict[str, int]:
    """``roles`` get ``allowed``; other signed-in roles ``refused``; anonymous visitors sign in."""
    return {"anonymous": anonymous, **{r: (allowed if r in roles else refused) for r in ROLES[1:]}}


def public(status: int = 200) -> dict[str, int]:
    """Everybody, signed in or not, gets ``status``."""
    return {r: status for r in ROLES}
