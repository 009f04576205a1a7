"""After sign-in only same-site paths are followed: the stricter check refuses what browsers would turn into another host."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.factories import PASSWORD, gen_user
from tests.helpers import csrf_token


def _sign_in_with_next(client, session, target: str):  # type: ignore[no-untyped-def]
    user = gen_user(session)
    url = f"/auth/login?next={quote(target, safe='')}"
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)})


@pytest.mark.parametrize("target", ["/\\evil.example", "/\t/evil.example", "/\n/evil.example", "//evil.example"])
def test_a_next_that_a_browser_would_read_as_another_host_goes_home_instead(client, session, target: str) -> None:
    response = _sign_in_with_next(client, session, target)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://factcheck.test/")


def test_a_same_site_next_is_followed(client, session) -> None:
    response = _sign_in_with_next(client, session, "/sources?sort=volume")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sources?sort=volume")
